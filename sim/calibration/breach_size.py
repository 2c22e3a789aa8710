"""The default breach-size distribution, fitted to public Japanese incident counts.

The 2006 compilation of 1,540 publicised incidents (``sim/data/breach_size_2006.csv``) gives
counts in nine size buckets; JNSA gives the 2005-2017 average of 14,259 people per incident
(``sim/data/breach_size.csv``). A lognormal alone cannot match both the buckets and the mean
(its chi-square on the buckets is 24.7 at the best fit, and that fit's mean is half of
JNSA's), so the default is a lognormal body with a Pareto tail above 10,000 people
(:class:`~sim.losses.distributions.LogNormalPareto`): ``(mu, sigma, alpha)`` maximise the
grouped likelihood of the bucket counts subject to the mean, with sizes capped at the largest
Japanese leak on record, being JNSA's average. :func:`fit_breach_size` does the fit.

The simulation reads the fitted parameters from ``sim/data/breach_size_fit.csv`` rather than
refitting at run time: the optimiser's last digits depend on the BLAS library and its thread
count (``OMP_NUM_THREADS=1`` moved ``mu`` in the 7th digit), and a result must depend only on
(scenario, n_years, seed). ``python -m sim.calibration.breach_size --write`` refits and rewrites
the table; a test checks that a refit agrees with it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import math
from typing import TYPE_CHECKING

import numpy as np
from scipy import optimize, stats

from .._errors import check_amount, check_choice
from ..components import CAUSES
from ..data import read_table
from ..losses.distributions import LogNormalPareto

if TYPE_CHECKING:
    import pandas


@dataclass(frozen=True)
class BreachSizeFit:
    """A fitted breach-size distribution and how well it matches the data.

    Attributes
    ----------
    distribution : LogNormalPareto
    cap : float
        People; sizes are capped here when the insured's records held are not given.
    observed, expected : ndarray
        Incidents per bucket: the data, and the fit's expectation for as many incidents.
    chi2 : float
        Pearson's statistic over the buckets.
    dof : int
        Buckets - 1 - free parameters (the mean constraint takes one parameter).
    """

    distribution: LogNormalPareto
    cap: float
    observed: np.ndarray
    expected: np.ndarray
    chi2: float
    dof: int

    @property
    def p_value(self) -> float:
        return float(stats.chi2.sf(self.chi2, self.dof))


def size_buckets() -> tuple[np.ndarray, np.ndarray]:
    """Bucket edges in whole people (``lower`` of each bucket, then ``inf``) and incident counts
    of the 2006 compilation."""
    table = read_table("breach_size_2006.csv")
    edges = np.append(table["lower"].to_numpy(float), math.inf)
    return edges, table["incidents"].to_numpy(np.int64)


def size_fact(quantity: str) -> float:
    """One row of ``sim/data/breach_size.csv`` (e.g. ``"jnsa_mean_2005_2017"``)."""
    table = read_table("breach_size.csv").set_index("quantity")
    check_choice("quantity", quantity, tuple(table.index))
    return float(table.loc[quantity, "value"])


def bucket_probabilities(dist, edges: np.ndarray) -> np.ndarray:
    """P(a sampled size falls in each bucket). The sampler rounds to whole people (at least
    one), so bucket ``[a, b)`` holds the continuous values in ``[a - 0.5, b - 0.5)``."""
    inner = np.asarray(dist.cdf(edges[1:-1] - 0.5), dtype=float)
    return np.diff(np.concatenate([[0.0], inner, [1.0]]))


def fit_breach_size(mean: float | None = None, threshold: float | None = None,
                    cap: float | None = None) -> BreachSizeFit:
    """Fit the lognormal body and Pareto tail to the 2006 bucket counts.

    Parameters
    ----------
    mean : float, optional
        People per incident the fit must reproduce (default: JNSA's 2005-2017 average);
        ``math.nan`` for the unconstrained maximum-likelihood fit.
    threshold : float, optional
        Where the Pareto tail starts (default 10,000 people, a modelling choice).
    cap : float, optional
        Sizes are capped here when the mean is computed (default: the largest Japanese leak on
        record, Benesse's 28.95 million).

    Returns
    -------
    BreachSizeFit

    Examples
    --------
    >>> fit = fit_breach_size()
    >>> d = fit.distribution
    >>> round(d.mu, 2), round(d.sigma, 2), round(d.alpha, 2)
    (3.61, 3.17, 0.69)
    >>> round(d.capped_mean(fit.cap))
    14259
    """
    mean = size_fact("jnsa_mean_2005_2017") if mean is None else mean
    threshold = size_fact("tail_threshold") if threshold is None else threshold
    cap = size_fact("largest_on_record") if cap is None else cap
    if not (isinstance(mean, float) and math.isnan(mean)):
        check_amount("mean", mean, positive=True)
    check_amount("threshold", threshold, positive=True)
    check_amount("cap", cap, positive=True, allow_inf=True)
    edges, counts = size_buckets()

    def dist(p):
        return LogNormalPareto(float(p[0]), float(p[1]), float(threshold), float(p[2]))

    def neg_log_likelihood(p):
        return -float(counts @ np.log(np.maximum(bucket_probabilities(dist(p), edges), 1e-300)))

    start = optimize.minimize(neg_log_likelihood, [3.6, 3.2, 0.6], method="Nelder-Mead",
                              options={"xatol": 1e-6, "fatol": 1e-9}).x
    if math.isnan(mean):
        best, dof = start, len(counts) - 1 - 3
    else:
        constraint = {"type": "eq",
                      "fun": lambda p: math.log(dist(p).capped_mean(cap)) - math.log(mean)}
        result = optimize.minimize(neg_log_likelihood, start, method="SLSQP",
                                   constraints=[constraint],
                                   bounds=[(0.0, 10.0), (0.5, 6.0), (0.05, 5.0)],
                                   options={"ftol": 1e-12, "maxiter": 500})
        if not result.success:
            raise RuntimeError(f"breach-size fit did not converge: {result.message}")
        best, dof = result.x, len(counts) - 1 - 2
    fitted = dist(best)
    expected = bucket_probabilities(fitted, edges) * counts.sum()
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    return BreachSizeFit(fitted, cap, counts, expected, chi2, dof)


FIT_TABLE = "breach_size_fit.csv"
_FIT_HEADER = """\
# The default breach-size distribution (lognormal body, Pareto tail above `threshold` people).
# Source: fitted by sim.calibration.fit_breach_size() to breach_size_2006.csv and the JNSA mean
# in breach_size.csv (docs/model.md, "Breach size"); stored so that simulations do not
# depend on the BLAS library's summation order. Regenerate with
#   python -m sim.calibration.breach_size --write
# and tests/calibration/test_calibration.py checks that a refit agrees with these values.
"""


@lru_cache(maxsize=1)
def default_breach_size() -> LogNormalPareto:
    """The default breach-size distribution: :func:`fit_breach_size`'s result as stored in
    ``sim/data/breach_size_fit.csv`` (the same on every machine and BLAS thread count)."""
    row = read_table(FIT_TABLE).iloc[0]
    return LogNormalPareto(float(row["mu"]), float(row["sigma"]), float(row["threshold"]),
                           float(row["alpha"]))


def fit_table_text(dist: LogNormalPareto) -> str:
    """The contents of ``sim/data/breach_size_fit.csv`` for a fitted distribution."""
    values = ",".join(repr(float(v)) for v in (dist.mu, dist.sigma, dist.threshold, dist.alpha))
    return f"{_FIT_HEADER}mu,sigma,threshold,alpha\n{values}\n"


@lru_cache(maxsize=1)
def default_cause_mix() -> dict[str, float]:
    """Share of incidents per cause: JNSA 2018's causes mapped onto :data:`sim.CAUSES`."""
    table = read_table("cause_mix_jnsa2018.csv")
    counts = table.groupby("cause")["incidents"].sum()
    return {c: float(counts.get(c, 0) / counts.sum()) for c in CAUSES if counts.get(c, 0) > 0}


def scaled(dist: LogNormalPareto, k: float) -> LogNormalPareto:
    """The distribution of ``k`` x a size drawn from ``dist``."""
    return LogNormalPareto(dist.mu + math.log(k), dist.sigma, dist.threshold * k, dist.alpha)


def _scale_for(dist: LogNormalPareto, target: float, cap: float) -> float:
    """The factor k whose scaled distribution has capped mean ``target``."""
    return math.exp(optimize.brentq(lambda lk: scaled(dist, math.exp(lk)).capped_mean(cap) - target,
                                    -8.0, 8.0, xtol=1e-12))


@lru_cache(maxsize=1)
def size_by_cause() -> dict[str, LogNormalPareto]:
    """Breach size per cause (``breach_size_cause.csv``): the default distribution scaled so
    that each cause's capped mean is its published ratio to the overall mean (TSR 2012-2016:
    cyber attacks 2.04, losses 0.29), and the causes without a published mean share the ratio
    that keeps the cause-mix mean at JNSA's average.

    Examples
    --------
    >>> sizes, base = size_by_cause(), default_breach_size()
    >>> cap = size_fact("largest_on_record")
    >>> round(float(sizes["cyber_attack"].capped_mean(cap) / base.capped_mean(cap)), 3)
    2.035
    """
    base, cap = default_breach_size(), size_fact("largest_on_record")
    mean, mix = base.capped_mean(cap), default_cause_mix()
    table = read_table("breach_size_cause.csv").set_index("cause")
    per_incident = table["records_per_incident"]
    overall = float(per_incident.pop("all"))
    fixed = {c: float(r) / overall for c, r in per_incident.items() if r != "rest"}
    rest = [c for c in per_incident.index if c not in fixed]
    shares = sum(mix.get(c, 0.0) for c in rest)
    ratio_rest = (1.0 - sum(mix.get(c, 0.0) * r for c, r in fixed.items())) / shares
    ratios = {**fixed, **{c: ratio_rest for c in rest}}
    return {c: scaled(base, _scale_for(base, r * mean, cap)) for c, r in ratios.items()}


def default_whole_records() -> dict[str, float]:
    """P(a leak takes every record held) per cause (``breach_size_cause.csv``; labelled)."""
    table = read_table("breach_size_cause.csv")
    return {r.cause: float(r.whole_records) for r in table.itertuples()
            if r.cause != "all" and r.whole_records > 0}


def tail_sensitivity(alphas=(0.5, None, 0.9)) -> "pandas.DataFrame":
    """Mean leak size and the share of leaks of a million people or more as the tail index
    varies, the lognormal body and the cap kept (``None``: the fitted index).

    Returns
    -------
    DataFrame
        ``alpha``, ``mean`` (capped at the largest leak on record), ``share_1m``.
    """
    import pandas as pd

    base, cap = default_breach_size(), size_fact("largest_on_record")
    rows = []
    for a in alphas:
        d = LogNormalPareto(base.mu, base.sigma, base.threshold, base.alpha if a is None else a)
        rows.append(dict(alpha=d.alpha, mean=d.capped_mean(cap),
                         share_1m=float(1.0 - d.cdf(1e6 - 0.5))))
    return pd.DataFrame(rows)


if __name__ == "__main__":
    import sys
    from importlib import resources

    text = fit_table_text(fit_breach_size().distribution)
    if "--write" in sys.argv[1:]:
        resources.files("sim.data").joinpath(FIT_TABLE).write_text(text, encoding="utf-8")
    print(text, end="")
