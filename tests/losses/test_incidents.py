"""Incident kinds, corporate victims and whole-database leaks in the event sampler, against
binomial standard errors and closed forms computed here (scipy's lognormal), never the sampler's
own helpers. Tens of thousands of events: fast with Numba's JIT off too."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.components import CAUSES, COMPONENT_INDEX, INCIDENTS
from sim.losses import Claimants, Cost, Fixed, LogNormal, LossModel, Reporting

N = 15_000
MIX = {"leak": 0.3, "corporate_leak": 0.25, "cyber_no_leak": 0.2, "it_work": 0.15, "cyber_minor": 0.1}
CAUSE_MIX = {"cyber_attack": 0.3, "misdelivery": 0.5, "loss_theft": 0.2}
UNSPECIFIED = len(CAUSES)  # the code of an event without a cause


def within(observed: float, p: float, n: int, z: float = 4.5) -> bool:
    """A share of ``n`` Bernoulli(p) trials within ``z`` binomial standard errors of ``p``."""
    return abs(observed - p) <= z * math.sqrt(p * (1 - p) / n) + 1e-12


def col(ev, name):
    return ev.losses[:, COMPONENT_INDEX[name]]


@pytest.fixture(scope="module")
def mixed():
    """Every kind, claims, the 2022 rule and four cost filters in one model."""
    model = LossModel(
        incident_mix=MIX, cause_mix=CAUSE_MIX, size=LogNormal.from_median_sigma(200, 1.5),
        claimants=Claimants(0.05, 0.0, Fixed(1e4)), reporting=Reporting(rule="2022"),
        corporate_victims=LogNormal.from_median_sigma(4, 1.0),
        costs={"investigation": Cost(fixed=100.0),                              # any event
               "forensics": Cost(fixed=10.0, incidents=("cyber_no_leak",)),
               # a second source of forensics, for minor incidents only (Cost.component)
               "forensics_minor": Cost(fixed=5.0, incidents=("cyber_minor",), component="forensics"),
               "system_recovery": Cost(fixed=7.0, causes=tuple(CAUSES)),       # every cause named
               "it_work_interruption": Cost(fixed=3.0, incidents=("it_work", "corporate_leak"))})
    return model.sample(N, 11)


def test_shares_of_each_kind_follow_the_mix(mixed):
    for code, kind in enumerate(INCIDENTS):
        assert within((mixed.incident == code).mean(), MIX[kind], N), kind


def test_cause_of_each_kind(mixed):
    cause = mixed.cause
    for attack in ("cyber_no_leak", "cyber_minor"):
        assert (cause[mixed.incident == INCIDENTS.index(attack)] == CAUSES.index("cyber_attack")).all()
    assert (cause[mixed.incident == INCIDENTS.index("it_work")] == UNSPECIFIED).all()
    for kind in ("leak", "corporate_leak"):  # leaks of either kind: the cause mix
        of_kind = cause[mixed.incident == INCIDENTS.index(kind)]
        for name in CAUSES:
            assert within((of_kind == CAUSES.index(name)).mean(), CAUSE_MIX.get(name, 0.0),
                          len(of_kind)), (kind, name)


def test_only_leaks_have_size_claims_and_reports(mixed):
    leak = mixed.incident == INCIDENTS.index("leak")
    assert (mixed.victims[leak] >= 1).all() and (mixed.victims[~leak] == 0).all()
    assert (mixed.claimants[~leak] == 0).all() and (col(mixed, "damages")[~leak] == 0).all()
    assert (~mixed.reported[~leak]).all()
    assert mixed.claimants[leak].sum() > 0 and mixed.reported[leak].any()


def test_costs_filtered_by_incident_and_cause(mixed):
    kind = np.array(INCIDENTS)[mixed.incident]
    assert (col(mixed, "investigation") == 100.0).all()           # causes=None: it_work too
    np.testing.assert_array_equal(col(mixed, "forensics"), np.select(
        [kind == "cyber_no_leak", kind == "cyber_minor"], [10.0, 5.0], 0.0))
    # every cause named is not "any cause": an IT-work event has none, so it does not qualify
    np.testing.assert_array_equal(col(mixed, "system_recovery"), np.where(kind == "it_work", 0.0, 7.0))
    np.testing.assert_array_equal(col(mixed, "it_work_interruption"),
                                  np.where(np.isin(kind, ["it_work", "corporate_leak"]), 3.0, 0.0))


def test_corporate_victims_of_a_leak_are_binomial():
    n, share = 500, 0.08
    ev = LossModel(size=Fixed(n), corporate_share=share).sample(N, 12)
    c = ev.corporate_victims
    mean, var = n * share, n * share * (1 - share)
    assert abs(c.mean() - mean) < 4.5 * math.sqrt(var / N)
    assert abs(c.var(ddof=1) - var) < 4.5 * var * math.sqrt(2 / (N - 1))
    assert (c == np.floor(c)).all() and (c <= n).all()


def test_corporate_victims_of_other_kinds_are_rounded_draws_at_least_one():
    median, sigma = 3.0, 1.2
    model = LossModel(incident_mix={"corporate_leak": 0.4, "it_work": 0.3, "cyber_no_leak": 0.2,
                                    "cyber_minor": 0.1},
                      corporate_victims=LogNormal.from_median_sigma(median, sigma),
                      corporate_share=0.5, size=Fixed(10))  # the share is for leaks only
    ev = model.sample(N, 13)
    attack = np.isin(ev.incident, [INCIDENTS.index("cyber_no_leak"), INCIDENTS.index("cyber_minor")])
    assert (ev.corporate_victims[attack] == 0).all()
    c = ev.corporate_victims[~attack]
    assert (c >= 1).all() and (c == np.floor(c)).all()
    x = stats.lognorm(sigma, scale=median)  # rounded to the nearest whole company, at least one
    expected = {1: x.cdf(1.5), 2: x.cdf(2.5) - x.cdf(1.5), 3: x.cdf(3.5) - x.cdf(2.5),
                10: x.cdf(10.5) - x.cdf(9.5)}
    for k, p in expected.items():
        assert within((c == k).mean(), p, len(c)), k


def test_whole_database_leaks_share_at_records_held():
    """P(N = records held) = whole + (1 - whole) P(X >= held - 1/2) for a lognormal X rounded
    to whole people and capped at the records held."""
    held, median, sigma = 5_000, 1_000, 2.0
    whole = {"cyber_attack": 0.25, "insider": 0.0}
    model = LossModel(cause_mix={"cyber_attack": 0.5, "insider": 0.5}, records_held=held,
                      size=LogNormal.from_median_sigma(median, sigma), whole_records=whole)
    ev = model.sample(N, 14)
    tail = stats.lognorm(sigma, scale=median).sf(held - 0.5)
    assert (ev.victims <= held).all()
    for cause, w in whole.items():
        n = ev.victims[ev.cause == CAUSES.index(cause)]
        assert within((n == held).mean(), w + (1 - w) * tail, len(n)), cause


@pytest.mark.parametrize("key, kwargs, field", [
    ("forensics_minor", {}, "costs"),                                  # no component named
    ("letters", dict(component="forensics"), "costs.letters.component"),
    ("forensics_minor", dict(component="forensic"), "component"),
])
def test_a_cost_under_another_name_must_name_its_component(key, kwargs, field):
    from sim._errors import InputError
    with pytest.raises(InputError) as err:
        LossModel(costs={key: Cost(fixed=1.0, **kwargs)})
    assert err.value.field == field
