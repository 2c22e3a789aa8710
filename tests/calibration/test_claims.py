"""The claims side of the calibrated model (issue 15, items 3, 5 and 7): two-stage suits fitted
to Japanese suit counts and plaintiff shares, defence fees on the amount claimed, consolation
and award uncertainty, and the JNSA view over JNSA's own mix of leaked data. Expected values
are computed here by hand from the tables' published figures, not by the code under test."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy import stats

from sim.calibration.damages import consolation_costs, damages_for
from sim.calibration.litigation import claims_kwargs, held_out, suit_curve, suits_for
from sim.calibration.model import calibrated_kwargs
from sim.components import COMPONENT_INDEX as CI
from sim.data import read_table
from sim.losses.distributions import Discrete, Fixed, LogNormal
from sim.losses.model import LossModel

# Hand figures from sim/data (the published facts, typed here)
LEAKS_100K = (22 + 21 + 12) / 3          # a year: 2006, 2008, 2009
LEAKS_1M = (4 + 1 + 1) / 3               # a year: 2006, 2017, 2018
YEARS, ALPHA, TOP = 25, 0.69, 28_950_000
SHARE_UJI, SHARE_BENESSE = 3 / 217_617, 10_000 / 28_950_000
SHARE_MEDIAN = math.sqrt(SHARE_UJI * SHARE_BENESSE)
SHARE_SIGMA = abs(math.log(SHARE_BENESSE / SHARE_UJI)) / math.sqrt(2)


def _bucket_mean(lo, hi, n50):
    """Mean of N / (N + n50) over a Pareto(ALPHA) on [lo, hi], on a fine log grid."""
    t = np.linspace(math.log(lo), math.log(hi), 200_001)
    w = np.exp(-ALPHA * t)
    p = 1 / (1 + n50 / np.exp(t))
    return np.trapezoid(w * p, t) / np.trapezoid(w, t)


def _hand_n50():
    def expected(n50):
        return YEARS * ((LEAKS_100K - LEAKS_1M) * _bucket_mean(1e5, 1e6, n50)
                        + LEAKS_1M * _bucket_mean(1e6, TOP, n50))
    lo, hi = 1e5, 1e12  # bisection on log n50: 3 known suits (Uji; Yahoo!BB, Benesse)
    for _ in range(100):
        mid = math.sqrt(lo * hi)
        lo, hi = (mid, hi) if expected(mid) > 3 else (lo, mid)
    return math.sqrt(lo * hi)


def test_suit_probability_is_fitted_to_the_known_suits_of_large_leaks():
    p_max, n50, k = suit_curve()
    assert (p_max, k) == (1.0, 1.0)
    assert n50 == pytest.approx(_hand_n50(), rel=1e-4)
    suits = suits_for(["basic_contact"])
    for n in (1e3, 1e5, 1e6, 1e7):
        assert suits.probability(n) == pytest.approx(n / (n + n50), rel=1e-12)
    assert 0.0005 < suits.probability(1e5) < 0.002  # few suits: ~0.1% at 100,000 people


def test_plaintiff_share_is_fitted_to_uji_and_benesse_and_sensitive_data_sue_more():
    suits = suits_for(["basic_contact"])
    assert suits.share.median() == pytest.approx(SHARE_MEDIAN, rel=1e-9)
    assert suits.share.sigma == pytest.approx(SHARE_SIGMA, rel=1e-9)
    n50 = suit_curve()[1]
    health, beliefs = suits_for(["health"]), suits_for(["basic_contact", "beliefs"])
    assert health.share.median() == pytest.approx(14 / 50_000)       # TBC
    assert beliefs.share.median() == pytest.approx(17 / 600)         # police files
    assert health.n50 == pytest.approx(n50 / (14 / 50_000 / SHARE_MEDIAN))
    assert beliefs.n50 == pytest.approx(n50 / (17 / 600 / SHARE_MEDIAN))
    assert health.award.median() > 20_000 and beliefs.award.median() > 1e6


def test_sampled_suits_and_plaintiffs_in_the_point_view():
    """uncertainty=False: every suit of a 100,000-person leak has round(share median x N) = 7
    plaintiffs; the share of events with a suit is N / (N + n50) within 4 standard errors."""
    kw = calibrated_kwargs(["basic_contact"], "courts", None, uncertainty=False)
    events = LossModel(**{**kw, "size": Fixed(100_000), "size_by_cause": {}}).sample(400_000, 3)
    p = 1e5 / (1e5 + _hand_n50())
    sued = events.claimants > 0
    assert abs(sued.mean() - p) < 4 * math.sqrt(p * (1 - p) / len(sued))
    assert set(events.claimants[sued]) == {round(SHARE_MEDIAN * 1e5)} == {7}
    court = events.losses[:, CI["court_attendance"]]
    assert not court[~sued].any() and court[sued].any()


def test_any_claimant_among_100k_plus_leaks_is_rare_not_98_percent():
    """Closed form over the default size distribution: above 100,000 people sizes follow its
    Pareto tail (alpha from breach_size_fit.csv), capped at 28.95 million (an atom there)."""
    alpha = float(read_table("breach_size_fit.csv")["alpha"].iloc[0])
    n50 = _hand_n50()
    t = np.linspace(math.log(1e5), math.log(TOP), 200_001)
    dens = alpha * np.exp(-alpha * (t - math.log(1e5)))  # density of ln N given N >= 100k
    expected = np.trapezoid(dens / (1 + n50 / np.exp(t)), t) + (TOP / 1e5) ** -alpha * TOP / (TOP + n50)
    assert 0.01 < expected < 0.02
    events = LossModel(**calibrated_kwargs(["basic_contact"])).sample(3_000_000, 5)
    big = events.victims >= 1e5
    share = (events.claimants[big] > 0).mean()
    assert abs(share - expected) < 4 * math.sqrt(expected / big.sum())


def _one_suit(basis):
    """A Benesse-like suit: 10,000 plaintiffs claiming 55,000 yen, awarded 3,300."""
    kw = calibrated_kwargs(["basic_contact"], "courts", None)
    suits = dataclasses.replace(kw["claimants"], n50=1e-9, share=Fixed(0.01), award=Fixed(3_300),
                                claimed=Fixed(55_000))
    model = LossModel(**{**kw, "claimants": suits, "size": Fixed(1_000_000), "size_by_cause": {},
                         "litigation_basis": basis})
    return model.sample(200, 1)


def test_defence_fees_on_the_amount_claimed_by_the_old_jfba_tiers():
    assert claims_kwargs(["basic_contact"])["litigation_basis"] == "claimed"
    events = _one_suit("claimed")
    assert (events.claimants == 10_000).all()
    assert np.allclose(events.losses[:, CI["damages"]], 33_000_000)
    retainer = 0.02 * 550_000_000 + 3_690_000          # on the 5.5億 claimed
    success = 0.04 * 517_000_000 + 7_380_000           # on the 5.17億 avoided
    assert np.allclose(events.losses[:, CI["litigation"]], retainer + success)  # 4,275万
    on_award = (0.03 * 33_000_000 + 690_000) + (0.06 * 33_000_000 + 1_380_000)  # 504万
    assert np.allclose(_one_suit("awarded").losses[:, CI["litigation"]], on_award)


def test_claimed_per_plaintiff_is_fitted_to_the_basic_data_claims():
    claims = [330_000, 100_000, 77_000, 55_000, 50_000, 100_000]  # Uji, Yahoo!BB, Benesse x4
    claimed = suits_for(["basic_contact"]).claimed
    assert claimed.median() == pytest.approx(stats.gmean(claims), rel=1e-9)
    assert suits_for(["basic_contact"], uncertainty=False).claimed == Fixed(stats.gmean(claims))


def test_uncertainty_false_gives_the_point_view():
    point = suits_for(["basic_contact"], uncertainty=False)
    full = suits_for(["basic_contact"])
    assert isinstance(full.share, LogNormal) and isinstance(full.award, LogNormal)
    assert point.share == Fixed(full.share.median()) and point.award == Fixed(full.award.median())
    d = damages_for(["basic_contact"])
    c = consolation_costs(d, uncertainty=False)["consolation"]
    assert (c.per_record, c.probability, c.alt_probability) == (500, 1.0, 0.0)
    u = consolation_costs(d)["consolation"]
    assert (u.per_record, u.probability, u.alt_per_record, u.alt_probability) == (500, 0.5, 1000, 0.25)
    assert consolation_costs(damages_for(["financial"]))["consolation"].alt_probability == 0.0


def test_jnsa_view_draws_jnsas_own_mix_of_leaked_data():
    """Hand sum over jo_ep_2005.csv: 500 x (10^(x-1) + 5^(y-1)) x 6 per cell, weighted by
    incidents: 30,003,000 / 1,029 = 29,157 yen, inside JNSA's published 23,601-79,431."""
    cells = {(1, 1): 509, (2, 1): 163, (3, 1): 16, (1, 2): 132, (2, 2): 164, (1, 3): 27,
             (2, 3): 7, (3, 3): 11}
    total = sum(n * 500 * (10 ** (x - 1) + 5 ** (y - 1)) * 6 for (x, y), n in cells.items())
    mean = total / sum(cells.values())
    assert mean == pytest.approx(29_157.43, abs=0.01)
    published = read_table("jnsa_damages_per_person.csv")["per_person"]
    assert published.min() <= mean <= published.max()
    award = damages_for(None, "jnsa").award
    assert isinstance(award, Discrete) and award.mean() == pytest.approx(mean, rel=1e-12)
    kw = claims_kwargs(None, "jnsa")
    events = LossModel(**{**calibrated_kwargs(None, "jnsa"), "size": Fixed(1_000), "size_by_cause": {}}).sample(200_000, 2)
    per_person = events.losses[:, CI["damages"]] / 1_000
    assert abs(per_person.mean() - mean) < 4 * per_person.std() / math.sqrt(len(per_person))
    assert kw["litigation"] == "none"
    assert damages_for(["basic_contact"], "jnsa").award == Fixed(6_000)  # one class: still there


def test_held_out_facts_are_reported_against_the_model():
    """Yahoo!BB's 5 plaintiffs (held out) against the fitted share: P(K <= 5 | suit) by hand;
    large leaks with no suit found (held out): the model expects well under one suit among them."""
    table = held_out().set_index("fact")
    z = (math.log(5.5 / 4_520_000) - math.log(SHARE_MEDIAN)) / SHARE_SIGMA
    row = [f for f in table.index if f.startswith("Yahoo!BB") and "P(" in f][0]
    assert table.loc[row, "model"] == pytest.approx(stats.norm.cdf(z), rel=1e-9)
    assert 0.01 < stats.norm.cdf(z) < 0.1
    n50 = _hand_n50()
    expected = sum(n / (n + n50) for n in (1_014_653, 9_280_000, 560_000, 49_159))
    assert table.loc["large leaks without a known suit: suits expected", "model"] == pytest.approx(
        expected, rel=1e-6)
    assert expected < 0.2


def test_bad_switches_are_refused_with_the_field_named():
    from sim._errors import InputError

    with pytest.raises(InputError, match=r"^uncertainty: "):
        claims_kwargs(["basic_contact"], uncertainty="no")
    with pytest.raises(InputError, match=r"^uncertainty: "):
        consolation_costs(damages_for(["basic_contact"]), uncertainty=0)
    with pytest.raises(InputError, match=r"^view: 'jsna' is not allowed"):
        claims_kwargs(None, "jsna")
    with pytest.raises(InputError, match=r"^jo: "):
        claims_kwargs(None, "courts", {"handling": "inappropriate"})
    mix = damages_for(None, "jnsa", handling="inappropriate").award  # JO factors apply to the mix
    assert mix.mean() == pytest.approx(2 * 30_003_000 / 1_029)
