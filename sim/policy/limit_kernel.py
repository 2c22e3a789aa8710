"""Numba kernels of the policy-limit engine. They take arrays only (see ``compile.PolicyArrays``).

A policy is a forest of *nodes* stored children-before-parents: sections, their parts and shared
limits. Per event, every node sums its input group (covered components after per-victim caps;
a group is computed once even when several stacked policies share it) and its children's
payments, then applies, in order: trigger, cause and incident filters, deductible, coinsurance,
per-event limit, remaining per-period aggregate. A parent's cut is allocated back to its inputs pro rata,
and each node's aggregate erodes by what it finally paid.

Callers take the arrays out of the ``PolicyArrays``/``EngineState`` tuples once, outside their
event loop: reading a tuple's array inside the loop costs a reference-count update per event,
which made the engine several times slower.
"""
from __future__ import annotations

from enum import IntEnum

import numpy as np
from numba import njit

STEPS = ("per_victim_caps", "trigger_or_cause", "deductible", "coinsurance", "event_limit",
         "aggregate", "limits_above")
"""The node's steps in the order the kernel applies them; ``EventResult.detail`` shows what each
removed (``limits_above``: the node's share of the cuts of the sections and shared limits above)."""

Trace = IntEnum("Trace", ("covered",) + STEPS, start=0)
"""Columns of the per-node trace: what reached the node (``covered``), then the amount left after
each step, named by the step (``Trace.limits_above``, the last, is what the node paid). The
kernels index the trace by these names; Numba freezes them as constants."""

N_TRACE = len(Trace)


@njit(cache=True, inline="always")
def _sum_groups(group_start, inputs, losses, e, victims, corporate_victims, group_sum, group_raw):
    """Sum each input group's components for event ``e``, each after its per-victim cap."""
    for g in range(group_start.shape[0] - 1):
        total = 0.0
        raw = 0.0
        for k in range(group_start[g], group_start[g + 1]):
            x = losses[e, inputs[k].component]
            raw += x
            if inputs[k].cap_victim < np.inf:
                x = min(x, inputs[k].cap_victim * victims + inputs[k].cap_corporate * corporate_victims)
            total += x
        group_sum[g] = total
        group_raw[g] = raw


@njit(cache=True, inline="always")
def _node_terms(node, x, left, reported, cause, incident, trace, e, j, tracing):
    """One node's own terms applied to what reached it; returns what it would pay."""
    if tracing:
        trace[e, j, Trace.per_victim_caps] = x
    if ((node.needs_report and not reported) or not (node.cause_mask >> cause) & 1
            or not (node.incident_mask >> incident) & 1):
        x = 0.0
    if tracing:
        trace[e, j, Trace.trigger_or_cause] = x
    x = max(x - node.deductible, 0.0)
    if tracing:
        trace[e, j, Trace.deductible] = x
    x = x * (1.0 - node.coinsurance)
    if tracing:
        trace[e, j, Trace.coinsurance] = x
    x = min(x, node.event_limit)
    if tracing:
        trace[e, j, Trace.event_limit] = x
    x = min(x, left)
    if tracing:
        trace[e, j, Trace.aggregate] = x
    return x


@njit(cache=True, inline="always")
def apply_event(nodes, group_start, inputs, work, group_work, losses, e, victims,
                corporate_victims, reported, cause, incident, trace, tracing):
    """Run event ``e`` through every node; leave each node's payment in ``work[j].paid``.

    Parameters
    ----------
    nodes : ndarray(NODE_DTYPE, ndim=1)
        Terms per node, children before parents.
    group_start : ndarray(int, ndim=1)
    inputs : ndarray(INPUT_DTYPE, ndim=1)
        Components and caps of the input groups.
    work : ndarray(NODE_WORK_DTYPE, ndim=1)
        Per node; ``work[j].left`` (remaining period aggregate) is eroded in place.
    group_work : ndarray(float, ndim=2)
        ``(2, n_groups)`` scratch: capped and raw group sums.
    losses : ndarray(float, ndim=2)
        ``(n_events, n_components)``; the event is row ``e``.
    victims, corporate_victims : float
    reported : bool
    cause : int
        Cause code (index into ``CAUSES``, or ``UNSPECIFIED_CAUSE``).
    incident : int
        Incident code (index into ``INCIDENTS``).
    trace : ndarray(float, ndim=3)
        ``(n_events, n_nodes, N_TRACE)``; row ``e`` is written only when ``tracing``.
    """
    _sum_groups(group_start, inputs, losses, e, victims, corporate_victims, group_work[0], group_work[1])
    for j in range(nodes.shape[0]):
        work[j].inflow = 0.0
        if tracing:
            trace[e, j, :] = 0.0
    for j in range(nodes.shape[0]):  # children come first and have added to their parent's inflow
        g = nodes[j].group
        if g >= 0:
            work[j].inflow += group_work[0, g]
            if tracing:
                trace[e, j, Trace.covered] += group_work[1, g]
        x = _node_terms(nodes[j], work[j].inflow, work[j].left, reported, cause, incident, trace, e, j,
                        tracing)
        work[j].out = x
        if x >= nodes[j].event_limit:
            work[j].limited = True  # this period, the node's per-event limit bound
        p = nodes[j].parent
        if p >= 0:
            work[p].inflow += x
            if tracing:
                trace[e, p, Trace.covered] += x
    for j in range(nodes.shape[0] - 1, -1, -1):  # parents first: allocate cuts back pro rata
        p = nodes[j].parent
        paid = work[j].out
        if p >= 0 and work[p].paid < work[p].inflow:
            paid = paid * (work[p].paid / work[p].inflow) if work[p].inflow > 0.0 else 0.0
        work[j].paid = paid
        work[j].left = max(work[j].left - paid, 0.0)
        if tracing:
            trace[e, j, Trace.limits_above] = paid


@njit(cache=True, inline="always")
def reset_period(nodes, work):
    """Start a policy period: every aggregate back to its full limit."""
    for j in range(nodes.shape[0]):
        work[j].left = nodes[j].aggregate_limit
        work[j].limited = False


@njit(cache=True, inline="always")
def run_year(nodes, group_start, inputs, section_node, work, group_work, losses, first, stop,
             victims, corporate_victims, reported, cause, incident, paid, paid_offset, trace,
             tracing):
    """Run events ``first:stop``, one policy year in time order, through the terms from the
    start of a period. The one year loop of the deterministic API and the Monte Carlo kernel.

    Parameters
    ----------
    nodes, group_start, inputs, section_node : ndarray
        The fields of a ``PolicyArrays``, taken out once by the caller (see the module note).
    work, group_work : ndarray
        The fields of an ``EngineState``.
    losses : ndarray(float, ndim=2)
        ``(n_events, n_components)``.
    first, stop : int
        The year's events are rows ``first:stop``.
    victims, reported, cause, incident : ndarray(ndim=1)
        ``(n_events,)``, as in :func:`apply_event`.
    corporate_victims : ndarray(float, ndim=1)
        Per event.
    paid : ndarray(float, ndim=2)
        Output: ``paid[e - paid_offset, s]`` is what section ``s`` paid for event ``e``.
    paid_offset : int
        0 for a ``(n_events, n_sections)`` output, ``first`` for a buffer of one year's
        events. (Handing a slice ``paid[first:stop]`` instead made the deterministic API 17%
        slower.)
    trace, tracing
        As in :func:`apply_event`.

    Notes
    -----
    Inlined into the Monte Carlo year loop at no measurable cost (same atomic reference-count
    updates a year, ``benchmarks/refcounts.py``).
    """
    reset_period(nodes, work)
    for e in range(first, stop):
        apply_event(nodes, group_start, inputs, work, group_work, losses, e, victims[e],
                    corporate_victims[e], reported[e], cause[e], incident[e], trace, tracing)
        for s in range(section_node.shape[0]):
            paid[e - paid_offset, s] = work[section_node[s]].paid


@njit(cache=True)
def apply_terms(terms, state, losses, victims, corporate_victims, reported, cause, incident,
                year_start, paid_by_section, trace):
    """Apply the terms to events grouped by policy year, in time order within each year.

    Parameters
    ----------
    terms : PolicyArrays
    state : EngineState
    losses : ndarray(float, ndim=2)
        ``(n_events, n_components)``.
    victims, corporate_victims : ndarray(float, ndim=1)
        ``(n_events,)``.
    reported : ndarray(bool, ndim=1)
    cause, incident : ndarray(int, ndim=1)
    year_start : ndarray(int, ndim=1)
        ``(n_years + 1,)``: events of year ``y`` are ``year_start[y]:year_start[y + 1]``.
    paid_by_section : ndarray(float, ndim=2)
        Output, ``(n_events, n_sections)``.
    trace : ndarray(float, ndim=3)
        Output, ``(n_events, n_nodes, N_TRACE)``, or ``(0, n_nodes, N_TRACE)`` for no trace.
    """
    nodes, group_start, inputs, section_node = terms.nodes, terms.group_start, terms.inputs, terms.section_node
    work, group_work = state.work, state.group_work
    # ``tracing`` as a constant in each branch, as in the Monte Carlo kernel: Numba then drops
    # the trace code where it is False. Known only at run time, it made this loop 1.8 times as
    # slow, with 14 more reference-count updates a year of two events (``run_year`` inlined).
    if trace.shape[0] > 0:
        for y in range(year_start.shape[0] - 1):
            run_year(nodes, group_start, inputs, section_node, work, group_work, losses, year_start[y],
                     year_start[y + 1], victims, corporate_victims, reported, cause, incident,
                     paid_by_section, 0, trace, True)
    else:
        for y in range(year_start.shape[0] - 1):
            run_year(nodes, group_start, inputs, section_node, work, group_work, losses, year_start[y],
                     year_start[y + 1], victims, corporate_victims, reported, cause, incident,
                     paid_by_section, 0, trace, False)
