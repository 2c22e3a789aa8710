"""How much of the spread of a premium and of the 1-in-100 annual loss comes from the rate's
uncertainty, and how much from the simulation (issue 16).

The calibrated rate is lognormal around its point estimate (``FirmFrequency.log_sd``: the
counts' errors only, so a lower bound). The technical premium is priced at the rate's 5% and 95%
points (frequency-severity, :func:`sim.rate_table.price_cells`: the expected loss scales with
the rate, the book-capital load with its square root); the 1-in-``period`` annual loss is
simulated at the point rate and at the rate's 5% and 95% points with the same seed (common
random numbers: the difference is the rate's, not noise). The Monte Carlo error beside them:
the premium's from the standard error of the mean loss per event, the quantile's as the
distribution-free 90% interval of an order statistic (the quantiles at
:math:`q \\pm 1.645 \\sqrt{q(1-q)/n}`).
"""
from __future__ import annotations

from dataclasses import replace
import math

import numpy as np
import pandas as pd
from scipy import stats

from ._errors import InputError, check_count
from .engine.runner import simulate, simulate_events
from .losses import Frequency
from .pricing import loss_support
from .rate_table import EventStats, loading, price_cells
from .scenario import Scenario

MEASURES = ("paid", "retained")


def _frequency_at(scenario: Scenario, rate: float) -> Frequency:
    if scenario.frequency.kind == "negative_binomial":
        n = scenario.firm_frequency.dispersion
        return Frequency.negative_binomial(rate, math.sqrt(1 / rate + 1 / n))
    return Frequency.poisson(rate)


def rate_uncertainty(scenario: Scenario, n_years: int = 200_000, n_events: int = 100_000,
                     seed: int = 1, period: float = 100.0, level: float = 0.9) -> pd.DataFrame:
    """The premium and the 1-in-``period`` annual loss of each policy, with the part of their
    spread from the rate's uncertainty and the part from the simulation.

    Parameters
    ----------
    scenario : Scenario
        With ``[frequency] defaults = "calibrated"`` (``scenario.firm_frequency``).
    n_years : int
        Policy years of each annual run (three runs: the rate's point, low and high).
    n_events : int
        Events of the per-event run that prices the premium.
    seed : int
    period : float
        Return period in years of the annual loss (> 1).
    level : float
        Width of both intervals (0.9: the rate's 5%-95% points).

    Returns
    -------
    DataFrame
        Indexed by (``policy``, ``statistic``): ``technical_premium``, ``paid_1_in_<period>``,
        ``retained_1_in_<period>``; columns ``estimate``, ``rate_low``, ``rate_high`` (the
        statistic at the rate's low and high points), ``mc_low``, ``mc_high`` (the Monte Carlo
        interval at the point rate), ``rate_spread`` and ``mc_spread`` (their widths).
        A quantile is 0 where a year with an event is rarer than 1 in ``period``.
    """
    if not isinstance(scenario, Scenario) or scenario.firm_frequency is None:
        raise InputError("scenario", 'expected a Scenario with [frequency] defaults = "calibrated"')
    scenario.check_simulable()
    n_years, n_events = check_count("n_years", n_years), check_count("n_events", n_events)
    if n_years < 2 or n_events < 2:
        raise InputError("n_years", "expected at least 2 years and 2 events")
    if isinstance(period, bool) or not isinstance(period, (int, float)) or not period > 1:
        raise InputError("period", f"{period!r} is not allowed; expected a return period > 1 year")
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
        raise InputError("level", f"{level!r} is not allowed; expected a number between 0 and 1")
    firm = scenario.firm_frequency
    rates = (firm.total, *firm.rate_interval(level))
    z = stats.norm.ppf(0.5 + level / 2)
    names = [p.name for p in scenario.policies]

    per_event = simulate_events(scenario, n_events, seed)
    paid = per_event.summary().xs("paid", level="measure").loc[names]
    mean, sd, sem = (paid[c].to_numpy(float) for c in ("mean", "std", "sem"))
    st = EventStats(mean, sd ** 2 + mean ** 2, sem, tuple(loss_support(per_event, n) for n in names))
    dispersion = firm.dispersion if scenario.frequency.kind == "negative_binomial" else None
    premium = [price_cells(r, st, dispersion)["technical_premium"] for r in rates]
    premium_se = firm.total * sem / (1 - loading("expense_ratio"))

    q = 1 - 1 / period
    dq = z * math.sqrt(q * (1 - q) / n_years)
    runs = [simulate(replace(scenario, frequency=_frequency_at(scenario, r)), n_years=n_years, seed=seed)
            for r in rates]
    rows = {}
    for j, name in enumerate(names):
        rows[(name, "technical_premium")] = (premium[0][j], premium[1][j], premium[2][j],
                                             premium[0][j] - z * premium_se[j],
                                             premium[0][j] + z * premium_se[j])
        for measure in MEASURES:
            at = [res.quantile(name, measure, q) for res in runs]
            mc = [runs[0].quantile(name, measure, min(max(q + s * dq, 0.0), 1.0)) for s in (-1, 1)]
            rows[(name, f"{measure}_1_in_{period:g}")] = (*at, *mc)
    out = pd.DataFrame.from_dict(rows, orient="index",
                                 columns=["estimate", "rate_low", "rate_high", "mc_low", "mc_high"])
    out.index = pd.MultiIndex.from_tuples(out.index, names=["policy", "statistic"])
    out["rate_spread"] = out["rate_high"] - out["rate_low"]
    out["mc_spread"] = out["mc_high"] - out["mc_low"]
    out.attrs = {"rates": rates, "level": level, "n_years": n_years, "n_events": n_events,
                 "seed": seed, "period": period}
    return out
