"""Numba kernels of the Monte Carlo runner: one block of policy years, from sampled events to
tallies. Arrays, NamedTuples of arrays and one ``np.random.Generator`` in; tallies updated in place.

Tallies are integers (histogram counts, histogram sums in whole yen, counts of limits hit) and
top-K heaps, so merging them does not depend on the order blocks ran in; the only float sums
(moments) are kept per block and merged in block order by the caller.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .components import N_COMPONENTS
from .losses._kernels import sample_count, sample_events
from .policy._kernels import apply_event, reset_period

HIST_SUB_BITS = 10                 # 1,024 log-spaced bins per octave: width < 0.1%
HIST_SUB = 1 << HIST_SUB_BITS
HIST_OCTAVES = 50                  # 1 yen to 2**50 yen (about 1.1e15)
N_BINS = 2 + HIST_OCTAVES * HIST_SUB  # bin 0: (0, 1) yen; last bin: overflow


@njit(cache=True, inline="always")
def hist_bin(x):
    """Histogram bin of ``x > 0``: 1,024 bins per power of two from 1 yen."""
    if x < 1.0:
        return 0
    f, ex = math.frexp(x)  # x = f * 2**ex, 0.5 <= f < 1
    octave = ex - 1
    if octave >= HIST_OCTAVES:
        return N_BINS - 1
    return 1 + octave * HIST_SUB + int((2.0 * f - 1.0) * HIST_SUB)


@njit(cache=True, inline="always")
def _heap_push(heap, size, x):
    """Keep the ``heap.shape[0]`` largest values seen in a min-heap; return the new size."""
    k = heap.shape[0]
    if size < k:
        i = size
        heap[i] = x
        while i > 0:
            parent = (i - 1) // 2
            if heap[parent] <= heap[i]:
                break
            heap[parent], heap[i] = heap[i], heap[parent]
            i = parent
        return size + 1
    if x <= heap[0]:
        return size
    heap[0] = x
    i = 0
    while True:
        child = 2 * i + 1
        if child >= k:
            break
        if child + 1 < k and heap[child + 1] < heap[child]:
            child += 1
        if heap[i] <= heap[child]:
            break
        heap[i], heap[child] = heap[child], heap[i]
        i = child
    return size


@njit(cache=True, inline="always")
def record_year(values, hist_count, hist_sum, nonzero, top, top_size, block_moments):
    """Add one year's value of every measure to the tallies (zeros only count as years)."""
    for i in range(values.shape[0]):
        x = values[i]
        if x <= 0.0:
            continue
        b = hist_bin(x)
        hist_count[i, b] += 1
        hist_sum[i, b] += np.int64(x + 0.5)
        nonzero[i] += 1
        top_size[i] = _heap_push(top[i], top_size[i], x)
        block_moments[0, i] += x
        block_moments[1, i] += x * x


@njit(cache=True, inline="always")
def _year_values(values, gross, occ_gross, section_paid, occ_paid, occ_retained, starts):
    """Fill the measure vector: gross, its occurrence maximum, then per policy: paid, retained,
    their occurrence maxima, and paid per section."""
    values[0] = gross
    values[1] = occ_gross
    m = 2
    for p in range(starts.shape[0] - 1):
        paid = 0.0
        for s in range(starts[p], starts[p + 1]):
            paid += section_paid[s]
        values[m] = paid
        values[m + 1] = max(gross - paid, 0.0)
        values[m + 2] = occ_paid[p]
        values[m + 3] = occ_retained[p]
        m += 4
        for s in range(starts[p], starts[p + 1]):
            values[m] = section_paid[s]
            m += 1


@njit(cache=True, nogil=True)
def simulate_block(rng, n_years, freq, model, terms, state, tally, limit_hits, block_moments,
                   year_values):
    """Simulate one block of ``n_years`` policy years and add them to the tallies.

    Parameters
    ----------
    rng : numpy.random.Generator
        This block's own generator.
    n_years : int
    freq : ndarray(float, ndim=1)
        ``(code, p0, p1)`` of the frequency.
    model : LossModelArrays
    terms : PolicyArrays
        All the scenario's policies, stacked: every policy sees the same events.
    state : EngineState
    tally : Tally
        This thread's histograms and top-K heaps, updated in place.
    limit_hits : ndarray(int, ndim=2)
        ``(2, n_nodes)``: years in which a node's per-event limit bound / its aggregate ran out.
    block_moments : ndarray(float, ndim=2)
        ``(2, n_measures)``: this block's sum and sum of squares of every measure.
    year_values : ndarray(float, ndim=2)
        ``(n_years, n_measures)`` to keep every year's values, or ``(0, n_measures)``.
    """
    keep = year_values.shape[0] > 0
    counts = np.empty(n_years, dtype=np.int64)
    for y in range(n_years):
        counts[y] = sample_count(rng, np.int64(freq[0]), freq[1], freq[2])
    n_events = counts.sum()
    losses = np.zeros((n_events, N_COMPONENTS))
    victims = np.zeros(n_events)
    reported = np.zeros(n_events, dtype=np.bool_)
    cause = np.zeros(n_events, dtype=np.int64)
    sample_events(rng, model, losses, victims, reported, cause)
    _apply_and_record(terms, state, tally, limit_hits, block_moments, year_values, keep, counts,
                      losses, victims, reported, cause)


@njit(cache=True, inline="always")
def _apply_and_record(terms, state, tally, limit_hits, block_moments, year_values, keep, counts,
                      losses, victims, reported, cause):
    """Run each year's events, in order, through the stacked policies and record the year."""
    nodes, group_start, inputs, section_node = terms.nodes, terms.group_start, terms.inputs, terms.section_node
    work, group_work = state.work, state.group_work
    hist_count, hist_sum, nonzero, top, top_size = (tally.hist_count, tally.hist_sum, tally.nonzero,
                                                    tally.top, tally.top_size)
    starts = terms.policy_section_start
    n_policies = starts.shape[0] - 1
    section_paid = np.zeros(section_node.shape[0])
    occ_paid = np.zeros(n_policies)
    occ_retained = np.zeros(n_policies)
    values = np.zeros(nonzero.shape[0])
    hit = np.zeros(nodes.shape[0], dtype=np.bool_)
    no_trace = np.zeros((0, 0, 0))
    e = 0
    for y in range(counts.shape[0]):
        if counts[y] == 0:
            continue  # a year without events adds nothing but its count
        reset_period(nodes, work)
        section_paid[:] = 0.0
        occ_paid[:] = 0.0
        occ_retained[:] = 0.0
        hit[:] = False
        gross = 0.0
        occ_gross = 0.0
        for _ in range(counts[y]):
            apply_event(nodes, group_start, inputs, work, group_work, losses, e, victims[e], 0.0,
                        reported[e], cause[e], no_trace, False)
            event_gross = 0.0
            for c in range(losses.shape[1]):
                event_gross += losses[e, c]
            gross += event_gross
            occ_gross = max(occ_gross, event_gross)
            _add_event(starts, work, section_node, section_paid, occ_paid, occ_retained, event_gross)
            for j in range(nodes.shape[0]):
                if work[j].out >= nodes[j].event_limit:
                    hit[j] = True
            e += 1
        for j in range(nodes.shape[0]):
            limit_hits[0, j] += hit[j]
            limit_hits[1, j] += work[j].left <= 0.0 and nodes[j].aggregate_limit < np.inf
        _year_values(values, gross, occ_gross, section_paid, occ_paid, occ_retained, starts)
        record_year(values, hist_count, hist_sum, nonzero, top, top_size, block_moments)
        if keep:
            year_values[y, :] = values


@njit(cache=True, inline="always")
def _add_event(starts, work, section_node, section_paid, occ_paid, occ_retained, event_gross):
    """Add one event's payments to the year's section totals and occurrence maxima."""
    for p in range(starts.shape[0] - 1):
        paid = 0.0
        for s in range(starts[p], starts[p + 1]):
            x = work[section_node[s]].paid
            section_paid[s] += x
            paid += x
        occ_paid[p] = max(occ_paid[p], paid)
        occ_retained[p] = max(occ_retained[p], event_gross - paid)
