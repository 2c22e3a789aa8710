"""Streaming, mergeable tallies of simulated years, and the statistics read from them.

Per measure: a log-spaced histogram (1,024 bins per power of two, so any quantile read from it is
within 0.1% of the truth; counts and sums in whole yen are integers), the exact values of the
K largest years, the count of non-zero years, and per block the sum and sum of squares. Memory
does not grow with the number of years (the per-block moments are 16 bytes a block a measure).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import math
from typing import NamedTuple

import numpy as np

from ._kernels import N_BINS

TOP_K = 1 << 16  # exact values kept per measure: VaR/TVaR are exact while n_years x (1 - q) <= TOP_K


class Tally(NamedTuple):
    """One thread's tallies for ``n_measures`` measures."""

    hist_count: np.ndarray  # (n_measures, N_BINS) int64
    hist_sum: np.ndarray    # (n_measures, N_BINS) int64, whole yen
    nonzero: np.ndarray     # (n_measures,) int64
    top: np.ndarray         # (n_measures, TOP_K) float64 min-heaps
    top_size: np.ndarray    # (n_measures,) int64


def new_tally(n_measures: int) -> Tally:
    return Tally(np.zeros((n_measures, N_BINS), np.int64), np.zeros((n_measures, N_BINS), np.int64),
                 np.zeros(n_measures, np.int64), np.zeros((n_measures, TOP_K)),
                 np.zeros(n_measures, np.int64))


def merge_tallies(tallies: Sequence[Tally]) -> Tally:
    """Integer parts add; the heaps keep the K largest of all values (independent of order)."""
    first = tallies[0]
    top = np.zeros_like(first.top)
    size = np.zeros_like(first.top_size)
    for i in range(first.top.shape[0]):
        values = np.concatenate([t.top[i, :t.top_size[i]] for t in tallies])
        best = np.sort(values)[::-1][:TOP_K]
        top[i, :len(best)] = best
        size[i] = len(best)
    return Tally(sum(t.hist_count for t in tallies), sum(t.hist_sum for t in tallies),
                 sum(t.nonzero for t in tallies), top, size)


@dataclass(frozen=True)
class Measure:
    """One row of the summary: which policy, which measure, its index in the tallies."""

    policy: str
    name: str           # gross, paid, retained, paid:<section>
    kind: str           # "aggregate" (per year) or "occurrence" (largest event of the year)
    index: int


def measure_layout(policy_names: Sequence[str], sections: Sequence[Sequence[str]]) -> list[Measure]:
    """The order ``_kernels._year_values`` writes measures in."""
    layout = [Measure("*", "gross", "aggregate", 0), Measure("*", "gross", "occurrence", 1)]
    m = 2
    for name, secs in zip(policy_names, sections):
        layout += [Measure(name, "paid", "aggregate", m), Measure(name, "retained", "aggregate", m + 1),
                   Measure(name, "paid", "occurrence", m + 2),
                   Measure(name, "retained", "occurrence", m + 3)]
        m += 4
        for s in secs:
            layout.append(Measure(name, f"paid:{s}", "aggregate", m))
            m += 1
    return layout


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


def _top_desc(tally: Tally, i: int) -> np.ndarray:
    return np.sort(tally.top[i, :tally.top_size[i]])[::-1]


def value_at_risk(tally: Tally, i: int, n_years: int, q: float) -> float:
    """Smallest loss x with P(X <= x) >= q: exact from the top values when few enough years lie
    above it, else the mean of the histogram bin that holds it."""
    rank = max(math.ceil(n_years * q - 1e-9), 1)   # ascending, 1-based
    from_top = n_years - rank
    top = _top_desc(tally, i)
    if from_top < len(top):
        return float(top[from_top])
    zeros = n_years - int(tally.nonzero[i])
    if rank <= zeros:
        return 0.0
    counts = tally.hist_count[i]
    b = int(np.searchsorted(np.cumsum(counts), rank - zeros))
    return float(tally.hist_sum[i, b] / counts[b])


def tail_value_at_risk(tally: Tally, i: int, n_years: int, q: float) -> float:
    """Mean of the worst ``n_years x (1 - q)`` years (fractional years count in part)."""
    m = n_years * (1.0 - q)
    whole = math.floor(m + 1e-9)
    top = _top_desc(tally, i)
    if m <= 1.0:
        return float(top[0]) if len(top) else 0.0
    if whole < len(top):
        frac = m - whole
        return float((top[:whole].sum() + frac * top[whole]) / m)
    counts, sums = tally.hist_count[i][::-1], tally.hist_sum[i][::-1].astype(float)
    cum = np.cumsum(counts)
    b = int(np.searchsorted(cum, m))  # bins from the top until m years are covered
    if b >= len(cum):
        return float(sums.sum() / m)
    before = cum[b] - counts[b]
    total = sums[:b].sum() + (m - before) * sums[b] / counts[b]
    return float(total / m)
