"""One block of book years: every template's events and common-cause hits, through each
member's terms, summed into the book's years.

Random streams (common random numbers): block ``b`` draws what all members share (the yearly
frailty or uniform of the dependence setting, the common-cause occurrences and their
footprints) from ``SeedSequence(seed, spawn_key=(b, 0))``, and each template's own events and
losses from ``SeedSequence(seed, spawn_key=(b, 1, stream))``, ``stream`` a hash of the
template's key. So a result depends only on (book, catalogue, settings, n_years, seed); adding
a member of another template leaves a template's draws as they were; and the blocks can run on
any number of threads in any order.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..events import EventArrays, empty_events
from ..policy.compile import new_state
from .catalogue import INCIDENT_KINDS
from .compile import CompiledBook
from .kernel import catalogue_hits, comonotone_events, frailty, member_years, poisson_events, sample_losses
from .reinsurance import Reinsurance

SLOTS = ("ground_up", "gross", "ground_up_occurrence", "gross_occurrence", "accumulation", "ceded", "net")
ROW_BYTES = 8 * 8   # per event besides its loss columns: year, member, keys, paid, ground, ...


class BlockYears(NamedTuple):
    values: np.ndarray          # (n, len(SLOTS))
    member_sum: np.ndarray      # (n_members,) paid
    member_sumsq: np.ndarray    # (n_members,) paid per member-year, squared
    top_value: np.ndarray       # the block's largest gross years (M)
    top_year: np.ndarray        # their years (in the run)
    top_tiers: np.ndarray       # (M, n_tiers) their gross by tier
    top_accumulation: np.ndarray
    event_stats: np.ndarray     # (n_catalogue + 1, 4): count, sum, sum of squares, max of occurrence gross
    n_events: int
    occurrences: np.ndarray | None = None  # (3, k) with keep_events: year in the run, EventId, gross loss


def generator(seed: int, *key: int) -> np.random.PCG64:
    return np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key))


def _view(ev: EventArrays, a: int, b: int) -> EventArrays:
    return EventArrays(*(x[a:b] for x in ev))


def run_block(cb: CompiledBook, b: int, first_year: int, n: int, seed: int, dependence: str,
              variance: float, treaty: Reinsurance, n_top: int, scenario: bool = False) -> BlockYears:
    """Block ``b`` (years ``first_year`` to ``first_year + n``); ``scenario``: no own events,
    and one occurrence of each catalogue event every year (a deterministic scenario's draws)."""
    shared = generator(seed, b, 0)
    year_cdf, factor = np.zeros(0), float(n)
    u_years = None
    if dependence == "default":
        g = frailty(shared, n, variance)
        factor = float(g.sum())
        year_cdf = np.cumsum(g) / factor
        year_cdf[-1] = 1.0
    elif dependence == "comonotone":
        u_years = np.random.Generator(shared).random(n)
    cat = cb.catalogue
    hits = catalogue_hits(shared, n, cat.events["rate"].to_numpy(float) if len(cat) else np.zeros(0),
                          cb.group_start, cb.group_members, cb.shares, cb.group_members.copy(), scenario)
    hit_template = cb.book.template_of[hits[3]]
    hit_kind = cb.event_kind[hits[2]] if hits.shape[1] else np.zeros(0, np.int64)
    by_template = np.lexsort((hit_kind, hit_template))
    bounds = np.searchsorted(hit_template[by_template], np.arange(len(cb.templates) + 1))
    n_members = len(cb.book)
    parts = []
    for t_index, t in enumerate(cb.templates):
        gen = generator(seed, b, 1, t.stream)
        if scenario:
            years, local = np.zeros(0, np.int64), np.zeros(0, np.int64)
        elif u_years is not None:
            years, local = comonotone_events(u_years, t.rates[t.by_rate], t.by_rate)
        else:
            years, local = poisson_events(gen, t.rate_total * factor, year_cdf, n, t.member_cdf)
        mine = hits[:, by_template[bounds[t_index]:bounds[t_index + 1]]]
        n_ind, n_hit = len(years), mine.shape[1]
        if n_ind + n_hit == 0:
            continue
        ev = empty_events(n_ind + n_hit, len(t.columns))
        if n_ind:
            sample_losses(gen, t.model, _view(ev, 0, n_ind))
        kinds = cb.event_kind[mine[2]]
        for k in range(len(INCIDENT_KINDS)):
            at = np.flatnonzero(kinds == k)
            if len(at):
                sample_losses(gen, t.kinds[k], _view(ev, n_ind + at[0], n_ind + at[-1] + 1))
        year = np.concatenate([years, mine[0]])
        member = np.concatenate([t.members[local], mine[3]])
        occurrence = np.concatenate([np.full(n_ind, -1, np.int64), mine[1]])
        event = np.concatenate([np.full(n_ind, -1, np.int64), mine[2]])
        key = year * n_members + member
        order = np.argsort(key, kind="mergesort")   # a member's own events first, then its hits
        ev = EventArrays(*(x[order] for x in ev))
        paid = np.empty(len(order))
        state = new_state(t.terms)
        member_years(t.terms.nodes, t.terms.group_start, t.terms.inputs, t.terms.section_node,
                     state.work, state.group_work, ev.losses, ev.victims, ev.corporate_victims,
                     ev.reported, ev.cause, ev.incident, key[order], paid)
        parts.append((year[order], member[order], paid, ev.losses.sum(axis=1), occurrence[order],
                      event[order]))
    return _years(cb, parts, n, first_year, treaty, n_top, hits)


def _years(cb, parts, n, first_year, treaty, n_top, hits) -> BlockYears:
    year, member, paid, ground, occurrence, event = (
        np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, dt)
        for i, dt in enumerate((np.int64, np.int64, float, float, np.int64, np.int64)))
    n_members = len(cb.book)
    values = np.zeros((n, len(SLOTS)))
    values[:, 0] = np.bincount(year, ground, minlength=n)
    values[:, 1] = gross = np.bincount(year, paid, minlength=n)
    hit = occurrence >= 0
    own = ~hit
    n_occ = int(hits[1].max()) + 1 if hits.shape[1] else 0
    occ_year = np.zeros(n_occ, np.int64)
    occ_year[hits[1]] = hits[0]
    occ_event = np.zeros(n_occ, np.int64)
    occ_event[hits[1]] = hits[2]
    occ_paid = np.bincount(occurrence[hit], paid[hit], minlength=n_occ)
    occ_ground = np.bincount(occurrence[hit], ground[hit], minlength=n_occ)
    for col, per_event, per_occ in ((2, ground, occ_ground), (3, paid, occ_paid)):
        np.maximum.at(values[:, col], year[own], per_event[own])
        np.maximum.at(values[:, col], occ_year, per_occ)
    values[:, 4] = np.bincount(year[hit], paid[hit], minlength=n)
    xl = np.bincount(year, treaty.event_xl(paid), minlength=n)
    values[:, 5], values[:, 6] = treaty.apply_years(gross, xl)
    member_sum = np.bincount(member, paid, minlength=n_members)
    key = year * n_members + member
    uniq, inverse = np.unique(key, return_inverse=True)
    my = np.bincount(inverse, paid, minlength=len(uniq))
    member_sumsq = np.bincount(uniq % n_members, my * my, minlength=n_members)
    m = min(n_top, n)
    top = np.lexsort((np.arange(n), -gross))[:m]
    rank = np.full(n, -1, np.int64)
    rank[top] = np.arange(m)
    in_top = rank[year] >= 0
    n_tiers = len(cb.tiers)
    top_tiers = np.bincount(rank[year[in_top]] * n_tiers + cb.tier[member[in_top]], paid[in_top],
                            minlength=m * n_tiers).reshape(m, n_tiers)
    stats = np.zeros((len(cb.catalogue) + 1, 4))
    for row, losses in [(0, paid[own])] + [(1 + c, occ_paid[occ_event == c]) for c in range(len(cb.catalogue))]:
        if len(losses):
            stats[row] = len(losses), losses.sum(), (losses * losses).sum(), losses.max()
    # occurrences in year order: a member's own event (EventId 0) or one common-cause occurrence
    ids = cb.catalogue.events["event_id"].to_numpy(np.int64) if len(cb.catalogue) else np.zeros(0, np.int64)
    occ_y = np.concatenate([year[own], occ_year])
    order = np.argsort(occ_y, kind="mergesort")
    occurrences = np.stack([(occ_y + first_year).astype(float),
                            np.concatenate([np.zeros(own.sum()), ids[occ_event]]).astype(float),
                            np.concatenate([paid[own], occ_paid])])[:, order]
    occurrences = occurrences[:, occurrences[2] > 0]
    return BlockYears(values, member_sum, member_sumsq, gross[top], top + first_year, top_tiers,
                      values[top, 4], stats, len(year), occurrences)
