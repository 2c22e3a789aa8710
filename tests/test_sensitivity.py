"""sim.sensitivity: parameters named as in scenario files, one-at-a-time runs on common random
numbers, and bad input refused before any simulation."""
from __future__ import annotations

import json
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

import sim
import sim.plot
from sim._errors import InputError
from sim.cli import main
from sim.sensitivity import one_at_a_time, parameters

from conftest import SCENARIOS

PEER = SCENARIOS / "peer_compound.toml"
AIG = SCENARIOS / "aig_brochure_100k.toml"


@pytest.fixture(scope="module")
def peer():
    return sim.load_scenario(PEER)


@pytest.fixture(scope="module")
def aig():
    return sim.load_scenario(AIG)


def test_parameters_are_named_as_in_scenario_files(peer):
    assert parameters(peer)["value"].to_dict() == {
        "frequency.rate": 0.5, "reporting.probability": 1.0,
        "direct.damages.median": pytest.approx(1e7), "direct.damages.sigma": 1.5}
    scn = sim.load_scenario(SCENARIOS / "jcci_manufacturing_10oku_C.toml")
    values = parameters(scn)["value"]
    m = scn.model
    assert values["size.median"] == pytest.approx(math.exp(m.size.mu))
    assert values["size.alpha"] == m.size.alpha
    assert values["records_held"] == 5_000
    assert values["claimants.award.median"] == pytest.approx(math.exp(m.claimants.award.mu))
    assert values["costs.letters.per_record"] == m.costs["letters"].per_record
    assert values["litigation.factor"] == m.litigation_factor
    assert values["frequency.rate"] == scn.frequency.mean


def test_a_scaled_median_scales_every_simulated_year(peer):
    """Common random numbers: with the same seed, a 20% larger median makes every loss exactly
    20% larger, so the mean moves by exactly 20% (separate seeds would add ~1% of noise)."""
    frame = one_at_a_time(peer, measure="gross", statistic="mean",
                          parameters=["direct.damages.median"], n_years=50_000, seed=3)
    row = frame.loc["direct.damages.median"]
    assert (row["low_value"], row["high_value"]) == pytest.approx((8e6, 1.2e7))
    assert row["low"] / row["base"] == pytest.approx(0.8, rel=1e-9)
    assert row["high"] / row["base"] == pytest.approx(1.2, rel=1e-9)
    # every year scales, so every statistic does: low and high at several points of the tail
    # (exact up to whole-yen rounding from the top values; var_90 within the 0.1% bins)
    for stat, rel in (("var_90", 2e-3), ("var_99", 1e-6), ("var_99_9", 1e-6), ("tvar_95", 1e-6),
                      ("tvar_99_5", 1e-6), ("std", 1e-6)):
        frame = one_at_a_time(peer, measure="gross", statistic=stat,
                              parameters=["direct.damages.median"], n_years=50_000, seed=3)
        row = frame.loc["direct.damages.median"]
        assert row["low"] / row["base"] == pytest.approx(0.8, rel=rel), stat
        assert row["high"] / row["base"] == pytest.approx(1.2, rel=rel), stat


def test_cost_parameters_move_the_mean_one_way_only(aig):
    """Every cost only scales its own draws, so lower is lower and higher is higher in every
    year; a per-record cost is linear, so its two steps are equal. A probability of 1 is not
    raised: its high run is the base run."""
    names = [n for n in parameters(aig).index if n.startswith("costs.")
             and n.rsplit(".", 1)[1] in ("fixed", "per_record", "probability")
             and parameters(aig).loc[n, "value"] > 0]
    frame = one_at_a_time(aig, measure="gross", statistic="mean", parameters=names,
                          n_years=20_000, seed=5)
    assert len(frame) == len(names) > 10
    assert (frame["low"] < frame["base"]).all()
    probability = frame.index.str.endswith(".probability")
    assert (frame.loc[probability, "high_value"] == 1.0).all()
    assert (frame.loc[probability, "high"] == frame.loc[probability, "base"]).all()
    assert (frame.loc[~probability, "high"] > frame.loc[~probability, "base"]).all()
    letters = frame.loc["costs.letters.per_record"]
    assert letters["high"] - letters["base"] == pytest.approx(letters["base"] - letters["low"],
                                                              rel=1e-6)


def test_ranges_give_explicit_values_and_the_frame_is_sorted_by_swing(peer):
    frame = one_at_a_time(peer, "basic XL", "paid", "mean", parameters=["direct.damages.sigma"],
                          ranges={"frequency.rate": (0.25, 1.0)}, n_years=20_000, seed=1)
    assert list(frame.columns) == ["value", "low_value", "high_value", "base", "low", "high", "swing",
                                   "swing_se", "within_noise"]
    assert frame.loc["frequency.rate", ["low_value", "high_value"]].tolist() == [0.25, 1.0]
    assert frame["swing"].is_monotonic_decreasing
    assert np.allclose(frame["swing"], (frame["high"] - frame["low"]).abs())
    from sim.engine.persist import scenario_content_sha256

    assert frame.attrs == {"policy": "basic XL", "measure": "paid", "statistic": "mean", "change": 0.2,
                           "n_years": 20_000, "seed": 1, "noise_k": 2.0, "noise_batches": 20,
                           "scenario": peer.name, "scenario_content_sha256": scenario_content_sha256(peer),
                           "version": frame.attrs["version"]}
    assert frame.attrs["version"] == sim.simulate(peer, 100, seed=1).metadata()["version"]
    rate = frame.loc["frequency.rate"]
    assert rate["low"] < rate["base"] < rate["high"]
    ax = sim.plot.tornado(frame)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(frame.index[::-1])
    plt.close("all")


@pytest.mark.parametrize("kwargs, field", [
    ({"parameters": ["size.median"]}, "parameters"),
    ({"ranges": {"direct.damages.median": (-1.0, 2e7)}}, "ranges.direct.damages.median"),
    ({"ranges": {"direct.damages.sigma": (1.0,)}}, "ranges.direct.damages.sigma"),
    ({"statistic": "var_42"}, "statistic"),
    ({"measure": "paid:costs"}, "measure"),
    ({"policy": "AIG 1億"}, "policy"),
    ({"change": 1.5}, "change"),
    ({"n_years": -5}, "n_years"),
])
def test_bad_input_fails_before_any_simulation(peer, monkeypatch, kwargs, field):
    def no_work(*args, **kw):
        raise AssertionError("simulated before checking the input")

    monkeypatch.setattr("sim.engine.runner.simulate", no_work)
    with pytest.raises(InputError) as err:
        one_at_a_time(peer, **kwargs)
    assert err.value.field == field
    if field == "parameters":
        assert "allowed values" in str(err.value) and "direct.damages.median" in str(err.value)


def test_cli_prints_the_table_as_json(capsys):
    code = main(["sensitivity", str(PEER), "--years", "5000", "--statistic", "mean",
                 "--measure", "gross", "--parameters", "direct.damages.median,frequency.rate",
                 "--json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["parameter"] for r in rows} == {"direct.damages.median", "frequency.rate"}
    assert main(["sensitivity", str(PEER), "--parameters", "nope"]) == 2
    assert "parameters: unknown name 'nope'" in capsys.readouterr().err


def test_a_cost_probability_changes_only_its_own_draws():
    """The sampler draws a cost's noise and on/off whether or not it is incurred, so a lower
    probability keeps every other draw in place: the other costs are identical event by event
    and this one is the same amount or nothing."""
    from sim.components import COMPONENT_INDEX
    from sim.losses.distributions import Fixed
    from sim.losses.model import Cost, LossModel

    def model(p: float) -> LossModel:
        return LossModel(size=Fixed(1_000), costs={
            "letters": Cost(per_record=100, sigma=0.3, probability=p),
            "call_center": Cost(fixed=1e6, sigma=0.3, probability=0.7)})

    high, low = (model(p).sample(20_000, rng=11).losses for p in (0.6, 0.3))
    letters, call = COMPONENT_INDEX["letters"], COMPONENT_INDEX["call_center"]
    np.testing.assert_array_equal(high[:, call], low[:, call])
    kept = low[:, letters] > 0
    np.testing.assert_array_equal(low[kept, letters], high[kept, letters])
    assert kept.mean() == pytest.approx(0.3, abs=0.015) and (high[:, letters] > 0).mean() > 0.58


def test_options_that_would_be_ignored_are_refused():
    """Fees and court days need claimants; a JO factor must be one the model has; a pricing
    parameter must belong to a method asked for."""
    from sim import pricing
    from sim.calibration.damages import damages_for
    from sim.pricing import event_rate_from_premium
    from sim.losses.distributions import Fixed
    from sim.losses.model import LossModel

    with pytest.raises(InputError, match="^litigation: needs claimants"):
        LossModel(size=Fixed(100), litigation="jfba")
    with pytest.raises(InputError, match="^court_days: needs claimants"):
        LossModel(size=Fixed(100), court_days=(1.0, 0.0))
    with pytest.raises(InputError, match="^jo: unknown name 'identifyability'"):
        damages_for(["basic_contact"], "jnsa", identifyability="easy")
    res = sim.simulate(sim.load_scenario(PEER), 2_000, seed=1)
    with pytest.raises(InputError, match="^params: unknown name 'lam'"):
        pricing.technical_premiums(res, methods=["sd"], lam=0.5)
    with pytest.raises(InputError, match="^policy: 'AIG 2億' is not allowed"):
        event_rate_from_premium(sim.load_scenario(AIG), "AIG 2億")
    with pytest.raises(InputError, match="^premium: missing"):
        event_rate_from_premium(sim.load_scenario(AIG), "AIG 1億")


def test_lowering_a_probability_of_one_keeps_every_other_draw_in_place():
    """Common random numbers in the sensitivity runs themselves: a probability of 1 draws no
    on/off, so the runs draw every on/off (``_aligned``); moving one probability down from 1
    must leave every other component's per-event draws, the breach sizes and (for a cost) the
    reporting identical to the base run's, and the moved cost the same amount or nothing. The
    costs that depend on the moved one move with it, by the same rule: a cost that follows it
    (consolation handling follows the gifts), and, when reporting moves, the costs paid only
    for reported leaks. Reporting by probability (the voluntary reporting before 2022) has a
    probability to move."""
    import dataclasses

    from sim.calibration import calibrated_model
    from sim.components import COMPONENTS
    from sim.losses.model import cost_component
    from sim.sensitivity import _aligned, _plan

    scn = sim.load_scenario(SCENARIOS / "jcci_manufacturing_10oku_C.toml")
    scn = dataclasses.replace(scn, model=calibrated_model(
        ["basic_contact"], regime="pre2022", records_held=scn.model.records_held,
        incident_mix=scn.model.incident_mix))
    costs = scn.model.costs
    names = [n for n, v in parameters(scn)["value"].items() if n.endswith(".probability") and v == 1]
    assert "reporting.probability" in names and len(names) > 5
    varied, frame = _plan(scn, None, "retained", "mean", names, 0.5, None)
    base = _aligned(scn).model.sample(5_000, rng=5)
    for name, low in zip(frame.index, varied["low"]):
        events = low.model.sample(5_000, rng=5)
        if name.startswith("costs."):
            key = name.split(".")[1]
            moved = {cost_component(c, cost) for c, cost in costs.items() if c == key or cost.follows == key}
        else:
            moved = {cost_component(c, cost) for c, cost in costs.items() if cost.if_reported}
        for i, comp in enumerate(COMPONENTS):
            if comp not in moved:
                np.testing.assert_array_equal(events.losses[:, i], base.losses[:, i], err_msg=name)
        np.testing.assert_array_equal(events.victims, base.victims, err_msg=name)
        if not name.startswith("costs."):
            assert 0.4 < events.reported.mean() < 0.6  # probability 0.5
        else:
            np.testing.assert_array_equal(events.reported, base.reported, err_msg=name)
        for comp in moved:
            i = COMPONENTS.index(comp)
            kept = events.losses[:, i] > 0
            np.testing.assert_array_equal(events.losses[kept, i], base.losses[kept, i], err_msg=name)
        component = cost_component(name.split(".")[1], costs[name.split(".")[1]]) if name.startswith("costs.") else None
        sources = [k for k, c in costs.items() if cost_component(k, c) == component]
        if component is not None and len(sources) == 1:  # a component with two sources mixes them
            i = COMPONENTS.index(component)
            incurred = (base.losses[:, i] > 0).sum()  # some costs need large or certain breaches
            kept = (events.losses[:, i] > 0).sum()
            assert incurred < 200 or 0.4 < kept / incurred < 0.6, name
