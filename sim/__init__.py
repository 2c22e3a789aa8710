"""breach-sim: Monte Carlo pricing and sizing of data-breach (cyber) insurance.

>>> import sim
>>> p = sim.products.jcci(plan="standard", coverage_set="C")
>>> p.apply({"damages": 5.6e7, "litigation": 3e6}, victims=100_000).paid
59000000.0
"""
from . import policy, products
from .compare import compare
from .components import CAUSES, COMPONENTS
from .results import SimulationResult
from .runner import simulate
from .scenario import load_scenario
from .yen import format_yen

__all__ = ["CAUSES", "COMPONENTS", "SimulationResult", "compare", "format_yen", "load_scenario",
           "policy", "products", "simulate"]
__version__ = "0.1.0"
