"""SimulationResult views: EP curves, limits, per-year frames, CDF."""
import numpy as np
import pytest

import sim
from sim.engine.tally import TOP_K

from conftest import SCENARIOS

PEER = sim.load_scenario(SCENARIOS / "peer_compound.toml")
AIG = sim.load_scenario(SCENARIOS / "aig_brochure_100k.toml")


@pytest.fixture(scope="module")
def peer():
    return sim.simulate(PEER, n_years=60_000, seed=4, keep_years=True)


def test_ep_curves_match_the_kept_years(peer):
    years = peer.to_frame()
    periods = (7, 10, 100, 130, 1000, 2300)
    aep = peer.ep_curve("aep", measure="gross", return_periods=periods)
    oep = peer.ep_curve("oep", measure="gross", return_periods=periods)
    gross = np.sort(years[("*", "gross", "aggregate")].to_numpy())
    largest = np.sort(years[("*", "gross", "occurrence")].to_numpy())
    # 60,000 / t years beyond: whole for 10, 100, 1000 (floor = ceil there), fractional for
    # 7, 130 and 2,300, where a rank rounded the wrong way shows
    for t in periods:
        rank = int(np.ceil(60_000 * (1 - 1 / t) - 1e-9)) - 1
        # Exact from the kept top values while 60,000 / t <= TOP_K; else within the 0.1% bins.
        rel = 0 if 60_000 / t <= TOP_K else 1e-3
        assert aep.loc[t, "basic XL"] == pytest.approx(gross[rank], rel=rel)
        assert oep.loc[t, "basic XL"] == pytest.approx(largest[rank], rel=rel)
    assert (oep["basic XL"] <= aep["basic XL"]).all()  # the largest event never exceeds the year
    aep = peer.ep_curve("aep", measure="gross")
    assert aep.index.max() <= 60_000 and aep.loc[100, "probability"] == 0.01


def test_limits_report_how_often_they_bind(peer):
    limits = peer.limits()
    paid = peer.to_frame()[("basic XL", "paid", "aggregate")].to_numpy()
    row = limits.loc[("basic XL", "cover")]
    assert row["p_aggregate_exhausted"] == pytest.approx((paid >= 1e8 - 1e-6).mean())
    # The per-event limit binds on an event above deductible + limit = 1.01e8 unless an earlier
    # event of the year already used up part of the aggregate (then the aggregate is what binds).
    big_event = peer.to_frame()[("*", "gross", "occurrence")].to_numpy() >= 1.01e8
    assert 0 < row["p_event_limit"] < big_event.mean()


def test_event_limit_without_aggregate_binds_on_every_big_event():
    scn = sim.scenario.scenario_from_dict({
        "name": "no aggregate", "frequency": {"kind": "poisson", "rate": 0.5},
        "model": {"direct": {"damages": {"dist": "lognormal", "median": 1e7, "sigma": 1.5}}},
        "policies": [{"product": "basic", "name": "XL", "deductible": 1e6, "limit": 1e8}]})
    res = sim.simulate(scn, n_years=60_000, seed=4, keep_years=True)
    big_event = res.to_frame()[("*", "gross", "occurrence")].to_numpy() >= 1.01e8
    row = res.limits().loc[("XL", "cover")]
    assert row["p_event_limit"] == big_event.mean()
    assert row["p_aggregate_exhausted"] == 0.0


def test_cdf_and_quantile_agree(peer):
    q = peer.quantile("basic XL", "gross", 0.95)
    assert peer.cdf("basic XL", "gross", q) >= 0.95 - 1e-3
    assert peer.cdf("basic XL", "gross", 0) == pytest.approx(np.exp(-0.5), abs=0.01)


def test_to_frame_needs_keep_years():
    res = sim.simulate(PEER, n_years=1_000, seed=1)
    with pytest.raises(ValueError, match="keep_years=True"):
        res.to_frame()


def test_one_event_a_year_occurrence_equals_aggregate():
    res = sim.simulate(AIG, n_years=5_000, seed=1, keep_years=True)
    years = res.to_frame()
    np.testing.assert_array_equal(years[("AIG 1億", "paid", "aggregate")],
                                  years[("AIG 1億", "paid", "occurrence")])
    assert res.summary().loc[("AIG 3億 +exec", "paid:execution"), "mean"] > 0


@pytest.mark.parametrize("kwargs, match", [
    (dict(n_years=0, seed=1), "n_years: 0"),
    (dict(n_years=10, seed=-1), "seed: -1"),
    (dict(n_years=1.5, seed=1), "n_years: 1.5"),
    (dict(n_years=float("inf"), seed=1), "n_years: inf"),
    (dict(n_years=10, seed=1, threads=0), "threads: 0"),
])
def test_simulate_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sim.simulate(PEER, **kwargs)


def test_std_of_losses_in_the_billions():
    # Whole-yen values above ~3.04e9 once overflowed an int64 square (x * x) in the tally.
    scn = sim.scenario.scenario_from_dict({
        "name": "big", "frequency": {"kind": "one"},
        "model": {"direct": {"damages": {"dist": "lognormal", "median": 5e9, "sigma": 0.5}}},
        "policies": [{"product": "basic", "limit": 1e10}]})
    res = sim.simulate(scn, n_years=20_000, seed=1, keep_years=True)
    years = res.to_frame()[("*", "gross", "aggregate")].to_numpy()
    row = res.summary().loc[("basic: deductible 0, limit 10,000,000,000, aggregate inf", "gross")]
    assert row["std"] == pytest.approx(years.std(ddof=1), rel=1e-9)


def test_cdf_at_atoms(peer):
    years = peer.to_frame()
    paid = years[("basic XL", "paid", "aggregate")].to_numpy()
    retained = years[("basic XL", "retained", "aggregate")].to_numpy()
    # the aggregate limit: P(paid <= 1e8 - 1) excludes every year paid in full
    assert peer.cdf("basic XL", "paid", 1e8 - 1) == pytest.approx((paid <= 1e8 - 1).mean(), abs=2e-3)
    assert peer.cdf("basic XL", "paid", 1e8) == 1.0
    # the deductible: most years with one event in the layer retain exactly 1e6
    assert peer.cdf("basic XL", "retained", 1e6) == pytest.approx((retained <= 1e6).mean(), abs=2e-2)


@pytest.mark.parametrize("call, match", [
    (lambda r: r.quantile("basic XL", "paid", 1.5), "q: 1.5"),
    (lambda r: r.cdf("basic XL", "paid", float("nan")), "x: nan"),
    (lambda r: r.ep_curve(return_periods=[0.5]), "return_periods: 0.5"),
    (lambda r: r.ep_curve(kind="pml"), "kind: 'pml'"),
    (lambda r: r.quantile("basic XL", "paid", 0.5, kind="annual"), "kind: 'annual'"),
])
def test_result_queries_check_their_arguments(peer, call, match):
    with pytest.raises(ValueError, match=match):
        call(peer)
