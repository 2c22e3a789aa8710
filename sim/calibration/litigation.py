"""Claims of individuals in the calibrated model: who sues, how many, for how much, and the
defence's fees (``sim/data/lawsuits.csv``, ``suit_counts.csv``, ``court_awards.csv``).

Courts view, two stages (:class:`~sim.losses.Suits`):

- P(any suit | N) = p_max x (N/n50)^k / (1 + (N/n50)^k). ``k = 1`` and ``p_max = 1`` are
  modelling choices; ``n50`` is FITTED so that Japan's leaks of 100k-1M and 1M+ people a year
  (``suit_counts.csv``), over the years of record, expect the known suits of such leaks (Uji,
  Yahoo!BB, Benesse: ``lawsuits.csv`` rows whose ``fits`` has ``suit_count``).
- Given a suit, plaintiffs = share x N, the share lognormal per incident: median the geometric
  mean of the FITTED plaintiff shares of the class (``fits`` has ``share``: Uji and Benesse for
  basic data, TBC for health, the police files for beliefs), sigma that of the basic-data shares
  for every class (modelling choice: one case per sensitive class).
- Sensitive data: n50 is divided by the class's share median over the basic one (as many
  would-be plaintiffs as a basic leak that many times larger; modelling choice).
- Award per plaintiff: the class's court-award lognormal (``damages.award_level``), one level
  per incident. Amount claimed per plaintiff: lognormal over the class's FITTED claims.
- Defence fees, ``litigation_basis = "claimed"`` (default): old JFBA retainer on the amount
  claimed plus success fee on the part of the claim avoided, the standard reading for a
  defendant. ``"awarded"``: both fees on the damages awarded (the plaintiff's reading, lower for
  mass suits by ~10x). Court days (Poisson) only when a suit exists; days and the court rates are
  modelling choices (``defaults.csv``, ``sim.losses.model.COURT_RATES``).
- No cause factor (modelling choice: the three basic-data suits followed insider leaks, but a
  large insider leak, NTT West, has none found: no basis for a factor).

A P(suit) drawn per incident and then a suit drawn with it is a suit drawn with the mean P, so the
propensity's uncertainty lives in its fit (:func:`held_out`); per incident the share, award and
claim are drawn. ``uncertainty=False`` fixes them at their medians (the point view).

JNSA view: everyone affected claims the JO-model amount (``damages.damages_for``): JNSA's own mix
of leaked data per incident (``data=None``) or one data class; no fees (JNSA counts damages).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
import math

import numpy as np
import pandas as pd
from scipy import integrate, optimize, stats

from .._errors import check_bool, check_table
from ..data import default, read_table
from ..losses.distributions import Fixed, LogNormal, Severity
from ..losses.model import Claimants, Suits
from .damages import _class_row, award_level, damages_for

BASIC = "basic_contact"


@lru_cache(maxsize=None)
def _table(name: str) -> pd.DataFrame:
    return read_table(name)


def _rows(fit: str, award_class: str | None = None) -> pd.DataFrame:
    t = _table("lawsuits.csv")
    rows = t[t["fits"].fillna("").str.split(";").apply(lambda f: fit in f)]
    return rows if award_class is None else rows[rows["data_class"] == award_class]


def _suit_fact(quantity: str) -> np.ndarray:
    t = _table("suit_counts.csv")
    return t.loc[t["quantity"] == quantity, "value"].to_numpy(float)


def share_fit(award_class: str) -> tuple[float, float]:
    """(median, sigma) of the plaintiff share given a suit for an award class."""
    basic = _rows("share", BASIC)
    logs = np.log(basic["plaintiffs"] / basic["people_affected"]).to_numpy(float)
    sigma = float(logs.std(ddof=1))
    rows = _rows("share", award_class)
    if rows.empty:
        raise ValueError(f"lawsuits.csv: no share row for {award_class!r}")
    return float(np.exp(np.log(rows["plaintiffs"] / rows["people_affected"]).mean())), sigma


def _bucket_mean_p(lo: float, hi: float, n50: float, alpha: float, steepness: float,
                   p_max: float) -> float:
    """Mean P(suit) over a Pareto(alpha) between lo and hi people (integrated in log N)."""
    dens = lambda t: math.exp(-alpha * t)  # density of ln N up to a constant
    p = lambda t: p_max / (1.0 + (n50 / math.exp(t)) ** steepness)
    a, b = math.log(lo), math.log(hi)
    return (integrate.quad(lambda t: dens(t) * p(t), a, b)[0]
            / integrate.quad(dens, a, b)[0])


@lru_cache(maxsize=1)
def suit_curve() -> tuple[float, float, float]:
    """(p_max, n50, steepness) of P(any suit | N) for basic data, n50 fitted to the counts."""
    p_max, k = float(_suit_fact("p_max")[0]), float(_suit_fact("steepness")[0])
    alpha, years = float(_suit_fact("within_bucket_alpha")[0]), float(_suit_fact("years_of_record")[0])
    top = float(_suit_fact("largest_leak")[0])
    over_1m = _suit_fact("leaks_over_1m").mean()
    mid = _suit_fact("leaks_over_100k").mean() - over_1m
    sizes = _rows("suit_count")["people_affected"].to_numpy(float)
    known = ((sizes >= 1e5) & (sizes < 1e6)).sum(), (sizes >= 1e6).sum()
    expected = lambda n50: years * (mid * _bucket_mean_p(1e5, 1e6, n50, alpha, k, p_max)
                                    + over_1m * _bucket_mean_p(1e6, top, n50, alpha, k, p_max))
    log_n50 = optimize.brentq(lambda t: math.log(expected(math.exp(t)) / sum(known)), 10.0, 30.0,
                              xtol=1e-12)
    return p_max, math.exp(log_n50), k


def claimed_level(award_class: str, uncertainty: bool = True) -> Severity:
    """Amount claimed per plaintiff: lognormal over the class's fitted claims (one claim:
    the basic-data sigma, a modelling choice)."""
    def fit(cls):
        logs = np.log(_rows("claimed", cls)["claimed_per_plaintiff"].to_numpy(float))
        return logs.mean(), (logs.std(ddof=1) if len(logs) > 1 else None)
    mu, sigma = fit(award_class)
    if sigma is None:
        sigma = fit(BASIC)[1]
    return LogNormal(float(mu), float(sigma)) if uncertainty else Fixed(float(math.exp(mu)))


def suits_for(data: Sequence[str], uncertainty: bool = True) -> Suits:
    """Two-stage suits for leaked ``data`` (several: the most severe class sets all)."""
    check_bool("uncertainty", uncertainty)
    classes = [str(_class_row(d)["award_class"]) for d in data]
    shares = {c: share_fit(c) for c in classes}
    cls = max(classes, key=lambda c: shares[c][0])
    median, sigma = shares[cls]
    p_max, n50, k = suit_curve()
    award = max((award_level(d) for d in data), key=lambda a: a.mu)
    propensity = median / share_fit(BASIC)[0]
    return Suits(p_max=p_max, n50=n50 / propensity, steepness=k,
                 share=LogNormal(math.log(median), sigma) if uncertainty else Fixed(median),
                 award=award if uncertainty else Fixed(award.median()),
                 claimed=claimed_level(cls, uncertainty))


def claims_kwargs(data: Sequence[str] | None = None, view: str = "courts",
                  jo: Mapping[str, str] | None = None, uncertainty: bool = True) -> dict:
    """The claims part of :class:`~sim.losses.LossModel`: ``claimants``, ``litigation``,
    ``litigation_factor``, ``litigation_basis``, ``court_days``.

    Parameters
    ----------
    data : sequence of str or None
        Leaked data classes. ``None``: basic contact data in the courts view, JNSA's own mix of
        leaked data (a per-incident draw) in the JNSA view.
    view : {"courts", "jnsa"}
    jo : mapping, optional
        JO-model factors (JNSA view only).
    uncertainty : bool
        ``False``: share, award and claim fixed at their medians.
    """
    check_bool("uncertainty", uncertainty)
    if jo is not None:
        check_table("jo", jo)
    damages = damages_for(data, view, **(jo or {}))
    if view == "jnsa":
        return dict(claimants=Claimants(1.0, 0.0, damages.award), litigation="none",
                    litigation_factor=float(default("litigation_factor")),
                    litigation_basis="awarded", court_days=(0.0, 0.0))
    return dict(claimants=suits_for(damages.data, uncertainty), litigation="jfba",
                litigation_factor=float(default("litigation_factor")), litigation_basis="claimed",
                court_days=(float(default("court_officer_days")),
                            float(default("court_employee_days"))))


def held_out() -> pd.DataFrame:
    """The held-out facts (``lawsuits.csv`` ``checks``) against the basic-data courts model.

    Returns
    -------
    DataFrame
        One row per fact: ``fact``, ``observed``, ``model`` and what the model figure is.
    """
    suits = suits_for([BASIC])
    rows = []
    t = _table("lawsuits.csv")
    for r in t[t["checks"] == "plaintiffs"].itertuples():
        n, share = r.people_affected, suits.share
        z = (math.log((r.plaintiffs + 0.5) / n) - share.mu) / share.sigma
        rows.append((f"{r.incident}: plaintiffs", r.plaintiffs,
                     round(math.exp(share.mu) * n), "median plaintiffs given a suit"))
        rows.append((f"{r.incident}: P(plaintiffs <= {int(r.plaintiffs)} | suit)", np.nan,
                     float(stats.norm.cdf(z)), "model probability"))
    none = t[t["checks"] == "no_suit"]
    p = [suits.probability(n) for n in none["people_affected"]]
    for r, pi in zip(none.itertuples(), p):
        rows.append((f"{r.incident}: no suit", 0, pi, "model P(suit)"))
    rows.append(("large leaks without a known suit: suits expected", 0, float(sum(p)),
                 "sum of model P(suit)"))
    return pd.DataFrame(rows, columns=["fact", "observed", "model", "model_is"])


__all__ = ["claimed_level", "claims_kwargs", "held_out", "share_fit", "suit_curve", "suits_for"]
