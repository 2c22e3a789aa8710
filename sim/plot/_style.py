"""Shared pieces of :mod:`sim.plot`: the Japanese font, Axes and input checks, yen ticks
and labels, and the names of measures and columns."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._errors import InputError, check_choice
from .._text import LABELS, check_lang, yen_text
from ..yen import YenStyle, format_yen  # noqa: F401  (YenStyle: re-exported by sim.plot)

MEASURE_LABELS = {"gross": "損害総額", "paid": "保険金支払額", "retained": "保有損失"}
COLUMN_LABELS = {"premium": "保険料", "expected_paid": "期待支払額",
                 "expected_retained": "期待保有損失", "retained_var_99": "保有損失 (100年に1度)",
                 "retained_tvar_99": "保有損失 TVaR 99%", "retained": "保有 (自己負担)"}
COVERAGE_COLUMNS = ("expected_paid", "expected_retained", "retained_var_99", "retained_tvar_99")
TORNADO_COLUMNS = ("base", "low", "high")
# 40 distinct colours (tab20 then tab20b): no two parts of a stacked bar share one
PALETTE = ([f"tab:{c}" for c in ("blue", "orange", "green", "red", "purple", "brown", "pink",
                                  "gray", "olive", "cyan")]
           + ["#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2",
              "#c7c7c7", "#dbdb8d", "#9edae5", "#393b79", "#5254a3", "#6b6ecf", "#9c9ede",
              "#637939", "#8ca252", "#b5cf6b", "#cedb9c", "#8c6d31", "#bd9e39", "#e7ba52",
              "#e7cb94", "#843c39", "#ad494a", "#d6616b", "#e7969c", "#7b4173", "#a55194",
              "#ce6dbd", "#de9ed6"])
# The words of the charts that are not in sim._text.LABELS, per language
WORDS = {"ja": {"loss": "損失額", "retained_part": "保有 (自己負担)", "paid_part": "支払",
                "yen_unit": "", "low_end": "下限", "high_end": "上限", "base": "基準",
                "in_noise": " (誤差内)"},
         "en": {"loss": "Loss", "retained_part": "Retained (kept)", "paid_part": "Paid",
                "yen_unit": " (¥)", "low_end": "low", "high_end": "high", "base": "Base",
                "in_noise": " (noise)"}}


def _label(key: str, lang: str) -> str:
    """A chart label: the Japanese names above for ``ja`` (as before), else the English table."""
    if lang == "ja":
        return {**COLUMN_LABELS, **MEASURE_LABELS}.get(key, LABELS["ja"].get(key, key))
    return LABELS["en"].get(key, key)


def _use_japanese_font() -> None:
    """Register IPAex Gothic (``matplotlib_fontja``) and make it the font family."""
    import matplotlib as mpl
    import matplotlib_fontja  # registers the font and sets rcParams on first import

    if "IPAexGothic" not in mpl.rcParams["font.family"]:  # e.g. after rcdefaults()
        matplotlib_fontja.japanize()


_use_japanese_font()  # at import, so that Axes a user makes afterwards get it for their ticks


def _axes(ax, yen: str, lang: str = "ja"):
    """Check ``yen`` and ``lang``; the given Axes, or a new figure's."""
    check_choice("yen", yen, ("ja", "plain"))
    check_lang(lang)
    import matplotlib.pyplot as plt

    _use_japanese_font()
    return plt.subplots(figsize=(8, 5))[1] if ax is None else ax


def _check_frame(frame: object, field: str, columns: Sequence[str], rows: str) -> None:
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        raise InputError(field, f"expected a non-empty DataFrame indexed by {rows}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(field, f"missing columns {missing}; expected at least {list(columns)}")


def _tick_yen(value: float, yen: str, lang: str = "ja") -> str:
    """A tick label: ``1億5,000万`` (``"ja"``, no 円), ``¥150m`` (English) or ``150,000,000``."""
    if lang == "en" and yen == "ja":
        return yen_text(value, "ja", "en")
    return format_yen(value, yen).removesuffix("円")


def _label_yen(value: float, yen: str, lang: str = "ja") -> str:
    """An amount in text, to 万 from 1,000万: ``1億5,400万円``, ``¥154m`` or ``154,000,000円``."""
    if lang == "en":
        return yen_text(value, yen, "en")
    text = format_yen(value, yen, round_to=10_000 if abs(value) >= 10**7 else 1)
    return text if yen == "ja" else f"{text}円"


def _yen_axis(axis, yen: str, text: str = "損失額", lang: str = "ja") -> None:
    """Ticks in yen; on a log axis also minor ticks (x2, x5, ...) when few decades show."""
    import matplotlib as mpl
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, pos: _tick_yen(v, yen, lang)))
    unit = " (円)" if lang == "ja" else " (¥)"
    axis.set_label_text(text if yen == "ja" else f"{text}{unit}")
    if axis.get_scale() != "log":
        return

    def minor(v: float, pos) -> str:
        lo, hi = sorted(axis.get_view_interval())
        decades = np.log10(hi / lo) if lo > 0 else np.inf
        mantissa = round(v / 10 ** np.floor(np.log10(v) + 1e-9))
        keep = ((2, 3, 4, 5, 7) if decades <= 1.2 else (2, 3, 5) if decades <= 2
                else (2, 5) if decades <= 3 else ())
        return _tick_yen(v, yen, lang) if mantissa in keep else ""

    axis.set_minor_formatter(FuncFormatter(minor))
    rc = {k: mpl.rcParams[f"{axis.axis_name}tick.{k}"] for k in ("major.pad", "major.size",
                                                                    "minor.size")}
    axis.set_tick_params(which="minor",  # labelled minor ticks level with the major ones
                         pad=rc["major.pad"] + rc["major.size"] - rc["minor.size"])


def _measure_label(res, policy: str, measure: str, lang: str = "ja") -> str:
    """``保有損失``, or ``支払: 個人情報漏洩(賠償)`` for ``paid:liability`` (the policy's own
    section name in either language)."""
    if measure.startswith("paid:"):
        sections = {s.name: s.label or s.name for s in res.scenario.policy(policy).sections}
        return f"{WORDS[lang]['paid_part']}: {sections.get(measure[5:], measure[5:])}"
    return _label(measure, lang)


def _measures(res, policy: str, kind: str = "aggregate") -> list[str]:
    """gross, paid, retained and (aggregate only) paid:<section> of ``policy``."""
    return ["gross", *(m.name for m in res.layout if m.policy == policy and m.kind == kind)]


def _per_event(res) -> bool:
    """Whether ``res`` is the per-breach view (:func:`sim.simulate_events`): its trials are events."""
    return getattr(res, "view", "annual") == "per_event"


def _trials(res, lang: str = "ja") -> str:
    """``20,000年`` / ``20,000 years``, or for the per-breach view ``20,000件`` / ``20,000 events``."""
    unit = {("ja", False): "年", ("ja", True): "件", ("en", False): " years", ("en", True): " events"}
    return f"{res.n_years:,}{unit[(lang, _per_event(res))]}"


def _policy_names(res) -> list[str]:
    return [p.name for p in res.scenario.policies]
