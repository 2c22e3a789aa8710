"""Numba samplers of breach events. Arrays and a NumPy bit generator in, arrays out.

Never share one bit generator between threads: each block of years gets its own.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .._limits import MAX_PEOPLE
from ._random import beta, binomial, gamma, negative_binomial, poisson, standard_normal, uniform
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
def sample_severity(bitgen, code, p):
    """One draw of a severity given its code and its 4 parameters ``p`` (a tuple: see
    :func:`params_of`)."""
    if code == FIXED:
        return p[0]
    if code == LOGNORMAL:
        return math.exp(p[0] + p[1] * standard_normal(bitgen))
    if code == GAMMA:
        return gamma(bitgen, p[0], p[1])
    if code == PARETO:
        return p[0] * (1.0 - uniform(bitgen)) ** (-1.0 / p[1])
    if code == LOGNORMAL_PARETO:
        x = math.exp(p[0] + p[1] * standard_normal(bitgen))
        if x > p[2]:
            x = p[2] * (1.0 - uniform(bitgen)) ** (-1.0 / p[3])
        return x
    return 0.0


@njit(cache=True, inline="always")
def params_of(table, row):
    """Row ``row`` of a ``(n, 4)`` table of severity parameters, as a tuple. An array (the
    row's view, or the table itself) handed to an inlined helper would cost two atomic
    reference-count updates per draw, more than the draw itself."""
    return table[row, 0], table[row, 1], table[row, 2], table[row, 3]


@njit(cache=True, inline="always")
def sample_count(bitgen, code, p0, p1):
    """Events in one year, other than Poisson (drawn a block at a time, see
    :func:`sample_year_counts`): 0 exactly one, 2 negative binomial(n=p0, p=p1)."""
    if code == 0:
        return 1
    return negative_binomial(bitgen, p0, p1)


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
def _sample_cause(bitgen, cause_cdf):
    if cause_cdf[0] >= 1.0:
        return 0  # a single cause (the first) needs no draw
    u = uniform(bitgen)
    for c in range(cause_cdf.shape[0] - 1):
        if u < cause_cdf[c]:
            return c
    return cause_cdf.shape[0] - 1


@njit(cache=True, inline="always")
def _sample_damages(bitgen, k, award, sigma):
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
def _sample_size(bitgen, code, p, records_held):
    """Whole people, at least one (a breach of personal data affects someone), at most the
    records held. ``np.floor`` keeps a float: Numba's ``math.floor`` returns an int64, which
    wrapped at 2**63 people (then counted as one person)."""
    if code < 0:
        return 0.0
    n = min(max(np.floor(sample_severity(bitgen, code, p) + 0.5), 1.0), records_held)
    if not n <= MAX_PEOPLE:  # only without records held (also NaN); the runner names the field
        raise OverflowError("size")
    return n


@njit(cache=True, inline="always")
def _is_reported(bitgen, s, n):
    if s[P_MIN] == s[P_MAX] and (s[P_MIN] == 0.0 or s[P_MIN] == 1.0):
        return s[P_MIN] == 1.0  # certain either way: no draw
    x = (n / s[N50]) ** s[STEEPNESS]
    return uniform(bitgen) < s[P_MIN] + (s[P_MAX] - s[P_MIN]) * x / (1.0 + x)


@njit(cache=True, inline="always")
def _sample_claims(bitgen, claims, award_code, award, n):
    """Claimants of an event with ``n`` victims, their damages and the cost of their court
    days: ``(k, damages, court)``. ``claims`` is :func:`_claim_params`."""
    beta_a, beta_b, sigma, officer_days, employee_days, officer_rate, employee_rate = claims
    rate = beta_a if beta_b == 0.0 else beta(bitgen, beta_a, beta_b)
    k = binomial(bitgen, np.int64(n), rate)
    if k == 0:
        return k, 0.0, 0.0
    damages = _sample_damages(bitgen, k, sample_severity(bitgen, award_code, award), sigma)
    court = 0.0
    if officer_days > 0.0 or employee_days > 0.0:
        court = (poisson(bitgen, officer_days) * officer_rate
                 + poisson(bitgen, employee_days) * employee_rate)
    return k, damages, court


@njit(cache=True, inline="always")
def _claim_params(s):
    """The scalars :func:`_sample_claims` needs, as a tuple: helpers that draw take no arrays
    (Numba would update an array's reference count twice a call, atomically)."""
    return (s[BETA_A], s[BETA_B], s[PER_CLAIMANT_SIGMA], s[OFFICER_DAYS], s[EMPLOYEE_DAYS],
            s[OFFICER_RATE], s[EMPLOYEE_RATE])


@njit(cache=True, inline="always")
def _sample_costs(bitgen, cost_component, cost_params, n, cause, losses, e):
    """Response costs: (fixed + per record x n) x median-1 lognormal noise, if incurred (the
    event is large enough, of a cause the cost applies to, and the on/off draw says so)."""
    for i in range(cost_component.shape[0]):
        fixed, per_record, sigma, probability = cost_params[i, 0], cost_params[i, 1], cost_params[i, 2], cost_params[i, 3]
        if n < cost_params[i, 4] or not (np.int64(cost_params[i, 5]) >> cause) & 1:
            continue
        # The noise is drawn before the on/off, whether or not the cost is incurred, so that a
        # change of probability leaves every later draw in place (common random numbers).
        noise = math.exp(sigma * standard_normal(bitgen)) if sigma > 0.0 else 1.0
        if probability >= 1.0 or uniform(bitgen) < probability:
            losses[e, cost_component[i]] += (fixed + per_record * n) * noise


@njit(cache=True)
def sample_events(bitgen, m, losses, victims, reported, cause):
    """Draw ``losses.shape[0]`` independent events.

    Parameters
    ----------
    bitgen : numpy.random.BitGenerator
        ``rng.bit_generator`` (see ``_random``).
    m : LossModelArrays
    losses : ndarray(float, ndim=2)
        ``(n_events, n_columns)`` in the columns ``m`` was compiled for, zeroed by the caller;
        filled in place.
    victims : ndarray(float, ndim=1)
    reported : ndarray(bool, ndim=1)
    cause : ndarray(int, ndim=1)
        Outputs, ``(n_events,)``.

    Notes
    -----
    Helpers that draw get scalars and tuples, never arrays, and the claims are written into
    the rows here: Numba copies an array handed to an inlined helper, and unless its
    optimiser can prove the copy's reference count unused (it cannot across the draws'
    calls), each copy costs two atomic updates per event. They once made this loop 2.5 times
    slower than its draws.
    """
    s, cause_cdf, size_code, size_params = m.scalars, m.cause_cdf, m.size_code, m.size_params
    award_code, award, fee_tiers = m.award_code[0], params_of(m.award_params, 0), m.fee_tiers
    claims = _claim_params(s)
    claim_column = m.claim_column
    cost_component, cost_params = m.cost_component, m.cost_params
    direct_component, direct_code, direct_params = m.direct_component, m.direct_code, m.direct_params
    for e in range(losses.shape[0]):
        c = _sample_cause(bitgen, cause_cdf)
        n = _sample_size(bitgen, size_code[c], params_of(size_params, c), s[RECORDS_HELD])
        reported[e] = _is_reported(bitgen, s, n)
        if s[HAS_CLAIMANTS] > 0.0 and n > 0.0:
            k, damages, court = _sample_claims(bitgen, claims, award_code, award, n)
            if k > 0:
                losses[e, claim_column[DAMAGES]] = damages
                if s[LITIGATION_METHOD] == JFBA:
                    fee = jfba_fee(damages, fee_tiers, s[MIN_RETAINER])
                    losses[e, claim_column[LITIGATION]] = s[LITIGATION_FACTOR] * fee
                elif s[LITIGATION_METHOD] == RATIO:
                    losses[e, claim_column[LITIGATION]] = s[LITIGATION_FACTOR] * damages
                if court > 0.0:
                    losses[e, claim_column[COURT_ATTENDANCE]] = court
        _sample_costs(bitgen, cost_component, cost_params, n, c, losses, e)
        for i in range(direct_component.shape[0]):
            losses[e, direct_component[i]] += sample_severity(bitgen, direct_code[i],
                                                              params_of(direct_params, i))
        victims[e] = n
        cause[e] = c


@njit(cache=True)
def sample_severities(bitgen, code, params, out):
    """Fill ``out`` with independent draws of one severity."""
    for i in range(out.shape[0]):
        out[i] = sample_severity(bitgen, code, params_of(params, 0))


@njit(cache=True, inline="always")
def _positive_count(bitgen, code, p0, p1):
    """A yearly count given that it is at least 1."""
    k = 0
    while k == 0:
        k = sample_count(bitgen, code, p0, p1)
    return k


@njit(cache=True)
def sample_year_counts(bitgen, freq, counts):
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
        for _ in range(poisson(bitgen, p0 * n)):  # Generator.integers costs 6 times as much in Numba
            counts[min(np.int64(uniform(bitgen) * n), n - 1)] += 1
        return
    if code == 0 or p_zero < MIN_SKIP_P_ZERO:
        for y in range(n):
            counts[y] = sample_count(bitgen, code, p0, p1)
        return
    counts[:] = 0
    log_p_zero = math.log(p_zero)
    y = np.int64(0)
    while True:
        y += np.int64(math.floor(math.log(1.0 - uniform(bitgen)) / log_p_zero))
        if y >= n:
            return
        counts[y] = _positive_count(bitgen, code, p0, p1)
        y += 1
