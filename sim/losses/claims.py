"""Numba kernels of the claims of individuals: who claims (a claimant rate, or P(any suit),
then the plaintiffs), their damages, the defence fees and the court days. Helpers of
:func:`sim.losses.sampling.sample_events`: they take scalars and tuples, never arrays, except
the fee tiers and the award table, which are read, not handed on (see its notes)."""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ._random import beta, binomial, poisson, standard_normal, uniform
from .draws import rising, sample_discrete, sample_severity
from .params import DISCRETE, JFBA, NO_SEVERITY, RATIO

EXACT_SUM_MAX = 30  # sum per-claimant awards one by one up to this many claimants


@njit(cache=True)
def jfba_fee(x, tiers, min_retainer):
    """Old JFBA retainer + success fee on an economic benefit of ``x`` yen; ``tiers`` are
    records of :data:`sim.data.FEE_TIER_DTYPE` (``sim.data.jfba_fee_table``)."""
    if x <= 0.0:
        return 0.0
    return _retainer(x, tiers, min_retainer) + _success_fee(x, tiers)


@njit(cache=True)
def jfba_defence_fee(claimed, awarded, tiers, min_retainer):
    """Old JFBA fees of the defence: the retainer on the amount claimed, the success fee on
    the part of the claim avoided (``claimed - awarded``)."""
    if claimed <= 0.0:
        return 0.0
    return _retainer(claimed, tiers, min_retainer) + _success_fee(max(claimed - awarded, 0.0), tiers)


@njit(cache=True, inline="always")
def _tier(x, tiers):
    for t in range(tiers.shape[0]):
        if x <= tiers[t].upper:
            return t
    return tiers.shape[0] - 1


@njit(cache=True, inline="always")
def _retainer(x, tiers, min_retainer):
    tier = tiers[_tier(x, tiers)]
    return max(tier.retainer_rate * x + tier.retainer_fixed, min_retainer)


@njit(cache=True, inline="always")
def _success_fee(x, tiers):
    if x <= 0.0:
        return 0.0
    tier = tiers[_tier(x, tiers)]
    return tier.success_rate * x + tier.success_fixed


@njit(cache=True, inline="always")
def _damages(bitgen, k, award, sigma):
    """Damages of ``k`` claimants sharing the award level ``award``; individual awards spread
    around it by a median-1 lognormal (summed exactly for few claimants, else by the CLT)."""
    if sigma == 0.0 or k == 0:
        return k * award
    if k <= EXACT_SUM_MAX:
        total = 0.0
        for _ in range(k):
            total += math.exp(sigma * standard_normal(bitgen))
        return award * total
    mean = math.exp(sigma * sigma / 2)
    sd = mean * math.sqrt(math.expm1(sigma * sigma))
    return award * max(k * mean + math.sqrt(k) * sd * standard_normal(bitgen), 0.0)


@njit(cache=True, inline="always")
def _claimants(bitgen, s, share_code, share, suit_factor, n):
    """People who claim: ``Binomial(n, rate)`` with a Beta rate (one stage), or, if a suit is
    brought (P rising with ``n``, times the cause's factor), ``share x n`` plaintiffs."""
    if s.two_stage == 0.0:
        rate = s.beta_a if s.beta_b == 0.0 else beta(bitgen, s.beta_a, s.beta_b)
        return binomial(bitgen, np.int64(n), rate)
    if not uniform(bitgen) < s.suit_p_max * rising(n, s.suit_n50, s.suit_steepness) * suit_factor:
        return np.int64(0)
    k = np.floor(sample_severity(bitgen, share_code, share) * n + 0.5)
    return np.int64(min(max(k, 1.0), n))


@njit(cache=True, inline="always")
def sample_claims(bitgen, s, award_code, award, award_table, share_code, share, claimed_code,
                  claimed, suit_factor, fee_tiers, n):
    """Claims of an event with ``n`` victims: ``(k, damages, fee, court)``. ``s`` is the
    model's :class:`~sim.losses.params.Scalars`; ``award``, ``share`` and ``claimed`` are
    severity parameter tuples."""
    k = _claimants(bitgen, s, share_code, share, suit_factor, n)
    if k == 0:
        return k, 0.0, 0.0, 0.0
    level = (sample_discrete(bitgen, award_table) if award_code == DISCRETE
             else sample_severity(bitgen, award_code, award))
    damages = _damages(bitgen, k, level, s.per_claimant_sigma)
    fee = 0.0
    if s.litigation_method == JFBA:
        if s.fee_on_claimed > 0.0:
            asked = k * sample_severity(bitgen, claimed_code, claimed) if claimed_code != NO_SEVERITY else damages
            fee = jfba_defence_fee(max(asked, damages), damages, fee_tiers, s.min_retainer)
        else:
            fee = jfba_fee(damages, fee_tiers, s.min_retainer)
        fee *= s.litigation_factor
    elif s.litigation_method == RATIO:
        fee = s.litigation_factor * damages
    court = 0.0
    if s.officer_days > 0.0 or s.employee_days > 0.0:
        court = (poisson(bitgen, s.officer_days) * s.officer_rate
                 + poisson(bitgen, s.employee_days) * s.employee_rate)
    return k, damages, fee, court
