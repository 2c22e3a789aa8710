"""Run events, grouped by policy year, through compiled terms (the kernels' Python entry point).

The deterministic API (:meth:`Policy.apply_year`) and the Monte Carlo block kernel run the same
kernel code (:func:`~sim.policy.limit_kernel.run_year`): there is one implementation of every
rule.
"""
from __future__ import annotations

import numpy as np

from .._dtypes import FLOAT, INT
from ..events import EventArrays
from .compile import PolicyArrays, new_state
from .limit_kernel import N_TRACE, apply_terms


def run_terms(arrays: PolicyArrays, events: EventArrays, year_start: np.ndarray,
              trace: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Apply compiled terms to events grouped by year.

    Parameters
    ----------
    arrays : PolicyArrays
        One policy's (``CompiledPolicy.arrays``) or several stacked (:func:`stack_policies`).
    events : EventArrays
        Events in time order.
    year_start : ndarray of int, shape (n_years + 1,)
        Events of year ``y`` are ``year_start[y]:year_start[y + 1]``; aggregates start full
        each year.
    trace : bool
        Also return the amount each node had after each step.

    Returns
    -------
    paid_by_section : ndarray, shape (n_events, n_sections)
    trace : ndarray, shape (n_events, n_nodes, N_TRACE), or (0, n_nodes, N_TRACE) if not asked
        Columns named by :data:`~sim.policy.limit_kernel.Trace`.
    """
    n_events, n_nodes = events.n_events, arrays.n_nodes
    paid = np.zeros((n_events, arrays.section_node.shape[0]), dtype=FLOAT)
    steps = np.zeros((n_events if trace else 0, n_nodes, N_TRACE), dtype=FLOAT)
    apply_terms(arrays, new_state(arrays), np.ascontiguousarray(events.losses, dtype=FLOAT),
                events.victims, events.corporate_victims, events.reported, events.cause,
                events.incident, np.ascontiguousarray(year_start, dtype=INT), paid, steps)
    return paid, steps
