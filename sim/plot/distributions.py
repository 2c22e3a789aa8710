"""Distributions of simulated losses: exceedance-probability curves and histograms."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from .._errors import InputError, check_amount, check_choice, check_count, check_names
from ..engine.results import MIN_EXCEEDANCES
from ._style import (WORDS, YenStyle, _axes, _label, _label_yen, _measure_label, _measures,
                     _per_event, _policy_names, _trials, _yen_axis)

def supported_periods(n_years: int) -> float:
    """The longest return period an EP curve of ``n_years`` simulated years is drawn to: beyond
    it fewer than ``MIN_EXCEEDANCES`` (10) simulated years are expected to exceed the loss (the
    rule of ``SimulationResult.ep_curve``'s ``supported`` column)."""
    return n_years / MIN_EXCEEDANCES


def ep_curves(res, policies: str | Sequence[str] | None = None,
              measures: Sequence[str] = ("gross", "retained"), kind: Literal["aep", "oep"] = "aep",
              ax=None, yen: YenStyle = "ja", lang: str = "ja", ci: float | None = 0.95):
    """Exceedance-probability curves: loss by return period, one line per (policy, measure).

    Each line stops at :func:`supported_periods` (``n_years / 10``: at least ten simulated years
    beyond every point drawn); with ``ci`` a band shows each point's confidence interval
    (order-statistic bounds, :meth:`SimulationResult.quantile_interval`).

    Parameters
    ----------
    res : SimulationResult
    policies : str or sequence of str, optional
        Default: every policy of the scenario.
    measures : sequence of str
        ``"gross"`` (the same for every policy: drawn once), ``"paid"``, ``"retained"``,
        ``"paid:<section>"`` (``"aep"`` only).
    kind : {"aep", "oep"}
        The year's total (aggregate) or its largest event (occurrence).
    ax : matplotlib Axes, optional
    yen : {"ja", "plain"}
    lang : {"ja", "en"}
    ci : float or None
        Confidence level of the bands (None: no bands).

    Returns
    -------
    matplotlib Axes
        Return period in years (log scale) across, loss up.
    """
    ax = _axes(ax, yen, lang)
    check_choice("kind", kind, ("aep", "oep"))
    names = _policy_names(res)
    policies = [policies] if isinstance(policies, str) else list(policies or names)
    check_names("policies", policies, names)
    measures = [measures] if isinstance(measures, str) else list(measures)
    mode = {"aep": "aggregate", "oep": "occurrence"}[kind]
    available = {p: _measures(res, p, mode) for p in policies}
    check_names("measures", measures, sorted({m for p in policies for m in available[p]}))
    lines = [(policies[0], "gross")] if "gross" in measures else []
    lines += [(p, m) for p in policies for m in measures if m != "gross" and m in available[p]]
    for policy, measure in lines:
        frame = res.ep_curve(kind, policy, measure)
        curve = frame.loc[frame["supported"], policy]
        color = "black" if measure == "gross" else f"C{policies.index(policy) % 10}"
        if measure == "gross":
            ax.plot(curve.index, curve, color=color, lw=2, label=_label("gross", lang))
        else:  # a colour per policy, a line style per measure
            ax.plot(curve.index, curve, color=color,
                    ls={"paid": "--", "retained": "-"}.get(measure, ":"),
                    label=f"{policy}: {_measure_label(res, policy, measure, lang)}")
        if ci is not None and len(curve):
            bounds = [res.quantile_interval(policy, measure, 1 - 1 / t, ci, mode)
                      for t in curve.index]
            ax.fill_between(curve.index, [b[0] for b in bounds], [b[1] for b in bounds],
                            color=color, alpha=0.12, lw=0)
    _return_period_axis(ax, lang)
    _yen_axis(ax.yaxis, yen, WORDS[lang]["loss"], lang)
    if lang == "ja":
        what = {"aep": "年間損失額 (AEP)", "oep": "年最大事故損失額 (OEP)"}[kind]
        ax.set_title(f"超過確率曲線: {what}, {res.n_years:,}年 (帯: {ci:.0%}信頼区間)" if ci else
                     f"超過確率曲線: {what}, {res.n_years:,}年")
    else:
        what = {"aep": "loss in a year (AEP)", "oep": "largest event in a year (OEP)"}[kind]
        ax.set_title(f"Exceedance curve: {what}, {res.n_years:,} years"
                     + (f" (band: {ci:.0%} confidence interval)" if ci else ""))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def _return_period_axis(ax, lang: str = "ja") -> None:
    """x axis: log scale, ticks as ``10``, ``1,000``, labelled 再現期間 (年)."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, pos: f"{v:,.0f}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(_label("return_period", lang))


def loss_distribution(res, policy: str, measure: str = "gross", reference=None, ax=None,
                      yen: YenStyle = "ja", bins: int = 60, reference_label: str | None = None,
                      lang: str = "ja"):
    """The simulated distribution of one measure given a loss: probability per bin among the
    years with a loss, and the share of years without one written on the chart.

    (A cumulative line over all years is flat at the share of years without a loss, e.g. 98.8%,
    and shows nothing of the loss; hence the distribution given a loss.) Bins are log-spaced
    from the 0.1% quantile of the positive losses to the 99.9% quantile; their probabilities are
    differences of ``res.cdf`` divided by the share of years with a loss.

    Parameters
    ----------
    res : SimulationResult
    policy : str
    measure : str
        ``"gross"``, ``"paid"``, ``"retained"`` or ``"paid:<section>"``.
    reference : float or Reference, optional
        An amount to mark (e.g. ``res.scenario.reference``, a brochure's total), labelled with
        its percentile in the simulated distribution (over all years).
    ax : matplotlib Axes, optional
    yen : {"ja", "plain"}
    bins : int
        At least 2.
    reference_label : str, optional
        The reference's name in the legend (default パンフレット例 / Brochure example).
    lang : {"ja", "en"}

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, yen, lang)
    check_choice("policy", policy, _policy_names(res))
    check_choice("measure", measure, _measures(res, policy))
    if check_count("bins", bins) < 2:
        raise InputError("bins", f"{bins!r} is not allowed; expected at least 2 bins")
    what = _measure_label(res, policy, measure, lang)
    ja = lang == "ja"
    per_event = _per_event(res)
    ax.set_title(f"{policy}: {what}の分布 (損失が生じた場合, {_trials(res, lang)})" if ja else
                 f"{policy}: {what} given a loss ({_trials(res, lang)})")
    edges = _bin_edges(res, policy, measure, bins)
    if edges is None:
        nothing = {(True, False): "全ての年で 0円", (True, True): "全ての事故で 0円",
                   (False, False): "no loss in any year", (False, True): "no loss in any event"}
        ax.text(0.5, 0.5, nothing[(ja, per_event)],
                transform=ax.transAxes, ha="center")
        return ax
    zero = res.cdf(policy, measure, 0.0)
    cdf = np.array([res.cdf(policy, measure, float(x)) for x in edges])
    ax.bar(edges[:-1], np.diff(cdf) / (1.0 - zero), width=np.diff(edges), align="edge",
           color="C0", alpha=0.7, edgecolor="white", lw=0.3)
    ax.set_xscale("log")
    ax.set_ylabel("確率 (損失が生じた場合, 区間ごと)" if ja else "Probability given a loss (per bin)")
    if zero > 0:
        zero_text = ({True: "0円の事故", False: "0円の年"} if ja else
                     {True: "events with no loss", False: "years with no loss"})[per_event]
        ax.text(0.02, 0.95, f"{zero_text}: {zero:.1%}",
                transform=ax.transAxes, va="top")
    if reference is not None:
        amount = check_amount("reference", getattr(reference, "gross", reference), positive=True)
        name = reference_label or ("パンフレット例" if ja else "Brochure example")
        share = res.cdf(policy, measure, amount)
        label = f"{name} {_label_yen(amount, yen, lang)}"
        _mark_reference(ax, amount, f"{label} ({share:.1%}点)" if ja else
                        f"{label} ({share:.1%} point)")
    _yen_axis(ax.xaxis, yen, what, lang)
    return ax


def _mark_reference(ax, amount: float, label: str) -> None:
    ax.axvline(amount, color="C3", ls="--", lw=1.5, label=label)
    lo, hi = ax.get_xlim()
    ax.set_xlim(min(lo, amount / 1.2), max(hi, amount * 1.2))
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.88), fontsize="small")


def _bin_edges(res, policy: str, measure: str, bins: int) -> np.ndarray | None:
    """Log-spaced edges from the 0.1% quantile of the positive losses to the 99.9% quantile."""
    zero = res.cdf(policy, measure, 0.0)
    if zero >= 1.0:
        return None
    hi = res.quantile(policy, measure, zero + 0.999 * (1 - zero))
    if hi <= 0:
        return None
    lo = res.quantile(policy, measure, zero + 0.001 * (1 - zero))
    lo = lo if 0 < lo < hi else hi / 1_000
    if hi / lo < 1.1:  # (nearly) one value, e.g. a limit that always binds
        lo, hi = lo / 1.5, hi * 1.5
    return np.geomspace(lo, hi, bins + 1)
