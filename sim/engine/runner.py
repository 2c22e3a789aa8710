"""``simulate``: millions of policy years, in fixed-size blocks, on local threads or Dask.

Block ``b`` covers years ``b * BLOCK_YEARS`` onwards and draws from its own generator,
``SeedSequence(seed, spawn_key=(b,))`` (the b-th child of ``SeedSequence(seed)``), so a result
depends only on (scenario, n_years, seed): not on the number of threads or which thread ran
which block. Every policy of the scenario sees the same simulated events (common random numbers)
in the same kernel pass.
"""
from __future__ import annotations

from dataclasses import replace
import os
from pathlib import Path
import sys

import numpy as np

from .._errors import InputError, check_bool, check_count
from ..losses import Frequency
from ..scenario import Scenario, load_scenario
from ._memory import BLOCK_YEARS, check_memory, estimate_memory, memory_budget
from .blocks import BlockOutput, CompiledRun, compile_run, run_blocks
from .event_table import join_events
from .results import RunOutput, SimulationResult
from .tally import measure_moments, measure_tallies, merge_tallies


def simulate(scenario: Scenario | str | Path, n_years: int, seed: int, *,
             threads: int | None = None, keep_years: bool = False,
             keep_events: bool = False, progress: bool | None = None, client=None,
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
    keep_events : bool
        Keep every simulated event for :meth:`SimulationResult.events` (an event loss table:
        memory grows with the expected number of events, ``n_years`` x the frequency's mean).
    progress : bool, optional
        Show a progress bar; default: only when stderr is a terminal and the run is long.
    client : dask.distributed.Client, optional
        Run the blocks as tasks on this Dask cluster instead of local threads; the result is
        identical to a local run with the same seed.
    max_memory : float, optional
        Bytes the run may allocate (default: ``SIM_MAX_MEMORY`` if set, else half of the
        memory available). A run estimated to need more is refused before it starts, with an
        :class:`InputError` naming what drives the need (``frequency``, ``policies``,
        ``n_years``, ``keep_years``, ``keep_events`` or ``threads``); see
        :func:`sim.engine._memory.estimate_memory`.

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
    return _simulate(_scenario(scenario), None, n_years, seed, threads, keep_years, keep_events,
                     progress, client, max_memory)


def one_event(scenario: Scenario) -> Scenario:
    """``scenario`` with its frequency replaced by exactly one event a trial (the per-breach
    view of :func:`simulate_events`)."""
    return replace(scenario, frequency=Frequency.one(), firm_frequency=None)


def simulate_events(scenario: Scenario | str | Path, n_events: int, seed: int, *,
                    threads: int | None = None, keep_years: bool = False,
                    keep_events: bool = False, progress: bool | None = None, client=None,
                    max_memory: float | None = None) -> SimulationResult:
    """The per-breach view: ``n_events`` trials of exactly one event each, drawn from
    ``scenario``'s loss model (its frequency replaced by exactly one event a trial).

    It answers "if a breach happens, what do we keep?", which the annual view of a rare-breach
    scenario cannot (most of its years have no event, so its 1-in-100 retained loss is often 0).
    The result is a :class:`SimulationResult` like :func:`simulate`'s, with ``res.view ==
    "per_event"``: every "year" of its methods is one event (``res.n_years`` and
    ``res.n_trials`` are ``n_events``; ``summary().attrs["unit"]`` is ``"event"``), so
    ``mean`` is the expected loss of one breach and ``var_99`` the loss that 1 breach in 100
    exceeds. ``res.scenario`` is ``scenario`` as given (its metadata hash is the scenario's).
    Determinism as for :func:`simulate`: the result depends only on (scenario, n_events, seed),
    not on ``threads`` or a Dask ``client``. The other parameters are :func:`simulate`'s.

    Examples
    --------
    >>> import sim
    >>> scn = sim.load_scenario("scenarios/peer_compound.toml")
    >>> res = sim.simulate_events(scn, n_events=20_000, seed=7)
    >>> res.view, res.n_trials, bool(res.statistic("basic XL", "gross", "p_nonzero") > 0.99)
    ('per_event', 20000, True)
    """
    scenario = _scenario(scenario)
    return _simulate(one_event(scenario), scenario, n_events, seed, threads,
                     keep_years, keep_events, progress, client, max_memory, "n_events")


def _simulate(scenario: Scenario, shown: Scenario | None, n_years: int, seed: int,
              threads: int | None, keep_years: bool, keep_events: bool, progress: bool | None,
              client, max_memory: float | None, count_field: str = "n_years") -> SimulationResult:
    """Run ``scenario`` (checked); the result holds ``shown`` instead when given (the
    per-event view: run with exactly one event a trial, shown as the scenario given)."""
    n_years = check_count(count_field, n_years)
    if n_years == 0:
        raise InputError(count_field, "0 is not allowed; expected a whole number > 0")
    seed = check_count("seed", seed)
    keep_years = check_bool("keep_years", keep_years)
    keep_events = check_bool("keep_events", keep_events)
    if progress is not None:
        check_bool("progress", progress)
    if client is not None:
        from .distributed import check_client  # only when asked: dask is optional

        check_client(client)
    budget, source = memory_budget(max_memory)
    threads = _threads(threads, scenario, n_years, keep_years, keep_events, budget)
    check_memory(scenario, n_years, 1 if client is not None else threads, keep_years, budget, source,
                 keep_events)
    run = compile_run(scenario, n_years, seed)
    if client is not None:
        from .distributed import run_on_dask

        outputs = run_on_dask(run, client, keep_years, keep_events)
    else:
        outputs = [run_blocks(run, range(run.n_blocks), threads=threads, keep_years=keep_years,
                              keep_events=keep_events, progress=_show_progress(progress, n_years))]
    output = run_output(run, outputs)
    if shown is not None:
        output = output._replace(scenario=shown, view="per_event")
    return SimulationResult(output)


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
             keep_events: bool, budget: float) -> int:
    """Threads to run on: at most the cores; by default, also no more than fit in ``budget``."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if threads is not None:
        if check_count("threads", threads) == 0:
            raise InputError("threads", "0 is not allowed; expected a whole number > 0")
        return min(threads, cores or 1)
    threads = cores or 1
    while threads > 1 and estimate_memory(scenario, n_years, threads, keep_years,
                                          keep_events).total > budget:
        threads -= 1
    return threads


def _show_progress(progress: bool | None, n_years: int) -> bool:
    if progress is None:
        return sys.stderr.isatty() and n_years >= 50 * BLOCK_YEARS
    return bool(progress)


def run_output(run: CompiledRun, outputs: list[BlockOutput]) -> RunOutput:
    """The result's inputs, per measure, from the outputs of blocks that together cover ``run``
    once (tallies merge in any order; moments, years and events are put back in block order).
    ``outputs`` is emptied as they are copied, so that a Dask run holds its years about once."""
    outputs.sort(key=lambda o: o.blocks[0] if o.blocks else -1)
    if [b for o in outputs for b in o.blocks] != list(range(run.n_blocks)):
        raise ValueError("the block outputs do not cover the run's blocks once, in ranges")
    if len(outputs) == 1:
        out = outputs.pop()
        tally, hits, block_moments, year_values = out.tally, out.limit_hits, out.block_moments, out.year_values
        events, component_moments = out.events, out.component_moments
    else:
        first = outputs[0]
        n_slots = first.block_moments.shape[2]
        block_moments = np.empty((run.n_blocks, 2, n_slots))
        component_moments = np.empty((run.n_blocks, 2, first.component_moments.shape[2]))
        year_values = np.empty((sum(len(o.year_values) for o in outputs), n_slots))
        tally, hits, row = first.tally, 0, 0
        parts = []
        while outputs:
            o = outputs.pop(0)
            if o is not first:
                tally = merge_tallies([tally, o.tally])
            hits = hits + o.limit_hits
            block_moments[o.blocks] = o.block_moments
            component_moments[o.blocks] = o.component_moments
            year_values[row:row + len(o.year_values)] = o.year_values
            row += len(o.year_values)
            parts.append(o.events)
        events = join_events(parts) if first.events is not None else None
    measures = run.layout.measures
    years = np.stack([year_values[:, list(m.slots)].sum(axis=1) for m in measures], axis=1)
    return RunOutput(run.scenario, run.n_years, run.seed, measures,
                     measure_tallies(tally, measures), measure_moments(block_moments, measures),
                     run.block_years, hits, run.terms.node_origin, years, events,
                     component_moments=component_moments, components=tuple(run.columns))
