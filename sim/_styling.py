"""Tables for people: yen in 万円/億円 in notebooks (a pandas Styler) and as text, shares as
percentages, never ``4.545455e+07``.

>>> import pandas as pd
>>> frame = pd.DataFrame({"mean": [45_454_545.45], "p_nonzero": [0.0123]}, index=["paid"])
>>> yen_frame(frame).loc["paid"].tolist()
['4,545万円', '1.23%']
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
import math

import numpy as np
import pandas as pd

from ._errors import InputError, check_choice
from .yen import format_yen

# Columns that hold no yen: shares (shown as %), parameter values and counts (shown as numbers).
SHARES = ("p_nonzero", "probability", "share", "ci", "p_event_limit", "p_aggregate_exhausted")
NUMBERS = ("value", "low_value", "high_value", "n_years", "n_events", "return_period", "seed",
           "size", "corporate_victims", "claimants", "year")


def yen_columns(frame: pd.DataFrame) -> list:
    """The columns of ``frame`` shown as yen by default: numeric, not boolean, not named as a
    share or a count (``SHARES``, ``NUMBERS``; for a column of a MultiIndex, its last level)."""
    out = []
    for col in frame.columns:
        name = col[-1] if isinstance(col, tuple) else col
        dtype = frame[col].dtype
        if (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
                and name not in SHARES and name not in NUMBERS):
            out.append(col)
    return out


def _formatters(frame: pd.DataFrame, style: str, round_to: int,
                columns: Sequence | None) -> dict[object, Callable[[object], str]]:
    check_choice("style", style, ("ja", "plain"))
    if isinstance(round_to, bool) or not isinstance(round_to, int) or round_to < 1:
        raise InputError("round_to", f"{round_to!r} is not allowed; expected a whole number of yen >= 1")
    yen = yen_columns(frame) if columns is None else list(columns)
    for col in yen:
        if col not in frame.columns:
            raise InputError("columns", f"{col!r} is not a column; columns: {list(frame.columns)}")

    def amount(x: object) -> str:
        return "" if x is None or (isinstance(x, float) and math.isnan(x)) else format_yen(float(x), style, round_to)

    def share(x: object) -> str:
        return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{float(x):.2%}"

    def number(x: object) -> str:
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.number)):
            return str(x)
        return "" if math.isnan(x) else f"{x:,.6g}" if not float(x).is_integer() else f"{int(x):,}"

    out = {}
    for col in frame.columns:
        name = col[-1] if isinstance(col, tuple) else col
        if col in yen:
            out[col] = amount
        elif name in SHARES:
            out[col] = share
        elif (pd.api.types.is_numeric_dtype(frame[col].dtype)
              and not pd.api.types.is_bool_dtype(frame[col].dtype)):
            out[col] = number
    return out


def yen_frame(frame: pd.DataFrame, style: str = "ja", round_to: int = 10_000,
              columns: Sequence | None = None) -> pd.DataFrame:
    """A copy of ``frame`` as text: yen columns in 万円/億円 (rounded to ``round_to`` yen),
    shares as percentages, other numbers with separators; for terminals and reports.

    Parameters
    ----------
    frame : DataFrame
        E.g. ``res.summary()``, ``res.ep_curve()``, ``res.expected_by_component()``.
    style : {"ja", "plain"}
        ``"ja"``: ``1億2,340万円``; ``"plain"``: ``123,400,000``.
    round_to : int
        Yen to round amounts to (default 10,000: whole 万円; 1 keeps every yen).
    columns : sequence, optional
        The yen columns (default: :func:`yen_columns`), e.g. to show a sensitivity table of
        ``p_nonzero`` without yen.
    """
    formatters = _formatters(frame, style, round_to, columns)
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    for col, fmt in formatters.items():
        out[col] = [fmt(x) for x in frame[col].tolist()]
    return out


def yen_style(frame: pd.DataFrame, style: str = "ja", round_to: int = 10_000,
              columns: Sequence | None = None):
    """A pandas ``Styler`` of ``frame`` showing yen in 万円/億円 (the numbers underneath are
    unchanged: sorting and export still see yen). Parameters as for :func:`yen_frame`.

    Examples
    --------
    In a notebook, ``res.summary().pipe(sim.yen_style)`` or ``sim.yen_style(res.ep_curve())``.

    >>> import pandas as pd
    >>> html = yen_style(pd.DataFrame({"mean": [1.234e9]})).to_html()
    >>> "12億3,400万円" in html
    True
    """
    formatters = _formatters(frame, style, round_to, columns)
    try:
        styler = frame.style
    except ImportError as err:  # pandas' Styler needs jinja2 (every Jupyter install has it)
        raise ImportError(f"sim.yen_style needs jinja2 ({err}); install jinja2, or use "
                          "sim.yen_frame for the same table as text") from None
    return styler.format(formatters)
