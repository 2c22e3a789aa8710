"""Occurrence (the year's largest event: OEP, ``quantile(..., kind="occurrence")``) of paid and
retained, checked by routes that do not read the simulation's occurrence values:

- one event a year: the largest event is the year's total, so the occurrence statistics equal
  those of the kept *aggregate* years;
- Poisson events of a fixed size: the kept gross total gives each year's number of events N,
  and the plain-Python reference engine (tests/reference.py) pays N such events in order;
- Poisson events of lognormal size, no aggregate limit: the largest of a Poisson number of
  independent events has P(max <= y) = exp(-lam P(X > y)) (Poisson thinning), and the paid and
  retained amounts of one event are known functions of its size (closed forms below).
"""
import math

import numpy as np
import pytest
from scipy import stats

import reference
import sim
from sim.engine._memory import BLOCK_YEARS
from sim.scenario import scenario_from_dict
from sim.engine.tally import TOP_K

from independent import var_of

N_YEARS = 3 * BLOCK_YEARS + 1_234
LEVELS = (0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.9973, 0.999)
PERIODS = (2, 5, 10, 20, 50, 100, 200, 250, 1_000, 10_000)


def scenario(frequency: dict, damages: dict, **terms) -> sim.scenario.Scenario:
    return scenario_from_dict({"name": "occ", "frequency": frequency,
                               "model": {"direct": {"damages": damages}},
                               "policies": [{"product": "basic", "name": "XL", **terms}]})


def test_one_event_a_year_occurrence_is_the_aggregate():
    one = scenario({"kind": "one"}, {"dist": "lognormal", "median": 1e7, "sigma": 1.5},
                   deductible=1e6, limit=1e8, aggregate=1e8)
    res = sim.simulate(one, N_YEARS, seed=9, keep_years=True)
    frame = res.to_frame()
    for measure in ("paid", "retained"):
        total = frame[("XL", measure, "aggregate")].to_numpy()
        oep = res.ep_curve("oep", policy="XL", measure=measure, return_periods=PERIODS)["XL"]
        for t in PERIODS:  # exact from the top values, else within the 0.1% bins
            rel = 0 if N_YEARS / t <= TOP_K else 1e-3
            assert oep[t] == pytest.approx(var_of(total, 1 - 1 / t), rel=rel), (measure, t)
        for q in LEVELS:
            rel = 0 if N_YEARS * (1 - q) <= TOP_K else 1e-3
            got = res.quantile("XL", measure, q, kind="occurrence")
            assert got == pytest.approx(var_of(total, q), rel=rel), (measure, q)


@pytest.fixture(scope="module")
def fixed_size():
    """Poisson(1.5) events of exactly 3e7 through 2e7 xs 1e6 with a 5e7 aggregate: paid
    2e7, 2e7, 1e7, 0, ... and retained 1e7, 1e7, 2e7, 3e7, ... by event."""
    scn = scenario({"kind": "poisson", "rate": 1.5}, {"value": 3e7},
                   deductible=1e6, limit=2e7, aggregate=5e7)
    res = sim.simulate(scn, N_YEARS, seed=13, keep_years=True)
    frame = res.to_frame()
    n_events = frame[("*", "gross", "aggregate")].to_numpy() / 3e7
    assert np.array_equal(n_events, np.round(n_events)) and n_events.max() >= 6
    by_count = {}
    for n in np.unique(n_events).astype(int):
        paid = [e["cover"] for e in reference.apply_year(scn.policies[0],
                                                         [{"losses": {"damages": 3e7}}] * n)]
        by_count[n] = (max(paid, default=0.0), max((3e7 - p for p in paid), default=0.0))
    expected = {"paid": np.array([by_count[n][0] for n in n_events.astype(int)]),
                "retained": np.array([by_count[n][1] for n in n_events.astype(int)])}
    return res, frame, expected


def test_fixed_size_kept_occurrence_matches_the_reference_engine(fixed_size):
    res, frame, expected = fixed_size
    for measure in ("paid", "retained"):
        np.testing.assert_array_equal(frame[("XL", measure, "occurrence")], expected[measure])
    gross = frame[("*", "gross", "aggregate")].to_numpy()
    np.testing.assert_array_equal(frame[("*", "gross", "occurrence")], np.where(gross > 0, 3e7, 0))


def test_fixed_size_oep_and_occurrence_quantiles(fixed_size):
    res, frame, expected = fixed_size
    for measure in ("paid", "retained"):
        x = expected[measure]
        oep = res.ep_curve("oep", policy="XL", measure=measure, return_periods=PERIODS)["XL"]
        for t in PERIODS:
            assert oep[t] == var_of(x, 1 - 1 / t), (measure, t)
        for q in LEVELS:
            assert res.quantile("XL", measure, q, kind="occurrence") == var_of(x, q), (measure, q)
        assert res.cdf("XL", measure, 1e7, kind="occurrence") == (x <= 1e7).mean()
    # where retained occurrence and aggregate differ: 3 events retain 1e7 + 1e7 + 2e7 in all
    assert res.quantile("XL", "retained", 0.999) > res.quantile("XL", "retained", 0.999,
                                                                kind="occurrence")


LAM, D, L = 0.5, 1e6, 1e8
X = stats.lognorm(1.5, scale=1e7)


@pytest.fixture(scope="module")
def lognormal():
    """Poisson(0.5) x lognormal(ln 1e7, 1.5) through 1e8 xs 1e6, no aggregate limit."""
    scn = scenario({"kind": "poisson", "rate": LAM},
                   {"dist": "lognormal", "median": 1e7, "sigma": 1.5}, deductible=D, limit=L)
    return sim.simulate(scn, N_YEARS, seed=17)


def largest_cdf(measure: str, y: float) -> float:
    """P(largest event's measure <= y) = exp(-lam P(one event's measure > y)), one event
    paying p(X) = min((X - d)+, L) and retaining r(X) = min(X, d) + (X - d - L)+:
    p(X) > y iff X > y + d (y < L); r(X) > y iff X > y (y < d), X > y + L (y >= d)."""
    if measure == "gross":
        beyond = X.sf(y)
    elif measure == "paid":
        beyond = X.sf(y + D) if y < L else 0.0
    else:
        beyond = X.sf(y) if y < D else X.sf(y + L)
    return math.exp(-LAM * beyond)


@pytest.mark.parametrize("measure, levels, atom", [
    ("gross", (0.7, 0.8, 0.9, 0.95, 0.99, 0.995), None),
    ("paid", (0.7, 0.8, 0.9, 0.95), (0.99, L)),          # P(paid max = L) = 3.0%
    ("retained", (0.98, 0.99, 0.995, 0.999), (0.8, D)),  # P(retained max = d) = 34%
])
def test_lognormal_occurrence_closed_form(lognormal, measure, levels, atom):
    res = lognormal
    n = res.n_years
    for q in levels:
        v = res.quantile("XL", measure, q, kind="occurrence")
        se = math.sqrt(q * (1 - q) / n)
        assert abs(largest_cdf(measure, v) - q) < 4 * se + 2e-4, (q, v)
    if atom:
        q, value = atom
        assert res.quantile("XL", measure, q, kind="occurrence") == value
        assert res.ep_curve("oep", policy="XL", measure=measure,
                            return_periods=[1 / (1 - q)])["XL"].iloc[0] == value

