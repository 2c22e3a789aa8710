"""Random draws inside Numba kernels, from a NumPy bit generator (``rng.bit_generator``).

Kernels take the bit generator, not the ``Generator``: Numba reference-counts a ``Generator``
each time it is handed to an inlined helper (an atomic update on entry and on exit), which
costs more than a normal draw; with the parameter arrays, it made peer_compound's event
sampling 1.6 times slower (24 ns an event, now 15). A bit generator is a plain struct. These
functions call the implementations that Numba's ``Generator`` methods call, so the draws are
the same, number for number (``tests/losses/test_samplers.py``); the methods' argument checks are
left to the scenario's validation, which runs before any draw.
"""
from __future__ import annotations

import numpy as np
from numba import config, njit
from numba.np.random.distributions import (random_beta, random_binomial, random_gamma,
                                           random_negative_binomial, random_poisson,
                                           random_standard_normal)
from numba.np.random.generator_core import next_double


@njit(cache=True, inline="always")
def uniform(bitgen):
    """``Generator.random()``: uniform on [0, 1)."""
    return next_double(bitgen)


@njit(cache=True, inline="always")
def standard_normal(bitgen):
    return random_standard_normal(bitgen)


@njit(cache=True, inline="always")
def gamma(bitgen, shape, scale):
    return random_gamma(bitgen, shape, scale)


@njit(cache=True, inline="always")
def beta(bitgen, a, b):
    return random_beta(bitgen, a, b)


@njit(cache=True, inline="always")
def binomial(bitgen, n, p):
    return np.int64(random_binomial(bitgen, n, p))


@njit(cache=True, inline="always")
def poisson(bitgen, lam):
    return np.int64(random_poisson(bitgen, lam))


@njit(cache=True, inline="always")
def negative_binomial(bitgen, n, p):
    return np.int64(random_negative_binomial(bitgen, n, p))


if config.DISABLE_JIT:  # the kernels run as Python: the Generator methods make the same draws
    def uniform(bitgen):  # noqa: F811
        return np.random.Generator(bitgen).random()

    def standard_normal(bitgen):  # noqa: F811
        return np.random.Generator(bitgen).standard_normal()

    def gamma(bitgen, shape, scale):  # noqa: F811
        return np.random.Generator(bitgen).gamma(shape, scale)

    def beta(bitgen, a, b):  # noqa: F811
        return np.random.Generator(bitgen).beta(a, b)

    def binomial(bitgen, n, p):  # noqa: F811
        return np.int64(np.random.Generator(bitgen).binomial(n, p))

    def poisson(bitgen, lam):  # noqa: F811
        return np.int64(np.random.Generator(bitgen).poisson(lam))

    def negative_binomial(bitgen, n, p):  # noqa: F811
        return np.int64(np.random.Generator(bitgen).negative_binomial(n, p))
