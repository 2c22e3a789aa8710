"""sim.compare: the coverage comparison on common random numbers, its value-of-a-step column
and its rankings."""
from __future__ import annotations

import numpy as np
import pytest

import sim
from sim._errors import InputError
from sim.compare import best

from conftest import SCENARIOS

PREMIUMS = {"AIG 5,000万": 100_000, "AIG 5,000万 +exec": 130_000, "AIG 1億": 150_000,
            "AIG 1億 +exec": 190_000, "AIG 3億": 260_000, "AIG 3億 +exec": 300_000}


@pytest.fixture(scope="module")
def res():
    return sim.simulate(sim.load_scenario(SCENARIOS / "aig_brochure_100k.toml"), 40_000, seed=3,
                        keep_years=True)


def test_every_policy_sees_the_same_years(res):
    """A policy's yearly payments do not depend on which other policies share the run: the
    same seed gives the same years to a scenario holding that policy alone."""
    years = res.to_frame()
    for name in ("AIG 5,000万", "AIG 3億 +exec"):
        alone = res.scenario.with_policies([res.scenario.policy(name)])
        single = sim.simulate(alone, res.n_years, seed=res.seed, keep_years=True).to_frame()
        assert np.array_equal(single[(name, "paid", "aggregate")], years[(name, "paid", "aggregate")])
    frame = sim.compare(res)
    assert np.allclose(frame["expected_paid"] + frame["expected_retained"],
                       res.summary().xs("gross", level="measure")["mean"].iloc[0], rtol=1e-9)


def test_value_of_each_step_up_by_hand(res):
    frame = sim.compare(res, PREMIUMS)
    ordered = sorted(PREMIUMS, key=PREMIUMS.get)
    for stat in ("var_99", "tvar_99"):
        for cheaper, dearer in zip(ordered[:-1], ordered[1:]):
            removed = frame.at[cheaper, f"retained_{stat}"] - frame.at[dearer, f"retained_{stat}"]
            per_man = removed / ((PREMIUMS[dearer] - PREMIUMS[cheaper]) / 10_000)
            assert frame.at[dearer, f"{stat}_reduction_per_man"] == pytest.approx(per_man)
        assert frame.at[ordered[0], f"{stat}_reduction_per_man"] == 0.0


def test_capital_ranking_follows_its_score(res):
    frame = sim.compare(res, PREMIUMS, rank_by="capital", coc_rate=0.1)
    score = frame["premium"] + 0.1 * frame["retained_tvar_99"]
    assert np.allclose(frame["score"], score)
    assert list(frame.sort_values("rank").index) == list(score.sort_values(kind="stable").index)
    assert best(frame) == score.idxmin()


def test_cheapest_under_a_bearable_loss(res):
    bearable = 1e8
    frame = sim.compare(res, PREMIUMS, rank_by="cheapest_under", max_retained_var_99=bearable)
    ok = frame[frame["retained_var_99"] <= bearable]
    assert best(frame) == ok["premium"].idxmin()
    assert frame.loc[frame["retained_var_99"] > bearable, "rank"].isna().all()


def test_bad_input_names_the_field(res):
    with pytest.raises(InputError, match="rank_by: 'cheap' is not allowed"):
        sim.compare(res, PREMIUMS, rank_by="cheap")
    with pytest.raises(InputError, match="premiums: need one premium per policy"):
        sim.compare(res, {"AIG 1億": 1.0})
    with pytest.raises(InputError, match="premiums: ranking needs a premium"):
        sim.compare(res, rank_by="capital")
    with pytest.raises(InputError, match="max_retained_var_99: missing"):
        sim.compare(res, PREMIUMS, rank_by="cheapest_under")
