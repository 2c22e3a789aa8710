"""Numba draws of one severity: a code and four parameters (:mod:`sim.losses.params`), or a
discrete table. Leaf kernels shared by the event and claims samplers."""
from __future__ import annotations

import math

from numba import njit

from ._random import gamma, standard_normal, uniform
from .params import FIXED, GAMMA, LOGNORMAL, LOGNORMAL_PARETO, PARETO

LOG_FLOAT_MAX = 709.0  # just below log(largest float64), 709.78


@njit(cache=True, inline="always")
def sample_severity(bitgen, code, p):
    """One draw of a severity given its code and its 4 parameters ``p`` (a tuple: see
    :func:`params_of`). A ``DISCRETE`` severity is drawn by :func:`sample_discrete`."""
    if code == FIXED:
        return p[0]
    if code == LOGNORMAL:
        return math.exp(p[0] + p[1] * standard_normal(bitgen))
    if code == GAMMA:
        return gamma(bitgen, p[0], p[1])
    if code == PARETO:
        return p[0] * (1.0 - uniform(bitgen)) ** (-1.0 / p[1])
    if code == LOGNORMAL_PARETO:
        x = math.exp(p[0] + p[1] * standard_normal(bitgen))
        if x > p[2]:
            x = p[2] * (1.0 - uniform(bitgen)) ** (-1.0 / p[3])
        return x
    return 0.0


@njit(cache=True, inline="always")
def sample_discrete(bitgen, table):
    """One draw from ``(n, 2)`` rows of (value, cumulative probability)."""
    u = uniform(bitgen)
    last = table.shape[0] - 1
    for i in range(last):
        if u < table[i, 1]:
            return table[i, 0]
    return table[last, 0]


@njit(cache=True, inline="always")
def params_of(table, row):
    """Row ``row`` of a ``(n, 4)`` table of severity parameters, as a tuple. An array (the
    row's view, or the table itself) handed to an inlined helper would cost two atomic
    reference-count updates per draw, more than the draw itself."""
    return table[row, 0], table[row, 1], table[row, 2], table[row, 3]


@njit(cache=True, inline="always")
def categorical(bitgen, cdf):
    """An index drawn with the probabilities whose cumulative sums are ``cdf``; no draw when
    the first index is certain."""
    if cdf[0] >= 1.0:
        return 0
    u = uniform(bitgen)
    for c in range(cdf.shape[0] - 1):
        if u < cdf[c]:
            return c
    return cdf.shape[0] - 1


@njit(cache=True, inline="always")
def rising(n, n50, steepness):
    """``x / (1 + x)`` with ``x = (n / n50)^steepness``: 0 at no one, 1/2 at ``n50``, towards 1
    above it (the reporting and suit curves). 1 where ``x`` would pass the float range: there
    ``x / (1 + x)`` was inf / inf = NaN, and a steep curve (a step at ``n50``) then reported
    no large leak and sued over none."""
    ratio = n / n50
    if ratio > 1.0 and steepness * math.log(ratio) > LOG_FLOAT_MAX:
        return 1.0
    x = ratio ** steepness
    return x / (1.0 + x)
