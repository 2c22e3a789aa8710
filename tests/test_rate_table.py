"""The rate table (issue 16): frequency-severity against direct annual simulation, the book
(Euler) capital rule against its closed form, the brochure's quotes placed, and the command."""
from __future__ import annotations

from dataclasses import replace
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim
import sim.pricing as pricing
from sim import rate_table as rt
from sim._errors import InputError
from sim.calibration.frequency import calibrated_frequency
from sim.losses import Frequency

from conftest import ROOT, SCENARIOS

Z_995 = 2.5758293035489004          # standard normal 99.5% point (tables)


def test_book_capital_of_identical_members_adds_up_to_the_books_closed_form():
    """n identical independent members: book variance n s^2 (sum of variances), book capital
    z sqrt(n) s; each member's Euler share z s^2 / (sqrt(n) s) = z s / sqrt(n)."""
    s2, n = 3.0e12, 2_500
    share = rt.book_capital(s2, book_size=n)
    assert share == pytest.approx(Z_995 * math.sqrt(s2) / math.sqrt(n), rel=1e-12)
    assert n * share == pytest.approx(Z_995 * math.sqrt(n * s2), rel=1e-12)


def test_book_capital_shares_of_unlike_members_add_up_to_the_books_capital():
    variances = np.array([1e10, 4e12, 9e11, 2.5e13])
    shares = rt.book_capital(variances, book_variance=variances.sum())
    assert shares.sum() == pytest.approx(Z_995 * math.sqrt(variances.sum()), rel=1e-12)
    assert np.all(np.diff(shares / np.sqrt(variances)) * np.diff(np.sqrt(variances)) >= 0)  # riskier, more per sd


@pytest.mark.parametrize("n", [0, -3, True, "1000"])
def test_book_size_must_be_a_number_of_members(n):
    with pytest.raises(InputError, match="book_size"):
        rt.book_capital(1e12, book_size=n)


def test_single_event_tvar_by_hand():
    """Per event 1億 (10%) or 100万 (90%); rate 0.02: P(event) = 1 - e^-0.02 = 0.0198013. The
    worst 1% of years are 1億 years (0.00198 mass) and then 100万 years (0.00802 mass)."""
    p = -math.expm1(-0.02)
    hand = (0.1 * p * 1e8 + (0.01 - 0.1 * p) * 1e6) / 0.01
    got = rt.single_event_tvar(np.array([1e6, 1e8]), np.array([0.9, 0.1]), 0.02, 0.99)
    assert got == pytest.approx(hand, rel=1e-12)


def test_price_cells_by_hand():
    """Compound Poisson mean rate E[X] and variance rate E[X^2] (Klugman, Panjer, Willmot: Loss
    Models, compound distributions); the negative binomial adds rate^2 E[X]^2 / n."""
    st = rt.EventStats(np.array([2e6]), np.array([5e13]), np.array([1e4]), ())
    out = rt.price_cells(0.01, st)
    var = 0.01 * 5e13
    load = 0.06 * Z_995 * var / math.sqrt(1_000 * var)
    assert out["expected_loss"][0] == pytest.approx(2e4, rel=1e-12)
    assert out["technical_premium"][0] == pytest.approx((2e4 + load) / (1 - 0.326), rel=1e-12)
    nb = rt.price_cells(0.01, st, dispersion=0.14)
    assert nb["sd"][0] ** 2 == pytest.approx(var + 0.01 ** 2 / 0.14 * 4e12, rel=1e-12)


def test_loadings_are_sourced_or_labelled():
    for name, (value, basis) in rt.LOADINGS.items():
        assert value > 0 and ("http" in basis or "Regulation" in basis or "Directive" in basis
                              or basis.startswith("modelling choice")), name


@pytest.fixture(scope="module")
def big_cell():
    """The cell with the largest rate (manufacturing, 1,000億: about 0.066 a year)."""
    return rt.rate_table(["manufacturing"], [1e11], n_events=100_000, seed=3)


def test_expected_loss_matches_a_direct_annual_simulation(big_cell):
    """Direct: 200,000 policy years with Poisson(rate) events on the cell's loss model (another
    seed). With aggregate limits the annual mean lies between (1 - e^-rate) E[X] and rate E[X];
    allow 4 standard errors of both estimates."""
    rate = big_cell["rate"].iloc[0]
    assert rate > 0.05
    scn = rt.cell_scenario("manufacturing", 1e11)
    res = sim.simulate(replace(scn, frequency=Frequency.poisson(rate)), n_years=200_000, seed=11)
    summary = res.summary().xs("paid", level="measure")
    for row in big_cell.itertuples():
        name = f"JCCI {row.plan} {row.set}"
        direct, se_direct = summary.loc[name, "mean"], summary.loc[name, "sem"]
        se = math.hypot(se_direct, row.mc_rel_se * row.expected_loss)
        lower = -math.expm1(-rate) / rate * row.expected_loss
        assert lower - 4 * se <= direct <= row.expected_loss + 4 * se, name


def test_rate_table_has_every_cell_finite_and_the_rate_interval_around_it():
    table = rt.rate_table(["accommodation_food", "information_communications"],
                          [5e7, 3e8], n_events=20_000)
    assert len(table) == 2 * 2 * 4 * 2
    numbers = table.drop(columns=["industry", "set", "plan", "it_option", "quoted_premium",
                                  "quoted_over_technical"])
    assert np.isfinite(numbers.to_numpy(float)).all()
    assert (table["technical_low"] < table["technical_premium"]).all()
    assert (table["technical_premium"] < table["technical_high"]).all()
    for industry, revenue in (("accommodation_food", 5e7), ("information_communications", 3e8)):
        rows = table[(table["industry"] == industry) & (table["revenue"] == revenue)]
        f = calibrated_frequency(industry, revenue=revenue)
        assert np.allclose(rows["rate"], f.total, rtol=1e-12)
        assert np.allclose(rows[["rate_low", "rate_high"]].to_numpy(), f.rate_interval(0.9), rtol=1e-12)
    assert table.loc[table["industry"] == "information_communications", "it_option"].all()
    assert not table.loc[table["industry"] == "accommodation_food", "it_option"].any()
    e = table["technical_premium"] * 0.326
    assert np.allclose(table["expense_load"], e, rtol=1e-12)
    assert np.allclose(table["expected_loss"] + table["risk_load"] + table["expense_load"],
                       table["technical_premium"], rtol=1e-12)


def test_brochure_rows_place_the_eight_quotes_beside_their_technical_premiums():
    rows = rt.brochure_rows(n_events=20_000)
    assert len(rows) == 8
    for (example, plan), row in rows.iterrows():
        ex = pricing.JCCI_PREMIUM_EXAMPLES[example]
        assert row["quoted_premium"] == ex[plan] and row["revenue"] == ex["revenue"]
        assert row["set"] == ex["coverage_set"] and row["it_option"] == ex["it_option"]
        assert row["quoted_over_technical"] == pytest.approx(
            ex[plan] / (0.8 * row["technical_premium"]), rel=1e-12)


def test_the_technical_premiums_read_no_quoted_premium(monkeypatch):
    """Not circular: double every brochure premium and the technical columns do not move."""
    before = rt.brochure_rows(n_events=20_000)
    doubled = {k: {**v, "premium": 2 * v["premium"], "standard": 2 * v["standard"]}
               for k, v in pricing.JCCI_PREMIUM_EXAMPLES.items()}
    monkeypatch.setattr(rt, "JCCI_PREMIUM_EXAMPLES", doubled)
    rt.event_stats.cache_clear()
    after = rt.brochure_rows(n_events=20_000)
    for column in ("rate", "expected_loss", "technical_premium", "standalone_premium"):
        assert np.array_equal(before[column].to_numpy(), after[column].to_numpy()), column
    assert np.allclose(after["quoted_premium"], 2 * before["quoted_premium"])


@pytest.mark.parametrize("kwargs, field", [
    (dict(industries=["bakery"]), "industries[0]"),
    (dict(industries="manufacturing"), "industries"),
    (dict(revenue_bands=[0.0]), "revenue_bands[0]"),
    (dict(revenue_bands=[float("nan")]), "revenue_bands[0]"),
    (dict(coverage_sets=["E"]), "coverage_sets[0]"),
    (dict(plans=["gold"]), "plans[0]"),
    (dict(kind="one"), "kind"),
    (dict(n_events=1), "n_events"),
])
def test_bad_rate_table_arguments_name_the_field(kwargs, field):
    with pytest.raises(InputError) as err:
        rt.rate_table(**kwargs)
    assert err.value.field == field


def test_rate_comparison_puts_the_implied_rates_beside_the_independent_one():
    scn = sim.load_scenario(SCENARIOS / "jcci_manufacturing_10oku_C.toml")
    table = pricing.rate_comparison(scn, n_events=20_000, seed=2)
    per_event = sim.simulate(replace(scn, frequency=Frequency.one()), n_years=20_000, seed=2)
    for policy, premium in scn.premiums.items():
        paid = per_event.mean(policy, "paid")
        for lr in (0.3, 0.5, 0.7):
            assert table.loc[policy, f"implied_{lr:g}"] == pytest.approx(lr * premium / paid, rel=1e-12)
        assert table.loc[policy, "rate"] == scn.firm_frequency.total
    with pytest.raises(InputError, match="frequency"):
        pricing.rate_comparison(sim.load_scenario(SCENARIOS / "jcci_brochure_100k.toml"))


def test_rate_uncertainty_prices_at_the_rate_interval_and_keeps_the_mc_error_apart():
    scn = sim.load_scenario(SCENARIOS / "jcci_manufacturing_10oku_C.toml")
    out = pricing.rate_uncertainty(scn, n_years=50_000, n_events=20_000, seed=4, period=2000)
    per_event = sim.simulate(replace(scn, frequency=Frequency.one()), n_years=20_000, seed=4)
    low, high = scn.firm_frequency.rate_interval(0.9)
    for policy in scn.premiums:
        m, sd = per_event.mean(policy, "paid"), per_event.statistic(policy, "paid", "std")
        for rate, column in ((low, "rate_low"), (high, "rate_high")):
            var = rate * (sd ** 2 + m ** 2)
            hand = (rate * m + 0.06 * Z_995 * math.sqrt(var / 1_000)) / (1 - 0.326)
            assert out.loc[(policy, "technical_premium"), column] == pytest.approx(hand, rel=1e-9)
        for statistic in ("technical_premium", "paid_1_in_2000"):
            row = out.loc[(policy, statistic)]
            assert row["mc_low"] <= row["estimate"] <= row["mc_high"]
        row = out.loc[(policy, "technical_premium")]     # a quantile of ~50 events need not be monotone
        assert row["rate_low"] < row["estimate"] < row["rate_high"]
        assert out.loc[(policy, "paid_1_in_2000"), "estimate"] > 0    # 1 in 2,000 < rate 0.0011
    assert (out["rate_spread"] >= 0).all() and (out["mc_spread"] >= 0).all()


def test_cli_writes_the_table_and_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "rates.csv"
    args = [sys.executable, "-m", "sim", "rate-table", "--out", str(out), "--industries",
            "manufacturing", "--revenues", "1e9", "--events", "5000"]
    first = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    table = pd.read_csv(out, comment="#")
    assert len(table) == 8 and set(table["industry"]) == {"manufacturing"}
    again = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert again.returncode == 2 and "--force" in again.stderr
    forced = subprocess.run(args + ["--force", "--seed", "2"], capture_output=True, text=True, cwd=ROOT)
    assert forced.returncode == 0 and "# seed: 2" in out.read_text()


@pytest.mark.parametrize("extra, words", [
    (["--industries", "bakery"], "industries[0]"),
    (["--revenues", "ten"], "--revenues"),
    (["--revenues", "-5"], "revenue_bands[0]"),
])
def test_cli_bad_industry_or_revenue_is_an_error_and_writes_nothing(tmp_path, extra, words):
    out = tmp_path / "rates.parquet"
    run = subprocess.run([sys.executable, "-m", "sim", "rate-table", "--out", str(out), *extra],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and words in run.stderr and not out.exists()


def test_jcci_discounts_group_and_security():
    """Group 20% and security 50% multiply: 0.8 x 0.5 of the technical premium without security
    (jcci_discounted); the security also halves the rate (the frequency module's reading), so
    the expected loss halves on the same events."""
    plain = rt.rate_table(["manufacturing"], [1e9], n_events=20_000)
    secure = rt.rate_table(["manufacturing"], [1e9], n_events=20_000, security=0.5)
    assert np.allclose(plain["technical_group"], 0.8 * plain["technical_premium"], rtol=1e-12)
    assert np.allclose(secure["jcci_discounted"], 0.8 * 0.5 * plain["technical_premium"], rtol=1e-12)
    assert np.allclose(secure["expected_loss"], 0.5 * plain["expected_loss"], rtol=1e-12)
    assert plain["quoted_premium"].notna().sum() == 2 and secure["quoted_premium"].isna().all()
    with pytest.raises(InputError, match="security"):
        rt.rate_table(["manufacturing"], [1e9], security=0.7)


def test_minor_incidents_are_run_apart_and_leave_the_standard_plan_as_it_was():
    """Standard pays nothing for a minor cyber incident (Premium's サイバー攻撃調査費用 only), so adding
    the tier must leave its expected loss exactly as without it: the rare events keep their own
    run instead of a few dozen draws among thousands of minor ones. Premium's increase is the
    minor rate x E[min(X, 3,000万)] of the IPA lognormal (mean 73万, 9.4% >= 100万; set D's
    cost limit), computed here in closed form, within 4 standard errors of 20,000 draws."""
    cell = dict(industries=["wholesale_retail"], revenue_bands=[20e8], coverage_sets=["D"], n_events=20_000)
    with_tier = rt.rate_table(**cell, minor=True).set_index("plan")
    without = rt.rate_table(**cell).set_index("plan")   # the default: no minor tier
    assert with_tier.loc["standard", "expected_loss"] == pytest.approx(without.loc["standard", "expected_loss"],
                                                                       rel=1e-9)
    z = stats.norm.isf(0.094)
    sigma = z + math.sqrt(z * z - 2 * math.log(1e6 / 730_000))
    mu, limit = math.log(1e6) - z * sigma, 3e7
    a = (math.log(limit) - mu) / sigma
    capped_mean = (math.exp(mu + sigma ** 2 / 2) * stats.norm.cdf(a - sigma) + limit * stats.norm.sf(a))
    capped_sq = (math.exp(2 * mu + 2 * sigma ** 2) * stats.norm.cdf(a - 2 * sigma) + limit ** 2 * stats.norm.sf(a))
    minor_rate = calibrated_frequency("wholesale_retail", revenue=20e8, minor=True).rates["cyber_minor"]
    added = with_tier.loc["premium", "expected_loss"] - without.loc["premium", "expected_loss"]
    se = minor_rate * math.sqrt(capped_sq - capped_mean ** 2) / math.sqrt(20_000)
    # the other kinds' run is the same in both tables (same seed and model): only the minor run differs
    assert abs(added - minor_rate * capped_mean) < 4 * se
