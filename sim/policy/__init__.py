"""Policy-limit engine: declare terms, compile them once, apply them with Numba kernels.

>>> from sim.policy import basic
>>> basic(deductible=1e6, limit=1e8).apply({"damages": 5e7}).paid
49000000.0
"""
from .engine import EventResult, YearResult, run_terms
from .compile import PolicyArrays, compile_policy, stack_policies
from .policy import Policy, basic
from .terms import Cap, Section, Share, SharedLimit

__all__ = [
    "Cap", "EventResult", "Policy", "PolicyArrays", "Section", "Share", "SharedLimit",
    "YearResult", "basic", "compile_policy", "run_terms", "stack_policies",
]
