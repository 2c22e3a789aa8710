"""breach-sim: Monte Carlo pricing and sizing of data-breach (cyber) insurance.

>>> import sim
>>> p = sim.products.jcci(plan="standard", coverage_set="C")
>>> p.apply({"damages": 5.6e7, "litigation": 3e6}, victims=100_000).paid
59000000.0
"""
from . import _numba_cache

_numba_cache.refresh()  # before any kernel loads its cache

from . import policy, products, sensitivity  # noqa: E402
from .compare import compare  # noqa: E402
from .components import CAUSES, COMPONENTS  # noqa: E402
from .engine.load import load_result  # noqa: E402
from .engine.results import SimulationResult  # noqa: E402
from .engine.runner import simulate, simulate_events  # noqa: E402
from .scenario import load_scenario  # noqa: E402
from .yen import format_yen  # noqa: E402
from ._styling import yen_frame, yen_style  # noqa: E402

__all__ = ["CAUSES", "COMPONENTS", "SimulationResult", "compare", "format_yen", "load_result", "load_scenario",
           "policy", "products", "sensitivity", "simulate", "simulate_events", "yen_frame", "yen_style"]
from ._version import __version__  # noqa: E402
