"""``load_result``: a result saved by :meth:`SimulationResult.save`, read back (the file format
is in :mod:`sim.engine.persist`)."""
from __future__ import annotations

import os

from .persist import read_result
from .results import RunOutput, SimulationResult


def load_result(path: str | os.PathLike, scenario=None) -> SimulationResult:
    """Read a result written by :meth:`SimulationResult.save`.

    Parameters
    ----------
    path : str or Path
    scenario : Scenario or str or Path, optional
        The scenario it was run from; checked against the saved content hash and attached
        (``res.scenario``), so that the result can be compared, priced or reported like a fresh
        one. Without it, ``res.scenario`` holds only names, sections, limits, premiums and
        references (a :class:`~sim.engine.persist.SavedScenario`).

    Returns
    -------
    SimulationResult
        With the summary, quantiles, EP curves and limits of the saved one, to the last bit,
        and its metadata.

    Raises
    ------
    InputError
        ``path`` is not a saved result, or ``scenario`` is not the one it was run from.
    FileNotFoundError
        No file at ``path``.
    """
    fields, meta = read_result(path, scenario)
    res = SimulationResult(RunOutput(**fields))
    res._metadata = meta
    return res
