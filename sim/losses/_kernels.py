"""Numba samplers of breach events. Arrays and a ``np.random.Generator`` in, arrays out.

Never share one Generator between threads: each block of years gets its own.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .distributions import FIXED, GAMMA, LOGNORMAL, LOGNORMAL_PARETO, PARETO

# Indices into LossModelArrays.scalars (see model.SCALARS).
(RECORDS_HELD, P_MIN, P_MAX, N50, STEEPNESS, HAS_CLAIMANTS, BETA_A, BETA_B, PER_CLAIMANT_SIGMA,
 LITIGATION_METHOD, LITIGATION_FACTOR, OFFICER_DAYS, EMPLOYEE_DAYS, OFFICER_RATE, EMPLOYEE_RATE,
 MIN_RETAINER) = range(16)
JFBA, RATIO = 0, 1
DAMAGES, LITIGATION, COURT_ATTENDANCE = range(3)  # of LossModelArrays.claim_column
MIN_SKIP_P_ZERO = 0.05  # skip empty years in one draw when at least this share of years is empty
EXACT_SUM_MAX = 30  # sum per-claimant awards one by one up to this many claimants


@njit(cache=True, inline="always")
def sample_severity(rng, code, params):
    """One draw of a severity given its code and ``params`` (4 floats)."""
    if code == FIXED:
        return params[0]
    if code == LOGNORMAL:
        return math.exp(params[0] + params[1] * rng.standard_normal())
    if code == GAMMA:
        return rng.gamma(params[0], params[1])
    if code == PARETO:
        return params[0] * (1.0 - rng.random()) ** (-1.0 / params[1])
    if code == LOGNORMAL_PARETO:
        x = math.exp(params[0] + params[1] * rng.standard_normal())
        if x > params[2]:
            x = params[2] * (1.0 - rng.random()) ** (-1.0 / params[3])
        return x
    return 0.0


@njit(cache=True, inline="always")
def sample_count(rng, code, p0, p1):
    """Events in one year, other than Poisson (drawn a block at a time, see
    :func:`sample_year_counts`): 0 exactly one, 2 negative binomial(n=p0, p=p1)."""
    if code == 0:
        return 1
    return rng.negative_binomial(p0, p1)


@njit(cache=True)
def jfba_fee(x, tiers, min_retainer):
    """Old JFBA retainer + success fee on an economic benefit of ``x`` yen."""
    if x <= 0.0:
        return 0.0
    for t in range(tiers.shape[0]):
        if x <= tiers[t, 1]:
            retainer = max(tiers[t, 2] * x + tiers[t, 3], min_retainer)
            return retainer + tiers[t, 4] * x + tiers[t, 5]
    return 0.0


@njit(cache=True, inline="always")
def _sample_cause(rng, cause_cdf):
    if cause_cdf[0] >= 1.0:
        return 0  # a single cause (the first) needs no draw
    u = rng.random()
    for c in range(cause_cdf.shape[0] - 1):
        if u < cause_cdf[c]:
            return c
    return cause_cdf.shape[0] - 1


@njit(cache=True, inline="always")
def _sample_damages(rng, k, award, sigma):
    """Damages of ``k`` claimants sharing the award level ``award``; individual awards spread
    around it by a median-1 lognormal (summed exactly for few claimants, else by the CLT)."""
    if sigma == 0.0 or k == 0:
        return k * award
    if k <= EXACT_SUM_MAX:
        total = 0.0
        for _ in range(k):
            total += math.exp(sigma * rng.standard_normal())
        return award * total
    mean = math.exp(sigma * sigma / 2)
    sd = mean * math.sqrt(math.expm1(sigma * sigma))
    return award * max(k * mean + math.sqrt(k) * sd * rng.standard_normal(), 0.0)


@njit(cache=True, inline="always")
def _sample_size(rng, code, params, records_held):
    """Whole people, at least one (a breach of personal data affects someone), at most the
    records held."""
    if code < 0:
        return 0.0
    return min(max(math.floor(sample_severity(rng, code, params) + 0.5), 1.0), records_held)


@njit(cache=True, inline="always")
def _is_reported(rng, s, n):
    if s[P_MIN] == s[P_MAX] and (s[P_MIN] == 0.0 or s[P_MIN] == 1.0):
        return s[P_MIN] == 1.0  # certain either way: no draw
    x = (n / s[N50]) ** s[STEEPNESS]
    return rng.random() < s[P_MIN] + (s[P_MAX] - s[P_MIN]) * x / (1.0 + x)


@njit(cache=True, inline="always")
def _sample_claims(rng, s, award_code, award_params, fee_tiers, column, n, losses, e):
    """Claimants, their damages, the lawyers' fees and court days of event ``e`` (in the
    loss columns ``column``)."""
    rate = s[BETA_A] if s[BETA_B] == 0.0 else rng.beta(s[BETA_A], s[BETA_B])
    k = rng.binomial(np.int64(n), rate)
    if k == 0:
        return
    award = sample_severity(rng, award_code, award_params)
    damages = _sample_damages(rng, k, award, s[PER_CLAIMANT_SIGMA])
    losses[e, column[DAMAGES]] = damages
    if s[LITIGATION_METHOD] == JFBA:
        losses[e, column[LITIGATION]] = s[LITIGATION_FACTOR] * jfba_fee(damages, fee_tiers, s[MIN_RETAINER])
    elif s[LITIGATION_METHOD] == RATIO:
        losses[e, column[LITIGATION]] = s[LITIGATION_FACTOR] * damages
    if s[OFFICER_DAYS] > 0.0 or s[EMPLOYEE_DAYS] > 0.0:
        losses[e, column[COURT_ATTENDANCE]] = (rng.poisson(s[OFFICER_DAYS]) * s[OFFICER_RATE]
                                               + rng.poisson(s[EMPLOYEE_DAYS]) * s[EMPLOYEE_RATE])


@njit(cache=True, inline="always")
def _sample_costs(rng, cost_component, cost_params, n, cause, losses, e):
    """Response costs: (fixed + per record x n) x median-1 lognormal noise, if incurred (the
    event is large enough, of a cause the cost applies to, and the on/off draw says so)."""
    for i in range(cost_component.shape[0]):
        fixed, per_record, sigma, probability = cost_params[i, 0], cost_params[i, 1], cost_params[i, 2], cost_params[i, 3]
        if n < cost_params[i, 4] or not (np.int64(cost_params[i, 5]) >> cause) & 1:
            continue
        # The noise is drawn before the on/off, whether or not the cost is incurred, so that a
        # change of probability leaves every later draw in place (common random numbers).
        noise = math.exp(sigma * rng.standard_normal()) if sigma > 0.0 else 1.0
        if probability >= 1.0 or rng.random() < probability:
            losses[e, cost_component[i]] += (fixed + per_record * n) * noise


@njit(cache=True)
def sample_events(rng, m, losses, victims, reported, cause):
    """Draw ``losses.shape[0]`` independent events.

    Parameters
    ----------
    rng : numpy.random.Generator
    m : LossModelArrays
    losses : ndarray(float, ndim=2)
        ``(n_events, n_columns)`` in the columns ``m`` was compiled for, zeroed by the caller;
        filled in place.
    victims : ndarray(float, ndim=1)
    reported : ndarray(bool, ndim=1)
    cause : ndarray(int, ndim=1)
        Outputs, ``(n_events,)``.
    """
    s, cause_cdf, size_code, size_params = m.scalars, m.cause_cdf, m.size_code, m.size_params
    award_code, award_params, fee_tiers = m.award_code[0], m.award_params, m.fee_tiers
    claim_column = m.claim_column
    cost_component, cost_params = m.cost_component, m.cost_params
    direct_component, direct_code, direct_params = m.direct_component, m.direct_code, m.direct_params
    for e in range(losses.shape[0]):
        c = _sample_cause(rng, cause_cdf)
        n = _sample_size(rng, size_code[c], size_params[c], s[RECORDS_HELD])
        reported[e] = _is_reported(rng, s, n)
        if s[HAS_CLAIMANTS] > 0.0 and n > 0.0:
            _sample_claims(rng, s, award_code, award_params, fee_tiers, claim_column, n, losses, e)
        _sample_costs(rng, cost_component, cost_params, n, c, losses, e)
        for i in range(direct_component.shape[0]):
            losses[e, direct_component[i]] += sample_severity(rng, direct_code[i], direct_params[i])
        victims[e] = n
        cause[e] = c


@njit(cache=True)
def sample_severities(rng, code, params, out):
    """Fill ``out`` with independent draws of one severity."""
    for i in range(out.shape[0]):
        out[i] = sample_severity(rng, code, params)


@njit(cache=True, inline="always")
def _positive_count(rng, code, p0, p1):
    """A yearly count given that it is at least 1."""
    k = 0
    while k == 0:
        k = sample_count(rng, code, p0, p1)
    return k


@njit(cache=True)
def sample_year_counts(rng, freq, counts):
    """Fill ``counts`` with independent yearly event counts.

    ``freq`` is ``(code, p0, p1, p_zero)``. Poisson counts cost one draw per event: the total
    of all the years, then a uniformly drawn year for each event (given their total, Poisson
    counts of equal rate are multinomial with equal shares, so each year's count is
    Poisson(rate), independently). Otherwise, years without events are skipped over in one
    draw (their number before the next year with events is geometric), so a rare-event model
    costs one draw per year *with* events, not one per year.
    """
    code, p0, p1, p_zero = np.int64(freq[0]), freq[1], freq[2], freq[3]
    n = counts.shape[0]
    if code == 1:
        counts[:] = 0
        for _ in range(rng.poisson(p0 * n)):  # rng.integers costs 6 times as much in Numba
            counts[min(np.int64(rng.random() * n), n - 1)] += 1
        return
    if code == 0 or p_zero < MIN_SKIP_P_ZERO:
        for y in range(n):
            counts[y] = sample_count(rng, code, p0, p1)
        return
    counts[:] = 0
    log_p_zero = math.log(p_zero)
    y = np.int64(0)
    while True:
        y += np.int64(math.floor(math.log(1.0 - rng.random()) / log_p_zero))
        if y >= n:
            return
        counts[y] = _positive_count(rng, code, p0, p1)
        y += 1
