"""Shared pieces of :mod:`sim.plot`: the Japanese font, Axes and input checks, yen ticks
and labels, and the names of measures and columns."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._errors import InputError, check_choice
from ..yen import YenStyle, format_yen  # noqa: F401  (YenStyle: re-exported by sim.plot)

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
