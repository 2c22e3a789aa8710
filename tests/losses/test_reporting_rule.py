"""Whether a leak is reported: the 2022 rule against a truth table written here, and the
probability curve against its closed form. The rule's triggers (APPI as amended 2022): sensitive
data, risk of financial damage, a malicious cause, more than ``threshold`` people."""
from __future__ import annotations

import math

import numpy as np
import pytest

from sim.components import CAUSES, INCIDENTS
from sim.losses import Fixed, LogNormal, LossModel, Reporting
from sim.losses.parts import Suits

N = 20_000
THEFT = CAUSES.index("loss_theft")


def within(observed: float, p: float, n: int, z: float = 4.5) -> bool:
    return abs(observed - p) <= z * math.sqrt(p * (1 - p) / n) + 1e-12


def hand_rule(sensitive, financial, threshold, malicious, cause, n):
    """The deterministic part of the 2022 rule, one event at a time."""
    return sensitive or financial or n > threshold or CAUSES[cause] in malicious


@pytest.mark.parametrize("sensitive, financial, threshold, malicious", [
    (False, False, 1000, ("cyber_attack", "insider")),
    (True, False, 1000, ("cyber_attack", "insider")),
    (False, True, 1000, ("cyber_attack", "insider")),
    (False, False, 300, ("misdelivery",)),
    (False, False, 1000, ()),
])
def test_2022_rule_truth_table(sensitive, financial, threshold, malicious):
    rep = Reporting(rule="2022", sensitive=sensitive, financial=financial, threshold=threshold,
                    malicious_causes=malicious, theft_share=0.35)
    model = LossModel(cause_mix={c: 0.2 for c in CAUSES}, reporting=rep,
                      size=LogNormal.from_median_sigma(threshold, 1.5))
    ev = model.sample(N, 21)
    expected = np.array([hand_rule(sensitive, financial, threshold, malicious, c, n)
                         for c, n in zip(ev.cause, ev.victims)])
    theft = ev.cause == THEFT
    np.testing.assert_array_equal(ev.reported[~theft], expected[~theft])
    assert ev.reported[theft & expected].all()
    # a loss or theft that no other trigger reports: a theft (malicious) with theft_share
    open_ = theft & ~expected
    if open_.any():
        assert within(ev.reported[open_].mean(), 0.35, open_.sum())
    assert (ev.victims > threshold).any() and (ev.victims <= threshold).any()


def test_threshold_is_more_than_not_at_least():
    rep = Reporting(rule="2022", malicious_causes=())
    at = LossModel(cause_mix={"misdelivery": 1.0}, size=Fixed(1000), reporting=rep).sample(100, 1)
    above = LossModel(cause_mix={"misdelivery": 1.0}, size=Fixed(1001), reporting=rep).sample(100, 1)
    assert not at.reported.any() and above.reported.all()


def test_other_incidents_are_never_reported_even_with_sensitive_data():
    rep = Reporting(rule="2022", sensitive=True)
    ev = LossModel(incident_mix={"leak": 0.25, "corporate_leak": 0.25, "cyber_no_leak": 0.25,
                                 "it_work": 0.25}, size=Fixed(5), reporting=rep).sample(4000, 2)
    np.testing.assert_array_equal(ev.reported, ev.incident == INCIDENTS.index("leak"))


@pytest.mark.parametrize("n", [10, 1000, 50_000])
def test_probability_rule_follows_its_curve(n):
    """P(reported | N) = p_min + (p_max - p_min) x / (1 + x), x = (N / n50)^k (the rule
    before 2022, unchanged by the new kernel)."""
    p_min, p_max, n50, k = 0.1, 0.8, 2_000, 0.7
    rep = Reporting(p_min, p_max, n50=n50, steepness=k)
    x = (n / n50) ** k
    p = p_min + (p_max - p_min) * x / (1 + x)
    assert rep.probability(n) == pytest.approx(p, rel=1e-12)
    ev = LossModel(size=Fixed(n), reporting=rep).sample(N, 22)
    assert within(ev.reported.mean(), p, N)


def test_a_step_like_curve_reports_every_large_leak():
    """A steep curve (a step at n50) once overflowed x = (N / n50)^k to inf: x / (1 + x) was
    NaN, so no leak past the step was reported or sued over, and ``probability`` raised."""
    n50, k, n = 1_000, 200, 1e6  # (1e3)^200 = 1e600: past the float range
    rep = Reporting(0.0, 1.0, n50=n50, steepness=k)
    suits = Suits(0.4, n50, share=Fixed(0.001), award=Fixed(1.0), steepness=k)
    assert rep.probability(n) == 1.0 and suits.probability(n) == pytest.approx(0.4)
    assert rep.probability(10) == 0.0 and suits.probability(10) == 0.0
    ev = LossModel(size=Fixed(n), reporting=rep, claimants=suits).sample(N, 23)
    assert ev.reported.all()
    assert within((ev.claimants > 0).mean(), 0.4, N)
