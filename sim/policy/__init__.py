"""Policy-limit engine: declare terms, compile them once, apply them with Numba kernels.

Modules, each importing only those above it: ``terms`` (declarations) -> ``compile`` (flat
arrays) -> ``limit_kernel`` (Numba) -> ``engine`` (runs the kernel) -> ``contract`` (``Policy``,
``basic`` and the deterministic API's results). ``declare`` builds policies from scenario tables.

>>> from sim.policy import basic
>>> basic(deductible=1e6, limit=1e8).apply({"damages": 5e7}).paid
49000000.0
"""
from .terms import Cap, Section, Share, SharedLimit
from .compile import PolicyArrays, compile_policy, stack_policies
from .limit_kernel import STEPS, Trace
from .engine import run_terms
from .contract import EventResult, Policy, YearResult, basic

__all__ = [
    "Cap", "EventResult", "Policy", "PolicyArrays", "STEPS", "Section", "Share", "SharedLimit",
    "Trace", "YearResult", "basic", "compile_policy", "run_terms", "stack_policies",
]
