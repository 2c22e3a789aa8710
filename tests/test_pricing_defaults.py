"""The default pricing parameters, exercised: every function is called with its defaults and
checked against the documented values (k = 0.20, q = 99%, cost of capital 10%, Wang lambda
0.25, expenses 35% of premium, no fixed expense, loss ratio 50%, method "coc", ranking cost of
capital 10%), computed independently from the kept years (tests/independent.py), so changing a
default fails here."""
import math

import numpy as np
import pytest
from scipy import stats

import sim
from sim.pricing import (coc_premium, gross_up, implied_event_rate, implied_event_rates,
                         sd_premium, technical_premium, technical_premiums, wang_premium)
from sim.scenario import scenario_from_dict
from sim.engine.tally import TOP_K

from conftest import SCENARIOS
from independent import tvar_of, wang_of

POLICY = "XL"
N_YEARS = 8_003   # 8,003 x 1% = 80.03 years beyond the 99% level: a fractional year counts


@pytest.fixture(scope="module")
def peer():
    """Poisson(0.5) x lognormal(ln 1e7, 1.5) through 1e9 xs 1e6 without an aggregate: the
    paid tail has no atom near the 99% level (the peer scenario's 1e8 aggregate would make
    TVaR 99% and 99.5% both 1e8, blind to the level)."""
    scn = scenario_from_dict({
        "name": "peer, high limit", "frequency": {"kind": "poisson", "rate": 0.5},
        "model": {"direct": {"damages": {"dist": "lognormal", "median": 1e7, "sigma": 1.5}}},
        "policies": [{"product": "basic", "name": POLICY, "deductible": 1e6, "limit": 1e9}]})
    res = sim.simulate(scn, N_YEARS, seed=31, keep_years=True)
    paid = res.to_frame()[(POLICY, "paid", "aggregate")].to_numpy()
    assert np.count_nonzero(paid) <= TOP_K  # every paid year is kept exactly by the tally
    return res, paid


def expected_premiums(paid: np.ndarray) -> dict[str, float]:
    """Risk premiums with the documented defaults, by hand from the kept years."""
    mean, std = paid.mean(), np.std(paid, ddof=1)
    return {"sd": mean + 0.20 * std,
            "coc": mean + 0.10 * max(tvar_of(paid, 0.99) - mean, 0.0),
            "wang": wang_of(paid, 0.25)}


def test_technical_premiums_with_every_default(peer):
    res, paid = peer
    frame = technical_premiums(res)
    assert list(frame.index.get_level_values("method")) == ["sd", "coc", "wang"]
    for method, risk in expected_premiums(paid).items():
        row = frame.loc[(POLICY, method)]
        assert row["expected_loss"] == pytest.approx(paid.mean(), rel=1e-12)
        assert row["risk_premium"] == pytest.approx(risk, rel=1e-9), method
        assert row["risk_loading"] == pytest.approx(risk - paid.mean(), rel=1e-9), method
        assert row["technical_premium"] == pytest.approx(risk / 0.65, rel=1e-9), method


def test_technical_premium_default_method_is_cost_of_capital(peer):
    res, paid = peer
    coc = expected_premiums(paid)["coc"]
    one = technical_premium(res, POLICY)
    assert one["risk_premium"] == pytest.approx(coc, rel=1e-9)
    assert one["technical_premium"] == pytest.approx(coc / 0.65, rel=1e-9)


def test_the_loadings_differ_enough_to_tell_the_defaults_apart(peer):
    """Each default moves its premium by far more than the 1e-9 used above: 0.20 vs 0.21 etc."""
    _, paid = peer
    mean, std, tvar = paid.mean(), np.std(paid, ddof=1), tvar_of(paid, 0.99)
    assert 0.01 * std > 1e-6 * mean and 0.01 * (tvar - mean) > 1e-6 * mean
    assert abs(wang_of(paid, 0.26) / wang_of(paid, 0.25) - 1) > 1e-3
    assert abs(tvar_of(paid, 0.995) / tvar - 1) > 1e-3
    assert abs(tvar_of(paid, 0.985) / tvar - 1) > 1e-3


def test_principles_with_their_defaults_by_hand():
    assert sd_premium(1e6, 4e6) == pytest.approx(1.8e6)          # 1e6 + 0.20 x 4e6
    assert coc_premium(1e6, 5.1e7) == pytest.approx(6e6)          # 1e6 + 0.10 x 5e7
    assert gross_up(65_000) == pytest.approx(100_000)            # 65,000 / (1 - 0.35)
    # X = 0 (90%) or 1e8 (10%): 1e8 x Phi(Phi^-1(0.1) + 0.25)
    two_point = 1e8 * stats.norm.cdf(stats.norm.ppf(0.1) + 0.25)
    assert wang_premium(np.array([0.0, 1e8]), np.array([0.9, 0.1])) == pytest.approx(two_point)
    assert implied_event_rate(2e7, premium=1e5) == pytest.approx(0.0025)   # 0.5 x 1e5 / 2e7


def test_implied_event_rates_default_loss_ratio():
    scn = sim.load_scenario(SCENARIOS / "aig_brochure_100k.toml")
    res = sim.simulate(scn, 3_001, seed=2, keep_years=True)
    name = scn.policies[0].name
    per_event = res.to_frame()[(name, "paid", "aggregate")].to_numpy().mean()
    row = implied_event_rates(res, {name: 150_000}).loc[name]
    assert row["loss_ratio"] == 0.5
    assert row["implied_rate"] == pytest.approx(0.5 * 150_000 / per_event, rel=1e-12)
    assert row["implied_return_period_years"] == pytest.approx(per_event / 75_000, rel=1e-12)


def test_compare_ranks_with_the_default_cost_of_capital():
    """``compare(..., rank_by="capital")``: score = premium + 10% x retained TVaR 99%, with
    the TVaR from the kept years."""
    scn = sim.load_scenario(SCENARIOS / "aig_brochure_100k.toml")
    res = sim.simulate(scn, 8_003, seed=3, keep_years=True)
    years = res.to_frame()
    premiums = {p.name: 100_000 + 40_000 * i for i, p in enumerate(scn.policies)}
    frame = sim.compare(res, premiums, rank_by="capital")
    for name, premium in premiums.items():
        tvar = tvar_of(years[(name, "retained", "aggregate")].to_numpy(), 0.99)
        assert frame.at[name, "score"] == pytest.approx(premium + 0.10 * tvar, rel=1e-9)
    assert not math.isnan(frame["rank"].sum())
