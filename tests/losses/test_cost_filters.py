"""Response costs' new fields against values computed here: the size window (max_victims
exclusive), if_reported, per corporate victim, the alternative level and its probability.
Fixed sizes per cause give each event a known N, so most checks are exact."""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from sim.components import CAUSES, COMPONENT_INDEX
from sim.losses import Cost, Fixed, LossModel, Reporting

N = 12_000
SIZES = {"cyber_attack": 9, "insider": 10, "misdelivery": 99, "loss_theft": 100, "mismanagement": 5_000}


def within(observed: float, p: float, n: int, z: float = 4.5) -> bool:
    return abs(observed - p) <= z * math.sqrt(p * (1 - p) / n) + 1e-12


def col(ev, name):
    return ev.losses[:, COMPONENT_INDEX[name]]


def sized(costs, **kw):
    """Events of five causes, each with its own fixed size (SIZES)."""
    return LossModel(cause_mix={c: 0.2 for c in CAUSES}, costs=costs,
                     size_by_cause={c: Fixed(n) for c, n in SIZES.items()}, **kw)


def test_size_window_includes_min_and_excludes_max():
    ev = sized({"investigation": Cost(fixed=1.0, min_victims=10, max_victims=100),
                "forensics": Cost(fixed=1.0, max_victims=10)}).sample(2_000, 41)
    n = np.array([SIZES[c] for c in CAUSES])[ev.cause]
    np.testing.assert_array_equal(col(ev, "investigation"), ((n >= 10) & (n < 100)).astype(float))
    np.testing.assert_array_equal(col(ev, "forensics"), (n < 10).astype(float))


def test_if_reported_costs_follow_the_report():
    rep = Reporting(rule="2022", malicious_causes=("insider",), threshold=99)
    ev = sized({"letters": Cost(fixed=5.0, per_record=2.0, if_reported=True),
                "web_notice": Cost(fixed=1.0)}, reporting=rep).sample(2_000, 42)
    n = np.array([SIZES[c] for c in CAUSES])[ev.cause]
    reported = (n > 99) | (ev.cause == CAUSES.index("insider"))  # the rule, by hand
    np.testing.assert_array_equal(ev.reported, reported)
    np.testing.assert_array_equal(col(ev, "letters"), np.where(reported, 5.0 + 2.0 * n, 0.0))
    assert (col(ev, "web_notice") == 1.0).all()


def test_if_reported_with_a_drawn_report():
    rep = Reporting(0.3, 0.3)  # reported with probability 0.3, whatever the size
    ev = LossModel(size=Fixed(10), reporting=rep,
                   costs={"letters": Cost(fixed=7.0, if_reported=True)}).sample(N, 43)
    assert within(ev.reported.mean(), 0.3, N)
    np.testing.assert_array_equal(col(ev, "letters"), np.where(ev.reported, 7.0, 0.0))


def test_cost_per_corporate_victim():
    ev = LossModel(incident_mix={"leak": 0.5, "corporate_leak": 0.5}, size=Fixed(300),
                   corporate_share=0.2, corporate_victims=Fixed(12.4),
                   costs={"consolation_corporate": Cost(fixed=10.0, per_record=1.0, per_corporate=1e4)}
                   ).sample(4_000, 44)
    leak = ev.incident == 0
    assert (ev.corporate_victims[~leak] == 12).all() and ev.corporate_victims[leak].std() > 0
    expected = 10.0 + 1.0 * ev.victims + 1e4 * ev.corporate_victims
    np.testing.assert_array_equal(col(ev, "consolation_corporate"), expected)
    np.testing.assert_array_equal(ev.victims[~leak], 0.0)


def test_alternative_level_share_and_both_levels_exact():
    cost = Cost(fixed=300.0, per_record=500.0, alt_fixed=900.0, alt_per_record=1_000.0,
                alt_probability=0.3)
    ev = LossModel(size=Fixed(40), costs={"consolation": cost}).sample(N, 45)
    x = col(ev, "consolation")
    base, alt = 300.0 + 500.0 * 40, 900.0 + 1_000.0 * 40
    assert set(np.unique(x)) == {base, alt}
    assert within((x == alt).mean(), 0.3, N)


def test_alternative_level_with_noise_and_an_on_off_probability():
    """The alternative level and the on/off draw are independent; the noise is median 1."""
    cost = Cost(fixed=100.0, alt_fixed=1_000.0, alt_probability=0.4, probability=0.6, sigma=0.5)
    ev = LossModel(size=Fixed(1), costs={"newspaper_notice": cost}).sample(N, 46)
    x = col(ev, "newspaper_notice")
    incurred = x > 0
    assert within(incurred.mean(), 0.6, N)
    noise_base, noise_alt = x[incurred] / 100.0, x[incurred] / 1_000.0
    # the two levels are 10x apart and the noise sigma 0.5: split at the geometric midpoint
    alt = x[incurred] > math.sqrt(100.0 * 1_000.0)
    p_alt = 0.4 * stats.norm.cdf(math.log(10.0 ** 0.5) / 0.5) + 0.6 * stats.norm.sf(math.log(10.0 ** 0.5) / 0.5)
    assert within(alt.mean(), p_alt, int(incurred.sum()))
    assert abs(np.median(np.concatenate([np.log(noise_base[~alt]), np.log(noise_alt[alt])]))) < 0.05


def test_probability_of_a_cost():
    ev = LossModel(size=Fixed(10), costs={"call_center": Cost(fixed=8e6, probability=0.15)}).sample(N, 47)
    x = col(ev, "call_center")
    assert set(np.unique(x)) == {0.0, 8e6}
    assert within((x > 0).mean(), 0.15, N)
