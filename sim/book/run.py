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
    running = _Running(_n_top(n_years, capital_level))

    def record(b: int, out: BlockYears) -> None:
        # in block order, on this thread: the tallies' float moments add up the same on any threads
        record_years(out.values, *tally, moments[b], pending)
        running.add(out)  # member sums and the tail years: folded in now, not held per block
        outputs.append(out._replace(values=out.values if keep_years else out.values[:0],
                                    occurrences=out.occurrences if keep_events else None,
                                    member_sum=None, member_sumsq=None, top_value=None,
                                    top_year=None, top_tiers=None, top_accumulation=None))

    if client is not None:
        shared = client.scatter(cb, broadcast=True)  # sent once, not with every block
        futures = [client.submit(run_block, shared, b, int(b * BOOK_BLOCK_YEARS), int(years[b]), *args, pure=False)
                   for b in range(n_blocks)]
        for b, future in enumerate(futures):
            record(b, future.result())
            future.release()
    else:
        with ThreadPoolExecutor(max_workers=max(min(threads, n_blocks), 1)) as pool:
            for b, out in enumerate(pool.map(lambda b: run_block(cb, b, int(b * BOOK_BLOCK_YEARS), int(years[b]), *args),
                                             range(n_blocks))):
                record(b, out)
    return _merge(cb, outputs, running, tally, moments, n_years, seed, dependence, variance, treaty,
                  capital_level, keep_years, keep_events, need)


class _Running:
    """What the blocks add up to, folded in block order as they arrive: the members' sums and
    sums of squares, the event statistics, and the run's ``n_top`` largest years with their
    tier and accumulation sums (the union of the blocks' tops, cut to the run's top after each
    block: the same years, in the same order, as cutting once at the end)."""

    def __init__(self, n_top: int):
        self.n_top = n_top
        self.member_sum = self.member_sumsq = self.event_stats = None
        self.value = self.year = self.tiers = self.accumulation = None

    def add(self, out: BlockYears) -> None:
        if self.member_sum is None:
            self.member_sum, self.member_sumsq = out.member_sum.copy(), out.member_sumsq.copy()
            self.event_stats = out.event_stats.copy()
            self.value, self.year = out.top_value, out.top_year
            self.tiers, self.accumulation = out.top_tiers, out.top_accumulation
        else:
            self.member_sum += out.member_sum
            self.member_sumsq += out.member_sumsq
            self.event_stats[:, :3] += out.event_stats[:, :3]
            self.event_stats[:, 3] = np.maximum(self.event_stats[:, 3], out.event_stats[:, 3])
            self.value = np.concatenate([self.value, out.top_value])
            self.year = np.concatenate([self.year, out.top_year])
            self.tiers = np.concatenate([self.tiers, out.top_tiers])
            self.accumulation = np.concatenate([self.accumulation, out.top_accumulation])
        top = np.lexsort((self.year, -self.value))[:self.n_top]
        self.value, self.year = self.value[top], self.year[top]
        self.tiers, self.accumulation = self.tiers[top], self.accumulation[top]


def _merge(cb, blocks, running, tally, moments, n_years, seed, dependence, variance, treaty, level,
           keep_years, keep_events, need) -> BookResult:
    block_years = np.minimum(BOOK_BLOCK_YEARS, n_years - BOOK_BLOCK_YEARS * np.arange(len(blocks)))
    kept = np.concatenate([b.values for b in blocks]) if keep_years else None
    events = np.concatenate([b.occurrences for b in blocks], axis=1) if keep_events else None
    r = running
    return BookResult(cb, n_years, seed, dependence, variance, treaty, tally, moments, block_years,
                      r.member_sum, r.member_sumsq, r.value, r.year, r.tiers, r.accumulation,
                      r.event_stats, kept, need, int(sum(b.n_events for b in blocks)), level, events)


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
