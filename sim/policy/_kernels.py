"""Numba kernels of the policy-limit engine. They take arrays only (see ``compile.PolicyArrays``).

A policy is a forest of *nodes* stored children-before-parents: sections, their parts and shared
limits. Per event, every node sums its covered components (after per-victim caps) and its
children's payments, then applies, in order: trigger and cause filter, deductible, coinsurance,
per-event limit, remaining per-period aggregate. A parent's cut is allocated back to its inputs
pro rata, and each node's aggregate erodes by what it finally paid.
"""
from __future__ import annotations

import numpy as np
from numba import njit

# Columns of the per-node trace: the amount after each step (the last one is what was paid).
TRACE_COLUMNS = (
    "covered", "after_caps", "after_conditions", "after_deductible",
    "after_coinsurance", "after_event_limit", "after_aggregate", "paid",
)
N_TRACE = len(TRACE_COLUMNS)


@njit(cache=True)
def _sum_inputs(terms, loss_row, victims, corporate_victims, inflow, trace, tracing):
    """Add each covered component, after its per-victim cap, to its node's inflow."""
    for k in range(terms.input_node.shape[0]):
        j = terms.input_node[k]
        x = loss_row[terms.input_component[k]]
        if tracing:
            trace[j, 0] += x
        if terms.input_cap_victim[k] < np.inf:
            x = min(x, terms.input_cap_victim[k] * victims
                    + terms.input_cap_corporate[k] * corporate_victims)
        inflow[j] += x


@njit(cache=True)
def _apply_node(terms, j, x, reported, cause, aggregate_left, trace, tracing):
    """Apply node ``j``'s own terms to its inflow ``x``; return what it would pay."""
    if tracing:
        trace[j, 1] = x
    if (terms.needs_report[j] and not reported) or not (terms.cause_mask[j] >> cause) & 1:
        x = 0.0
    if tracing:
        trace[j, 2] = x
    x = max(x - terms.deductible[j], 0.0)
    if tracing:
        trace[j, 3] = x
    x = x * (1.0 - terms.coinsurance[j])
    if tracing:
        trace[j, 4] = x
    x = min(x, terms.event_limit[j])
    if tracing:
        trace[j, 5] = x
    x = min(x, aggregate_left[j])
    if tracing:
        trace[j, 6] = x
    return x


@njit(cache=True)
def apply_event(terms, loss_row, victims, corporate_victims, reported, cause,
                aggregate_left, inflow, node_out, node_paid, trace, tracing):
    """Run one event through every node; write each node's payment into ``node_paid``.

    Parameters
    ----------
    terms : PolicyArrays
    loss_row : ndarray(float, ndim=1)
        Component amounts of the event, shape ``(n_components,)``.
    victims, corporate_victims : float
    reported : bool
    cause : int
        Cause code (index into ``CAUSES``, or ``UNSPECIFIED_CAUSE``).
    aggregate_left : ndarray(float, ndim=1)
        Remaining period aggregate per node, shape ``(n_nodes,)``; eroded in place.
    inflow, node_out, node_paid : ndarray(float, ndim=1)
        Work arrays, shape ``(n_nodes,)``; ``node_paid`` holds the result.
    trace : ndarray(float, ndim=2)
        ``(n_nodes, N_TRACE)``; written only when ``tracing``.
    """
    n_nodes = terms.parent.shape[0]
    inflow[:] = 0.0
    if tracing:
        trace[:, :] = 0.0
    _sum_inputs(terms, loss_row, victims, corporate_victims, inflow, trace, tracing)
    for j in range(n_nodes):  # children come before their parent
        x = _apply_node(terms, j, inflow[j], reported, cause, aggregate_left, trace, tracing)
        node_out[j] = x
        p = terms.parent[j]
        if p >= 0:
            inflow[p] += x
            if tracing:
                trace[p, 0] += x
    for j in range(n_nodes - 1, -1, -1):  # parents first: allocate cuts back pro rata
        p = terms.parent[j]
        paid = node_out[j]
        if p >= 0 and node_paid[p] < inflow[p]:
            paid = paid * (node_paid[p] / inflow[p]) if inflow[p] > 0.0 else 0.0
        node_paid[j] = paid
        aggregate_left[j] = max(aggregate_left[j] - paid, 0.0)
        if tracing:
            trace[j, N_TRACE - 1] = paid


@njit(cache=True)
def apply_terms(terms, losses, victims, corporate_victims, reported, cause, year_start,
                paid_by_section, trace):
    """Apply the terms to events grouped by policy year, in time order within each year.

    Parameters
    ----------
    terms : PolicyArrays
    losses : ndarray(float, ndim=2)
        ``(n_events, n_components)``.
    victims, corporate_victims : ndarray(float, ndim=1)
        ``(n_events,)``.
    reported : ndarray(bool, ndim=1)
    cause : ndarray(int, ndim=1)
    year_start : ndarray(int, ndim=1)
        ``(n_years + 1,)``: events of year ``y`` are ``year_start[y]:year_start[y + 1]``.
    paid_by_section : ndarray(float, ndim=2)
        Output, ``(n_events, n_sections)``.
    trace : ndarray(float, ndim=3)
        Output, ``(n_events, n_nodes, N_TRACE)``, or ``(0, n_nodes, N_TRACE)`` for no trace.
    """
    n_nodes = terms.parent.shape[0]
    tracing = trace.shape[0] > 0
    no_trace = np.zeros((n_nodes, N_TRACE))
    aggregate_left = np.empty(n_nodes)
    inflow = np.empty(n_nodes)
    node_out = np.empty(n_nodes)
    node_paid = np.empty(n_nodes)
    for y in range(year_start.shape[0] - 1):
        aggregate_left[:] = terms.aggregate_limit
        for e in range(year_start[y], year_start[y + 1]):
            event_trace = trace[e] if tracing else no_trace
            apply_event(terms, losses[e], victims[e], corporate_victims[e], reported[e], cause[e],
                        aggregate_left, inflow, node_out, node_paid, event_trace, tracing)
            for s in range(terms.section_node.shape[0]):
                paid_by_section[e, s] = node_paid[terms.section_node[s]]
