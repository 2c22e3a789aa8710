"""Samplers against closed forms: one table of parameter sets drives a conformance test
(seeded mean against the exact mean, KS test against scipy.stats), as scipy's distcont does."""
import math

import numpy as np
import pytest
from scipy import stats

from sim.components import CAUSES, COMPONENT_INDEX
from sim.losses import (Claimants, Cost, Fixed, Frequency, Gamma, LogNormal, LogNormalPareto,
                        LossModel, Pareto, Reporting)
from sim.losses.sampling import jfba_fee
from sim.data import jfba_fee_table

N = 200_000
SEVERITIES = {
    "lognormal median/sigma": LogNormal.from_median_sigma(1e7, 1.5),
    "lognormal mean/cv": LogNormal.from_mean_cv(250_000, 2.0),
    "lognormal 90% interval": LogNormal.from_interval90(1e6, 1e8),
    "gamma": Gamma(1e6, 0.5),
    "pareto": Pareto(1e6, 2.5),
    "lognormal body, pareto tail": LogNormalPareto(math.log(44), 3.41, 1e5, 1.16),
}


@pytest.mark.parametrize("name", SEVERITIES)
def test_severity_ks_against_scipy(name):
    sev = SEVERITIES[name]
    draws = sev.sample(N, rng=1)
    cdf = sev.cdf if isinstance(sev, LogNormalPareto) else sev.to_scipy().cdf
    assert stats.kstest(draws, cdf).pvalue > 1e-3


@pytest.mark.parametrize("name", [n for n in SEVERITIES if "tail" not in n])  # infinite variance
def test_severity_mean(name):
    sev = SEVERITIES[name]
    draws = sev.sample(N, rng=2)
    sd = sev.to_scipy().std()
    assert abs(draws.mean() - sev.mean()) < 4 * sd / math.sqrt(N)
    assert sev.mean() == pytest.approx(sev.to_scipy().mean(), rel=1e-9)


def test_user_terms_round_trip():
    sev = LogNormal.from_interval90(1e6, 1e8)
    assert sev.to_scipy().ppf([0.05, 0.95]) == pytest.approx([1e6, 1e8])
    sev = LogNormal.from_mean_cv(250_000, 2.0)
    dist = sev.to_scipy()
    assert (dist.mean(), dist.std() / dist.mean()) == pytest.approx((250_000, 2.0))
    assert LogNormal.from_median_sigma(44, 3.41).to_scipy().median() == pytest.approx(44)
    assert (Fixed(5.0).sample(10, rng=1) == 5.0).all()


@pytest.mark.parametrize("freq, mean, var", [
    (Frequency.poisson(0.5), 0.5, 0.5),
    (Frequency.negative_binomial(0.5, 2.0), 0.5, 1.0),   # var = (cv * mean)**2
    (Frequency.one(), 1.0, 0.0),
])
def test_frequency_moments_and_pmf(freq, mean, var):
    counts = freq.sample(N, rng=3)
    assert abs(counts.mean() - mean) < 4 * math.sqrt(var / N) + 1e-12
    assert counts.var() == pytest.approx(var, rel=0.05, abs=1e-12)
    if var > 0:
        k = np.arange(5)
        observed = np.array([(counts == i).sum() for i in k] + [(counts >= 5).sum()])
        expected = np.append(freq.to_scipy().pmf(k), freq.to_scipy().sf(4)) * N
        assert stats.chisquare(observed, expected).pvalue > 1e-3


def events(model, n=N, seed=4):
    return model.sample(n, rng=seed)


def col(ev, name):
    return ev.losses[:, COMPONENT_INDEX[name]]


def test_beta_binomial_claimants():
    # K ~ Binomial(N, r), r ~ Beta(mean 0.1, cv 0.5); award fixed at 1 so damages = K.
    # Beta-binomial: E[K] = N m, Var[K] = N a b (a + b + N) / ((a + b)^2 (a + b + 1)).
    cl = Claimants(0.1, 0.5, Fixed(1.0))
    model = LossModel(size=Fixed(1000), claimants=cl)
    k = col(events(model), "damages")
    a, b = cl.beta
    var = 1000 * a * b * (a + b + 1000) / ((a + b) ** 2 * (a + b + 1))
    assert abs(k.mean() - 100) < 4 * math.sqrt(var / N)
    assert k.var() == pytest.approx(var, rel=0.03)


def test_per_claimant_spread_keeps_the_mean():
    # E[damages] = E[K] x award x E[median-1 lognormal] = N r x 1e4 x exp(s^2 / 2), for few
    # claimants (summed one by one) and many (central limit).
    for n_people, rate in ((100, 0.05), (100_000, 0.1)):
        model = LossModel(size=Fixed(n_people), claimants=Claimants(rate, 0.0, Fixed(1e4), 0.8))
        d = col(events(model, 50_000), "damages")
        expected = n_people * rate * 1e4 * math.exp(0.32)
        assert abs(d.mean() - expected) < 4 * d.std() / math.sqrt(len(d))


def test_jfba_fee_table():
    tiers, minimum = jfba_fee_table()
    assert jfba_fee(1e8, tiers, minimum) == pytest.approx(11_070_000)   # 369万 + 738万
    assert jfba_fee(5.6e7, tiers, minimum) == pytest.approx(7_110_000)  # 237万 + 474万
    assert jfba_fee(1e6, tiers, minimum) == pytest.approx(100_000 + 160_000)  # minimum retainer
    assert jfba_fee(0.0, tiers, minimum) == 0.0


def test_litigation_follows_damages():
    model = LossModel(size=Fixed(100_000), claimants=Claimants(0.1, 0.0, Fixed(1e4)),
                      litigation="jfba", litigation_factor=1.3, court_days=(2.0, 4.0))
    ev = events(model, 20_000)
    tiers, minimum = jfba_fee_table()
    expected = np.array([1.3 * jfba_fee(x, tiers, minimum) for x in col(ev, "damages")])
    np.testing.assert_allclose(col(ev, "litigation"), expected)
    court = col(ev, "court_attendance")  # Poisson days x 50,000 / 25,000 yen
    assert abs(court.mean() - (2 * 50_000 + 4 * 25_000)) < 4 * court.std() / math.sqrt(len(court))


def test_costs_fixed_plus_per_record_with_noise_and_probability():
    model = LossModel(size=Fixed(10_000), costs={
        "letters": Cost(fixed=1e6, per_record=130, sigma=0.3),
        "call_center": Cost(fixed=8e6, probability=0.25)})
    ev = events(model)
    assert np.median(col(ev, "letters")) == pytest.approx(1e6 + 130 * 10_000, rel=0.01)
    assert np.log(col(ev, "letters")).std() == pytest.approx(0.3, rel=0.02)
    incurred = (col(ev, "call_center") > 0).mean()
    assert abs(incurred - 0.25) < 4 * math.sqrt(0.25 * 0.75 / N)
    assert set(np.unique(col(ev, "call_center"))) == {0.0, 8e6}


def test_reporting_rises_with_size_and_cause_mix():
    reporting = Reporting(0.2, 0.9, n50=1000, steepness=1.0)
    model = LossModel(cause_mix={"cyber_attack": 0.5, "insider": 0.3, "misdelivery": 0.2},
                      size=Fixed(1000), reporting=reporting)
    ev = events(model)
    p = reporting.probability(1000)
    assert p == pytest.approx(0.55)  # midpoint at n50
    assert abs(ev.reported.mean() - p) < 4 * math.sqrt(p * (1 - p) / N)
    observed = np.bincount(ev.cause, minlength=len(CAUSES))
    expected = np.array([0.5, 0.3, 0.2, 0.0, 0.0]) * N
    assert observed[3:].sum() == 0
    assert stats.chisquare(observed[:3], expected[:3]).pvalue > 1e-3


def test_breach_size_capped_by_records_held():
    model = LossModel(size=LogNormal.from_median_sigma(44, 3.41), records_held=10_000)
    n = events(model).victims
    assert n.max() == 10_000
    p_cap = LogNormal.from_median_sigma(44, 3.41).to_scipy().sf(9_999.5)
    assert abs((n == 10_000).mean() - p_cap) < 4 * math.sqrt(p_cap / N)
    assert (n == np.round(n)).all()


def test_compact_columns_hold_the_same_draws():
    """The simulation compiles the model for its own components only (short event rows): the
    same generator gives the same losses, in those columns."""
    from sim.events import empty_events
    from sim.losses.sampling import sample_events

    model = LossModel(size=LogNormal.from_median_sigma(5_000, 1.0),
                      claimants=Claimants(0.1, 0.3, Fixed(1e4)), litigation="jfba",
                      court_days=(2.0, 4.0),
                      costs={"letters": Cost(fixed=1e6, per_record=130, sigma=0.3)},
                      direct={"investigation": LogNormal.from_median_sigma(1e6, 0.5)})
    full = model.sample(2_000, rng=4)
    compact = empty_events(2_000, len(model.components))
    sample_events(np.random.default_rng(4).bit_generator, model.compile(model.components), compact)
    cols = [COMPONENT_INDEX[c] for c in model.components]
    assert len(cols) == 5
    np.testing.assert_array_equal(compact.losses, full.losses[:, cols])
    np.testing.assert_array_equal(compact.victims, full.victims)
    with pytest.raises(ValueError, match="lack components the model makes"):
        model.compile(("damages",))


def test_bit_generator_draws_equal_the_generator_methods():
    """The kernels draw from ``rng.bit_generator`` (``sim.losses._random``) rather than the
    ``Generator``: the same seed must give the same numbers, draw for draw, as the Generator
    methods in Numba do (so the change of route changed no result)."""
    from numba import njit

    from sim.losses import _random as r

    @njit
    def by_bit_generator(bitgen, out, counts):
        for i in range(out.shape[0]):
            out[i, 0] = r.uniform(bitgen)
            out[i, 1] = r.standard_normal(bitgen)
            out[i, 2] = r.gamma(bitgen, 0.7, 2.0)
            out[i, 3] = r.beta(bitgen, 0.5, 3.0)
            counts[i, 0] = r.binomial(bitgen, 100_000, 0.003)
            counts[i, 1] = r.poisson(bitgen, 2.5)
            counts[i, 2] = r.negative_binomial(bitgen, 1.5, 0.4)

    @njit
    def by_generator(rng, out, counts):
        for i in range(out.shape[0]):
            out[i, 0] = rng.random()
            out[i, 1] = rng.standard_normal()
            out[i, 2] = rng.gamma(0.7, 2.0)
            out[i, 3] = rng.beta(0.5, 3.0)
            counts[i, 0] = rng.binomial(100_000, 0.003)
            counts[i, 1] = rng.poisson(2.5)
            counts[i, 2] = rng.negative_binomial(1.5, 0.4)

    got = np.zeros((2_000, 4)), np.zeros((2_000, 3), np.int64)
    want = np.zeros((2_000, 4)), np.zeros((2_000, 3), np.int64)
    by_bit_generator(np.random.default_rng(9).bit_generator, *got)
    by_generator(np.random.default_rng(9), *want)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    assert len(np.unique(got[1][:, 0])) > 10  # real draws, not a constant
