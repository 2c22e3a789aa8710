"""Confidence intervals for the figures of a :class:`~sim.engine.results.SimulationResult`: the
simulation error of every mean, VaR and TVaR, read from the same tallies as the figures.

Methods (``ci`` is the confidence level, e.g. 0.95; ``z`` the normal quantile at (1 + ci) / 2):

- **mean**: ``mean +- z sem``, ``sem = std / sqrt(n_years)`` with ``std`` merged from the blocks'
  sums and sums of squares (the central limit theorem; valid for any loss with a finite
  variance, which a limited payment always has; for an unlimited heavy-tailed gross the
  coverage approaches ``ci`` more slowly: see ``benchmarks/ci_coverage.py``).
- **VaR** at level p: distribution-free order-statistic bounds. With ``B ~ Binomial(n, p)``,
  ``r`` the largest rank with ``P(B < r) <= (1 - ci) / 2`` and ``s`` the smallest with
  ``P(B >= s) <= (1 - ci) / 2``, ``P(X_(r) <= VaR_p <= X_(s)) >= ci`` for every distribution,
  atoms included, at any ``n`` (Wilks, Mathematical Statistics, 1962, sec. 11.2; David &
  Nagaraja, Order Statistics, 2003, sec. 7.1). ``X_(r)`` is read exactly from the kept top
  values, the zeros and the atoms at a histogram bin's maximum; elsewhere the histogram only
  places it in a bin, and the bound is widened to the bin's edge (its lower edge for the lower
  bound, its exact maximum for the upper): bins are < 0.1% wide (1,024 per power of two).
  A run too short to reach rank ``s`` (``p**n > (1 - ci) / 2``) cannot bound VaR from above:
  :class:`InputError` naming the years needed.
- **TVaR** at level p: ``TVaR +- z sigma / sqrt(n)``, the asymptotic normal law of the
  empirical tail mean, ``sigma**2 = (Var(X | tail) + p (TVaR - VaR)**2) / (1 - p)`` (Manistre &
  Hancock, "Variance of the CTE Estimator", NAAJ 9(2), 2005). The tail's second moment is exact
  from the kept top values; from the histogram, each bin's values other than its maximum are
  taken at their mean (bins < 0.1% wide: the variance this drops is below 1e-6 of the
  value squared). Valid when the tail holds many years (``n (1 - p)`` in the hundreds); with a
  few dozen it is an approximation (measured in ``benchmarks/ci_coverage.py``). Per-block TVaRs
  (batch means) would not need that, but the blocks' tallies are merged as they run.

A lower bound below zero is raised to zero (no loss is negative). Every bound is a function of
the merged tallies and block moments alone, which do not depend on the number of threads.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import stats

from .._errors import InputError, _is_number
from .block_kernel import HIST_SUB
from .tally import BinTotals, Tally, bin_sums, tail_value_at_risk, value_at_risk


class Interval(NamedTuple):
    """A confidence interval: ``lo <= estimate <= hi`` at confidence ``ci``."""

    lo: float
    hi: float


def interleave(record: dict[str, float], intervals: dict[str, Interval]) -> dict[str, float]:
    """``record`` with ``<name>_lo`` and ``<name>_hi`` after each figure that has an interval."""
    out: dict[str, float] = {}
    for name, value in record.items():
        out[name] = value
        if name in intervals:
            out[f"{name}_lo"], out[f"{name}_hi"] = intervals[name]
    return out


def check_ci(ci: object) -> float:
    """``ci`` as a float strictly between 0 and 1 (a confidence level), else :class:`InputError`."""
    if not _is_number(ci) or not 0.0 < float(ci) < 1.0:
        raise InputError("ci", f"{ci!r} is not allowed; expected a confidence level strictly "
                               "between 0 and 1, e.g. 0.95")
    return float(ci)


def _z(ci: float) -> float:
    return float(stats.norm.ppf(0.5 + ci / 2))


def mean_interval(mean: float, std: float, n_years: int, ci: float) -> Interval:
    """``mean +- z std / sqrt(n_years)`` (lower bound at least zero)."""
    half = _z(ci) * std / math.sqrt(n_years)
    return Interval(max(mean - half, 0.0), mean + half)


def quantile_ranks(n_years: int, q: float, ci: float) -> tuple[int, int]:
    """Ranks ``(r, s)`` (ascending, 1-based) of the order statistics bounding the q-quantile
    with confidence ``ci``: ``P(B < r) <= a`` and ``P(B >= s) <= a``, ``a = (1 - ci) / 2``,
    ``B ~ Binomial(n_years, q)``; ``r`` is 0 when no order statistic bounds it from below
    (the bound is then 0). :class:`InputError` when ``s > n_years``.

    >>> quantile_ranks(1_000, 0.5, 0.95)   # the median of 1,000: about 500 -+ 1.96 sqrt(1000) / 2
    (469, 532)
    """
    a = (1.0 - ci) / 2
    if q >= 1.0:
        raise InputError("q", "1 (the largest possible loss) cannot be bounded from above by a "
                              "simulation; expected a level below 1")
    k = int(stats.binom.ppf(a, n_years, q))          # smallest k with P(B <= k) >= a
    r = k if stats.binom.cdf(k, n_years, q) > a else k + 1
    s = int(stats.binom.ppf(1.0 - a, n_years, q)) + 1
    if s > n_years:
        need = math.ceil(math.log(a) / math.log(q)) if q > 0 else 1
        raise InputError("n_years", f"{n_years:,} years cannot bound the {q:.4g} quantile from "
                         f"above with confidence {ci:g}; it needs at least {need:,} years")
    return max(r, 0), s


def order_statistic(tally: Tally, i: int, n_years: int, rank: int, top: np.ndarray,
                    totals: BinTotals) -> Interval:
    """Bounds on the ``rank``-th smallest year (1-based) of measure ``i``: the value itself
    (``lo == hi``) from the kept top values, the zeros or a bin's maximum and its repeats;
    else its bin's lower edge and the bin's maximum."""
    from_top = n_years - rank
    if from_top < len(top):
        return Interval(float(top[from_top]), float(top[from_top]))
    zeros = n_years - int(tally.nonzero[i])
    if rank <= zeros:
        return Interval(0.0, 0.0)
    b = int(np.searchsorted(totals.count_up, rank - zeros))
    above = int(totals.count_up[b]) - (rank - zeros)   # years of bin b above the one wanted
    top_of_bin = float(tally.max[i, b])
    if above < int(tally.at_max[i, b]):
        return Interval(top_of_bin, top_of_bin)
    return Interval(_lower_edge(b), top_of_bin)


def _lower_edge(b: int) -> float:
    if b == 0:
        return 0.0
    octave, sub = divmod(b - 1, HIST_SUB)
    return 2.0 ** octave * (1 + sub / HIST_SUB)


def var_interval(tally: Tally, i: int, n_years: int, q: float, ci: float, top: np.ndarray,
                 totals: BinTotals) -> Interval:
    """Order-statistic confidence interval of VaR at level ``q`` (see the module notes)."""
    r, s = quantile_ranks(n_years, q, ci)
    lo = order_statistic(tally, i, n_years, r, top, totals).lo if r >= 1 else 0.0
    return Interval(lo, order_statistic(tally, i, n_years, s, top, totals).hi)


def tail_moments(tally: Tally, i: int, n_years: int, q: float, top: np.ndarray,
                 totals: BinTotals) -> tuple[float, float]:
    """Mean and mean square of the worst ``m = n_years (1 - q)`` years (the ``floor(m) + 1``-th
    worst with weight ``m - floor(m)``), as :func:`~sim.engine.tally.tail_value_at_risk` counts
    them."""
    m = n_years * (1.0 - q)
    whole = math.floor(m + 1e-9)
    if m <= 1.0:
        v = float(top[0]) if len(top) else 0.0
        return v, v * v
    if whole < len(top):
        w = np.zeros(whole + 1)
        w[:whole], w[whole] = 1.0, m - whole
        x = top[:whole + 1]
        return float(w @ x / m), float(w @ x**2 / m)
    # From the histogram, bins from the top: each bin as its maximum (at_max times) and the mean
    # of its other values; the last bin reached only in part (its largest values first).
    count = tally.count[i].astype(float)
    at_max = tally.at_max[i].astype(float)
    peak = tally.max[i].astype(float)
    sums = bin_sums(tally, i)
    rest = np.divide(sums - at_max * peak, count - at_max, out=np.zeros_like(sums),
                     where=count > at_max)
    rest = np.clip(rest, 0.0, peak)
    above = np.cumsum(count[::-1])[::-1] - count     # years in the bins above each bin
    taken = np.clip(m - above, 0.0, count)
    from_max = np.minimum(taken, at_max)
    from_rest = taken - from_max
    total = from_max @ peak + from_rest @ rest
    square = from_max @ peak**2 + from_rest @ rest**2
    return float(total / m), float(square / m)


def tvar_interval(tally: Tally, i: int, n_years: int, q: float, ci: float, top: np.ndarray,
                  totals: BinTotals) -> Interval:
    """Normal confidence interval of TVaR at level ``q`` (see the module notes)."""
    quantile_ranks(n_years, q, ci)  # the same years needed as for VaR: refuse shorter runs
    tvar = tail_value_at_risk(tally, i, n_years, q, top, totals)
    var = value_at_risk(tally, i, n_years, q, top, totals)
    mean, square = tail_moments(tally, i, n_years, q, top, totals)
    variance = (max(square - mean * mean, 0.0) + q * (tvar - var) ** 2) / (1.0 - q)
    half = _z(ci) * math.sqrt(variance / n_years)
    return Interval(max(tvar - half, 0.0), tvar + half)
