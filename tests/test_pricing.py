"""Pricing: loadings, the Wang transform from the tallies, JCCI discounts, AIG option grids and
implied event rates. Hand computations are written next to each expected value."""
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim
from sim import pricing
from sim._errors import InputError
from sim.engine.block_kernel import N_BINS, QUEUE, add_all_pending, hist_bins, queue_year
from sim.pricing import (aig_option_grid, apply_jcci_discounts, coc_premium, gross_up,
                         implied_event_rate, implied_event_rates, jcci_brochure_premiums,
                         jcci_discount, loss_support, sd_premium, technical_premium,
                         technical_premiums, wang_premium)
from sim.engine.tally import TOP_K, new_tally

from conftest import MAN, OKU, SCENARIOS

POLICY = "basic XL"


@pytest.fixture(scope="module")
def peer():
    """Poisson(0.5) x lognormal, XL 1e8 xs 1e6, aggregate 1e8; every year kept for checks."""
    scn = sim.load_scenario(SCENARIOS / "peer_compound.toml")
    return sim.simulate(scn, n_years=200_000, seed=7, keep_years=True)


@pytest.fixture(scope="module")
def aig_grid():
    """AIG 1億 with deductible 0/100万 and coinsurance 0/10%, one brochure event a year."""
    scn = sim.load_scenario(SCENARIOS / "aig_brochure_100k.toml")
    grid = scn.with_policies(aig_option_grid([OKU], [0, 100 * MAN], [0.0, 0.10]))
    return sim.simulate(grid, n_years=20_000, seed=11)


def tally_of(values: np.ndarray):
    """The simulation's own tally (``queue_year``, ``add_all_pending``) of one measure over
    ``values``."""
    t = new_tally(1)
    slot, one, moments = np.zeros(1, np.int64), np.zeros(1), np.zeros((2, 1))
    pending, n_pending, no_years = np.zeros((1, QUEUE)), np.zeros(1, np.int64), np.zeros((0, 1))
    for y, x in enumerate(values):
        one[0] = x
        if queue_year(slot, one, 1, y, no_years, pending, n_pending):
            add_all_pending(pending, n_pending, t.hist, t.carry, t.unchecked, t.nonzero, t.top,
                            t.top_size, moments)
    add_all_pending(pending, n_pending, t.hist, t.carry, t.unchecked, t.nonzero, t.top,
                    t.top_size, moments)
    return t


def wang_of_tally(values: np.ndarray, lam: float) -> float:
    v, counts = pricing._support_from_tally(tally_of(values), 0, len(values))
    return wang_premium(v, counts / len(values), lam)


# --- formulas by hand ----------------------------------------------------------------------

def test_formulas_by_hand():
    assert sd_premium(1e6, 4e6, k=0.2) == 1.8e6          # 1e6 + 0.2 x 4e6
    assert coc_premium(1e6, 5.1e7, 0.10) == 6e6           # 1e6 + 0.1 x (5.1e7 - 1e6)
    assert coc_premium(1e6, 5e5, 0.10) == 1e6             # capital floored at 0
    assert gross_up(65_000, 0.35) == pytest.approx(100_000)             # 65,000 / 0.65
    assert gross_up(65_000, 0.35, 5_000) == pytest.approx(107_692.3077)  # 70,000 / 0.65
    assert gross_up(65_000, 0.0) == 65_000


def test_wang_two_point_closed_form():
    # X = 0 (90%) or 1e8 (10%): E* = 1e8 x g(0.1) = 1e8 x Phi(Phi^-1(0.1) + lam)
    for lam in (0.0, 0.25, 1.0):
        expected = 1e8 * stats.norm.cdf(stats.norm.ppf(0.1) + lam)
        assert wang_premium(np.array([0.0, 1e8]), np.array([0.9, 0.1]), lam) == pytest.approx(expected)
    # three points 1e6 (50%), 3e6 (30%), 1e7 (20%): S = 1 on [0, 1e6), 0.5 on [1e6, 3e6), 0.2 after
    # E* = 1e6 x g(1) + 2e6 x g(0.5) + 7e6 x g(0.2); lam = 0: 1e6 + 1e6 + 1.4e6 = 3.4e6 = E[X]
    v, p = np.array([1e6, 3e6, 1e7]), np.array([0.5, 0.3, 0.2])
    assert wang_premium(v, p, 0.0) == pytest.approx(3.4e6)
    g = stats.norm.cdf(stats.norm.ppf([0.5, 0.2]) + 0.5)
    assert wang_premium(v, p, 0.5) == pytest.approx(1e6 + 2e6 * g[0] + 7e6 * g[1])


@pytest.mark.parametrize("n, n_loss", [(1_000, 100), (100_000, 10_000)])
def test_wang_two_point_from_tally(n, n_loss):
    # 10% of years lose 1e8; with 10,000 such years the top keeps 4,096 and the histogram the rest
    values = np.zeros(n)
    values[:n_loss] = 1e8
    expected = 1e8 * stats.norm.cdf(stats.norm.ppf(0.1) + 0.25)
    assert wang_of_tally(values, 0.25) == pytest.approx(expected, rel=1e-12)


def test_wang_lognormal_closed_form_from_tally():
    # Wang (2000): lognormal(mu, sigma) transforms to lognormal(mu + lam sigma, sigma), so
    # E* = exp(mu + lam sigma + sigma^2 / 2). Deterministic quantile grid of 100,000 years
    # (well beyond TOP_K: the histogram part is used).
    mu, sigma, lam, n = math.log(1e7), 0.5, 0.25, 100_000
    grid = np.exp(mu + sigma * stats.norm.ppf((np.arange(n) + 0.5) / n))
    assert n > TOP_K
    exact_grid = wang_premium(np.round(grid), np.full(n, 1 / n), lam)
    from_tally = wang_of_tally(grid, lam)
    assert from_tally == pytest.approx(exact_grid, rel=1e-4)   # bound: one bin width, 0.07%
    assert from_tally == pytest.approx(math.exp(mu + lam * sigma + sigma**2 / 2), rel=1e-4)
    assert wang_of_tally(grid, 0.0) == pytest.approx(np.round(grid).mean(), rel=1e-9)


# --- the support and premiums of a simulated result ----------------------------------------

def test_support_matches_tally(peer):
    v, p = loss_support(peer, POLICY)
    assert np.all(np.diff(v) >= 0) and p.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(p > 0)
    mean = peer.summary().loc[(POLICY, "paid"), "mean"]
    assert (v * p).sum() == pytest.approx(mean, rel=1e-9)
    xs = np.array([0.5, 1.0, 1.5, 2.0, 1e6 + 123, 9.99e7, 1e8, 2.0 ** 50])
    octave = np.floor(np.log2(xs[1:-1]))  # 1,024 bins per power of two from 1 yen, by hand
    by_hand = 1 + 1024 * octave + np.floor((xs[1:-1] / 2 ** octave - 1) * 1024)
    assert list(hist_bins(xs)) == [0, *by_hand.astype(int), N_BINS - 1]


def test_sd_and_coc_match_summary(peer):
    row = peer.summary().loc[(POLICY, "paid")]
    sd = technical_premium(peer, POLICY, "sd", expense_ratio=0.35, k=0.2)
    assert sd["risk_premium"] == pytest.approx(row["mean"] + 0.2 * row["std"], rel=1e-12)
    assert sd["technical_premium"] == pytest.approx(sd["risk_premium"] / 0.65, rel=1e-12)
    coc = technical_premium(peer, POLICY, "coc")       # defaults q = 0.99, coc_rate = 0.10
    assert coc["risk_loading"] == pytest.approx(0.10 * (row["tvar_99"] - row["mean"]), rel=1e-9)
    assert coc["expected_loss"] == row["mean"]
    fixed = technical_premium(peer, POLICY, "coc", expense_ratio=0.2, fixed_expense=10_000)
    assert fixed["technical_premium"] == pytest.approx((coc["risk_premium"] + 10_000) / 0.8)


def test_wang_from_tally_matches_every_year(peer):
    years = np.sort(peer.to_frame()[(POLICY, "paid", "aggregate")].to_numpy())
    p = np.full(len(years), 1 / len(years))
    for lam in (0.0, 0.25, 1.0):
        wang = technical_premium(peer, POLICY, "wang", lam=lam)["risk_premium"]
        assert wang == pytest.approx(wang_premium(years, p, lam), rel=1e-4)  # bound: 0.07%
    mean = technical_premium(peer, POLICY, "wang", lam=0.0)
    assert mean["risk_premium"] == pytest.approx(mean["expected_loss"], rel=1e-3)


def test_monotone_in_lam_and_above_expected_loss(peer):
    wang = [technical_premium(peer, POLICY, "wang", lam=lam)["risk_premium"]
            for lam in (0.0, 0.1, 0.25, 0.5, 1.0)]
    assert np.all(np.diff(wang) > 0)
    frame = technical_premiums(peer)
    assert (frame["risk_premium"] >= frame["expected_loss"]).all()
    assert (frame["technical_premium"] >= frame["risk_premium"]).all()
    assert frame.index.names == ["policy", "method"]
    assert list(frame.columns) == ["expected_loss", "risk_loading", "risk_premium", "technical_premium"]
    wide = frame["technical_premium"].unstack("method")
    assert wide.loc[POLICY, "coc"] == technical_premium(peer, POLICY, "coc")["technical_premium"]
    lam1 = technical_premiums(peer, methods=["wang", "sd"], lam=1.0, k=0.5)
    assert lam1.loc[(POLICY, "wang"), "risk_premium"] == wang[-1]


def test_premium_errors_name_the_field(peer):
    with pytest.raises(InputError, match="method"):
        technical_premium(peer, POLICY, "var")
    with pytest.raises(InputError, match="params.*'lam'"):
        technical_premium(peer, POLICY, "sd", lam=0.3)
    with pytest.raises(InputError, match="params"):
        technical_premiums(peer, kk=1)
    with pytest.raises(InputError, match="expense_ratio"):
        technical_premium(peer, POLICY, "sd", expense_ratio=1.0)
    with pytest.raises(InputError, match="lam"):
        wang_premium(np.array([1.0]), np.array([1.0]), lam=math.nan)
    with pytest.raises(InputError, match="values"):
        wang_premium(np.array([2.0, 1.0]), np.array([0.5, 0.5]))


# --- JCCI discounts ------------------------------------------------------------------------

def test_jcci_discounts():
    assert jcci_discount(0.20, 0.60) == pytest.approx(0.68)   # 1 - 0.8 x 0.4
    assert jcci_discount() == pytest.approx(0.20)             # group only
    assert jcci_discount(0, 0.5) == pytest.approx(0.5)
    assert jcci_discount(0, 0) == 0
    assert apply_jcci_discounts(100_000) == pytest.approx(80_000)                  # x 0.8
    assert apply_jcci_discounts(100_000, security=0.60) == pytest.approx(32_000)   # x 0.32
    s = apply_jcci_discounts(pd.Series({"a": 1e5, "b": 2e5}), group=0.0, security=0.1)
    assert s.to_dict() == pytest.approx({"a": 9e4, "b": 1.8e5})


@pytest.mark.parametrize("kwargs, field", [
    (dict(security=0.61), "security"), (dict(security=-0.1), "security"),
    (dict(security=True), "security"), (dict(security="0.3"), "security"),
    (dict(group=0.10), "group"), (dict(group=0.30), "group"), (dict(group=False), "group")])
def test_jcci_discount_out_of_range(kwargs, field):
    with pytest.raises(InputError) as err:
        jcci_discount(**kwargs)
    assert err.value.field == field
    assert "0.6" in str(err.value) if field == "security" else "0.2" in str(err.value)
    with pytest.raises(InputError, match="premium_before_discount"):
        apply_jcci_discounts(-1.0)


def test_jcci_brochure_premiums():
    table = jcci_brochure_premiums()
    assert len(table) == 8
    wholesale = table.loc[("wholesale", "premium")]
    assert wholesale["quoted_premium"] == 19 * MAN and wholesale["coverage_set"] == "D"
    assert wholesale["premium_before_discount"] == pytest.approx(237_500)   # 190,000 / 0.8
    assert table.loc[("internet_services", "standard"), "quoted_premium"] == 81 * MAN
    assert table.loc[("restaurants", "standard"), "revenue"] == 5_000 * MAN
    assert table["it_option"].sum() == 2
    # brochure figure = technical x (1 - 0.20)
    assert apply_jcci_discounts(table["premium_before_discount"]).to_numpy() == pytest.approx(
        table["quoted_premium"].to_numpy())


# --- AIG options ---------------------------------------------------------------------------

def test_aig_option_grid_names_and_terms():
    grid = aig_option_grid([5_000 * MAN, OKU], [0, 100 * MAN], [0.0, 0.1], execution=False)
    assert len(grid) == 8
    assert grid[0].name == "AIG 5,000万 ded 0 coins 0%"
    assert grid[-1].name == "AIG 1億 ded 100万 coins 10%"
    assert grid[-1].options["deductible"] == 100 * MAN and grid[-1].options["coinsurance"] == 0.1
    assert all(not p.options["execution"] for p in grid)
    with pytest.raises(InputError, match="deductible"):
        aig_option_grid([OKU], deductible=1e6)
    scn = sim.load_scenario(SCENARIOS / "aig_brochure_100k.toml")
    with pytest.raises(InputError, match="policy names must be unique"):
        scn.with_policies(grid + grid[:1])


def test_aig_options_priced_on_common_numbers(aig_grid):
    mean = technical_premiums(aig_grid, methods=["sd"])["expected_loss"].droplevel("method")
    # on the same simulated events a deductible or coinsurance can only pay less
    assert mean["AIG 1億 ded 100万 coins 0%"] < mean["AIG 1億 ded 0 coins 0%"]
    assert mean["AIG 1億 ded 0 coins 10%"] < mean["AIG 1億 ded 0 coins 0%"]
    assert mean["AIG 1億 ded 100万 coins 10%"] == mean.min()


def test_aig_options_trend_at_every_grid_point():
    """Along each of limit, deductible and coinsurance, at every point of a 3 x 3 x 3 grid:
    the expected paid moves strictly one way, and no kept year moves the other way (a check
    at a single point could sit where two options pay the same)."""
    limits, deductibles = [5_000 * MAN, OKU, 3 * OKU], [0, 100 * MAN, 500 * MAN]
    coinsurances = [0.0, 0.1, 0.3]
    scn = sim.load_scenario(SCENARIOS / "aig_brochure_100k.toml")
    grid = scn.with_policies(aig_option_grid(limits, deductibles, coinsurances))
    res = sim.simulate(grid, n_years=4_000, seed=12, keep_years=True)
    years = res.to_frame()
    paid = {(p.options["limit"], p.options["deductible"], p.options["coinsurance"]):
            years[(p.name, "paid", "aggregate")].to_numpy() for p in grid.policies}
    assert sorted(paid) == sorted(itertools.product(limits, deductibles, coinsurances))
    steps = 0
    for (lim, d, c), x in paid.items():
        for more in ((_next(limits, lim), d, c), (lim, _next(deductibles, d), c),
                     (lim, d, _next(coinsurances, c))):
            if None in more:
                continue
            y = paid[more]
            up = more[0] > lim      # a higher limit pays more; a deductible or coinsurance less
            assert np.all(y >= x) if up else np.all(y <= x), ((lim, d, c), more)
            assert (y.mean() > x.mean()) if up else (y.mean() < x.mean()), ((lim, d, c), more)
            steps += 1
    assert steps == 3 * 2 * 9


def _next(values: list, v):
    i = values.index(v)
    return values[i + 1] if i + 1 < len(values) else None


# --- implied event rates -------------------------------------------------------------------

def test_implied_event_rate_by_hand():
    assert implied_event_rate(2e7, 1e5, 0.5) == pytest.approx(0.0025)   # 0.5 x 1e5 / 2e7
    assert implied_event_rate(1e6, 3e4) == pytest.approx(0.015)         # default LR 0.5
    with pytest.raises(InputError, match="loss_ratio"):
        implied_event_rate(1e6, 3e4, loss_ratio=1.5)
    with pytest.raises(InputError, match="expected_paid_per_event"):
        implied_event_rate(0.0, 3e4)


def test_implied_event_rates_table(aig_grid, peer):
    name = "AIG 1億 ded 0 coins 10%"
    table = implied_event_rates(aig_grid, {name: 30 * MAN}, loss_ratio=0.6)
    per_event = aig_grid.summary().loc[(name, "paid"), "mean"]
    row = table.loc[name]
    assert row["expected_paid_per_event"] == per_event
    assert row["implied_rate"] == pytest.approx(0.6 * 300_000 / per_event)
    assert row["implied_return_period_years"] == pytest.approx(per_event / 180_000)
    assert list(table.columns) == ["premium", "expected_paid_per_event", "loss_ratio",
                                   "implied_rate", "implied_return_period_years"]
    with pytest.raises(InputError, match="frequency"):
        implied_event_rates(peer, {POLICY: 1e5})
    with pytest.raises(InputError, match="premiums"):
        implied_event_rates(aig_grid, {name: -1.0})


def test_implied_rates_read_a_per_event_run():
    """sim.simulate_events gives the same per-event draws as a kind = 'one' frequency, so the
    implied rates of both runs are identical."""
    import dataclasses

    from sim.losses import Frequency

    scn = sim.load_scenario(SCENARIOS / "jcci_wholesale_20oku_D.toml")
    per_event = sim.simulate_events(scn, 5_000, 3)
    one = sim.simulate(dataclasses.replace(scn, frequency=Frequency.one(), firm_frequency=None), 5_000, 3)
    pd.testing.assert_frame_equal(implied_event_rates(per_event, scn.premiums),
                                  implied_event_rates(one, scn.premiums))
