"""Statistics of a sample computed from their documented definitions with plain NumPy and exact
fractions, for checking what ``SimulationResult`` reads from its tallies (nothing from ``sim``).

Levels are taken as the decimals they are written as (``Fraction(repr(q))``): 0.995 means
995/1000, so n x (1 - q) is computed without float error.
"""
from __future__ import annotations

from fractions import Fraction
import math

import numpy as np
from scipy import stats

# summary() column -> level, written out here rather than read from sim.results
SUMMARY_LEVELS = {"90": 0.90, "95": 0.95, "99": 0.99, "99_5": 0.995, "99_9": 0.999}


def var_of(x: np.ndarray, q: float) -> float:
    """Smallest value v of the sample with P(X <= v) >= q: the ceil(n q)-th smallest."""
    s = np.sort(np.asarray(x, float))
    rank = max(math.ceil(len(s) * Fraction(repr(q))), 1)
    return float(s[rank - 1])


def tvar_of(x: np.ndarray, q: float) -> float:
    """Mean of the worst m = n (1 - q) years, the (floor(m) + 1)-th worst counted with weight
    m - floor(m); the largest year when m <= 1."""
    s = np.sort(np.asarray(x, float))[::-1]
    m = len(s) * (1 - Fraction(repr(q)))
    if m <= 1:
        return float(s[0])
    whole = math.floor(m)
    frac = float(m - whole)
    return float((s[:whole].sum() + frac * s[whole]) / float(m))


def years_beyond(n: int, q: float) -> Fraction:
    """n (1 - q) exactly: the (possibly fractional) number of years in the tail."""
    return n * (1 - Fraction(repr(q)))


def wang_of(x: np.ndarray, lam: float) -> float:
    """Wang-transform premium of the empirical distribution of ``x`` (values >= 0):
    the integral of g(S(t)) dt with g(s) = Phi(Phi^-1(s) + lam), S(t) = P(X > t); S is a step
    function dropping at each distinct value, so the integral is a sum over the steps."""
    values, counts = np.unique(np.asarray(x, float), return_counts=True)
    at_least = counts[::-1].cumsum()[::-1] / len(x)           # P(X >= v_j)
    widths = np.diff(values, prepend=0.0)                      # S = P(X >= v_j) on [v_{j-1}, v_j)
    return float(np.sum(widths * stats.norm.cdf(stats.norm.ppf(at_least) + lam)))
