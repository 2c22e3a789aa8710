"""Scale-out: the same blocks as tasks on a Dask cluster (``simulate(..., client=client)``).

Each task runs a contiguous range of blocks with the local engine (one thread) and returns its
tallies, limit counts, per-block moments and, when asked, its years. Blocks draw from the same
per-block generators as a local run and tallies merge independently of order, so the result
equals a local run with the same seed, whatever the cluster's size.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .runner import _Run


def run_on_dask(run: "_Run", client, tasks_per_worker: int = 4) -> None:
    """Run every block of ``run`` on the cluster behind ``client`` and gather the results."""
    from dask.distributed import as_completed

    n_workers = max(len(client.scheduler_info().get("workers", {})), 1)
    n_tasks = min(run.n_blocks, n_workers * tasks_per_worker)
    chunks = [c.tolist() for c in np.array_split(np.arange(run.n_blocks), n_tasks)]
    scenario = client.scatter(run.scenario, broadcast=True)
    keep = len(run.year_values) > 0
    futures = [client.submit(_run_chunk, scenario, run.n_years, run.seed, keep, chunk, pure=False)
               for chunk in chunks]
    for future in as_completed(futures):
        chunk, tally, hits, moments, years = future.result()
        run.tallies.append(tally)
        run.limit_hits.append(hits)
        run.block_moments[chunk] = moments
        for b, rows in zip(chunk, years) if keep else ():
            run.block_values(b)[:] = rows
        future.release()


def _run_chunk(scenario, n_years: int, seed: int, keep_years: bool, chunk: list[int]):
    """On a worker: run blocks ``chunk`` of the simulation and return what the driver merges."""
    from .runner import _Run
    from .tally import merge_tallies

    run = _Run(scenario, n_years, seed, keep_years, blocks=chunk)  # keeps this chunk's years only
    run.execute(threads=1, progress=False, order=chunk)
    years = [run.block_values(b) for b in chunk] if keep_years else []
    return (chunk, merge_tallies(run.tallies), sum(run.limit_hits), run.block_moments[chunk],
            years)
