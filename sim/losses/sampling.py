"""Numba samplers of breach events. Arrays and a NumPy bit generator in, arrays out. The
model's parameters are read by name (``s.p_min``, ``cost.sigma``): their layouts are in
:mod:`sim.losses.params`.

Never share one bit generator between threads: each block of years gets its own.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .._limits import MAX_PEOPLE
from ._random import beta, binomial, gamma, negative_binomial, poisson, standard_normal, uniform
from .params import FIXED, GAMMA, JFBA, LOGNORMAL, LOGNORMAL_PARETO, ONE, PARETO, POISSON, RATIO

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
    :func:`sample_year_counts`): exactly one, or negative binomial(n=p0, p=p1)."""
    if code == ONE:
        return 1
    return negative_binomial(bitgen, p0, p1)


@njit(cache=True)
def jfba_fee(x, tiers, min_retainer):
    """Old JFBA retainer + success fee on an economic benefit of ``x`` yen; ``tiers`` are
    records of :data:`sim.data.FEE_TIER_DTYPE` (``sim.data.jfba_fee_table``)."""
    if x <= 0.0:
        return 0.0
    for t in range(tiers.shape[0]):
        tier = tiers[t]
        if x <= tier.upper:
            retainer = max(tier.retainer_rate * x + tier.retainer_fixed, min_retainer)
            return retainer + tier.success_rate * x + tier.success_fixed
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
    if s.p_min == s.p_max and (s.p_min == 0.0 or s.p_min == 1.0):
        return s.p_min == 1.0  # certain either way: no draw
    x = (n / s.n50) ** s.steepness
    return uniform(bitgen) < s.p_min + (s.p_max - s.p_min) * x / (1.0 + x)


@njit(cache=True, inline="always")
def _sample_claims(bitgen, s, award_code, award, n):
    """Claimants of an event with ``n`` victims, their damages and the cost of their court
    days: ``(k, damages, court)``. ``s`` is the model's :class:`~sim.losses.params.Scalars`."""
    rate = s.beta_a if s.beta_b == 0.0 else beta(bitgen, s.beta_a, s.beta_b)
    k = binomial(bitgen, np.int64(n), rate)
    if k == 0:
        return k, 0.0, 0.0
    damages = _sample_damages(bitgen, k, sample_severity(bitgen, award_code, award),
                              s.per_claimant_sigma)
    court = 0.0
    if s.officer_days > 0.0 or s.employee_days > 0.0:
        court = (poisson(bitgen, s.officer_days) * s.officer_rate
                 + poisson(bitgen, s.employee_days) * s.employee_rate)
    return k, damages, court


@njit(cache=True, inline="always")
def _sample_costs(bitgen, costs, n, cause, losses, e):
    """Response costs (records of :data:`~sim.losses.params.COST_DTYPE`): (fixed + per record
    x n) x median-1 lognormal noise, if incurred (the event is large enough, of a cause the
    cost applies to, and the on/off draw says so). A record is a pointer, not a counted
    array: reading one costs no reference-count update."""
    for i in range(costs.shape[0]):
        cost = costs[i]
        if n < cost.min_victims or not (cost.cause_mask >> cause) & 1:
            continue
        # The noise is drawn before the on/off, whether or not the cost is incurred, so that a
        # change of probability leaves every later draw in place (common random numbers).
        noise = math.exp(cost.sigma * standard_normal(bitgen)) if cost.sigma > 0.0 else 1.0
        if cost.probability >= 1.0 or uniform(bitgen) < cost.probability:
            losses[e, cost.component] += (cost.fixed + cost.per_record * n) * noise


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
    column, costs = m.claim_column, m.costs
    direct_component, direct_code, direct_params = m.direct_component, m.direct_code, m.direct_params
    for e in range(losses.shape[0]):
        c = _sample_cause(bitgen, cause_cdf)
        n = _sample_size(bitgen, size_code[c], params_of(size_params, c), s.records_held)
        reported[e] = _is_reported(bitgen, s, n)
        if s.has_claimants > 0.0 and n > 0.0:
            k, damages, court = _sample_claims(bitgen, s, award_code, award, n)
            if k > 0:
                losses[e, column.damages] = damages
                if s.litigation_method == JFBA:
                    fee = jfba_fee(damages, fee_tiers, s.min_retainer)
                    losses[e, column.litigation] = s.litigation_factor * fee
                elif s.litigation_method == RATIO:
                    losses[e, column.litigation] = s.litigation_factor * damages
                if court > 0.0:
                    losses[e, column.court_attendance] = court
        _sample_costs(bitgen, costs, n, c, losses, e)
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

    ``freq`` is one record of :data:`~sim.losses.params.FREQUENCY_DTYPE`. Poisson counts cost one draw per event: the total
    of all the years, then a uniformly drawn year for each event (given their total, Poisson
    counts of equal rate are multinomial with equal shares, so each year's count is
    Poisson(rate), independently). Otherwise, years without events are skipped over in one
    draw (their number before the next year with events is geometric), so a rare-event model
    costs one draw per year *with* events, not one per year.
    """
    f = freq[0]
    code, p0, p1, p_zero = f.code, f.p0, f.p1, f.p_zero
    n = counts.shape[0]
    if code == POISSON:
        counts[:] = 0
        for _ in range(poisson(bitgen, p0 * n)):  # Generator.integers costs 6 times as much in Numba
            counts[min(np.int64(uniform(bitgen) * n), n - 1)] += 1
        return
    if code == ONE or p_zero < MIN_SKIP_P_ZERO:
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
