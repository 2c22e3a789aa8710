"""Scale-out: the same blocks as tasks on a Dask cluster (``simulate(..., client=client)``).

Each task runs a contiguous range of blocks with :func:`~sim.engine.blocks.run_blocks` (one
thread), as local threads do, and returns its :class:`~sim.engine.blocks.BlockOutput`. Blocks draw from the same
per-block generators as a local run and tallies merge independently of order, so the result
equals a local run with the same seed, whatever the cluster's size.
"""
from __future__ import annotations

from concurrent.futures import CancelledError

import numpy as np

from .._errors import InputError
from .blocks import BlockOutput, CompiledRun, compile_run, run_blocks

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


def run_on_dask(run: CompiledRun, client, keep_years: bool, keep_events: bool = False,
                tasks_per_worker: int = 4) -> list[BlockOutput]:
    """Run every block of ``run`` on the cluster behind ``client``; the tasks' outputs.

    Raises
    ------
    RuntimeError
        The cluster has no worker within ``WORKER_WAIT_S`` seconds, or lost every worker (or its
        scheduler) during the run, or kept losing workers on the same task.
    """
    n_workers = _wait_for_workers(client)
    n_tasks = min(run.n_blocks, n_workers * tasks_per_worker)
    chunks = [c.tolist() for c in np.array_split(np.arange(run.n_blocks), n_tasks)]
    futures, finished = [], False
    try:
        scenario = client.scatter(run.scenario, broadcast=True)
        futures = [client.submit(_run_chunk, scenario, run.n_years, run.seed, keep_years, chunk,
                                 keep_events, pure=False) for chunk in chunks]
        outputs = _gather(futures)
        finished = True
        return outputs
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


def _gather(futures: list) -> list[BlockOutput]:
    from dask.distributed import as_completed

    outputs = []
    for future in as_completed(futures):
        outputs.append(future.result())
        future.release()
    return outputs


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


def _run_chunk(scenario, n_years: int, seed: int, keep_years: bool, chunk: list[int],
               keep_events: bool = False) -> BlockOutput:
    """On a worker: run blocks ``chunk`` of the simulation (keeping only their years and
    events)."""
    return run_blocks(compile_run(scenario, n_years, seed), chunk, keep_years=keep_years,
                      keep_events=keep_events)
