"""Inputs near the engine's numeric limits give the right number or a clear error (issue 13):
tally sums past the int64 range, breach sizes past 2**63, event totals past the float range,
heavy tails. Expected values come from the kept years (plain NumPy), never from the tallies."""
from __future__ import annotations

import math

import numpy as np
import pytest

import sim
from sim import pricing
from sim._errors import InputError
from sim.scenario import scenario_from_dict

LEVELS = {"90": 0.90, "95": 0.95, "99": 0.99, "99_5": 0.995, "99_9": 0.999}


def kept_statistics(values: np.ndarray) -> dict[str, float]:
    """Mean, VaR and TVaR of kept years by their definitions (VaR: smallest x with
    P(X <= x) >= q; TVaR: mean of the worst n(1 - q) years, a fractional year in part)."""
    n = len(values)
    up = np.sort(values)
    down = up[::-1]
    out = {"mean": float(values.mean())}
    for name, q in LEVELS.items():
        out[f"var_{name}"] = float(up[max(math.ceil(n * q - 1e-9), 1) - 1])
        m = n * (1 - q)
        whole = math.floor(m + 1e-9)
        out[f"tvar_{name}"] = float((down[:whole].sum() + (m - whole) * down[whole]) / m)
    return out


def huge_years_scenario() -> sim.Scenario:
    """Issue 13's reproducer: one event a year of about 5e14 yen, under a 1e15 limit."""
    return scenario_from_dict({
        "name": "near the 2**50 ceiling",
        "frequency": {"kind": "one"},
        "model": {"direct": {"damages": {"dist": "lognormal", "median": 5e14, "sigma": 0.05}}},
        "policies": [{"product": "basic", "name": "basic", "limit": 1e15, "aggregate": 1e15}],
    })


def test_statistics_of_years_near_the_ceiling_match_the_kept_years():
    """200,000 years of ~5e14 yen add up to ~1e20, past int64: the histogram's bin sums once
    wrapped and gave a negative TVaR 90% (the kept years give 5.46e14)."""
    res = sim.simulate(huge_years_scenario(), n_years=200_000, seed=1, keep_years=True)
    summary, years = res.summary(), res.to_frame()
    for measure in ("gross", "paid", "retained"):
        column = ("*" if measure == "gross" else "basic", measure, "aggregate")
        expected = kept_statistics(years[column].to_numpy())
        row = summary.loc[("basic", measure)]
        for stat, value in expected.items():
            # the histogram regime reads within its 0.1% bin width; a zero measure exactly
            assert row[stat] == pytest.approx(value, rel=1e-3, abs=1.0), (measure, stat)
    assert summary.loc[("basic", "gross"), "tvar_90"] > 5e14
    # the pricing layer reads the same bins: its atoms must keep the kept years' mean
    values, probabilities = pricing.loss_support(res, "basic", "gross")
    kept = years[("*", "gross", "aggregate")].to_numpy()
    assert float(values @ probabilities) == pytest.approx(kept.mean(), rel=1e-9)
    assert values.min() >= 0


def test_bin_sums_carry_when_threads_merge():
    """The merge of threads' tallies carries too: 1 and 2 threads give the same summary."""
    scn = huge_years_scenario()
    one = sim.simulate(scn, n_years=40_000, seed=3, threads=1).summary()
    two = sim.simulate(scn, n_years=40_000, seed=3, threads=2).summary()
    assert one.equals(two)
    assert (one["tvar_90"] > 0).loc[[("basic", "gross"), ("basic", "paid")]].all()


def peer_with(**model) -> dict:
    return {"name": "extreme", "frequency": {"kind": "one"}, "model": model,
            "policies": [{"product": "basic", "name": "basic", "limit": 1e8}]}


def test_breach_sizes_past_2_63_people_are_refused_not_counted_as_one():
    """A fixed size of 1e19 people once became 1 person (int64 floor wrapped) and a per-record
    cost gave a mean of 0."""
    data = peer_with(size={"dist": "fixed", "value": 1e19},
                     costs={"letters": {"per_record": 100.0}})
    with pytest.raises(InputError, match="size") as err:
        scenario_from_dict(data)
    assert "1e+10 people" in str(err.value)
    data["model"]["records_held"] = 1e19
    with pytest.raises(InputError, match="records_held"):
        scenario_from_dict(data)


def test_a_capped_breach_size_keeps_its_size():
    """Sizes near the ceiling stay whole numbers of people, not 1 (the cost is per record)."""
    data = peer_with(size={"dist": "fixed", "value": 5e9}, records_held=6e9,
                     costs={"letters": {"per_record": 1.0}})
    res = sim.simulate(scenario_from_dict(data), n_years=100, seed=1)
    assert res.summary().loc[("basic", "gross"), "mean"] == 5e9


def test_an_uncapped_size_drawn_past_the_ceiling_stops_with_the_field_named():
    """A lognormal size without records held whose draws can pass 1e10 people, rarely enough
    to pass the one-in-a-million check: the run stops naming model.size, no raw traceback."""
    data = peer_with(size={"dist": "lognormal", "median": 1e7, "sigma": 1.4},
                     costs={"letters": {"per_record": 1.0}})
    scn = scenario_from_dict(data)
    with pytest.raises(InputError, match=r"^model\.size: .*records_held"):
        sim.simulate(scn, n_years=3_000_000, seed=1)


@pytest.mark.parametrize("severity", [
    {"dist": "pareto", "minimum": 1e6, "alpha": 1.0},
    {"dist": "pareto", "minimum": 1e6, "alpha": 0.7},
    {"dist": "lognormal_pareto", "median": 1e6, "sigma": 1.0, "threshold": 1e7, "alpha": 0.9},
])
def test_severities_without_a_finite_mean_are_refused(severity):
    with pytest.raises(InputError, match=r"direct\.damages: has no finite mean"):
        scenario_from_dict(peer_with(direct={"damages": severity}))


def test_severities_whose_rare_draws_pass_the_ceiling_are_refused_before_work():
    heavy = {"dist": "lognormal", "median": 1e12, "sigma": 2.0}   # 1-in-1e6 draw: 1.3e16
    with pytest.raises(InputError, match=r"direct\.damages: one draw in a million"):
        scenario_from_dict(peer_with(direct={"damages": heavy}))
    fine = {"dist": "lognormal", "median": 1e12, "sigma": 1.0}    # 1.1e14: accepted
    scenario_from_dict(peer_with(direct={"damages": fine}))


def test_a_year_past_the_ceiling_mid_run_names_the_component():
    """Each draw passes the one-in-a-million check, but a year of many events adds up past
    2**50 yen: the run stops with the component named, not a raw kernel traceback."""
    data = peer_with(direct={"litigation": {"dist": "fixed", "value": 1e3},
                             "damages": {"dist": "fixed", "value": 4e14}})
    data["frequency"] = {"kind": "poisson", "rate": 2.0}
    with pytest.raises(InputError, match=r"^model\.direct\.damages: a simulated year reached"):
        sim.simulate(scenario_from_dict(data), n_years=20_000, seed=1)


def test_finite_components_that_add_past_the_float_range_are_refused():
    """1e308 + 1e308 is inf: gross, paid and retained came out inf and NaN."""
    with pytest.raises(InputError, match=r"losses\.damages: 1e\+308 is not allowed"):
        sim.policy.basic().apply({"damages": 1e308, "litigation": 1e308})
    with pytest.raises(InputError, match=r"losses: the event's losses add up to 1\.126e\+15"):
        sim.policy.basic().apply({"damages": 2.0 ** 49, "litigation": 2.0 ** 49})
    with pytest.raises(InputError, match=r"^events\[1\]\.losses\.damages: "):
        sim.policy.basic().apply_year([{"losses": {"damages": 1.0}},
                                       {"losses": {"damages": 2.0 ** 50}}])
    with pytest.raises(InputError, match=r"victims: .* at most 1e\+10 people"):
        sim.policy.basic().apply({"damages": 1.0}, victims=10 ** 19)
    out = sim.policy.basic().apply({"damages": 2.0 ** 49, "litigation": 2.0 ** 49 - 1})
    assert out.gross == 2.0 ** 50 - 1 and out.paid == out.gross and out.retained == 0.0


def test_explain_refuses_such_an_event_with_the_field_named(tmp_path, capsys):
    path = tmp_path / "inf.toml"
    path.write_text('name = "inf"\n[event]\nlosses = { damages = 1e308, litigation = 1e308 }\n'
                    '[[policies]]\nproduct = "basic"\n', encoding="utf-8")
    from sim.cli import main

    assert main(["explain", str(path)]) == 2
    err = capsys.readouterr().err
    assert "event.losses" in err and "Traceback" not in err


@pytest.mark.parametrize("model", [
    {"size": {"dist": "lognormal", "median": 100, "sigma": 1e19}},
    {"direct": {"damages": {"dist": "lognormal", "median": 1e6, "sigma": 1.7e308}}},
])
def test_sigmas_too_large_to_compute_are_refused_not_crashing(model):
    with pytest.raises(InputError, match=r"(size|direct\.damages): "):
        scenario_from_dict(peer_with(**model))


def test_merging_bins_whose_sums_passed_2_62_carries_exactly():
    """The kernel leaves a bin's sum anywhere below 2**63 (it carries a slot's bins only after
    2**61 yen were added); merging two such bins must not wrap. Exact integers, by hand."""
    from sim.engine.tally import bin_sums, merge_tallies, new_tally

    a, b = new_tally(1), new_tally(1)
    big = 2 ** 62 + 2 ** 61 + 12_345
    for t, extra in ((a, 1), (b, 2)):
        t.hist[0, 7] = (3, big, 2 ** 49, 1)        # COUNT, SUM, MAX, AT_MAX
        t.carry[0, 7] = extra
        t.nonzero[0] = 3
    merged = merge_tallies([a, b])
    exact = 2 * big + 3 * 2 ** 62                  # both sums plus both carries
    assert int(merged.carry[0, 7]) * 2 ** 62 + int(merged.sum[0, 7]) == exact
    assert 0 <= merged.sum[0, 7] < 2 ** 62
    assert bin_sums(merged, 0)[7] == pytest.approx(float(exact), rel=1e-15)
