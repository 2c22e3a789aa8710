"""Running blocks of policy years: the one API that local threads and Dask tasks both call.

A run is compiled once (:func:`compile_run`: loss model, stacked policies, frequency, slot
layout); :func:`run_blocks` then runs any set of its blocks and returns what they tallied
(:class:`BlockOutput`). Block ``b`` covers years ``b * BLOCK_YEARS`` onwards and draws from its
own generator, ``SeedSequence(seed, spawn_key=(b,))``, so what a block tallies does not depend on
which thread or machine ran it, nor in which order.
"""
from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
import sys
import threading
from typing import NamedTuple

import numpy as np

from ..events import empty_events
from ..losses.limits import overflow_error
from ..policy.compile import new_state, stack_policies
from ..scenario import Scenario
from ._memory import BLOCK_YEARS, event_capacity
from .block_kernel import QUEUE, simulate_block
from .event_table import KeptEvents, block_events, join_events
from .layout import Layout, scenario_layout
from .tally import Tally, merge_tallies, new_tally


class CompiledRun(NamedTuple):
    """The compiled inputs of one simulation, shared by every block."""

    scenario: Scenario
    n_years: int
    seed: int
    columns: tuple          # the loss components the model makes (event rows hold only these)
    model: object           # LossModelArrays for ``columns``
    terms: object           # PolicyArrays: every policy, stacked
    freq: np.ndarray
    layout: Layout
    block_years: np.ndarray  # (n_blocks,) years of each block
    event_capacity: int      # events a thread's reusable buffers hold

    @property
    def n_blocks(self) -> int:
        return len(self.block_years)


class BlockOutput(NamedTuple):
    """What some blocks of a run tallied, per slot (rows in the order of ``blocks``)."""

    blocks: list[int]           # ascending
    tally: Tally                # merged over the blocks
    limit_hits: np.ndarray      # (2, n_nodes) int64: years a node's event limit bound / aggregate ran out
    block_moments: np.ndarray   # (len(blocks), 2, n_slots): each block's sum and sum of squares
    year_values: np.ndarray     # (years of the blocks, n_slots) when years are kept, else no rows
    events: KeptEvents | None   # the blocks' events in year order when events are kept
    component_moments: np.ndarray  # (len(blocks), 2, n_components): gross by component, as block_moments


def compile_run(scenario: Scenario, n_years: int, seed: int) -> CompiledRun:
    """Compile ``scenario`` (already checked) for a run of ``n_years`` from ``seed``."""
    columns = scenario.model.components
    n_blocks = -(-n_years // BLOCK_YEARS)
    return CompiledRun(scenario, n_years, seed, columns, scenario.model.compile(columns),
                       stack_policies([p.compiled for p in scenario.policies], columns),
                       scenario.frequency.to_array(), scenario_layout(scenario),
                       np.minimum(BLOCK_YEARS, n_years - BLOCK_YEARS * np.arange(n_blocks)),
                       event_capacity(scenario.frequency, n_years))


def run_blocks(run: CompiledRun, blocks: Iterable[int], *, threads: int = 1,
               keep_years: bool = False, keep_events: bool = False,
               progress: bool = False) -> BlockOutput:
    """Run ``blocks`` of ``run`` on ``threads`` threads, taking them in the order given.

    Parameters
    ----------
    run : CompiledRun
    blocks : iterable of int
        Block numbers; the output lists them in ascending order whatever the order given.
    threads : int
    keep_years : bool
        Keep every year's slot values (only these blocks' years are allocated).
    keep_events : bool
        Keep every event of these blocks (:mod:`~sim.engine.event_table`).
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    BlockOutput
    """
    order = [int(b) for b in blocks]
    kept_blocks = sorted(order)
    n_slots = run.layout.n_slots
    kept = run.block_years[kept_blocks] if keep_years else np.zeros(len(kept_blocks), np.int64)
    first_row = dict(zip(kept_blocks, (np.cumsum(kept) - kept).tolist()))
    row_of = {b: r for r, b in enumerate(kept_blocks)}
    moments = np.zeros((len(kept_blocks), 2, n_slots))
    component_moments = np.zeros((len(kept_blocks), 2, len(run.columns)))
    years = np.zeros((int(kept.sum()), n_slots))
    tallies: list[Tally] = []
    events_of_blocks: dict[int, KeptEvents] = {}
    hits_of_threads: list[np.ndarray] = []
    todo = iter(order)
    lock = threading.Lock()
    stop = threading.Event()  # set on Ctrl-C or a worker's error: the others stop between blocks
    bar = _progress_bar(int(run.block_years[order].sum())) if progress else None

    def worker() -> None:
        tally = new_tally(n_slots)
        hits = np.zeros((2, run.terms.n_nodes), np.int64)
        state = new_state(run.terms)
        events = empty_events(run.event_capacity, len(run.columns))
        pending = np.empty((n_slots, QUEUE))
        while not stop.is_set() and (b := next(todo, None)) is not None:
            n = int(run.block_years[b])
            rows = years[first_row[b]:first_row[b] + n] if keep_years else years[:0]
            counts, drawn = _run_block(run, b, tally, pending, hits, state, events,
                                       moments[row_of[b]], rows, component_moments[row_of[b]])
            if keep_events:
                kept_events = block_events(run.terms, b * BLOCK_YEARS, counts, drawn)
                with lock:
                    events_of_blocks[b] = kept_events
            if bar is not None:
                with lock:
                    bar.update(n)
        with lock:
            tallies.append(tally)
            hits_of_threads.append(hits)

    n_workers = max(min(threads, len(order)), 1)
    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        running = {pool.submit(worker) for _ in range(n_workers)}
        try:
            while running:  # short waits, so that Ctrl-C reaches this (main) thread at once
                done, running = wait(running, timeout=0.1, return_when=FIRST_EXCEPTION)
                for future in done:
                    future.result()  # a worker's error, raised now
        except BaseException:
            stop.set()
            raise
        finally:
            if bar is not None:
                bar.close()
    kept_events = (join_events([events_of_blocks.pop(b) for b in kept_blocks])
                   if keep_events else None)
    return BlockOutput(kept_blocks, merge_tallies(tallies), sum(hits_of_threads), moments, years,
                       kept_events, component_moments)


def _run_block(run: CompiledRun, b: int, tally, pending, hits, state, events, moments,
               years, component_moments) -> tuple:
    """Run block ``b``; its yearly event counts and its events (in the thread's buffers)."""
    try:
        return simulate_block(block_generator(run.seed, b), int(run.block_years[b]), run.freq,
                              run.model, run.terms, run.layout.slots, state, events, tally,
                              pending, hits, moments, years, component_moments)
    except OverflowError as err:  # a draw passed a ceiling of sim._limits: name the field
        raise overflow_error(str(err), run.scenario.model, run.columns, run.model, run.freq,
                             block_generator(run.seed, b), int(run.block_years[b])) from None


def block_generator(seed: int, b: int) -> np.random.PCG64:
    """Block ``b``'s generator: what ``default_rng(SeedSequence(...))`` would wrap (the kernels
    draw from the bit generator)."""
    return np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(b,)))


def _progress_bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, unit=" years", unit_scale=True, file=sys.stderr)
