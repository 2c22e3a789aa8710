"""Minor cyber incidents of SMEs (IPA 2024 survey): the fitted counts and costs reproduce the
survey figures they were fitted to (checked with scipy, not the module's solvers), the held-out
figures are never read by the fit and fall where stated, and the tier reaches the frequency and
the loss model as its own incident kind. Survey figures are copied from the sources cited in
sim/data/minor_incidents.csv."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

import sim.data
from sim._errors import InputError
from sim.calibration import frequency, minor
from sim.calibration.frequency import calibrated_frequency
from sim.calibration.model import calibrated_model
from sim.components import COMPONENTS

RESPONDENTS, DAMAGED = 4191, 975           # IPA 2024: SMEs damaged in FY2023
MANY_SHARE = 0.017                         # 10 or more incidents in 3 fiscal years
MEAN_DAMAGE, SHARE_GE_1M = 730_000, 0.094  # 平均73万円, 100万円以上 9.4%
MAX_DAMAGE = 1e8                           # 最大1億円 (held out)
# frequency_counts.csv: SME Agency 2021 enterprise counts, 2025 SME white paper sales; NPA 2024.
LARGE, SME = 10_364, 3_365_000
REVENUE_LARGE, REVENUE_SME = 600.4e12 / LARGE, (540.4e12 + 162.6e12) / SME
BETA = math.log((61 / LARGE) / (140 / SME)) / math.log(REVENUE_LARGE / REVENUE_SME)


def hand_counts() -> tuple[float, float]:
    """(mean a year, size) of the negative binomial, solved here by nesting two brentq roots:
    for a size n the mean follows from P(0), then n is found from the 3-year tail."""
    def mean_for(n):
        return n * ((1 - DAMAGED / RESPONDENTS) ** (-1 / n) - 1)

    def tail_gap(n):
        m = mean_for(n)
        return stats.nbinom.sf(9, n, n / (n + 3 * m)) - MANY_SHARE

    n = optimize.brentq(tail_gap, 0.05, 50.0, xtol=1e-13)
    return mean_for(n), n


def test_counts_reproduce_the_share_with_an_incident_and_with_ten_or_more():
    fit = minor.minor_fit()
    n, m = fit["dispersion"], fit["rate"]
    assert stats.nbinom.sf(0, n, n / (n + m)) == pytest.approx(DAMAGED / RESPONDENTS, rel=1e-9)
    assert stats.nbinom.sf(9, n, n / (n + 3 * m)) == pytest.approx(MANY_SHARE, rel=1e-7)
    mean, size = hand_counts()
    assert m == pytest.approx(mean, rel=1e-6) and n == pytest.approx(size, rel=1e-6)
    assert m > -math.log(1 - DAMAGED / RESPONDENTS)   # clustered: above the Poisson mean 0.265


def test_cost_reproduces_the_mean_damage_and_the_share_above_one_million():
    fit = minor.minor_fit()
    cost = stats.lognorm(fit["sigma"], scale=fit["median"])
    assert cost.mean() == pytest.approx(MEAN_DAMAGE, rel=1e-9)
    assert cost.sf(1e6) == pytest.approx(SHARE_GE_1M, rel=1e-9)
    assert fit["median"] < 1e5 < 1e6 < MAX_DAMAGE     # most minor incidents cost little


def test_held_out_largest_damage_falls_inside_the_central_90_percent_of_the_largest_of_975():
    """IPA's largest damage (1億) was not fitted: under the fitted cost, the largest of 975
    firms' damages is below 1億 with a probability between 5% and 95%."""
    fit = minor.minor_fit()
    quantile = stats.lognorm.cdf(MAX_DAMAGE, fit["sigma"], scale=fit["median"]) ** DAMAGED
    assert 0.05 < quantile < 0.95
    assert minor.held_out_checks().loc["max_damage", "quantile"] == pytest.approx(quantile, rel=1e-9)


def test_held_out_rows_never_feed_the_fit(monkeypatch):
    """Changing every held-out and context row leaves the fit as it is; changing a fitted row
    does not (so the check can see a change)."""
    original = sim.data.read_table
    base = dict(minor.minor_fit())

    def scaled(roles):
        def read(name):
            table = original(name)
            if name == minor.TABLE:
                table.loc[table["role"].isin(roles), "value"] *= 1.5
            return table
        return read

    try:
        monkeypatch.setattr(sim.data, "read_table", scaled(("held_out", "context")))
        minor.minor_fit.cache_clear()
        assert minor.minor_fit() == base
        monkeypatch.setattr(sim.data, "read_table", scaled(("fitted",)))
        minor.minor_fit.cache_clear()
        assert minor.minor_fit()["rate"] != pytest.approx(base["rate"], rel=1e-3)
    finally:
        minor.minor_fit.cache_clear()


@pytest.mark.parametrize("revenue", [5e7, 3e8, 2e9])
def test_minor_rate_in_the_frequency_by_hand(revenue):
    """information_communications has no industry factor (1): the rate is the survey mean at the
    SMEs' average revenue, scaled with the ransomware exponent; minor=False takes it out."""
    mean, _ = hand_counts()
    with_tier = calibrated_frequency("information_communications", revenue=revenue, minor=True)
    without = calibrated_frequency("information_communications", revenue=revenue, minor=False)
    assert with_tier.rates["cyber_minor"] == pytest.approx(mean * (revenue / REVENUE_SME) ** BETA, rel=1e-6)
    assert without.rates["cyber_minor"] == 0.0
    assert with_tier.total - without.total == pytest.approx(with_tier.rates["cyber_minor"], rel=1e-12)
    halved = calibrated_frequency("information_communications", revenue=revenue, security=0.5,
                                  minor=True)
    assert halved.rates["cyber_minor"] == pytest.approx(0.5 * with_tier.rates["cyber_minor"], rel=1e-12)


def test_minor_flag_must_be_a_bool():
    with pytest.raises(InputError, match="minor"):
        calibrated_frequency("other", revenue=1e9, minor="yes")


def test_minor_incidents_cost_forensics_at_the_survey_scale_and_ransomware_keeps_its_fit():
    """A cyber_minor event costs only forensics, from the survey lognormal (median and share
    above 100万 within 4 standard errors of 200,000 draws); a cyber_no_leak event keeps the
    ransomware forensics (its median is the stored NPA fit, far above the survey median)."""
    n = 200_000
    events = calibrated_model(["basic_contact"], incident_mix={"cyber_minor": 1.0}).sample(n, 7)
    forensics = events.losses[:, COMPONENTS.index("forensics")]
    others = np.delete(events.losses, COMPONENTS.index("forensics"), axis=1)
    assert (others == 0).all() and (forensics > 0).all()
    fit = minor.minor_fit()
    z = stats.norm.isf(SHARE_GE_1M)
    sigma = z + math.sqrt(z * z - 2 * math.log(1e6 / MEAN_DAMAGE))
    median = 1e6 * math.exp(-z * sigma)
    se_log_median = math.sqrt(math.pi / 2) * sigma / math.sqrt(n)
    assert abs(math.log(np.median(forensics) / median)) < 4 * se_log_median
    share = (forensics >= 1e6).mean()
    assert abs(share - SHARE_GE_1M) < 4 * math.sqrt(SHARE_GE_1M * (1 - SHARE_GE_1M) / n)
    assert fit["median"] == pytest.approx(median, rel=1e-9)
    attacks = calibrated_model(["basic_contact"], incident_mix={"cyber_no_leak": 1.0}).sample(20_000, 7)
    ransomware_forensics = np.median(attacks.losses[:, COMPONENTS.index("forensics")])
    assert ransomware_forensics > 20 * median
