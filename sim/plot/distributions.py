"""Distributions of simulated losses: exceedance-probability curves and histograms."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from .._errors import InputError, check_amount, check_choice, check_count, check_names
from ._style import (MEASURE_LABELS, YenStyle, _axes, _label_yen, _measure_label, _measures,
                     _policy_names, _yen_axis)


def ep_curves(res, policies: str | Sequence[str] | None = None,
              measures: Sequence[str] = ("gross", "retained"), kind: Literal["aep", "oep"] = "aep",
              ax=None, yen: YenStyle = "ja"):
    """Exceedance-probability curves: loss by return period, one line per (policy, measure).

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

    Returns
    -------
    matplotlib Axes
        Return period in years (log scale) across, loss up.
    """
    ax = _axes(ax, yen)
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
        curve = res.ep_curve(kind, policy, measure)[policy]
        if measure == "gross":
            ax.plot(curve.index, curve, color="black", lw=2, label=MEASURE_LABELS["gross"])
        else:  # a colour per policy, a line style per measure
            ax.plot(curve.index, curve, color=f"C{policies.index(policy) % 10}",
                    ls={"paid": "--", "retained": "-"}.get(measure, ":"),
                    label=f"{policy}: {_measure_label(res, policy, measure)}")
    _return_period_axis(ax)
    _yen_axis(ax.yaxis, yen)
    what = {"aep": "年間損失額 (AEP)", "oep": "年最大事故損失額 (OEP)"}[kind]
    ax.set_title(f"超過確率曲線: {what}, {res.n_years:,}年")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def _return_period_axis(ax) -> None:
    """x axis: log scale, ticks as ``10``, ``1,000``, labelled 再現期間 (年)."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, pos: f"{v:,.0f}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("再現期間 (年)")


def loss_distribution(res, policy: str, measure: str = "gross", reference=None, ax=None,
                      yen: YenStyle = "ja", bins: int = 60, reference_label: str = "パンフレット例"):
    """The simulated distribution of one measure: probability per bin, and the CDF.

    Bins are log-spaced from the 0.1% quantile (the smallest positive loss if more than 0.1% of
    years are zero) to the 99.9% quantile; their probabilities are differences of ``res.cdf``.
    The CDF is drawn against a second y axis on the right.

    Parameters
    ----------
    res : SimulationResult
    policy : str
    measure : str
        ``"gross"``, ``"paid"``, ``"retained"`` or ``"paid:<section>"``.
    reference : float or Reference, optional
        An amount to mark (e.g. ``res.scenario.reference``, a brochure's total), labelled with
        its percentile in the simulated distribution.
    ax : matplotlib Axes, optional
    yen : {"ja", "plain"}
    bins : int
        At least 2.
    reference_label : str
        The reference's name in the legend.

    Returns
    -------
    matplotlib Axes
        The bars' Axes (the CDF's twin shares its x axis).
    """
    ax = _axes(ax, yen)
    check_choice("policy", policy, _policy_names(res))
    check_choice("measure", measure, _measures(res, policy))
    if check_count("bins", bins) < 2:
        raise InputError("bins", f"{bins!r} is not allowed; expected at least 2 bins")
    what = _measure_label(res, policy, measure)
    ax.set_title(f"{policy}: {what}の分布 ({res.n_years:,}年)")
    edges = _bin_edges(res, policy, measure, bins)
    if edges is None:
        ax.text(0.5, 0.5, "全ての年で 0円", transform=ax.transAxes, ha="center")
        return ax
    _draw_bins_and_cdf(ax, edges, [res.cdf(policy, measure, float(x)) for x in edges])
    zero = res.cdf(policy, measure, 0.0)
    if zero > 0:
        ax.text(0.02, 0.95, f"0円の年: {zero:.1%}", transform=ax.transAxes, va="top")
    if reference is not None:
        amount = check_amount("reference", getattr(reference, "gross", reference), positive=True)
        label = f"{reference_label} {_label_yen(amount, yen)}"
        _mark_reference(ax, amount, f"{label} ({res.cdf(policy, measure, amount):.1%}点)")
    _yen_axis(ax.xaxis, yen, what)
    return ax


def _draw_bins_and_cdf(ax, edges: np.ndarray, cdf: Sequence[float]) -> None:
    """Probability per bin as bars on a log x axis; the CDF on a twin y axis."""
    ax.bar(edges[:-1], np.diff(cdf), width=np.diff(edges), align="edge", color="C0", alpha=0.6,
           edgecolor="white", lw=0.3)
    ax.set_xscale("log")
    ax.set_ylabel("確率 (区間ごと)")
    twin = ax.twinx()
    twin.plot(edges, cdf, color="C1", lw=1.5)
    twin.set_ylim(0, 1)
    twin.set_ylabel("累積確率", color="C1")


def _mark_reference(ax, amount: float, label: str) -> None:
    ax.axvline(amount, color="C3", ls="--", lw=1.5, label=label)
    lo, hi = ax.get_xlim()
    ax.set_xlim(min(lo, amount / 1.2), max(hi, amount * 1.2))
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.88), fontsize="small")


def _bin_edges(res, policy: str, measure: str, bins: int) -> np.ndarray | None:
    """Log-spaced edges from the 0.1% (or smallest positive) to the 99.9% quantile."""
    hi = res.quantile(policy, measure, 0.999)
    if hi <= 0:
        return None
    lo = res.quantile(policy, measure, 0.001)
    if lo <= 0:
        lo = res.quantile(policy, measure, min(res.cdf(policy, measure, 0.0) + 0.001, 0.999))
    lo = lo if 0 < lo < hi else hi / 1_000
    if hi / lo < 1.1:  # (nearly) one value, e.g. a limit that always binds
        lo, hi = lo / 1.5, hi * 1.5
    return np.geomspace(lo, hi, bins + 1)
