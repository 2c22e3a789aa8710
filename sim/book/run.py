"""``simulate_book``: the book's years in blocks, on threads or Dask, streamed into the engine's
tallies (never arrays of years x members), with the memory need checked before starting."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
import math
import os
from typing import NamedTuple

import numpy as np

from .._errors import InputError, check_bool, check_count
from ..engine._memory import memory_budget
from ..engine.block_kernel import QUEUE
from ..engine.tally import TOP_K, new_tally
from .block import ROW_BYTES, SLOTS, BlockYears, run_block
from .catalogue import Catalogue, check_dependence
from .compile import CompiledBook, compile_book, expected_hits, total_rate
from .kernel import record_years
from .members import Book
from .reinsurance import Reinsurance
from .results import BookResult

BOOK_BLOCK_YEARS = 1 << 13     # fixed: results never depend on threads or machines
CAPITAL_LEVEL = 0.99


class BookMemory(NamedTuple):
    """Bytes a book run allocates, by what drives them."""

    events: int        # threads x a block's events (members' rates + common-cause hits)
    tallies: int       # threads x slots x histogram
    members: int       # per-member sums, per thread and merged
    tail_years: int    # blocks x top years x tiers (capital allocation)
    kept_years: int    # n_years x slots with keep_years; 2 x 24 bytes an event with keep_events

    @property
    def total(self) -> int:
        return sum(self)


def estimate_book_memory(cb: CompiledBook, n_years: int, threads: int, keep_years: bool,
                         capital_level: float = CAPITAL_LEVEL, scenario: bool = False,
                         keep_events: bool = False) -> BookMemory:
    """What a run of ``cb`` will allocate (an upper estimate: a block's events at their mean
    plus six standard deviations, each row its loss columns and bookkeeping, twice: drawn and
    sorted)."""
    n = min(BOOK_BLOCK_YEARS, n_years)
    mean = n * ((0.0 if scenario else total_rate(cb)) + expected_hits(cb, scenario))
    events = mean + 6 * math.sqrt(mean) + 64
    cols = max((len(t.columns) for t in cb.templates), default=1)
    per_thread_events = int(2 * events * (8 * cols + ROW_BYTES))
    slot_bytes = new_tally(1).hist.nbytes * 5 // 4 + TOP_K * 8 + QUEUE * 8
    n_blocks = -(-n_years // BOOK_BLOCK_YEARS)
    top = _n_top(n_years, capital_level)
    tiers = len(cb.tiers)
    return BookMemory(threads * per_thread_events, (threads + 1) * len(SLOTS) * slot_bytes,
                      (threads + 2) * 2 * 8 * len(cb.book),
                      (n_blocks + 2) * top * (tiers + 3) * 8,
                      (n_years * len(SLOTS) * 8 if keep_years else 0)
                      + (int(2 * 24 * n_years * ((0.0 if scenario else total_rate(cb)) + expected_hits(cb, scenario)))
                         if keep_events else 0))


def _n_top(n_years: int, q: float) -> int:
    return min(math.ceil(n_years * (1.0 - q)) + 1, n_years)


def simulate_book(book: Book, n_years: int, seed: int, *, catalogue: Catalogue | None = None,
                  dependence: str = "none", frailty_variance: float | None = None,
                  reinsurance: Reinsurance | None = None, threads: int | None = None,
                  keep_years: bool = False, keep_events: bool = False, capital_level: float = CAPITAL_LEVEL,
                  max_memory: float | None = None, client=None, _scenario: bool = False) -> BookResult:
    """Simulate ``n_years`` years of the whole book.

    Parameters
    ----------
    book : Book
    n_years, seed : int
    catalogue : Catalogue, optional
        Common-cause events (default: none; :meth:`Catalogue.default` is the bundled one).
    dependence : {"none", "default", "comonotone"}
        Dependence of the members' own events (:mod:`sim.book.catalogue`).
    frailty_variance : float, optional
        Variance of the yearly frailty for ``"default"``.
    reinsurance : Reinsurance, optional
    threads : int, optional
        Worker threads (default: the cores); the result does not depend on it.
    keep_years : bool
        Keep the book's values of every year (``result.years``).
    keep_events : bool
        Keep every occurrence with an insured loss (a member's own event, or one common-cause
        event over all the members it hit) for the event and period loss tables
        (:func:`sim.book.ord.selt`, :func:`sim.book.ord.plt`); memory grows with the events.
    capital_level : float
        The level of the co-TVaR capital allocation (the tail years kept per tier).
    max_memory : float, optional
        Bytes the run may use (default as :func:`sim.simulate`); a run estimated to need more is
        refused before it starts.
    client : dask.distributed.Client, optional
        Run the blocks as Dask tasks; the result is the same as on local threads.

    Returns
    -------
    BookResult
    """
    if not isinstance(book, Book):
        raise InputError("book", f"a {type(book).__name__} is not a Book; use sim.book.Book.from_frame")
    n_years = check_count("n_years", n_years)
    if n_years == 0:
        raise InputError("n_years", "0 is not allowed; expected a whole number > 0")
    seed = check_count("seed", seed)
    keep_years = check_bool("keep_years", keep_years)
    keep_events = check_bool("keep_events", keep_events)
    dependence, variance = check_dependence(dependence, frailty_variance)
    if not isinstance(capital_level, float) or not 0.0 < capital_level < 1.0:
        raise InputError("capital_level", f"{capital_level!r} is not allowed; expected a level between 0 and 1")
    catalogue = Catalogue.empty() if catalogue is None else catalogue
    treaty = reinsurance or Reinsurance()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if threads is not None and check_count("threads", threads) == 0:
        raise InputError("threads", "0 is not allowed; expected a whole number > 0")
    threads = cores if threads is None else int(threads)
    cb = compile_book(book, catalogue)
    budget, source = memory_budget(max_memory)
    need = estimate_book_memory(cb, n_years, 1 if client is not None else threads, keep_years, capital_level, _scenario, keep_events)
    if need.total > budget:
        parts = ", ".join(f"{k.replace('_', ' ')} {v / 2**20:,.0f} MiB" for k, v in need._asdict().items() if v)
        raise InputError("n_years" if need.kept_years > budget / 2 else "threads",
                         f"the run needs about {need.total / 2**20:,.0f} MiB ({parts}) but may use "
                         f"{budget / 2**20:,.0f} MiB ({source}); use fewer threads, fewer years or keep_years=False")
    n_blocks = -(-n_years // BOOK_BLOCK_YEARS)
    years = np.minimum(BOOK_BLOCK_YEARS, n_years - BOOK_BLOCK_YEARS * np.arange(n_blocks))
    args = (seed, dependence, variance, treaty, _n_top(n_years, capital_level), _scenario)
    tally = new_tally(len(SLOTS))
    moments = np.zeros((n_blocks, 2, len(SLOTS)))
    pending = np.empty((len(SLOTS), QUEUE))
    outputs = []

    def record(b: int, out: BlockYears) -> None:
        # in block order, on this thread: the tallies' float moments add up the same on any threads
        record_years(out.values, *tally, moments[b], pending)
        out = out if keep_years else out._replace(values=out.values[:0])
        outputs.append(out if keep_events else out._replace(occurrences=None))

    if client is not None:
        futures = [client.submit(run_block, cb, b, int(b * BOOK_BLOCK_YEARS), int(years[b]), *args, pure=False)
                   for b in range(n_blocks)]
        for b, future in enumerate(futures):
            record(b, future.result())
            future.release()
    else:
        with ThreadPoolExecutor(max_workers=max(min(threads, n_blocks), 1)) as pool:
            for b, out in enumerate(pool.map(lambda b: run_block(cb, b, int(b * BOOK_BLOCK_YEARS), int(years[b]), *args),
                                             range(n_blocks))):
                record(b, out)
    return _merge(cb, outputs, tally, moments, n_years, seed, dependence, variance, treaty,
                  capital_level, keep_years, keep_events, need)


def _merge(cb, blocks, tally, moments, n_years, seed, dependence, variance, treaty, level, keep_years,
           keep_events, need) -> BookResult:
    block_years = np.minimum(BOOK_BLOCK_YEARS, n_years - BOOK_BLOCK_YEARS * np.arange(len(blocks)))
    member_sum = np.sum([b.member_sum for b in blocks], axis=0)      # block order
    member_sumsq = np.sum([b.member_sumsq for b in blocks], axis=0)
    value = np.concatenate([b.top_value for b in blocks])
    year = np.concatenate([b.top_year for b in blocks])
    top = np.lexsort((year, -value))[:_n_top(n_years, level)]
    tiers = np.concatenate([b.top_tiers for b in blocks])[top]
    acc = np.concatenate([b.top_accumulation for b in blocks])[top]
    stats = np.stack([b.event_stats for b in blocks])
    event_stats = stats.sum(axis=0)
    event_stats[:, 3] = stats[:, :, 3].max(axis=0)
    kept = np.concatenate([b.values for b in blocks]) if keep_years else None
    events = np.concatenate([b.occurrences for b in blocks], axis=1) if keep_events else None
    return BookResult(cb, n_years, seed, dependence, variance, treaty, tally, moments, block_years,
                      member_sum, member_sumsq, value[top], year[top], tiers, acc, event_stats, kept,
                      need, int(sum(b.n_events for b in blocks)), level, events)


def what_if(book: Book, event: str, n_draws: int = 10_000, seed: int = 1, *,
            catalogue: Catalogue | None = None, reinsurance: Reinsurance | None = None,
            threads: int | None = None) -> BookResult:
    """A deterministic scenario: the book's loss from one occurrence of catalogue ``event``
    (e.g. ``"largest_payroll_saas"``) hitting its footprint, ``n_draws`` times: each draw picks
    the members hit and draws their losses anew, with no other event. The result's ``gross``
    (and ``net``) is the scenario loss; its summary gives the distribution over the draws."""
    cat = (catalogue or Catalogue.default()).only(event)
    return simulate_book(book, n_draws, seed, catalogue=cat, reinsurance=reinsurance, threads=threads,
                         _scenario=True)
