"""Two-stage suits, awards and defence fees against hand computations: P(any suit) by its
closed form within binomial standard errors, plaintiffs and damages exactly for fixed shares
and awards, and the old JFBA fee tiers read here from sim/data/jfba_fee_tiers.csv and applied
by hand."""
from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from sim.components import CAUSES, COMPONENT_INDEX
from sim.losses import Claimants, Fixed, LogNormal, LossModel
from sim.losses.distributions import Discrete
from sim.losses.parts import Suits

N = 10_000
TIERS_CSV = Path(__file__).resolve().parents[2] / "sim" / "data" / "jfba_fee_tiers.csv"
ALWAYS = dict(p_max=1.0, n50=1e-12)  # P(suit) = 1 - 1e-12 x ...: every event is sued over


def within(observed: float, p: float, n: int, z: float = 4.5) -> bool:
    return abs(observed - p) <= z * math.sqrt(p * (1 - p) / n) + 1e-12


def col(ev, name):
    return ev.losses[:, COMPONENT_INDEX[name]]


def tiers():
    with TIERS_CSV.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(line for line in fh if not line.startswith("#"))]
    return [{k: float(v) for k, v in r.items()} for r in rows]


def tier_of(x):
    return next(t for t in tiers() if t["lower"] < x <= t["upper"])


def retainer(x):
    t = tier_of(x)
    return max(t["retainer_rate"] * x + t["retainer_fixed"], t["retainer_minimum"])


def success(x):
    if x <= 0:
        return 0.0
    t = tier_of(x)
    return t["success_rate"] * x + t["success_fixed"]


def test_hand_fee_tiers_match_published_worked_figures():
    # 1億: 369万 + 738万 (the tier for 3千万-3億); 300万 sits in the first tier (upper bound inclusive)
    assert retainer(1e8) + success(1e8) == pytest.approx(3_690_000 + 7_380_000)
    assert retainer(3e6) == pytest.approx(240_000) and success(3e6) == pytest.approx(480_000)
    assert retainer(1e6) == 100_000  # the minimum retainer


@pytest.mark.parametrize("n", [100, 2_000, 100_000])
def test_probability_of_any_suit_by_size_and_cause(n):
    p_max, n50, k = 0.5, 2_000, 0.8
    factor = {"misdelivery": 0.3, "insider": 1.6}
    suits = Suits(p_max, n50, share=Fixed(0.01), award=Fixed(1e4), steepness=k, cause_factor=factor)
    model = LossModel(cause_mix={"cyber_attack": 0.4, "misdelivery": 0.3, "insider": 0.3},
                      size=Fixed(n), claimants=suits)
    ev = model.sample(N, 31)
    x = (n / n50) ** k
    for cause in ("cyber_attack", "misdelivery", "insider"):
        p = p_max * x / (1 + x) * factor.get(cause, 1.0)
        assert suits.probability(n, cause) == pytest.approx(p, rel=1e-12)
        sued = ev.claimants[ev.cause == CAUSES.index(cause)] > 0
        assert within(sued.mean(), p, len(sued)), cause


@pytest.mark.parametrize("share, n", [(0.0123, 1_000), (1e-6, 1_000), (1.0, 37), (0.25, 4_003)])
def test_plaintiffs_are_the_rounded_share_clipped_to_one_and_n(share, n):
    award = 7_000.0
    model = LossModel(size=Fixed(n), claimants=Suits(**ALWAYS, share=Fixed(share), award=Fixed(award)))
    ev = model.sample(200, 32)
    k = min(max(math.floor(share * n + 0.5), 1), n)
    assert (ev.claimants == k).all()
    assert (col(ev, "damages") == k * award).all()


def test_plaintiffs_of_a_spread_share_never_pass_the_people_affected():
    n = 50
    model = LossModel(size=Fixed(n), claimants=Suits(**ALWAYS, share=LogNormal.from_median_sigma(0.5, 2.0),
                                                      award=Fixed(1.0)))
    k = model.sample(N, 33).claimants
    assert k.min() >= 1 and k.max() == n
    # K = n exactly when share x n >= n - 1/2: P(Z >= ln((n - 0.5) / (0.5 n)) / 2)
    from scipy import stats
    p = stats.norm.sf(math.log((n - 0.5) / (0.5 * n)) / 2.0)
    assert within((k == n).mean(), p, N)


@pytest.mark.parametrize("k, claimed, award", [
    (100, 1e6, 1e4),    # claims of 1億, award of 100万: retainer on 1億, success on 9,900万
    (3, 1e6, 1e5),      # 300万 claimed: the first tier's upper bound, inclusive
    (40, 2e4, 1e5),     # claimed below the award: at least the damages, nothing avoided
])
def test_defence_fee_on_the_amount_claimed(k, claimed, award):
    factor = 1.3
    model = LossModel(size=Fixed(k), litigation="jfba", litigation_basis="claimed",
                      litigation_factor=factor,
                      claimants=Suits(**ALWAYS, share=Fixed(1.0), award=Fixed(award),
                                      claimed=Fixed(claimed)))
    ev = model.sample(50, 34)
    damages = k * award
    asked = max(k * claimed, damages)
    expected = factor * (retainer(asked) + success(asked - damages))
    assert (ev.claimants == k).all() and (col(ev, "damages") == damages).all()
    np.testing.assert_allclose(col(ev, "litigation"), expected, rtol=1e-12)


def test_defence_fee_without_a_claimed_amount_is_the_retainer_on_the_award():
    model = LossModel(size=Fixed(100), litigation="jfba", litigation_basis="claimed",
                      claimants=Suits(**ALWAYS, share=Fixed(0.5), award=Fixed(2e5)))
    ev = model.sample(50, 35)
    np.testing.assert_allclose(col(ev, "litigation"), retainer(50 * 2e5), rtol=1e-12)


@pytest.mark.parametrize("claimants", [
    Claimants(0.01, 0.0, LogNormal.from_median_sigma(5e4, 1.0)),
    Suits(0.8, 500, share=LogNormal.from_median_sigma(0.02, 1.0), award=LogNormal.from_median_sigma(5e4, 1.0)),
])
def test_fee_on_the_award_is_the_old_jfba_fee(claimants):
    """litigation_basis = "awarded" (the default): the fee of the kernel before incident kinds,
    factor x (max(retainer, minimum) + success fee) on the damages, in every tier."""
    model = LossModel(size=LogNormal.from_median_sigma(20_000, 2.0), records_held=5e7,
                      claimants=claimants, litigation="jfba", litigation_factor=0.7)
    ev = model.sample(N, 36)
    d = col(ev, "damages")
    sued = d > 0
    expected = np.array([0.7 * (retainer(x) + success(x)) for x in d[sued]])
    np.testing.assert_allclose(col(ev, "litigation")[sued], expected, rtol=1e-12)
    assert (col(ev, "litigation")[~sued] == 0).all()
    assert len({tier_of(x)["upper"] for x in d[sued]}) >= 3  # several tiers exercised


def test_discrete_award_shares():
    values, probs = (1_000.0, 5_000.0, 30_000.0), (0.5, 0.3, 0.2)
    model = LossModel(size=Fixed(10), claimants=Suits(**ALWAYS, share=Fixed(0.1),
                                                      award=Discrete(values, probs)))
    d = col(model.sample(N, 37), "damages")
    assert set(np.unique(d)) == set(values)
    for v, p in zip(values, probs):
        assert within((d == v).mean(), p, N), v


@pytest.mark.parametrize("claimants", [
    Claimants(0.002, 0.5, Fixed(3e4)),
    Suits(0.3, 1_000, share=LogNormal.from_median_sigma(0.01, 1.5), award=Fixed(3e4)),
])
def test_events_carry_the_claimants_behind_their_damages(claimants):
    ev = LossModel(size=LogNormal.from_median_sigma(5_000, 1.5), records_held=1e7,
                   claimants=claimants).sample(N, 38)
    np.testing.assert_array_equal(col(ev, "damages"), ev.claimants * 3e4)
    assert (ev.claimants > 0).any() and (ev.claimants <= ev.victims).all()
    assert (ev.claimants == np.floor(ev.claimants)).all()
