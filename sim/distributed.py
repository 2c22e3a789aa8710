"""Scale-out: the same blocks as tasks on a Dask cluster (``simulate(..., client=client)``).

Each task runs a contiguous range of blocks with the local engine (one thread) and returns its
tallies, limit counts, per-block moments and, when asked, its years. Blocks draw from the same
per-block generators as a local run and tallies merge independently of order, so the result
equals a local run with the same seed, whatever the cluster's size.
"""
from __future__ import annotations

from concurrent.futures import CancelledError
from typing import TYPE_CHECKING

import numpy as np

from ._errors import InputError

if TYPE_CHECKING:
    from .runner import _Run

WORKER_WAIT_S = 30.0  # how long a cluster with no workers gets to start one (Dask's own scatter wait)


def check_client(client) -> None:
    """Raise :class:`InputError` naming ``client`` unless it is an open ``dask.distributed.Client``."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise InputError("client", f"{type(client).__name__} given, but dask.distributed is not "
                                   "installed; install it, or leave client out to run on local "
                                   "threads") from None
    if not isinstance(client, Client):
        hint = "; pass Client(cluster)" if hasattr(client, "scheduler_address") else ""
        raise InputError("client", f"expected a dask.distributed.Client, got "
                                   f"{type(client).__name__} {_short_repr(client)}{hint}")
    if client.status != "running":
        raise InputError("client", f"the Dask client is {client.status}; expected a running one")


def _short_repr(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def run_on_dask(run: "_Run", client, tasks_per_worker: int = 4) -> None:
    """Run every block of ``run`` on the cluster behind ``client`` and gather the results.

    Raises
    ------
    RuntimeError
        The cluster has no worker within ``WORKER_WAIT_S`` seconds, or lost every worker (or its
        scheduler) during the run, or kept losing workers on the same task.
    """
    n_workers = _wait_for_workers(client)
    n_tasks = min(run.n_blocks, n_workers * tasks_per_worker)
    chunks = [c.tolist() for c in np.array_split(np.arange(run.n_blocks), n_tasks)]
    keep = len(run.year_values) > 0
    futures, finished = [], False
    try:
        scenario = client.scatter(run.scenario, broadcast=True)
        futures = [client.submit(_run_chunk, scenario, run.n_years, run.seed, keep, chunk,
                                 pure=False) for chunk in chunks]
        _gather(run, futures, keep)
        finished = True
    except CancelledError as err:  # the scattered scenario or the scheduler went with the workers
        reason = getattr(err, "reason", "") or str(err)
        raise RuntimeError(f"all Dask workers were lost (or the scheduler went away) before the "
                           f"run finished: the cluster behind client {_address(client)} cancelled "
                           f"its tasks ({reason}); start workers and run again") from None
    except Exception as err:
        if type(err).__name__ == "KilledWorker":
            raise RuntimeError(f"Dask workers of client {_address(client)} kept dying while "
                               f"running the same blocks ({err}); check the workers' memory "
                               "limit and logs") from None
        raise
    finally:
        if not finished and futures and client.status == "running":
            client.cancel(futures)  # on Ctrl-C or an error, stop the cluster's remaining work


def _gather(run: "_Run", futures: list, keep: bool) -> None:
    from dask.distributed import as_completed

    for future in as_completed(futures):
        chunk, tally, hits, moments, years = future.result()
        run.tallies.append(tally)
        run.limit_hits.append(hits)
        run.block_moments[chunk] = moments
        for b, rows in zip(chunk, years) if keep else ():
            run.block_values(b)[:] = rows
        future.release()


def _wait_for_workers(client) -> int:
    """The number of workers now, waiting up to ``WORKER_WAIT_S`` for a first one."""
    n_workers = len(client.scheduler_info().get("workers", {}))
    if n_workers == 0:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_S)
        except TimeoutError:
            raise RuntimeError(f"the Dask cluster behind client {_address(client)} has no "
                               f"workers (waited {WORKER_WAIT_S:g} s); start workers and run "
                               "again") from None
        n_workers = len(client.scheduler_info().get("workers", {}))
    return max(n_workers, 1)


def _address(client) -> str:
    return repr(getattr(client.scheduler, "address", None) or client)


def _run_chunk(scenario, n_years: int, seed: int, keep_years: bool, chunk: list[int]):
    """On a worker: run blocks ``chunk`` of the simulation and return what the driver merges."""
    from .runner import _Run
    from .tally import merge_tallies

    run = _Run(scenario, n_years, seed, keep_years, blocks=chunk)  # keeps this chunk's years only
    run.execute(threads=1, progress=False, order=chunk)
    years = [run.block_values(b) for b in chunk] if keep_years else []
    return (chunk, merge_tallies(run.tallies), sum(run.limit_hits), run.block_moments[chunk],
            years)
