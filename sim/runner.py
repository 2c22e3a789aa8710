"""``simulate``: millions of policy years, in fixed-size blocks, on local threads.

Block ``b`` covers years ``b * BLOCK_YEARS`` onwards and draws from its own generator,
``SeedSequence(seed, spawn_key=(b,))`` (the b-th child of ``SeedSequence(seed)``), so a result
depends only on (scenario, n_years, seed): not on the number of threads or which thread ran
which block. Every policy of the scenario sees the same simulated events (common random numbers)
in the same kernel pass.
"""
from __future__ import annotations

from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
import os
from pathlib import Path
import sys
import threading

import numpy as np

from ._errors import InputError, check_bool, check_count
from ._kernels import QUEUE, simulate_block
from ._memory import BLOCK_YEARS, check_memory, estimate_memory, event_capacity, memory_budget
from .events import empty_events
from .losses.limits import overflow_error
from .policy.compile import new_state, stack_policies
from .results import SimulationResult
from .scenario import Scenario, load_scenario
from .tally import (measure_layout, measure_moments, measure_tallies, merge_tallies, n_slots,
                    new_tally)


def simulate(scenario: Scenario | str | Path, n_years: int, seed: int, *,
             threads: int | None = None, keep_years: bool = False,
             progress: bool | None = None, client=None,
             max_memory: float | None = None) -> SimulationResult:
    """Simulate ``n_years`` policy years of ``scenario`` through all its policies.

    Parameters
    ----------
    scenario : Scenario, str or Path
        With a loss model and a frequency (see ``scenarios/peer_compound.toml``); a path is
        loaded with :func:`~sim.load_scenario`.
    n_years : int
    seed : int
    threads : int, optional
        Worker threads (default: all cores, fewer if their buffers would not fit in
        ``max_memory``); more than the cores are capped. The result does not depend on it.
    keep_years : bool
        Keep every year's values for :meth:`SimulationResult.to_frame` (memory grows with
        ``n_years``: for notebooks and small runs).
    progress : bool, optional
        Show a progress bar; default: only when stderr is a terminal and the run is long.
    client : dask.distributed.Client, optional
        Run the blocks as tasks on this Dask cluster instead of local threads; the result is
        identical to a local run with the same seed.
    max_memory : float, optional
        Bytes the run may allocate (default: ``SIM_MAX_MEMORY`` if set, else half of the
        memory available). A run estimated to need more is refused before it starts, with an
        :class:`InputError` naming what drives the need (``frequency``, ``policies``,
        ``n_years``, ``keep_years`` or ``threads``); see :func:`sim._memory.estimate_memory`.

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> import sim
    >>> scn = sim.load_scenario("scenarios/peer_compound.toml")
    >>> res = sim.simulate(scn, n_years=20_000, seed=7)
    >>> bool(res.summary().loc[("basic XL", "paid"), "mean"] > 0)
    True
    """
    scenario = _scenario(scenario)
    n_years = check_count("n_years", n_years)
    if n_years == 0:
        raise InputError("n_years", "0 is not allowed; expected a whole number > 0")
    seed = check_count("seed", seed)
    keep_years = check_bool("keep_years", keep_years)
    if progress is not None:
        check_bool("progress", progress)
    if client is not None:
        from .distributed import check_client

        check_client(client)
    budget, source = memory_budget(max_memory)
    threads = _threads(threads, scenario, n_years, keep_years, budget)
    check_memory(scenario, n_years, 1 if client is not None else threads, keep_years, budget, source)
    run = _Run(scenario, n_years, seed, keep_years)
    if client is not None:
        from .distributed import run_on_dask

        run_on_dask(run, client)
    else:
        run.execute(threads, _show_progress(progress, n_years))
    return run.result()


def _scenario(scenario: object) -> Scenario:
    """The scenario to simulate: a :class:`Scenario`, or the path of one."""
    if isinstance(scenario, (str, os.PathLike)):
        scenario = load_scenario(scenario)
    if not isinstance(scenario, Scenario):
        raise InputError("scenario", f"a {type(scenario).__name__} is not a Scenario; expected "
                         "sim.load_scenario(path) or the path of a .toml scenario")
    scenario.check_simulable()
    return scenario


def _threads(threads: int | None, scenario: Scenario, n_years: int, keep_years: bool,
             budget: float) -> int:
    """Threads to run on: at most the cores; by default, also no more than fit in ``budget``."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if threads is not None:
        if check_count("threads", threads) == 0:
            raise InputError("threads", "0 is not allowed; expected a whole number > 0")
        return min(threads, cores or 1)
    threads = cores or 1
    while threads > 1 and estimate_memory(scenario, n_years, threads, keep_years).total > budget:
        threads -= 1
    return threads


def _show_progress(progress: bool | None, n_years: int) -> bool:
    if progress is None:
        return sys.stderr.isatty() and n_years >= 50 * BLOCK_YEARS
    return bool(progress)


class _Run:
    """The compiled inputs and per-block outputs of one simulation."""

    def __init__(self, scenario: Scenario, n_years: int, seed: int, keep_years: bool,
                 blocks: list[int] | None = None):
        """``blocks``: the only blocks this run will execute (a Dask task's share), so that
        the years it keeps take memory for those blocks only."""
        self.scenario, self.n_years, self.seed = scenario, n_years, seed
        # Event rows hold only the components the model makes (8 bytes each, not 8 x 28).
        self.columns = scenario.model.components
        self.model = scenario.model.compile(self.columns)
        self.terms = stack_policies([p.compiled for p in scenario.policies], self.columns)
        f = scenario.frequency
        self.freq = f.to_array()
        self.layout = measure_layout([p.name for p in scenario.policies],
                                     [p.section_names for p in scenario.policies])
        self.n_blocks = -(-n_years // BLOCK_YEARS)
        self.block_years = np.minimum(BLOCK_YEARS, n_years - BLOCK_YEARS * np.arange(self.n_blocks))
        self.n_slots = n_slots(self.layout)
        self.block_moments = np.zeros((self.n_blocks, 2, self.n_slots))
        blocks = list(range(self.n_blocks)) if blocks is None else list(blocks)
        kept = self.block_years[blocks] if keep_years else np.zeros(len(blocks), np.int64)
        self.year_start = dict(zip(blocks, (np.cumsum(kept) - kept).tolist()))  # first row of each block
        self.year_values = np.zeros((int(kept.sum()), self.n_slots))
        # Event buffers hold a block's mean count + 8 standard deviations; a block that needs
        # more gets fresh arrays of its own.
        self.event_capacity = event_capacity(f, n_years)
        self.tallies: list = []
        self.limit_hits: list = []

    def execute(self, threads: int, progress: bool, order: list[int] | None = None) -> None:
        """Run every block on ``threads`` threads; ``order`` (for tests) the order to take them."""
        blocks = iter(order if order is not None else range(self.n_blocks))
        lock = threading.Lock()
        stop = threading.Event()  # set on Ctrl-C or a worker's error: the others stop between blocks
        bar = _progress_bar(self.n_years) if progress else None

        def worker() -> None:
            tally = new_tally(self.n_slots)
            hits = np.zeros((2, self.terms.n_nodes), np.int64)
            state = new_state(self.terms)
            events = empty_events(self.event_capacity, len(self.columns))
            pending = np.empty((self.n_slots, QUEUE))
            while not stop.is_set() and (b := next(blocks, None)) is not None:
                self._run_block(b, tally, pending, hits, state, events)
                if bar is not None:
                    with lock:
                        bar.update(int(self.block_years[b]))
            with lock:
                self.tallies.append(tally)
                self.limit_hits.append(hits)

        n_workers = min(threads, self.n_blocks)
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

    def _run_block(self, b: int, tally, pending, hits, state, events) -> None:
        years = self.block_values(b)
        try:
            simulate_block(self._bitgen(b), int(self.block_years[b]), self.freq, self.model,
                           self.terms, state, events, tally, pending, hits, self.block_moments[b],
                           years)
        except OverflowError as err:  # a draw passed a ceiling of sim._limits: name the field
            raise overflow_error(str(err), self.scenario.model, self.columns, self.model,
                                 self.freq, self._bitgen(b), int(self.block_years[b])) from None

    def _bitgen(self, b: int) -> np.random.PCG64:
        """Block ``b``'s generator: what ``default_rng(SeedSequence(...))`` would wrap (the
        kernels draw from the bit generator)."""
        return np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(b,)))

    def block_values(self, b: int) -> np.ndarray:
        """The kept years of block ``b`` (no rows when years are not kept)."""
        start = self.year_start[b]
        return self.year_values[start:start + self.block_years[b]]

    def result(self) -> SimulationResult:
        tally = measure_tallies(merge_tallies(self.tallies), self.layout)
        moments = measure_moments(self.block_moments, self.layout)
        years = np.stack([self.year_values[:, list(m.slots)].sum(axis=1) for m in self.layout], axis=1)
        return SimulationResult(self.scenario, self.n_years, self.seed, self.layout, tally, moments,
                                self.block_years, sum(self.limit_hits), self.terms.node_origin,
                                years)


def _progress_bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, unit=" years", unit_scale=True, file=sys.stderr)
