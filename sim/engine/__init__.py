"""The Monte Carlo engine: compiled scenario in, :class:`~sim.engine.results.SimulationResult` out.

``runner`` (``simulate``) -> ``blocks`` (run any blocks, on threads; ``distributed`` runs them as
Dask tasks) -> ``block_kernel`` (Numba: one block of years, from sampled events to tallies, at
the slots of ``layout``) -> ``tally`` (merge, read statistics) -> ``results``. Nothing is
imported here, so that reading e.g. ``sim.engine.tally`` does not load the runner.
"""
