"""Expected-loss breakdowns: stacked bars by component, or by section and retention."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._errors import InputError, check_choice
from .._text import component_label
from ..components import COMPONENT_INFO
from ._style import (PALETTE, WORDS, YenStyle, _axes, _check_frame, _label, _label_yen,
                     _measure_label, _per_event, _policy_names, _trials, _yen_axis)


def _part_label(column, lang: str = "ja") -> str:
    """A component's label, ``保有 (自己負担)``, ``支払: <section>``, or the name."""
    if column in COMPONENT_INFO:
        return component_label(column, lang)
    if isinstance(column, str) and column.startswith("paid:"):
        return f"{WORDS[lang]['paid_part']}: {column[5:]}"
    if column == "retained":
        return WORDS[lang]["retained_part"]
    return _label(column, lang) if isinstance(column, str) else str(column)


def expected_breakdown(values: pd.DataFrame, ax=None, yen: YenStyle = "ja",
                       title: str | None = None, lang: str = "ja"):
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
    lang : {"ja", "en"}

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
    ax = _axes(ax, yen, lang)
    _check_frame(values, "values", (), "bar (columns: parts)")
    data = values.apply(pd.to_numeric, errors="coerce").fillna(0.0)
    if (data.to_numpy() < 0).any():
        raise InputError("values", "expected amounts >= 0 in yen")
    rows, left = np.arange(len(data)), np.zeros(len(data))
    for i, column in enumerate(data.columns):  # one colour each: PALETTE has 40
        ax.barh(rows, data[column], left=left, color=PALETTE[i % len(PALETTE)],
                label=_part_label(column, lang))
        left += data[column].to_numpy()
    for row, total in zip(rows, left):
        ax.text(total, row, f" {_label_yen(total, yen, lang)}", va="center", fontsize="small")
    ax.set_yticks(rows, [str(r) for r in data.index])
    ax.invert_yaxis()
    ax.margins(x=0.15)
    _yen_axis(ax.xaxis, yen, _label("expected_loss_year", lang), lang)
    ax.set_title(title or ("期待損失の内訳" if lang == "ja" else "Expected loss by part"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
              ncol=1 if data.shape[1] <= 8 else 2)
    return ax


def section_breakdown(res, ax=None, yen: YenStyle = "ja", lang: str = "ja"):
    """Expected paid loss by section plus expected retained loss, one stacked bar per policy.

    Parameters
    ----------
    res : SimulationResult
    ax : matplotlib Axes, optional
    yen : {"ja", "plain"}
    lang : {"ja", "en"}

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
        rows[policy] = {_measure_label(res, policy, m, lang): own[m] for m in own.index
                        if m.startswith("paid:")}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame["retained"] = [means.loc[(p, "retained")] for p in frame.index]
    per_event = _per_event(res)
    if lang == "ja":
        title = f"期待損失の内訳 ({'1事故' if per_event else '年'}あたり, {_trials(res, lang)})"
    else:
        title = (f"Expected loss {'per event' if per_event else 'a year'}: paid by section and "
                 f"retained ({_trials(res, lang)})")
    ax = expected_breakdown(frame, ax=ax, yen=yen, title=title, lang=lang)
    if per_event:
        _yen_axis(ax.xaxis, yen, "期待損失額 (1事故あたり)" if lang == "ja" else "Expected loss per event",
                  lang)
    return ax
