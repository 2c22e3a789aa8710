"""Streaming, mergeable tallies of simulated years, and the statistics read from them.

Per measure: a log-spaced histogram (1,024 bins per power of two, so any quantile read from it is
within 0.1% of the truth; counts and sums in whole yen are integers; each bin also keeps its
largest value and how many years had it, so atoms such as a policy limit are read exactly),
the exact values of the K largest years, the count of non-zero years, and per block the sum and
sum of squares. Memory does not grow with the number of years (the per-block moments are 16
bytes a block a measure).
"""
from __future__ import annotations

from collections.abc import Sequence
import math
from typing import NamedTuple

import numpy as np

from .block_kernel import AT_MAX, CARRY, CARRY_BITS, COUNT, HIST_SUB, MAX, N_BINS, N_FIELDS, SUM, hist_bins
from .layout import Measure

TOP_K = 1 << 12  # exact values kept per measure: VaR/TVaR are exact while n_years x (1 - q) <= TOP_K


class Tally(NamedTuple):
    """One thread's tallies for ``n_measures`` rows (tally slots while simulating, measures
    after ``measure_tallies``). Per histogram bin, side by side in one cache line: how many
    years fell in it, their sum, the largest value and how many years had exactly that value,
    all in whole yen (four separate arrays cost four cache misses per update, and an update
    is about all the tallying does)."""

    hist: np.ndarray        # (n_measures, N_BINS, 4) int64: COUNT, SUM, MAX, AT_MAX
    carry: np.ndarray       # (n_measures, N_BINS) int64: a bin's sum is carry x 2**62 + SUM
    unchecked: np.ndarray   # (n_measures,) float64: yen added since the bins were last carried
    nonzero: np.ndarray     # (n_measures,) int64
    top: np.ndarray         # (n_measures, TOP_K) float64: min-heaps while recording, any order after a merge
    top_size: np.ndarray    # (n_measures,) int64

    @property
    def count(self) -> np.ndarray:
        return self.hist[..., COUNT]

    @property
    def sum(self) -> np.ndarray:
        return self.hist[..., SUM]

    @property
    def max(self) -> np.ndarray:
        return self.hist[..., MAX]

    @property
    def at_max(self) -> np.ndarray:
        return self.hist[..., AT_MAX]


def new_tally(n_measures: int) -> Tally:
    return Tally(np.zeros((n_measures, N_BINS, N_FIELDS), np.int64),
                 np.zeros((n_measures, N_BINS), np.int64), np.zeros(n_measures),
                 np.zeros(n_measures, np.int64), np.zeros((n_measures, TOP_K)),
                 np.zeros(n_measures, np.int64))


def bin_sums(tally: Tally, i: int) -> np.ndarray:
    """Row ``i``'s sum of the years in each histogram bin, in yen (float: a bin's sum may pass
    the int64 range, though each year is below 2**50)."""
    return tally.carry[i] * float(CARRY) + tally.sum[i]


def _combine(parts: Sequence[tuple[Tally, int]]) -> tuple:
    """One tally row from rows of several tallies: counts and sums add, bin maxima combine,
    the heaps keep the K largest of all values. The result does not depend on the order."""
    parts = [(t, i) for t, i in parts if t.nonzero[i] > 0] or list(parts[:1])
    if len(parts) == 1:  # nothing to combine (e.g. no year with several events): share the row
        t, i = parts[0]
        return t.hist[i], t.carry[i], 0.0, int(t.nonzero[i]), t.top[i], int(t.top_size[i])
    t0, i0 = parts[0]
    hist, carry = t0.hist[i0].copy(), t0.carry[i0].copy()
    for t, i in parts[1:]:
        _add_bins(hist, carry, t.hist[i], t.carry[i])
    top, size = _top_of_both([t.top[i, :t.top_size[i]] for t, i in parts])
    return hist, carry, 0.0, sum(int(t.nonzero[i]) for t, i in parts), top, size


def _top_of_both(tops: Sequence[np.ndarray]) -> tuple[np.ndarray, int]:
    """The ``TOP_K`` largest of the kept values of several heaps, in descending order."""
    best = np.sort(np.concatenate(tops))[::-1][:TOP_K]
    top = np.zeros(TOP_K)
    top[:len(best)] = best
    return top, len(best)


def _add_bins(into: np.ndarray, into_carry: np.ndarray, other: np.ndarray,
              other_carry: np.ndarray) -> None:
    """Add histogram bins (``(..., 4)`` arrays and their carries) into ``into``, touching only
    the bins that ``other`` filled. Both sums are carried first (the kernel leaves them below
    2**63, not 2**62), so their sum cannot wrap."""
    idx = np.nonzero(other[..., COUNT])
    a, b = into[idx], other[idx]
    high = (a[:, SUM] >> CARRY_BITS) + (b[:, SUM] >> CARRY_BITS)
    sums = (a[:, SUM] & (CARRY - 1)) + (b[:, SUM] & (CARRY - 1))
    over = sums >= CARRY
    a[:, SUM] = np.where(over, sums - CARRY, sums)
    into_carry[idx] += other_carry[idx] + high + over
    a_top, b_top = a[:, MAX], b[:, MAX]
    a[:, AT_MAX] = np.where(b_top > a_top, b[:, AT_MAX],
                            a[:, AT_MAX] + np.where(b_top == a_top, b[:, AT_MAX], 0))
    a[:, MAX] = np.maximum(a_top, b_top)
    a[:, COUNT] += b[:, COUNT]
    into[idx] = a


def _stack(rows: Sequence[tuple]) -> Tally:
    hist, carry, unchecked, nonzero, top, size = zip(*rows)
    return Tally(np.stack(hist), np.stack(carry), np.array(unchecked), np.array(nonzero, np.int64),
                 np.stack(top), np.array(size, np.int64))


def merge_tallies(tallies: Sequence[Tally]) -> Tally:
    """The threads' tallies of the same measures, merged into the first one (in place)."""
    first = tallies[0]
    for t in tallies[1:]:
        for i in np.flatnonzero(t.nonzero):  # slots some year reached (often far from all)
            _add_bins(first.hist[i], first.carry[i], t.hist[i], t.carry[i])
        for i in range(first.top.shape[0]):
            top, size = _top_of_both([first.top[i, :first.top_size[i]], t.top[i, :t.top_size[i]]])
            first.top[i], first.top_size[i] = top, size
        first.nonzero[:] += t.nonzero
    return first


def measure_tallies(tally: Tally, measures: Sequence[Measure]) -> Tally:
    """One tally row per measure, combining the slots it reads."""
    return _stack([_combine([(tally, s) for s in m.slots]) for m in measures])


def measure_moments(block_moments: np.ndarray, measures: Sequence[Measure]) -> np.ndarray:
    """Per-block sums per measure: the sums of its slots (block order kept)."""
    return np.stack([block_moments[:, :, list(m.slots)].sum(axis=2) for m in measures], axis=2)


class Moments(NamedTuple):
    mean: np.ndarray
    std: np.ndarray


def merge_moments(block_moments: np.ndarray, block_years: np.ndarray) -> Moments:
    """Mean and standard deviation from per-block sums, merged in block order (Chan et al.)."""
    sums, sumsq = block_moments[:, 0, :], block_moments[:, 1, :]
    n_b = block_years[:, None].astype(float)
    mean_b = sums / n_b
    m2_b = np.maximum(sumsq - sums * mean_b, 0.0)
    n = n_b.sum()
    mean = sums.sum(axis=0) / n
    m2 = m2_b.sum(axis=0) + (n_b * (mean_b - mean) ** 2).sum(axis=0)
    std = np.sqrt(m2 / (n - 1)) if n > 1 else np.zeros_like(mean)
    return Moments(mean, std)


def top_values(tally: Tally, i: int) -> np.ndarray:
    """Measure ``i``'s kept largest values, largest first."""
    return np.sort(tally.top[i, :tally.top_size[i]])[::-1]


def cumulative(tally: Tally, i: int, n_years: int, x: float) -> float:
    """Share of years with a value <= ``x``: exact where ``x`` reaches the kept top values,
    else read from the histogram (a bin's maximum and its repeats are exact; the other values
    of the bin are taken as spread evenly below its maximum)."""
    zeros = n_years - int(tally.nonzero[i])
    if x < 0:
        return 0.0
    top = tally.top[i, :tally.top_size[i]]
    if len(top) and x >= top.min():
        return float(1.0 - (top > x).sum() / n_years)
    if x == 0:
        return zeros / n_years
    b = int(hist_bins(np.array([float(x)]))[0])
    count, at_max, top_of_bin = tally.count[i, b], tally.at_max[i, b], tally.max[i, b]
    below = zeros + tally.count[i, :b].sum()
    if count and x >= top_of_bin:
        below += count
    elif count:
        lo = _bin_edges(b)[0]
        below += (count - at_max) * min(max((x - lo) / (top_of_bin - lo), 0.0), 1.0)
    return float(below / n_years)


def _bin_edges(b: int) -> tuple[float, float]:
    if b == 0:
        return 0.0, 1.0
    octave, sub = divmod(b - 1, HIST_SUB)
    return 2.0 ** octave * (1 + sub / HIST_SUB), 2.0 ** octave * (1 + (sub + 1) / HIST_SUB)


def _top_of_bin(tally: Tally, i: int, b: int, t: float) -> float:
    """Sum of the ``t`` largest values in bin ``b``: its maximum (exact, possibly repeated),
    then the mean of the others. In float: ``at_max x top`` may pass the int64 range."""
    count, top, at_max = (int(tally.count[i, b]), float(tally.max[i, b]), int(tally.at_max[i, b]))
    total = tally.carry[i, b] * float(CARRY) + float(tally.sum[i, b])
    if t <= at_max:
        return t * top
    rest_mean = (total - at_max * top) / (count - at_max)
    return at_max * top + (t - at_max) * min(max(rest_mean, 0.0), top)


class BinTotals(NamedTuple):
    """Running totals over one measure's histogram bins, for reading many levels from it."""

    count_up: np.ndarray     # years in bins 0..b
    count_down: np.ndarray   # years in the k + 1 highest bins
    sum_down: np.ndarray     # their sum (yen, float)


def bin_totals(tally: Tally, i: int) -> BinTotals:
    counts, sums = tally.count[i], bin_sums(tally, i)
    return BinTotals(np.cumsum(counts), np.cumsum(counts[::-1]), np.cumsum(sums[::-1]))


def value_at_risk(tally: Tally, i: int, n_years: int, q: float, top: np.ndarray | None = None,
                  totals: BinTotals | None = None) -> float:
    """Smallest loss x with P(X <= x) >= q: exact from the top values when few enough years lie
    above it, else read from the histogram bin that holds it (within 0.1%). ``top`` (the kept
    values, largest first) and ``totals`` save work when reading several levels."""
    rank = max(math.ceil(n_years * q - 1e-9), 1)   # ascending, 1-based
    from_top = n_years - rank
    top = top_values(tally, i) if top is None else top
    if from_top < len(top):
        return float(top[from_top])
    zeros = n_years - int(tally.nonzero[i])
    if rank <= zeros:
        return 0.0
    cum = (totals or bin_totals(tally, i)).count_up
    b = int(np.searchsorted(cum, rank - zeros))
    above = cum[b] - (rank - zeros)  # values of bin b above the one we want
    return float(_top_of_bin(tally, i, b, above + 1) - _top_of_bin(tally, i, b, above))


def tail_value_at_risk(tally: Tally, i: int, n_years: int, q: float,
                       top: np.ndarray | None = None, totals: BinTotals | None = None) -> float:
    """Mean of the worst ``n_years x (1 - q)`` years (fractional years count in part);
    ``top`` and ``totals`` as for :func:`value_at_risk`."""
    m = n_years * (1.0 - q)
    whole = math.floor(m + 1e-9)
    top = top_values(tally, i) if top is None else top
    if m <= 1.0:
        return float(top[0]) if len(top) else 0.0
    if whole < len(top):
        frac = m - whole
        return float((top[:whole].sum() + frac * top[whole]) / m)
    totals = totals or bin_totals(tally, i)
    cum = totals.count_down
    k = int(np.searchsorted(cum, m))  # bins from the top until m years are covered
    if k >= len(cum):
        return float(totals.sum_down[-1] / m)
    above = cum[k - 1] if k > 0 else 0  # years in the k bins above bin b
    full = totals.sum_down[k - 1] if k > 0 else 0
    b = len(cum) - 1 - k
    return float((full + _top_of_bin(tally, i, b, m - above)) / m)
