"""Numba kernels of the Monte Carlo engine: one block of policy years, from sampled events to
tallies. Arrays, NamedTuples of arrays and one NumPy bit generator in; tallies updated in place.

Year values are tallied in whole yen. Tallies are integers (histogram counts and sums, counts
of limits hit), exact bin maxima and top-K heaps, so merging them does not depend on the order
the blocks ran in; the only float sums (moments) are kept per block and merged in block order by
the caller.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .._limits import HIST_OCTAVES, MAX_YEN
from ..events import EventArrays
from ..losses.sampling import sample_events, sample_year_counts
from ..policy.limit_kernel import run_year

HIST_SUB_BITS = 10                 # 1,024 log-spaced bins per octave: width < 0.1%
HIST_SUB = 1 << HIST_SUB_BITS
N_BINS = 2 + HIST_OCTAVES * HIST_SUB  # 1 yen to 2**50 yen; bin 0: (0, 1) yen; last bin: overflow
QUEUE = 1 << 10                    # values queued per tally slot before they go into its tallies
CARRY_BITS = 62                    # a bin's sum carries a unit into ``carry`` at 2**62 yen
UNCHECKED_MAX = float(2 ** 61)     # a slot's bins are carried after this much yen was added
CARRY = 1 << CARRY_BITS            # (a year is < 2**50, so the int64 sum never wraps)
COUNT, SUM, MAX, AT_MAX = range(4)  # the fields of a histogram bin (``Tally.hist[..., field]``)
N_FIELDS = 4


@njit(cache=True, inline="always")
def _bin_of_bits(bits):
    """Histogram bin of a value ``1 <= x < MAX_YEN`` from its IEEE-754 bits: the exponent and
    the top 10 mantissa bits (``math.frexp`` cost more than the rest of the tally update)."""
    return (bits >> (52 - HIST_SUB_BITS)) - ((1023 << HIST_SUB_BITS) - 1)


@njit(cache=True)
def hist_bins(x):
    """Histogram bin of every value of ``x`` (for readers of the tallies): 1,024 bins per
    power of two from 1 yen; bin 0 holds values below 1 yen, the last one values too large."""
    bits = np.ascontiguousarray(x).view(np.int64)
    out = np.empty(x.shape[0], dtype=np.int64)
    for i in range(x.shape[0]):
        out[i] = 0 if x[i] < 1.0 else min(_bin_of_bits(bits[i]), N_BINS - 1)
    return out


@njit(cache=True, inline="always")
def _heap_push(top, i, size, x):
    """Keep the largest values of measure ``i`` in the min-heap ``top[i]``; return its size."""
    k = top.shape[1]
    if size < k:
        j = size
        top[i, j] = x
        while j > 0:
            parent = (j - 1) // 2
            if top[i, parent] <= top[i, j]:
                break
            top[i, parent], top[i, j] = top[i, j], top[i, parent]
            j = parent
        return size + 1
    top[i, 0] = x  # the caller checked that x beats the smallest kept value
    j = 0
    while True:
        child = 2 * j + 1
        if child >= k:
            break
        if child + 1 < k and top[i, child + 1] < top[i, child]:
            child += 1
        if top[i, j] <= top[i, child]:
            break
        top[i, j], top[i, child] = top[i, child], top[i, j]
        j = child
    return size


@njit(cache=True, inline="always")
def queue_year(slots, values, n_values, y, year_values, pending, n_pending):
    """Queue year ``y``'s value ``values[j]`` of every tally slot ``slots[j]`` (``j <
    n_values``; slots not listed, and zeros, only count as years); return True when a queue
    is full, and the caller must then empty the queues (:func:`add_all_pending`) before the
    next year. Adding one slot's values at a time, rather than each year's values across all
    slots, keeps that slot's histogram in cache. The year's row of ``year_values``, when it has
    rows (years kept), gets the values as tallied.

    Emptying the queues is left to the caller so that this loop calls nothing that takes
    arrays: Numba would otherwise update the reference counts of the tally arrays, atomically,
    every year (``benchmarks/refcounts.py``).

    Values are rounded to whole yen first: sub-yen float noise (e.g. 3e7 + 7e7 != 1e8 after an
    aggregate cut) would otherwise split an atom at a limit across neighbouring values."""
    keep = year_values.shape[0] > 0
    full = False
    for j in range(n_values):
        if values[j] <= 0.0:
            continue
        if not values[j] < MAX_YEN:  # also NaN; the runner names the component (limits.py)
            raise OverflowError("year")
        x = float(math.floor(values[j] + 0.5))  # Numba's floor returns an int64: x * x would overflow
        i = slots[j]
        if keep:
            year_values[y, i] = x
        if x == 0.0:
            continue
        pending[i, n_pending[i]] = x
        n_pending[i] += 1
        full |= n_pending[i] == pending.shape[1]
    return full


@njit(cache=True, inline="always")
def add_pending(i, pending, n_pending, hist, carry, unchecked, nonzero, top, top_size,
                block_moments):
    """Add slot ``i``'s queued values (whole yen, ``1 <= x < MAX_YEN``) to its tallies in the
    order they came (so the float moments are the same bit for bit), and empty its queue.

    A bin's sum is ``carry x 2**62 + SUM``: 8,192 years near the 2**50 ceiling would wrap a
    plain int64. Rather than test every addition, ``unchecked[i]`` counts the yen added to the
    slot since its bins were last carried: below 2**61, no bin can have passed 2**62 + 2**61
    (+ one queue, < 2**60), so nothing wraps; past it, every bin of the slot is carried (for
    realistic losses never: 1e8 yen a year takes 2e10 years)."""
    n = n_pending[i]
    values = pending[i, :n]
    bits = pending[i].view(np.int64)
    h = hist[i]
    for j in range(n):
        b = _bin_of_bits(bits[j])
        whole = np.int64(values[j])
        h[b, COUNT] += 1
        h[b, SUM] += whole
        if whole > h[b, MAX]:
            h[b, MAX] = whole
            h[b, AT_MAX] = 1
        elif whole == h[b, MAX]:
            h[b, AT_MAX] += 1
    total, squares, added = block_moments[0, i], block_moments[1, i], 0.0
    for j in range(n):
        total += values[j]
        squares += values[j] * values[j]
        added += values[j]
    block_moments[0, i], block_moments[1, i] = total, squares
    unchecked[i] += added
    if unchecked[i] >= UNCHECKED_MAX:
        for b in range(h.shape[0]):
            carry[i, b] += h[b, SUM] >> CARRY_BITS
            h[b, SUM] &= CARRY - 1
        unchecked[i] = 0.0
    k = top.shape[1]
    smallest = top[i, 0] if top_size[i] == k else -np.inf
    for j in range(n):
        if values[j] > smallest:
            top_size[i] = _heap_push(top, i, top_size[i], values[j])
            smallest = top[i, 0] if top_size[i] == k else -np.inf
    nonzero[i] += n
    n_pending[i] = 0


@njit(cache=True)
def add_all_pending(pending, n_pending, hist, carry, unchecked, nonzero, top, top_size,
                    block_moments):
    """Empty every slot's queue into its tallies (when one is full, and at the end of a
    block). A value's place in its slot's sequence, not when its queue is emptied, decides
    the tallies, so they are the same bit for bit whenever this runs."""
    for i in range(n_pending.shape[0]):
        add_pending(i, pending, n_pending, hist, carry, unchecked, nonzero, top, top_size,
                    block_moments)


@njit(cache=True, inline="always")
def _year_values(slots, values, gross, occ_gross, section_paid, occ_paid, occ_retained, starts,
                 single, one, total_slot, largest_slot, section_slot):
    """List the year's value of each slot it reaches (slot numbers in ``slots``, values in
    ``values``) and return how many. Where each value goes is read from the slot layout
    (``layout.SlotLayout``: ``one``, ``total_slot``, ``largest_slot`` per group, ``section_slot``
    per section); groups are gross, then each policy's paid and retained.

    One flat loop, without a helper of its own: a helper handed ``slots`` and ``values`` cost
    about five more atomic reference-count updates a year (``benchmarks/refcounts.py``)."""
    n = 0
    paid = 0.0
    for g in range(one.shape[0]):  # gross, then paid and retained per policy
        p = (g - 1) // 2
        if g == 0:
            total, largest = gross, occ_gross
        elif g % 2 == 1:
            paid = 0.0
            for s in range(starts[p], starts[p + 1]):
                paid += section_paid[s]
            total, largest = paid, occ_paid[p]
        else:
            total, largest = max(gross - paid, 0.0), occ_retained[p]
        if single:
            slots[n], values[n] = one[g], total
            n += 1
        else:
            slots[n], values[n], slots[n + 1], values[n + 1] = total_slot[g], total, largest_slot[g], largest
            n += 2
    for s in range(section_slot.shape[0]):
        if section_slot[s] >= 0:
            slots[n], values[n] = section_slot[s], section_paid[s]
            n += 1
    return n


@njit(cache=True, inline="always")
def _event_arrays(events, n_events):
    """The thread's reusable event buffers if they are large enough (losses zeroed), else
    fresh ones (allocating every block costs page faults)."""
    if n_events > events.losses.shape[0]:
        return EventArrays(np.zeros((n_events, events.losses.shape[1])), np.zeros(n_events),
                           np.zeros(n_events), np.zeros(n_events, dtype=np.bool_),
                           np.zeros(n_events, dtype=np.int64), np.zeros(n_events, dtype=np.int64),
                           np.zeros(n_events))
    events.losses[:n_events] = 0.0
    return EventArrays(events.losses[:n_events], events.victims[:n_events],
                       events.corporate_victims[:n_events], events.reported[:n_events],
                       events.cause[:n_events], events.incident[:n_events],
                       events.claimants[:n_events])


@njit(cache=True, nogil=True)
def simulate_block(bitgen, n_years, freq, model, terms, layout, state, events, tally, pending,
                   limit_hits, block_moments, year_values, component_moments):
    """Simulate one block of ``n_years`` policy years and add them to the tallies.

    Parameters
    ----------
    bitgen : numpy.random.BitGenerator
        This block's own bit generator.
    n_years : int
    freq : ndarray(float, ndim=1)
        ``(code, p0, p1, p_zero)`` of the frequency (``Frequency.to_array``).
    model : LossModelArrays
        Compiled for the loss columns of ``terms`` and ``events``: the components the model
        can produce (the others are always zero).
    terms : PolicyArrays
        All the scenario's policies, stacked: every policy sees the same events.
    layout : SlotLayout
        The slot of each of a year's values (``layout.build_layout``).
    state : EngineState
    events : EventArrays
        This thread's event buffers, reused from block to block.
    tally : Tally
        This thread's histograms and top-K heaps, updated in place.
    pending : ndarray(float, ndim=2)
        ``(n_slots, QUEUE)``: this thread's queues of values on their way to the tallies.
    limit_hits : ndarray(int, ndim=2)
        ``(2, n_nodes)``: years in which a node's per-event limit bound / its aggregate ran out.
    block_moments : ndarray(float, ndim=2)
        ``(2, n_slots)``: this block's sum and sum of squares of every tally slot.
    year_values : ndarray(float, ndim=2)
        ``(n_years, n_slots)`` to keep every year's values, or ``(0, n_slots)``.
    component_moments : ndarray(float, ndim=2)
        ``(2, n_components)``: this block's sum and sum of squares of each year's gross loss
        by component (the loss columns of ``events``), as drawn (not rounded to yen).

    Returns
    -------
    counts : ndarray(int, ndim=1)
        ``(n_years,)``: the events of each year.
    drawn : EventArrays
        The block's events in year order: views of ``events``, or fresh arrays when they did
        not fit (for the caller to keep, ``event_table.block_events``, before the next block).
    """
    counts = np.empty(n_years, dtype=np.int64)
    sample_year_counts(bitgen, freq, counts)
    drawn = _event_arrays(events, counts.sum())
    sample_events(bitgen, model, drawn)
    _apply_and_record(terms, layout, state, tally, pending, limit_hits, block_moments, year_values,
                      counts, drawn, component_moments)
    return counts, drawn


@njit(cache=True, inline="always")
def _apply_and_record(terms, layout, state, tally, pending, limit_hits, block_moments, year_values,
                      counts, drawn, component_moments):
    """Run each year's events, in order, through the stacked policies and record the year (and
    add its gross by component to ``component_moments``)."""
    losses, victims, corporate_victims = drawn.losses, drawn.victims, drawn.corporate_victims
    reported, cause, incident = drawn.reported, drawn.cause, drawn.incident
    nodes, group_start, inputs, section_node = terms.nodes, terms.group_start, terms.inputs, terms.section_node
    work, group_work = state.work, state.group_work
    hist, carry, unchecked = tally.hist, tally.carry, tally.unchecked
    nonzero, top, top_size = tally.nonzero, tally.top, tally.top_size
    starts = terms.policy_section_start
    one, total_slot, largest_slot, section_slot = layout.one, layout.total, layout.largest, layout.section
    n_policies = starts.shape[0] - 1
    section_paid = np.zeros(section_node.shape[0])
    event_paid = np.zeros((counts.max(), section_node.shape[0]))
    occ_paid = np.zeros(n_policies)
    occ_retained = np.zeros(n_policies)
    slots, values = np.zeros(nonzero.shape[0], dtype=np.int64), np.zeros(nonzero.shape[0])
    n_pending = np.zeros(nonzero.shape[0], dtype=np.int64)
    no_trace = np.zeros((0, 0, 0))
    component_year = np.zeros(losses.shape[1])
    e = 0
    for y in _years_with_events(counts):  # the others add nothing but their count
        _zero(section_paid)
        _zero(occ_paid)
        _zero(occ_retained)
        _zero(component_year)
        gross = 0.0
        occ_gross = 0.0
        run_year(nodes, group_start, inputs, section_node, work, group_work, losses, e, e + counts[y],
                 victims, corporate_victims, reported, cause, incident, event_paid, e, no_trace, False)
        for k in range(counts[y]):
            event_gross = 0.0
            for c in range(losses.shape[1]):
                event_gross += losses[e, c]
                component_year[c] += losses[e, c]
            gross += event_gross
            occ_gross = max(occ_gross, event_gross)
            _add_event(starts, event_paid, k, section_paid, occ_paid, occ_retained, event_gross)
            e += 1
        for c in range(component_year.shape[0]):
            component_moments[0, c] += component_year[c]
            component_moments[1, c] += component_year[c] * component_year[c]
        for j in range(nodes.shape[0]):
            limit_hits[0, j] += work[j].limited
            limit_hits[1, j] += work[j].left <= 0.0  # an unlimited aggregate stays inf
        n = _year_values(slots, values, gross, occ_gross, section_paid, occ_paid, occ_retained,
                         starts, counts[y] == 1, one, total_slot, largest_slot, section_slot)
        if queue_year(slots, values, n, y, year_values, pending, n_pending):
            add_all_pending(pending, n_pending, hist, carry, unchecked, nonzero, top, top_size,
                            block_moments)
    add_all_pending(pending, n_pending, hist, carry, unchecked, nonzero, top, top_size,
                    block_moments)


@njit(cache=True, inline="always")
def _years_with_events(counts):
    """The years whose count is not zero, in order. Without a branch: which years have events
    is random, and a mispredicted branch per year cost more than this pass."""
    years = np.empty(counts.shape[0], dtype=np.int64)
    n = 0
    for y in range(counts.shape[0]):
        years[n] = y
        n += counts[y] != 0
    return years[:n]


@njit(cache=True, inline="always")
def _zero(a):
    for i in range(a.shape[0]):  # a slice assignment costs about 50 instructions more
        a[i] = 0.0


@njit(cache=True, inline="always")
def _add_event(starts, event_paid, k, section_paid, occ_paid, occ_retained, event_gross):
    """Add the year's event ``k``'s payments to the year's section totals and occurrence maxima."""
    for p in range(starts.shape[0] - 1):
        paid = 0.0
        for s in range(starts[p], starts[p + 1]):
            x = event_paid[k, s]
            section_paid[s] += x
            paid += x
        occ_paid[p] = max(occ_paid[p], paid)
        occ_retained[p] = max(occ_retained[p], event_gross - paid)
