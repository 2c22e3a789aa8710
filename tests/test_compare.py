"""sim.compare: the coverage comparison on common random numbers, its value-of-a-step column
and its rankings."""
from __future__ import annotations

import numpy as np
import pytest

import sim
from sim._errors import InputError
from sim.compare import best

from conftest import SCENARIOS
from independent import tvar_of, var_of

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


def test_capital_ranking_on_both_sides_of_every_crossing(res):
    """Scores premium + c x retained TVaR 99% are lines in c that cross; the ranking is checked
    at c = 0, between every pair of crossings and at 1, against TVaRs of the kept years (one
    point alone could sit where two lines cross and rank either way)."""
    years = res.to_frame()
    names = list(PREMIUMS)
    tvar = {n: tvar_of(years[(n, "retained", "aggregate")].to_numpy(), 0.99) for n in names}
    crossings = sorted({(PREMIUMS[b] - PREMIUMS[a]) / (tvar[a] - tvar[b])
                        for a in names for b in names if tvar[a] > tvar[b]
                        and 0 < (PREMIUMS[b] - PREMIUMS[a]) / (tvar[a] - tvar[b]) < 1})
    rates = [0.0, *((x + y) / 2 for x, y in zip(crossings, crossings[1:])), 1.0]
    if crossings:
        rates += [crossings[0] / 2]
    winners = set()
    for c in rates:
        frame = sim.compare(res, PREMIUMS, rank_by="capital", coc_rate=c)
        score = {n: PREMIUMS[n] + c * tvar[n] for n in names}
        for n in names:
            assert frame.at[n, "score"] == pytest.approx(score[n], rel=1e-12), (c, n)
            assert frame.at[n, "rank"] == 1 + sum(score[m] < score[n] for m in names), (c, n)
        winners.add(best(frame))
    assert len(crossings) >= 2 and len(winners) >= 2


def test_cheapest_under_every_bearable_loss(res):
    """The cheapest policy whose retained VaR 99% (from the kept years) is at most the bearable
    loss, at thresholds between, at and beyond every policy's VaR."""
    years = res.to_frame()
    var = {n: var_of(years[(n, "retained", "aggregate")].to_numpy(), 0.99) for n in PREMIUMS}
    levels = sorted(set(var.values()))
    thresholds = [levels[0] / 2, *levels, *((a + b) / 2 for a, b in zip(levels, levels[1:])),
                  levels[-1] * 2]
    seen = set()
    for bearable in thresholds:
        frame = sim.compare(res, PREMIUMS, rank_by="cheapest_under", max_retained_var_99=bearable)
        ok = [n for n in PREMIUMS if var[n] <= bearable]
        want = min(ok, key=PREMIUMS.get) if ok else None
        assert best(frame) == want, bearable
        assert frame["rank"].notna().sum() == len(ok), bearable
        seen.add(want)
    assert len(seen) >= 3
