"""Severity distributions in the user's terms (median and sigma, mean and CV, a 90% interval),
compiled to a code and four float parameters for the Numba samplers.

>>> LogNormal.from_mean_cv(250_000, 2.0).median() < 250_000
True
>>> round(LogNormal.from_interval90(1e6, 1e8).median())
10000000
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import math

import numpy as np
from scipy import stats

from .._errors import InputError, check_amount, check_choice, check_names, short_repr, within
from .params import DISCRETE, FIXED, GAMMA, LOGNORMAL, LOGNORMAL_PARETO, PARETO
from .sampling import sample_severities

Z95 = stats.norm.ppf(0.95)  # a 90% interval spans +/- 1.645 sigma in log space



class Severity:
    """Base class: ``code``, ``params`` for the kernels; ``mean``, ``to_scipy`` for checks."""

    code: int

    def sample(self, size: int, rng: np.random.Generator | int | None = None) -> np.ndarray:
        """``size`` independent draws (by the same Numba sampler the simulation uses)."""
        out = np.empty(int(size))
        bitgen = np.random.default_rng(rng).bit_generator
        sample_severities(bitgen, self.code, np.array([self.params], float), out)
        return out

    @property
    def params(self) -> tuple[float, float, float, float]:
        raise NotImplementedError

    def mean(self) -> float:
        raise NotImplementedError

    def quantile(self, p: float) -> float:
        """The value a draw stays below with probability ``p`` (``0 < p < 1``)."""
        return float(self.to_scipy().ppf(p))


@dataclass(frozen=True)
class Fixed(Severity):
    """Always ``value``."""

    value: float
    code = FIXED

    def __post_init__(self) -> None:
        check_amount("value", self.value)

    @property
    def params(self):
        return (self.value, 0.0, 0.0, 0.0)

    def mean(self) -> float:
        return self.value

    def median(self) -> float:
        return self.value

    def quantile(self, p: float) -> float:
        return self.value


@dataclass(frozen=True)
class LogNormal(Severity):
    """Lognormal with ``ln X ~ Normal(mu, sigma)``; build it with the ``from_*`` constructors."""

    mu: float
    sigma: float
    code = LOGNORMAL

    def __post_init__(self) -> None:
        _check_log_params(self.mu, self.sigma)

    @classmethod
    def from_median_sigma(cls, median: float, sigma: float) -> "LogNormal":
        """``median`` in yen (or people); ``sigma`` the standard deviation of ``ln X``."""
        return cls(math.log(check_amount("median", median, positive=True)), sigma)

    @classmethod
    def from_mean_cv(cls, mean: float, cv: float) -> "LogNormal":
        """Mean and coefficient of variation (standard deviation / mean)."""
        check_amount("mean", mean, positive=True)
        sigma = math.sqrt(math.log1p(check_amount("cv", cv) ** 2))
        return cls(math.log(mean) - sigma * sigma / 2, sigma)

    @classmethod
    def from_interval90(cls, low: float, high: float) -> "LogNormal":
        """5th and 95th percentiles."""
        check_amount("p05", low, positive=True)
        if not check_amount("p95", high, positive=True) > low:
            raise InputError("p95", f"{high!r} must exceed p05 = {low!r}")
        mu = (math.log(low) + math.log(high)) / 2
        return cls(mu, (math.log(high) - math.log(low)) / (2 * Z95))

    @property
    def params(self):
        return (self.mu, self.sigma, 0.0, 0.0)

    def mean(self) -> float:
        return math.exp(self.mu + self.sigma ** 2 / 2)

    def median(self) -> float:
        return math.exp(self.mu)

    def to_scipy(self):
        return stats.lognorm(self.sigma, scale=math.exp(self.mu))


@dataclass(frozen=True)
class Gamma(Severity):
    """Gamma with the given ``mean`` and coefficient of variation ``cv``."""

    mean_: float
    cv: float
    code = GAMMA

    def __post_init__(self) -> None:
        check_amount("mean", self.mean_, positive=True)
        check_amount("cv", self.cv, positive=True)

    @property
    def params(self):
        shape = 1.0 / self.cv ** 2
        return (shape, self.mean_ / shape, 0.0, 0.0)

    def mean(self) -> float:
        return self.mean_

    def to_scipy(self):
        shape, scale = self.params[:2]
        return stats.gamma(shape, scale=scale)


@dataclass(frozen=True)
class Pareto(Severity):
    """Single-parameter Pareto: ``P(X > x) = (minimum / x) ** alpha`` for ``x >= minimum``."""

    minimum: float
    alpha: float
    code = PARETO

    def __post_init__(self) -> None:
        check_amount("minimum", self.minimum, positive=True)
        check_amount("alpha", self.alpha, positive=True)

    @property
    def params(self):
        return (self.minimum, self.alpha, 0.0, 0.0)

    def mean(self) -> float:
        return math.inf if self.alpha <= 1 else self.alpha * self.minimum / (self.alpha - 1)

    def quantile(self, p: float) -> float:
        return self.minimum * (1.0 - p) ** (-1.0 / self.alpha)

    def to_scipy(self):
        return stats.pareto(self.alpha, scale=self.minimum)


@dataclass(frozen=True)
class LogNormalPareto(Severity):
    """Lognormal body with a Pareto tail above ``threshold``: the lognormal's mass above the
    threshold is redistributed as ``P(X > x | X > t) = (t / x) ** alpha``."""

    mu: float
    sigma: float
    threshold: float
    alpha: float
    code = LOGNORMAL_PARETO

    def __post_init__(self) -> None:
        _check_log_params(self.mu, self.sigma)
        check_amount("threshold", self.threshold, positive=True)
        check_amount("alpha", self.alpha, positive=True)

    @property
    def params(self):
        return (self.mu, self.sigma, self.threshold, self.alpha)

    def tail_probability(self) -> float:
        return float(stats.norm.sf((math.log(self.threshold) - self.mu) / self.sigma))

    def mean(self) -> float:
        if self.alpha <= 1:
            return math.inf
        body = stats.lognorm(self.sigma, scale=math.exp(self.mu)).expect(lb=0, ub=self.threshold)
        return body + self.tail_probability() * self.alpha * self.threshold / (self.alpha - 1)

    def quantile(self, p: float) -> float:
        tail = self.tail_probability()
        if 1.0 - p >= tail:  # in the lognormal body
            return float(stats.lognorm(self.sigma, scale=math.exp(self.mu)).ppf(p))
        return self.threshold * ((1.0 - p) / tail) ** (-1.0 / self.alpha)

    def capped_mean(self, cap: float) -> float:
        """``E[min(X, cap)]`` for a cap above the threshold (finite for any ``alpha``)."""
        t, a = self.threshold, self.alpha
        body = stats.lognorm(self.sigma, scale=math.exp(self.mu)).expect(lb=0, ub=t)
        if math.isclose(a, 1.0):
            tail = t + t * math.log(cap / t)
        else:
            tail = t + t ** a * (cap ** (1 - a) - t ** (1 - a)) / (1 - a)
        return body + self.tail_probability() * tail

    def cdf(self, x):
        x = np.asarray(x, dtype=float)
        body = stats.lognorm(self.sigma, scale=math.exp(self.mu)).cdf(np.minimum(x, self.threshold))
        tail = self.tail_probability() * (1 - (self.threshold / np.maximum(x, self.threshold)) ** self.alpha)
        return body + tail


@dataclass(frozen=True)
class Discrete(Severity):
    """``values[i]`` with probability ``probabilities[i]`` (a mix of known amounts, such as
    JNSA's per-person damages over its mix of leaked data). Only an award per claimant takes
    one (the samplers read it from its own table)."""

    values: tuple[float, ...]
    probabilities: tuple[float, ...]
    code = DISCRETE

    def __post_init__(self) -> None:
        values, probs = tuple(self.values), tuple(self.probabilities)
        if not values or len(values) != len(probs):
            raise InputError("probabilities", f"expected one probability per value ({len(values)} "
                             f"values, {len(probs)} probabilities)")
        for i, (v, p) in enumerate(zip(values, probs)):
            check_amount(f"values[{i}]", v)
            check_amount(f"probabilities[{i}]", p)
        if not math.isclose(sum(probs), 1.0, abs_tol=1e-9):
            raise InputError("probabilities", f"sum to {sum(probs):.6g}; they must sum to 1")
        object.__setattr__(self, "values", tuple(map(float, values)))
        object.__setattr__(self, "probabilities", tuple(map(float, probs)))

    @property
    def params(self):
        return (0.0, 0.0, 0.0, 0.0)

    @property
    def table(self) -> np.ndarray:
        """``(n, 2)`` rows of (value, cumulative probability), as the samplers read them."""
        return np.column_stack([self.values, np.cumsum(self.probabilities)])

    def sample(self, size: int, rng: np.random.Generator | int | None = None) -> np.ndarray:
        rng = np.random.default_rng(rng)
        return np.asarray(self.values)[np.minimum(
            np.searchsorted(self.table[:, 1], rng.random(int(size)), side="right"),
            len(self.values) - 1)]

    def mean(self) -> float:
        return float(np.dot(self.values, self.probabilities))

    def quantile(self, p: float) -> float:
        order = np.argsort(self.values)
        cdf = np.cumsum(np.asarray(self.probabilities)[order])
        return float(np.asarray(self.values)[order][min(np.searchsorted(cdf, p), len(cdf) - 1)])


def _check_log_params(mu: float, sigma: float) -> None:
    if not isinstance(mu, (int, float)) or not math.isfinite(mu):
        raise InputError("mu", f"{mu!r} is not allowed; expected a finite log-median")
    check_amount("sigma", sigma)


DISTRIBUTIONS = ("fixed", "lognormal", "gamma", "pareto", "lognormal_pareto", "discrete")
_FORMS = {  # dist -> accepted parameter sets, in the user's terms
    "fixed": (("value",),),
    "lognormal": (("median", "sigma"), ("mean", "cv"), ("p05", "p95")),
    "gamma": (("mean", "cv"),),
    "pareto": (("minimum", "alpha"),),
    "lognormal_pareto": (("median", "sigma", "threshold", "alpha"),),
    "discrete": (("values", "probabilities"),),
}


def severity_from_dict(table: Mapping[str, object], field: str) -> Severity:
    """A severity from a table such as ``{dist = "lognormal", median = 1e7, sigma = 1.5}``.

    Accepted forms: fixed (value); lognormal (median, sigma | mean, cv | p05, p95);
    gamma (mean, cv); pareto (minimum, alpha); lognormal_pareto (median, sigma, threshold, alpha);
    discrete (values, probabilities: lists), for an award per claimant only.
    """
    if not isinstance(table, Mapping):
        raise InputError(field, f"{short_repr(table)} is not a distribution table like "
                         "{ dist = \"lognormal\", median = 1e7, sigma = 1.5 }")
    dist = table.get("dist", "fixed" if "value" in table else None)
    check_choice(f"{field}.dist", dist, DISTRIBUTIONS)
    given = set(table) - {"dist"}
    forms = _FORMS[dist]
    form = next((f for f in forms if set(f) == given), None)
    if form is None:
        allowed = " | ".join(", ".join(f) for f in forms)
        check_names(field, given, {k for f in forms for k in f})
        raise InputError(field, f"dist {dist!r} needs exactly one of these parameter sets: {allowed}")
    if dist == "discrete":
        with within(field):
            for key in form:
                if not isinstance(table[key], (list, tuple)):
                    raise InputError(key, f"{short_repr(table[key])} is not a list of numbers")
            return Discrete(tuple(table["values"]), tuple(table["probabilities"]))
    v = {k: check_amount(f"{field}.{k}", table[k], positive=k != "value") for k in form}
    with within(field):
        return _build(dist, v)


def _build(dist: str, v: dict[str, float]) -> Severity:
    if dist == "fixed":
        return Fixed(v["value"])
    if dist == "gamma":
        return Gamma(v["mean"], v["cv"])
    if dist == "pareto":
        return Pareto(v["minimum"], v["alpha"])
    if dist == "lognormal_pareto":
        return LogNormalPareto(math.log(v["median"]), v["sigma"], v["threshold"], v["alpha"])
    if "median" in v:
        return LogNormal.from_median_sigma(v["median"], v["sigma"])
    if "mean" in v:
        return LogNormal.from_mean_cv(v["mean"], v["cv"])
    if v["p05"] >= v["p95"]:
        raise InputError("p95", f"{v['p95']!r} must exceed p05 = {v['p05']!r}")
    return LogNormal.from_interval90(v["p05"], v["p95"])
