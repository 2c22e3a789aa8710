"""What a simulation will allocate, estimated before it allocates anything, and the memory
budget it must fit in.

A run holds, per thread, a block's event buffers (they grow with the event rate) and a tally of
every slot (policies x sections); for the whole run, two moments per block and slot, and per
block and loss component (they grow with ``n_years``), with ``keep_years`` every year's values and with ``keep_events`` every
event's row (as many as the frequency's mean makes in ``n_years``: the count is random). :func:`estimate_memory` adds
these up from the same functions that allocate them; :func:`memory_budget` is half the memory
this process can get, unless the caller or ``SIM_MAX_MEMORY`` sets it.
"""
from __future__ import annotations

import math
from numbers import Real
import os
from typing import NamedTuple

from .._errors import InputError
from ..events import empty_events
from .block_kernel import QUEUE
from .event_table import row_bytes
from .layout import scenario_layout
from .tally import new_tally

BLOCK_YEARS = 1 << 14  # fixed in code: results never depend on threads or machines
MEMORY_ENV = "SIM_MAX_MEMORY"  # bytes a run may allocate (e.g. 8e9), instead of the default
BLOCK_BOOKKEEPING = 160  # bytes a block: its length, first kept row, index (measured: 80-130)


class MemoryEstimate(NamedTuple):
    """Bytes a run allocates, by what drives them (the field to change to need less)."""

    events: int        # threads x a block's event buffers: grows with the frequency's mean
    tallies: int       # (threads x slots + measures) x histogram: grows with threads and policies
    moments: int       # blocks x (2 x (slots + measures) x 8 + bookkeeping): grows with n_years
    kept_years: int    # n_years x (slots + measures) x 8 with keep_years, else 0
    kept_events: int   # 2 x expected events x a row with keep_events (blocks' rows, then joined)

    @property
    def total(self) -> int:
        return sum(self)


DRIVERS = {"events": "frequency", "tallies": "policies", "moments": "n_years",
           "kept_years": "keep_years", "kept_events": "keep_events"}  # the field that drives each part, on one thread


def event_capacity(frequency, n_years: int = BLOCK_YEARS) -> int:
    """Events a block's buffers hold: the mean count of a block (of ``n_years`` years at most)
    + 8 standard deviations (a block that needs more gets fresh arrays of its own)."""
    f, years = frequency, min(n_years, BLOCK_YEARS)
    capacity = years * f.mean + 8 * math.sqrt(years) * f.cv * f.mean + 64
    return int(capacity) if capacity < 2.0 ** 62 else 2 ** 62  # past any memory: refused by the budget


def expected_events(scenario, n_years: int) -> int:
    """The mean number of events in ``n_years`` (what ``keep_events`` is sized by)."""
    mean = n_years * scenario.frequency.mean
    return math.ceil(mean) if mean < 2.0 ** 62 else 2 ** 62  # past any memory: refused by the budget


def estimate_memory(scenario, n_years: int, threads: int, keep_years: bool,
                    keep_events: bool = False) -> MemoryEstimate:
    """Bytes that ``simulate(scenario, n_years, threads=threads, keep_years=keep_years,
    keep_events=keep_events)`` allocates, from the sizes of the arrays it makes (checked against
    them in ``tests/engine/test_simulate.py`` and ``tests/engine/test_events_table.py``).

    Parameters
    ----------
    scenario : Scenario
        Simulable (with a model and a frequency).
    n_years, threads : int
        ``threads`` as the run will use it (at most one per block).
    keep_years, keep_events : bool

    Returns
    -------
    MemoryEstimate
    """
    layout = scenario_layout(scenario)
    slots, measures = layout.n_slots, len(layout.measures)
    n_blocks = -(-n_years // BLOCK_YEARS)
    threads = max(1, min(threads, n_blocks))
    event_row = sum(a.nbytes for a in empty_events(1, len(scenario.model.components)))
    tally_row = sum(a.nbytes for a in new_tally(1))
    n_components = len(scenario.model.components)  # component moments: per block, then merged
    return MemoryEstimate(
        events=threads * event_capacity(scenario.frequency, n_years) * event_row,
        tallies=(threads * slots + measures) * tally_row + threads * slots * QUEUE * 8,
        moments=n_blocks * (2 * (slots + measures + 2 * n_components) * 8 + BLOCK_BOOKKEEPING),
        kept_years=n_years * (slots + measures) * 8 if keep_years else 0,
        kept_events=(2 * expected_events(scenario, n_years) * _event_row(scenario)
                     if keep_events else 0))


def _event_row(scenario) -> int:
    return row_bytes(len(scenario.model.components), len(scenario.policies))


def memory_budget(max_memory: float | None = None) -> tuple[float, str]:
    """Bytes a run may allocate, and where that figure comes from.

    ``max_memory`` if given, else ``SIM_MAX_MEMORY`` if set, else half of what this process
    can get: the least of physical memory, available memory and the cgroup's limit.
    """
    source = "max_memory"
    if max_memory is None and os.environ.get(MEMORY_ENV):
        source, text = MEMORY_ENV, os.environ[MEMORY_ENV]
        try:
            max_memory = float(text)
        except ValueError:
            raise InputError(MEMORY_ENV, f"{text!r} is not a number of bytes (e.g. 8e9)") from None
    if max_memory is not None:
        if isinstance(max_memory, bool) or not isinstance(max_memory, Real) or not max_memory > 0:
            raise InputError(source, f"{max_memory!r} is not allowed; expected a number of bytes > 0")
        budget = float(max_memory)
        return budget, f"{source} = {budget:.3g} bytes"
    usable = _usable_memory()
    return usable / 2, (f"half the {_gib(usable)} of memory available; set max_memory= or "
                        f"{MEMORY_ENV} to change it")


def _usable_memory() -> float:
    """The least of physical memory, MemAvailable and the cgroup's memory.max (bytes)."""
    sizes = []
    try:
        sizes.append(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # not a POSIX system
        pass
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemAvailable:"):
            sizes.append(int(line.split()[1]) * 1024)  # in kB
    cgroup = _read("/sys/fs/cgroup/memory.max").strip()  # "max" when there is no limit
    if cgroup.isdigit():
        sizes.append(int(cgroup))
    return float(min(sizes)) if sizes else math.inf


def _read(path: str) -> str:
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return ""


def check_memory(scenario, n_years: int, threads: int, keep_years: bool, budget: float,
                 source: str, keep_events: bool = False) -> None:
    """Raise an :class:`InputError` naming the field that drives the memory need, if the run
    would need more than ``budget`` bytes."""
    need = estimate_memory(scenario, n_years, threads, keep_years, keep_events)
    if need.total <= budget:
        return
    single = estimate_memory(scenario, n_years, 1, keep_years, keep_events)
    if single.total <= budget:
        field = "threads"
        fits = max(t for t in range(1, threads) if estimate_memory(
            scenario, n_years, t, keep_years, keep_events).total <= budget)
        hint = f"threads={fits} (the result does not depend on it)"
    else:
        field = DRIVERS[max(single._fields, key=lambda k: getattr(single, k))]
        hint = {"frequency": f"a lower event rate (mean {scenario.frequency.mean:g} a year fills "
                             f"{event_capacity(scenario.frequency, n_years):,} events a block)",
                "policies": f"fewer policies ({len(scenario.policies)} now) or sections",
                "n_years": "fewer years", "keep_years": "keep_years=False or fewer years",
                "keep_events": (f"keep_events=False or fewer years (a mean of "
                                f"{expected_events(scenario, n_years):,} events of "
                                f"{_event_row(scenario)} bytes each, held twice while joined)")}[field]
    parts = ", ".join(f"{k.replace('_', ' ')} {_gib(v)}" for k, v in need._asdict().items() if v)
    raise InputError(field, f"the run needs about {_gib(need.total)} ({parts}) but may use "
                     f"{_gib(budget)} ({source}); use {hint}")


def _gib(n: float) -> str:
    """``n`` bytes in GiB, MiB or KiB, whichever reads best."""
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n:.0f} bytes"
