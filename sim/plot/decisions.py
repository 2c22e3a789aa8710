"""Charts for decisions: coverage options compared, and tornado (sensitivity) charts."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._errors import InputError, check_choice
from .._text import format_number
from ._style import (COLUMN_LABELS, COVERAGE_COLUMNS, TORNADO_COLUMNS, YenStyle, _axes,
                     _check_frame, _label_yen, _yen_axis)


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


def _tornado_values(ax, data: pd.DataFrame, base: float) -> None:
    """Each parameter's values at its bars' ends; both at the far end when the bars share a
    side, so that the labels do not overlap."""
    for row, (low, high, lo, hi) in enumerate(data[["low", "high", "low_value", "high_value"]]
                                               .itertuples(index=False)):
        if (low - base) * (high - base) > 0:
            end = low if abs(low - base) > abs(high - base) else high
            texts = [(end, f"下限 {format_number(lo)} / 上限 {format_number(hi)}")]
        else:
            texts = [(low, format_number(lo)), (high, format_number(hi))]
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
