"""Charts of simulation results: EP curves, loss distributions, expected-loss breakdowns,
coverage comparisons and tornado charts.

Every public function takes ``ax=None`` (a new figure when ``None``) and returns the Axes.
Amounts follow ``yen``: ``"ja"`` writes 万/億 ticks (``1億``, ``5,000万``), ``"plain"`` digits
with separators. Japanese text uses IPAex Gothic from ``matplotlib_fontja``, made the matplotlib
font family on first use.

>>> import sim, sim.plot
>>> scn = sim.load_scenario("scenarios/aig_brochure_100k.toml")
>>> res = sim.simulate(scn, n_years=2_000, seed=1)
>>> sim.plot.ep_curves(res).get_xscale()
'log'
>>> ax = sim.plot.loss_distribution(res, "AIG 1億", reference=scn.reference)
>>> ax.get_legend().get_texts()[0].get_text()
'パンフレット例 1億5,400万円 (50.0%点)'
>>> sim.plot.section_breakdown(res).get_legend_handles_labels()[1][-1]
'保有 (自己負担)'
>>> import matplotlib.pyplot as plt; plt.close("all")
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ._errors import InputError, check_amount, check_choice, check_count, check_names
from .components import COMPONENT_INFO
from .yen import format_yen

YenStyle = Literal["ja", "plain"]
MEASURE_LABELS = {"gross": "損害総額", "paid": "保険金支払額", "retained": "保有損失"}
COLUMN_LABELS = {"premium": "保険料", "expected_paid": "期待支払額",
                 "expected_retained": "期待保有損失", "retained_var_99": "保有損失 VaR 99%",
                 "retained_tvar_99": "保有損失 TVaR 99%", "retained": "保有 (自己負担)"}
COVERAGE_COLUMNS = ("expected_paid", "expected_retained", "retained_var_99", "retained_tvar_99")
TORNADO_COLUMNS = ("base", "low", "high")


def _use_japanese_font() -> None:
    """Register IPAex Gothic (``matplotlib_fontja``) and make it the font family."""
    import matplotlib as mpl
    import matplotlib_fontja  # registers the font and sets rcParams on first import

    if "IPAexGothic" not in mpl.rcParams["font.family"]:  # e.g. after rcdefaults()
        matplotlib_fontja.japanize()


_use_japanese_font()  # at import, so that Axes a user makes afterwards get it for their ticks


def _axes(ax, yen: str):
    """Check ``yen``; the given Axes, or a new figure's."""
    check_choice("yen", yen, ("ja", "plain"))
    import matplotlib.pyplot as plt

    _use_japanese_font()
    return plt.subplots(figsize=(8, 5))[1] if ax is None else ax


def _check_frame(frame: object, field: str, columns: Sequence[str], rows: str) -> None:
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        raise InputError(field, f"expected a non-empty DataFrame indexed by {rows}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(field, f"missing columns {missing}; expected at least {list(columns)}")


def _tick_yen(value: float, yen: str) -> str:
    """A tick label: ``1億5,000万`` (``"ja"``, no 円) or ``150,000,000`` (``"plain"``)."""
    return format_yen(value, yen).removesuffix("円")


def _label_yen(value: float, yen: str) -> str:
    """An amount in text, to 万 from 1,000万: ``1億5,400万円`` or ``154,000,000円``."""
    text = format_yen(value, yen, round_to=10_000 if abs(value) >= 10**7 else 1)
    return text if yen == "ja" else f"{text}円"


def _yen_axis(axis, yen: str, text: str = "損失額") -> None:
    """Ticks in yen; on a log axis also minor ticks (x2, x5, ...) when few decades show."""
    import matplotlib as mpl
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, pos: _tick_yen(v, yen)))
    axis.set_label_text(text if yen == "ja" else f"{text} (円)")
    if axis.get_scale() != "log":
        return

    def minor(v: float, pos) -> str:
        lo, hi = sorted(axis.get_view_interval())
        decades = np.log10(hi / lo) if lo > 0 else np.inf
        mantissa = round(v / 10 ** np.floor(np.log10(v) + 1e-9))
        keep = ((2, 3, 4, 5, 7) if decades <= 1.2 else (2, 3, 5) if decades <= 2
                else (2, 5) if decades <= 3 else ())
        return _tick_yen(v, yen) if mantissa in keep else ""

    axis.set_minor_formatter(FuncFormatter(minor))
    rc = {k: mpl.rcParams[f"{axis.axis_name}tick.{k}"] for k in ("major.pad", "major.size",
                                                                    "minor.size")}
    axis.set_tick_params(which="minor",  # labelled minor ticks level with the major ones
                         pad=rc["major.pad"] + rc["major.size"] - rc["minor.size"])


def _measure_label(res, policy: str, measure: str) -> str:
    """``保有損失``, or ``支払: 個人情報漏洩(賠償)`` for ``paid:liability``."""
    if measure.startswith("paid:"):
        sections = {s.name: s.label or s.name for s in res.scenario.policy(policy).sections}
        return f"支払: {sections.get(measure[5:], measure[5:])}"
    return MEASURE_LABELS.get(measure, measure)


def _measures(res, policy: str, kind: str = "aggregate") -> list[str]:
    """gross, paid, retained and (aggregate only) paid:<section> of ``policy``."""
    return ["gross", *(m.name for m in res.layout if m.policy == policy and m.kind == kind)]


def _policy_names(res) -> list[str]:
    return [p.name for p in res.scenario.policies]


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


def _part_label(column) -> str:
    """A component's Japanese label, ``保有 (自己負担)``, ``支払: <section>``, or the name."""
    if column in COMPONENT_INFO:
        return COMPONENT_INFO[column].label_ja
    if isinstance(column, str) and column.startswith("paid:"):
        return f"支払: {column[5:]}"
    return COLUMN_LABELS.get(column, str(column))


def expected_breakdown(values: pd.DataFrame, ax=None, yen: YenStyle = "ja",
                       title: str | None = None):
    """Stacked horizontal bars of expected loss: one bar per row, one segment per column.

    Parameters
    ----------
    values : DataFrame
        Rows: bars (e.g. policies), the first on top. Columns: parts, e.g. component names
        (shown by their ``label_ja`` from :data:`sim.components.COMPONENT_INFO`),
        ``paid:<section>`` or ``retained``. Amounts >= 0 in yen; NaN counts as 0.
    ax : matplotlib Axes, optional
    yen : {"ja", "plain"}
    title : str, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd, sim.plot
    >>> values = pd.DataFrame({"damages": [1e8, 5e7], "letters": [1e7, 1e7]}, index=["A", "B"])
    >>> sim.plot.expected_breakdown(values).get_legend_handles_labels()[1]
    ['損害賠償金', '詫び状作成・送付']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    ax = _axes(ax, yen)
    _check_frame(values, "values", (), "bar (columns: parts)")
    data = values.apply(pd.to_numeric, errors="coerce").fillna(0.0)
    if (data.to_numpy() < 0).any():
        raise InputError("values", "expected amounts >= 0 in yen")
    rows, left = np.arange(len(data)), np.zeros(len(data))
    for i, column in enumerate(data.columns):
        ax.barh(rows, data[column], left=left, color=f"C{i % 10}", label=_part_label(column))
        left += data[column].to_numpy()
    for row, total in zip(rows, left):
        ax.text(total, row, f" {_label_yen(total, yen)}", va="center", fontsize="small")
    ax.set_yticks(rows, [str(r) for r in data.index])
    ax.invert_yaxis()
    ax.margins(x=0.15)
    _yen_axis(ax.xaxis, yen, "期待損失額 (年あたり)")
    ax.set_title(title or "期待損失の内訳")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return ax


def section_breakdown(res, ax=None, yen: YenStyle = "ja"):
    """Expected paid loss by section plus expected retained loss, one stacked bar per policy.

    Parameters
    ----------
    res : SimulationResult
    ax : matplotlib Axes, optional
    yen : {"ja", "plain"}

    Returns
    -------
    matplotlib Axes
        See :func:`expected_breakdown`; sections are shown by their labels.
    """
    check_choice("yen", yen, ("ja", "plain"))
    means = res.summary()["mean"]
    rows = {}
    for policy in _policy_names(res):
        own = means.loc[policy]
        rows[policy] = {_measure_label(res, policy, m): own[m] for m in own.index
                        if m.startswith("paid:")}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame["retained"] = [means.loc[(p, "retained")] for p in frame.index]
    return expected_breakdown(frame, ax=ax, yen=yen,
                              title=f"期待損失の内訳 (年あたり, {res.n_years:,}年)")


def coverage_comparison(frame: pd.DataFrame, x: str | None = "premium",
                        y: str = "retained_tvar_99", ax=None, yen: YenStyle = "ja"):
    """Coverage options side by side: a trade-off line, or grouped bars without premiums.

    Parameters
    ----------
    frame : DataFrame
        Indexed by policy name; numeric columns ``expected_paid``, ``expected_retained``,
        ``retained_var_99``, ``retained_tvar_99`` and optionally ``premium`` (yen).
    x : str or None
        A column: ``y`` against it, points joined in row order and named. ``None``, or the
        default ``"premium"`` when the frame has none: bars of ``expected_retained`` and ``y``.
    y : str
        A numeric column.
    ax : matplotlib Axes, optional
    yen : {"ja", "plain"}

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd, sim.plot
    >>> frame = pd.DataFrame({"expected_paid": [9e7, 1.2e8], "expected_retained": [7e7, 4e7],
    ...                       "retained_var_99": [2.2e8, 5e7], "retained_tvar_99": [2.6e8, 7e7],
    ...                       "premium": [1e6, 2e6]}, index=["1億", "3億"])
    >>> [t.get_text() for t in sim.plot.coverage_comparison(frame).texts]
    ['1億', '3億']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    ax = _axes(ax, yen)
    _check_frame(frame, "frame", COVERAGE_COLUMNS, "policy name")
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    check_choice("y", y, numeric)
    if x is None or (x == "premium" and (x not in frame or frame[x].isna().all())):
        return _coverage_bars(frame, y, ax, yen)
    check_choice("x", x, [*numeric, None])
    ax.plot(frame[x], frame[y], marker="o", color="C0")
    for name, px, py in zip(frame.index, frame[x], frame[y]):
        ax.annotate(str(name), (px, py), textcoords="offset points", xytext=(5, 5),
                    fontsize="small")
    _yen_axis(ax.xaxis, yen, COLUMN_LABELS.get(x, x))
    _yen_axis(ax.yaxis, yen, COLUMN_LABELS.get(y, y))
    ax.grid(True, alpha=0.3)
    ax.set_title("補償プランの比較")
    return ax


def _coverage_bars(frame: pd.DataFrame, y: str, ax, yen: str):
    columns = list(dict.fromkeys(["expected_retained", y]))
    rows, height = np.arange(len(frame)), 0.8 / len(columns)
    for i, column in enumerate(columns):
        ax.barh(rows + (i - (len(columns) - 1) / 2) * height, frame[column], height=height,
                color=f"C{i}", label=COLUMN_LABELS.get(column, column))
    ax.set_yticks(rows, [str(r) for r in frame.index])
    ax.invert_yaxis()
    _yen_axis(ax.xaxis, yen)
    ax.set_title("補償プランの比較 (保有損失)")
    ax.legend(fontsize="small")
    return ax


def _format_value(value) -> str:
    """A parameter value at a tornado bar's end: ``14,000``, ``0.05``, or as text."""
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        if float(value).is_integer() or abs(value) >= 1_000:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return str(value)


def _tornado_values(ax, data: pd.DataFrame, base: float) -> None:
    """Each parameter's values at its bars' ends; both at the far end when the bars share a
    side, so that the labels do not overlap."""
    for row, (low, high, lo, hi) in enumerate(data[["low", "high", "low_value", "high_value"]]
                                               .itertuples(index=False)):
        if (low - base) * (high - base) > 0:
            end = low if abs(low - base) > abs(high - base) else high
            texts = [(end, f"下限 {_format_value(lo)} / 上限 {_format_value(hi)}")]
        else:
            texts = [(low, _format_value(lo)), (high, _format_value(hi))]
        for end, text in texts:
            ax.text(end, row, f" {text} ", va="center", ha="left" if end >= base else "right",
                    fontsize="small")


def tornado(frame: pd.DataFrame, ax=None, yen: YenStyle = "ja", title: str | None = None):
    """A tornado chart: the statistic with each parameter at its low and high value.

    Parameters
    ----------
    frame : DataFrame
        Indexed by parameter name; columns ``base`` (the statistic at base values, the same in
        every row), ``low`` and ``high`` (the statistic with that parameter low or high), and
        optionally ``low_value``, ``high_value`` (the parameter's values, written at the bars).
    ax : matplotlib Axes, optional
    yen : {"ja", "plain"}
    title : str, optional

    Returns
    -------
    matplotlib Axes
        Bars centred on ``base``; the largest ``|high - low|`` on top.

    Examples
    --------
    >>> import pandas as pd, sim.plot
    >>> frame = pd.DataFrame({"base": 1e8, "low": [9e7, 6e7], "high": [1.1e8, 1.5e8]},
    ...                      index=["sigma", "claim rate"])
    >>> [t.get_text() for t in sim.plot.tornado(frame).get_yticklabels()]  # bottom to top
    ['sigma', 'claim rate']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    ax = _axes(ax, yen)
    _check_frame(frame, "frame", TORNADO_COLUMNS, "parameter name")
    base = float(frame["base"].iloc[0])
    if not np.allclose(frame["base"].to_numpy(dtype=float), base, rtol=1e-9):
        raise InputError("frame.base", "expected the same base statistic in every row")
    data = frame.loc[(frame["high"] - frame["low"]).abs().sort_values(kind="stable").index]
    rows = np.arange(len(data))
    low, high = (data[side].to_numpy(dtype=float) for side in ("low", "high"))
    for ends, other, color, label in ((low, high, "C0", "下限値のとき"),
                                      (high, low, "C3", "上限値のとき")):
        bars = ax.barh(rows, ends - base, left=base, color=color, alpha=0.8, label=label)
        for bar, end, far in zip(bars, ends, other):  # both on one side: the shorter in front
            bar.set_zorder(3 if abs(end - base) < abs(far - base) else 2)
    if {"low_value", "high_value"} <= set(data.columns):
        _tornado_values(ax, data, base)
    ax.axvline(base, color="black", lw=1, label=f"基準 {_label_yen(base, yen)}")
    ax.set_yticks(rows, [str(r) for r in data.index])
    ax.margins(x=0.2)
    _yen_axis(ax.xaxis, yen)
    ax.set_title(title or "感応度 (トルネード図)")
    ax.legend(fontsize="small", loc="lower right")
    return ax
