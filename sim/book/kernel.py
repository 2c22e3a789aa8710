"""Numba kernels of the book simulation: which member has an event in which year, the members
a common-cause event hits, each member-year's events through its own terms, and the book's
years into the engine's tallies.

Every kernel takes a bit generator and arrays; the caller decides which generator (see
``sim.book.run``: one shared generator per block for what all members share, one per block and
template for a template's own draws).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..engine.block_kernel import add_all_pending, queue_year
from ..losses._random import binomial, gamma, poisson, uniform
from ..losses.sampling import sample_events
from ..policy.limit_kernel import run_year


@njit(cache=True, nogil=True)
def frailty(bitgen, n_years, variance):
    """A yearly factor of mean 1 on every member's rate: Gamma with shape and scale
    ``1 / variance`` and ``variance`` (``variance`` 0: all ones)."""
    out = np.ones(n_years)
    if variance > 0.0:
        for y in range(n_years):
            out[y] = gamma(bitgen, 1.0 / variance, variance)
    return out


@njit(cache=True, inline="always")
def _search(cdf, u):
    """First index ``i`` with ``u < cdf[i]`` (``cdf`` ascending, last value 1)."""
    lo, hi = 0, cdf.shape[0] - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if u < cdf[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit(cache=True, nogil=True)
def poisson_events(bitgen, expected, year_cdf, n_years, member_cdf):
    """Independent events of one template in a block: their number is Poisson(``expected``);
    each event's year is drawn from ``year_cdf`` (uniform when it is empty) and its member from
    ``member_cdf`` (members by rate). Given the yearly factors this is the same law as every
    member-year Poisson(rate x factor) on its own. Returns (years, members), sorted."""
    n = poisson(bitgen, expected) if expected > 0.0 else 0
    years = np.empty(n, dtype=np.int64)
    members = np.empty(n, dtype=np.int64)
    for k in range(n):
        if year_cdf.shape[0] == 0:
            years[k] = min(int(uniform(bitgen) * n_years), n_years - 1)
        else:
            years[k] = _search(year_cdf, uniform(bitgen))
        members[k] = _search(member_cdf, uniform(bitgen))
    order = np.argsort(years * member_cdf.shape[0] + members, kind="mergesort")
    return years[order], members[order]


@njit(cache=True, nogil=True)
def comonotone_events(u_years, rates_desc, members_desc):
    """Comonotone counts: in year ``y`` every member's count is its Poisson quantile at the
    same uniform ``u_years[y]``. Members sorted by rate (largest first) so those with events
    are a prefix. Returns (years, members) sorted by year, then by the order given."""
    n_m = rates_desc.shape[0]
    p0 = np.exp(-rates_desc)  # ascending
    total = 0
    years_l = []
    members_l = []
    for y in range(u_years.shape[0]):
        u = u_years[y]
        for i in range(n_m):
            if not p0[i] < u:
                break
            lam = rates_desc[i]
            k, term = 0, p0[i]
            cdf = term
            while cdf < u:       # the smallest k with P(N <= k) >= u
                k += 1
                term *= lam / k
                cdf += term
                if term == 0.0:
                    break
            for _ in range(k):
                years_l.append(y)
                members_l.append(members_desc[i])
            total += k
    years = np.empty(total, dtype=np.int64)
    members = np.empty(total, dtype=np.int64)
    for k in range(total):
        years[k] = years_l[k]
        members[k] = members_l[k]
    return years, members


@njit(cache=True, nogil=True)
def catalogue_hits(bitgen, n_years, rates, group_start, group_members, shares, scratch, exact):
    """Occurrences of common-cause events and the members each hits.

    ``rates[c]``: occurrences a year of catalogue event ``c``; members of footprint group ``g``
    are ``group_members[group_start[g]:group_start[g + 1]]`` and ``shares[c, g]`` the share of
    them an occurrence hits (Binomial count, then that many distinct members by a partial
    Fisher-Yates shuffle of ``scratch``, a copy of ``group_members`` carried through the block).
    ``exact``: one occurrence of every event each year, whatever its rate (scenario runs).
    Returns (year, occurrence, event, member) per hit, occurrences in year order."""
    n_c = rates.shape[0]
    occ_year_l = []
    occ_event_l = []
    for c in range(n_c):
        if exact:
            for y in range(n_years):
                occ_year_l.append(y)
                occ_event_l.append(c)
            continue
        n = poisson(bitgen, rates[c] * n_years) if rates[c] > 0.0 else 0
        for _ in range(n):
            occ_year_l.append(min(int(uniform(bitgen) * n_years), n_years - 1))
            occ_event_l.append(c)
    n_occ = len(occ_year_l)
    occ_year = np.empty(n_occ, dtype=np.int64)
    occ_event = np.empty(n_occ, dtype=np.int64)
    for k in range(n_occ):
        occ_year[k] = occ_year_l[k]
        occ_event[k] = occ_event_l[k]
    order = np.argsort(occ_year * n_c + occ_event, kind="mergesort")
    hy, ho, he, hm = [0], [0], [0], [0]
    hy.pop(); ho.pop(); he.pop(); hm.pop()
    for o in range(n_occ):
        k_occ = order[o]
        c = occ_event[k_occ]
        for g in range(group_start.shape[0] - 1):
            s = shares[c, g]
            size = group_start[g + 1] - group_start[g]
            if s <= 0.0 or size == 0:
                continue
            k = binomial(bitgen, size, s) if s < 1.0 else size
            base = group_start[g]
            for j in range(k):
                pick = j + min(int(uniform(bitgen) * (size - j)), size - j - 1)
                scratch[base + j], scratch[base + pick] = scratch[base + pick], scratch[base + j]
                hy.append(occ_year[k_occ])
                ho.append(o)
                he.append(c)
                hm.append(scratch[base + j])
    n_h = len(hy)
    out = np.empty((4, n_h), dtype=np.int64)
    for k in range(n_h):
        out[0, k], out[1, k], out[2, k], out[3, k] = hy[k], ho[k], he[k], hm[k]
    return out


@njit(cache=True, nogil=True)
def sample_losses(bitgen, model, events):
    """:func:`sim.losses.sampling.sample_events` without holding the GIL (threads)."""
    sample_events(bitgen, model, events)


@njit(cache=True, nogil=True)
def member_years(nodes, group_start, inputs, section_node, work, group_work, losses, victims,
                 corporate_victims, reported, cause, incident, key, paid):
    """Run events sorted by ``key`` (year x members + member) through one template's terms, each
    run of equal keys (one member's year) from a full aggregate; ``paid[e]`` is what the
    policy paid for event ``e`` (all sections)."""
    n = key.shape[0]
    by_section = np.zeros((n, section_node.shape[0]))
    no_trace = np.zeros((0, 0, 0))
    first = 0
    while first < n:
        stop = first + 1
        while stop < n and key[stop] == key[first]:
            stop += 1
        run_year(nodes, group_start, inputs, section_node, work, group_work, losses, first, stop,
                 victims, corporate_victims, reported, cause, incident, by_section, 0, no_trace, False)
        first = stop
    for e in range(n):
        total = 0.0
        for s in range(section_node.shape[0]):
            total += by_section[e, s]
        paid[e] = total


@njit(cache=True)
def record_years(year_values, hist, carry, unchecked, nonzero, top, top_size, block_moments,
                 pending):
    """Add a block's years (``(n_years, n_slots)``, every slot a value each year) to the
    engine's tallies (:mod:`sim.engine.block_kernel`)."""
    n_slots = year_values.shape[1]
    slots = np.arange(n_slots)
    n_pending = np.zeros(n_slots, dtype=np.int64)
    no_keep = np.zeros((0, n_slots))
    for y in range(year_values.shape[0]):
        if queue_year(slots, year_values[y], n_slots, y, no_keep, pending, n_pending):
            add_all_pending(pending, n_pending, hist, carry, unchecked, nonzero, top, top_size,
                            block_moments)
    add_all_pending(pending, n_pending, hist, carry, unchecked, nonzero, top, top_size,
                    block_moments)
