"""Numba samplers of breach events. Arrays and a NumPy bit generator in, arrays out. The
model's parameters are read by name (``s.p_min``, ``cost.sigma``): their layouts are in
:mod:`sim.losses.params`; severity draws are in :mod:`sim.losses.draws`, claims in
:mod:`sim.losses.claims`.

Never share one bit generator between threads: each block of years gets its own.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .._limits import MAX_PEOPLE
from ..components import CAUSE_INDEX, INCIDENT_INDEX, UNSPECIFIED_CAUSE
from ._random import binomial, negative_binomial, poisson, standard_normal, uniform
from .claims import jfba_fee, sample_claims
from .draws import categorical, params_of, rising, sample_severity
from .params import CLAIMED, CORPORATE, NO_SEVERITY, ONE, POISSON, REPORT_RULE_2022, SHARE

MIN_SKIP_P_ZERO = 0.05  # skip empty years in one draw when at least this share of years is empty
LEAK, CORPORATE_LEAK, CYBER_NO_LEAK, IT_WORK, CYBER_MINOR = (INCIDENT_INDEX[k] for k in (
    "leak", "corporate_leak", "cyber_no_leak", "it_work", "cyber_minor"))
CYBER_ATTACK, LOSS_THEFT = CAUSE_INDEX["cyber_attack"], CAUSE_INDEX["loss_theft"]


@njit(cache=True, inline="always")
def sample_count(bitgen, code, p0, p1):
    """Events in one year, other than Poisson (drawn a block at a time, see
    :func:`sample_year_counts`): exactly one, or negative binomial(n=p0, p=p1)."""
    if code == ONE:
        return 1
    return negative_binomial(bitgen, p0, p1)


@njit(cache=True, inline="always")
def _whole_people(x):
    """A drawn count rounded to whole people, at least one. ``np.floor`` keeps a float:
    Numba's ``math.floor`` returns an int64, which wrapped at 2**63 people (then counted as
    one person)."""
    return max(np.floor(x + 0.5), 1.0)


@njit(cache=True, inline="always")
def _sample_size(bitgen, code, p, records_held, whole):
    """People affected by a leak: whole people, at least one (a breach of personal data
    affects someone), at most the records held; all of them with probability ``whole``."""
    if code < 0:
        return 0.0
    n = min(_whole_people(sample_severity(bitgen, code, p)), records_held)
    if whole > 0.0 and uniform(bitgen) < whole:
        n = records_held
    if not n <= MAX_PEOPLE:  # only without records held (also NaN); the runner names the field
        raise OverflowError("size")
    return n


@njit(cache=True, inline="always")
def _cause(bitgen, incident, cause_cdf):
    """A leak's cause from the mix; an attack that leaks nothing and a minor cyber incident are
    cyber attacks; an incident in IT work done for others has no breach cause."""
    if incident == CYBER_NO_LEAK or incident == CYBER_MINOR:
        return CYBER_ATTACK
    if incident == IT_WORK:
        return UNSPECIFIED_CAUSE
    return categorical(bitgen, cause_cdf)


@njit(cache=True, inline="always")
def _corporate_victims(bitgen, s, incident, n, code, p):
    """Companies affected: business customers among a leak's records, or the companies a
    corporate leak or an IT-work incident touches."""
    if incident == LEAK:
        if s.corporate_share > 0.0 and n > 0.0:
            return float(binomial(bitgen, np.int64(n), s.corporate_share))
        return 0.0
    if code == NO_SEVERITY or incident == CYBER_NO_LEAK or incident == CYBER_MINOR:
        return 0.0
    c = _whole_people(sample_severity(bitgen, code, p))
    if not c <= MAX_PEOPLE:
        raise OverflowError("corporate_victims")
    return c


@njit(cache=True, inline="always")
def _is_reported(bitgen, s, incident, cause, n):
    """Whether a leak is reported to the regulator: by the 2022 rule, or with a probability
    rising with its size. Other incidents are not leaks of personal data."""
    if incident != LEAK:
        return False
    if s.report_rule == REPORT_RULE_2022:
        malicious = (np.int64(s.malicious_mask) >> cause) & 1 == 1
        if cause == LOSS_THEFT and 0.0 < s.theft_share:  # drawn whatever else holds (common numbers)
            malicious = malicious or uniform(bitgen) < s.theft_share
        return s.report_always > 0.0 or n > s.report_threshold or malicious
    if s.p_min == s.p_max and (s.p_min == 0.0 or s.p_min == 1.0):
        return s.p_min == 1.0  # certain either way: no draw
    return uniform(bitgen) < s.p_min + (s.p_max - s.p_min) * rising(n, s.n50, s.steepness)


@njit(cache=True, inline="always")
def _sample_costs(bitgen, costs, n, corporate, cause, incident, reported, losses, e, decided):
    """Response costs (records of :data:`~sim.losses.params.COST_DTYPE`): (fixed + per record
    x n + per company x corporate) x median-1 lognormal noise (or the alternative level, with
    its probability), if incurred (the event is of a kind, cause and size the cost applies to,
    reported if it must be, and the on/off draw says so). A cost that follows another shares
    its decisions, kept in ``decided`` (per cost: 0 not incurred, 1 incurred, 2 incurred at the
    alternative level). A record is a pointer, not a counted array: reading one costs no
    reference-count update."""
    for i in range(costs.shape[0]):
        cost = costs[i]
        decided[i] = 0
        if (n < cost.min_victims or not n < cost.max_victims or not (cost.cause_mask >> cause) & 1
                or not (cost.incident_mask >> incident) & 1):
            continue
        # The noise and the decisions are drawn whether or not the cost is incurred (by its
        # on/off draw or by the report, itself drawn), so that a change of a probability leaves
        # every later draw in place (common random numbers).
        noise = math.exp(cost.sigma * standard_normal(bitgen)) if cost.sigma > 0.0 else 1.0
        if cost.follows >= 0:
            decided[i] = decided[cost.follows]
        else:
            alt = cost.alt_probability > 0.0 and uniform(bitgen) < cost.alt_probability
            on = cost.probability >= 1.0 or uniform(bitgen) < cost.probability
            decided[i] = (2 if alt else 1) if on and (cost.if_reported == 0 or reported) else 0
        if decided[i] == 0:
            continue
        if decided[i] == 2:
            amount = cost.alt_fixed + cost.alt_per_record * n
        else:
            amount = cost.fixed + cost.per_record * n
        losses[e, cost.component] += (amount + cost.per_corporate * corporate) * noise


@njit(cache=True)
def sample_events(bitgen, m, events):
    """Draw ``events.losses.shape[0]`` independent events.

    Parameters
    ----------
    bitgen : numpy.random.BitGenerator
        ``rng.bit_generator`` (see ``_random``).
    m : LossModelArrays
    events : EventArrays
        Filled in place: ``losses`` ``(n_events, n_columns)`` in the columns ``m`` was compiled
        for (zeroed by the caller), and every attribute of each event.

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
    award_table, extra_code, suit_factor = m.award_table, m.extra_code, m.suit_factor
    share, claimed, corp_params = (params_of(m.extra_params, SHARE), params_of(m.extra_params, CLAIMED),
                                   params_of(m.extra_params, CORPORATE))
    column, costs, whole_records, incident_cdf = m.claim_column, m.costs, m.whole_records, m.incident_cdf
    direct_component, direct_code, direct_params = m.direct_component, m.direct_code, m.direct_params
    losses = events.losses
    decided = np.zeros(costs.shape[0], dtype=np.int64)
    for e in range(losses.shape[0]):
        i = np.int64(s.incident_single) if s.incident_single >= 0.0 else categorical(bitgen, incident_cdf)
        c = _cause(bitgen, i, cause_cdf)
        n = 0.0
        if i == LEAK:
            n = _sample_size(bitgen, size_code[c], params_of(size_params, c), s.records_held,
                             whole_records[c])
        corporate = _corporate_victims(bitgen, s, i, n, extra_code[CORPORATE], corp_params)
        reported = _is_reported(bitgen, s, i, c, n)
        k = 0
        if s.has_claimants > 0.0 and n > 0.0:
            k, damages, fee, court = sample_claims(
                bitgen, s, award_code, award, award_table, extra_code[SHARE], share,
                extra_code[CLAIMED], claimed, suit_factor[c], fee_tiers, n)
            if k > 0:
                losses[e, column.damages] = damages
                if column.litigation >= 0:
                    losses[e, column.litigation] = fee
                if court > 0.0:
                    losses[e, column.court_attendance] = court
        _sample_costs(bitgen, costs, n, corporate, c, i, reported, losses, e, decided)
        for j in range(direct_component.shape[0]):
            losses[e, direct_component[j]] += sample_severity(bitgen, direct_code[j],
                                                              params_of(direct_params, j))
        events.victims[e] = n
        events.corporate_victims[e] = corporate
        events.reported[e] = reported
        events.cause[e] = c
        events.incident[e] = i
        events.claimants[e] = k


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
