"""Charts for decisions: coverage options compared, and tornado (sensitivity) charts."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._errors import InputError, check_choice
from .._text import format_number
from ._style import (COVERAGE_COLUMNS, TORNADO_COLUMNS, WORDS, YenStyle, _axes, _check_frame,
                     _label, _label_yen, _yen_axis)


def efficient_frontier(frame: pd.DataFrame, x: str, y: str) -> pd.Series:
    """True for the options no other option beats: none costs at most as much (``x``) and
    keeps at most as much (``y``), with one of the two strictly less."""
    cost, kept = frame[x].to_numpy(dtype=float), frame[y].to_numpy(dtype=float)
    beaten = [bool(((cost <= c) & (kept <= k) & ((cost < c) | (kept < k))).any())
              for c, k in zip(cost, kept)]
    return pd.Series([not b for b in beaten], index=frame.index)


def coverage_comparison(frame: pd.DataFrame, x: str | None = "premium",
                        y: str = "retained_tvar_99", ax=None, yen: YenStyle = "ja",
                        lang: str = "ja"):
    """Coverage options as points, the efficient ones marked; bars without premiums.

    Parameters
    ----------
    frame : DataFrame
        Indexed by policy name; numeric columns ``expected_paid``, ``expected_retained``,
        ``retained_var_99``, ``retained_tvar_99`` and optionally ``premium`` (yen),
        ``<y>_lo`` and ``<y>_hi`` (a confidence interval, drawn as error bars) and a boolean
        ``recommended`` (drawn as a star).
    x : str or None
        A column: ``y`` against it, one named point per option, not joined (the options are
        alternatives, not a path); the options on the efficient frontier
        (:func:`efficient_frontier`) filled, the others hollow. ``None``, or the default
        ``"premium"`` when the frame has none: bars of ``expected_retained`` and ``y``.
    y : str
        A numeric column.
    ax : matplotlib Axes, optional
    yen : {"ja", "plain"}
    lang : {"ja", "en"}

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
    ax = _axes(ax, yen, lang)
    _check_frame(frame, "frame", COVERAGE_COLUMNS, "policy name")
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    check_choice("y", y, numeric)
    if x is None or (x == "premium" and (x not in frame or frame[x].isna().all())):
        return _coverage_bars(frame, y, ax, yen, lang)
    check_choice("x", x, [*numeric, None])
    best = efficient_frontier(frame, x, y)
    if {f"{y}_lo", f"{y}_hi"} <= set(frame.columns):
        ax.errorbar(frame[x], frame[y], yerr=[frame[y] - frame[f"{y}_lo"],
                                              frame[f"{y}_hi"] - frame[y]],
                    fmt="none", ecolor="gray", elinewidth=1, capsize=3, zorder=1)
    ax.scatter(frame.loc[best, x], frame.loc[best, y], s=60, color="C0", zorder=3,
               label=_label("frontier", lang))
    if (~best).any():
        ax.scatter(frame.loc[~best, x], frame.loc[~best, y], s=60, facecolors="white",
                   edgecolors="gray", zorder=3, label=_label("dominated", lang))
    if "recommended" in frame and frame["recommended"].fillna(False).astype(bool).any():
        pick = frame["recommended"].fillna(False).astype(bool)
        ax.scatter(frame.loc[pick, x], frame.loc[pick, y], s=260, marker="*", color="C3",
                   zorder=4, label=_label("recommended", lang))
    for name, px, py, up in zip(frame.index, frame[x], frame[y], _label_steps(frame[x], frame[y])):
        ax.annotate(str(name), (px, py), textcoords="offset points", xytext=(6, 6 + 11 * up),
                    fontsize="small")
    _yen_axis(ax.xaxis, yen, _label(x, lang), lang)
    _yen_axis(ax.yaxis, yen, _label(y, lang), lang)
    ax.margins(x=0.15, y=0.15)
    ax.grid(True, alpha=0.3)
    ax.set_title("補償プランの比較" if lang == "ja" else "Coverage options compared")
    ax.legend(fontsize="small")
    return ax


def _label_steps(xs: pd.Series, ys: pd.Series, near: float = 0.04) -> list[int]:
    """How many lines up each point's name goes: one more for every earlier point within
    ``near`` of it (as a share of each axis's range), so that names of close options do not
    overlap."""
    def scaled(v):
        v = v.to_numpy(dtype=float)
        span = np.ptp(v)
        return (v - v.min()) / span if span > 0 else np.zeros_like(v)

    px, py = scaled(xs), scaled(ys)
    return [int(((abs(px[:i] - px[i]) < near) & (abs(py[:i] - py[i]) < near)).sum())
            for i in range(len(px))]


def _coverage_bars(frame: pd.DataFrame, y: str, ax, yen: str, lang: str = "ja"):
    columns = list(dict.fromkeys(["expected_retained", y]))
    rows, height = np.arange(len(frame)), 0.8 / len(columns)
    for i, column in enumerate(columns):
        ax.barh(rows + (i - (len(columns) - 1) / 2) * height, frame[column], height=height,
                color=f"C{i}", label=_label(column, lang))
    ax.set_yticks(rows, [str(r) for r in frame.index])
    ax.invert_yaxis()
    _yen_axis(ax.xaxis, yen, WORDS[lang]["loss"], lang)
    ax.set_title("補償プランの比較 (保有損失)" if lang == "ja" else "Coverage options: retained loss")
    ax.legend(fontsize="small")
    return ax


def _tornado_values(ax, data: pd.DataFrame, base: float, lang: str = "ja") -> None:
    """Each parameter's values at its bars' ends; both at the far end when the bars share a
    side, so that the labels do not overlap."""
    for row, (low, high, lo, hi) in enumerate(data[["low", "high", "low_value", "high_value"]]
                                               .itertuples(index=False)):
        if (low - base) * (high - base) > 0:
            end = low if abs(low - base) > abs(high - base) else high
            w = WORDS[lang]
            texts = [(end, f"{w['low_end']} {format_number(lo)} / {w['high_end']} "
                           f"{format_number(hi)}")]
        else:
            texts = [(low, format_number(lo)), (high, format_number(hi))]
        for end, text in texts:
            ax.text(end, row, f" {text} ", va="center", ha="left" if end >= base else "right",
                    fontsize="small")


def tornado(frame: pd.DataFrame, ax=None, yen: YenStyle = "ja", title: str | None = None,
            lang: str = "ja", noise: float | None = None):
    """A tornado chart: the statistic with each parameter at its low and high value, the swings
    within simulation noise greyed out.

    Parameters
    ----------
    frame : DataFrame
        Indexed by parameter name; columns ``base`` (the statistic at base values, the same in
        every row), ``low`` and ``high`` (the statistic with that parameter low or high), and
        optionally ``low_value``, ``high_value`` (the parameter's values, written at the bars)
        and a boolean ``within_noise`` (as :func:`sim.sensitivity.one_at_a_time` may give).
    ax : matplotlib Axes, optional
    yen : {"ja", "plain"}
    title : str, optional
    lang : {"ja", "en"}
    noise : float, optional
        Half-width of the simulation noise band around ``base`` (yen), shaded. Without a
        ``within_noise`` column a row is within noise when both its ends lie inside the band.

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
    ax = _axes(ax, yen, lang)
    _check_frame(frame, "frame", TORNADO_COLUMNS, "parameter name")
    base = float(frame["base"].iloc[0])
    if not np.allclose(frame["base"].to_numpy(dtype=float), base, rtol=1e-9):
        raise InputError("frame.base", "expected the same base statistic in every row")
    data = frame.loc[(frame["high"] - frame["low"]).abs().sort_values(kind="stable").index]
    rows = np.arange(len(data))
    low, high = (data[side].to_numpy(dtype=float) for side in ("low", "high"))
    quiet = within_noise(data, base, noise)
    for ends, other, color, key in ((low, high, "C0", "low"), (high, low, "C3", "high")):
        bars = ax.barh(rows, ends - base, left=base, color=color, alpha=0.8, label=_label(key, lang))
        for bar, end, far, q in zip(bars, ends, other, quiet):
            bar.set_zorder(3 if abs(end - base) < abs(far - base) else 2)  # the shorter in front
            if q:
                bar.set_color("lightgray")
    if noise:
        ax.axvspan(base - noise, base + noise, color="gray", alpha=0.15, lw=0, zorder=1,
                   label=_label("noise", lang))
    if {"low_value", "high_value"} <= set(data.columns):
        _tornado_values(ax, data, base, lang)
    ax.axvline(base, color="black", lw=1,
               label=f"{WORDS[lang]['base']} {_label_yen(base, yen, lang)}")
    ax.set_yticks(rows, [str(r) + (WORDS[lang]["in_noise"] if q else "")
                         for r, q in zip(data.index, quiet)])
    ax.margins(x=0.2)
    _yen_axis(ax.xaxis, yen, WORDS[lang]["loss"], lang)
    ax.set_title(title or ("感応度 (トルネード図)" if lang == "ja" else "Sensitivity (tornado)"))
    from matplotlib.patches import Patch  # the legend's colours, not those of greyed bars

    handles = [Patch(color="C0", alpha=0.8, label=_label("low", lang)),
               Patch(color="C3", alpha=0.8, label=_label("high", lang))]
    if any(quiet):
        handles.append(Patch(color="lightgray", label=_label("within_noise", lang)))
    if noise:
        handles.append(Patch(color="gray", alpha=0.15, label=_label("noise", lang)))
    handles.append(ax.get_lines()[-1])
    ax.legend(handles=handles, fontsize="small", loc="lower right")
    return ax


def within_noise(frame: pd.DataFrame, base: float, noise: float | None) -> list[bool]:
    """Per row: the table's ``within_noise`` flag if it has one, else whether both ends lie
    within ``noise`` of ``base`` (all False without a noise band)."""
    if "within_noise" in frame:
        return [bool(v) for v in frame["within_noise"].fillna(False)]
    if not noise:
        return [False] * len(frame)
    return [bool(abs(lo - base) <= noise and abs(hi - base) <= noise)
            for lo, hi in zip(frame["low"], frame["high"])]
