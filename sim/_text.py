"""Plain-text tables that line up in a terminal even with Japanese (double-width) text."""
from __future__ import annotations

from collections.abc import Sequence
import numbers
import unicodedata


def display_width(text: str) -> int:
    """Terminal columns taken by ``text`` (wide and full-width characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, align: str = "<") -> str:
    """Pad ``text`` to ``width`` terminal columns, left (``<``) or right (``>``) aligned."""
    fill = " " * max(width - display_width(text), 0)
    return text + fill if align == "<" else fill + text


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], aligns: str | None = None) -> str:
    """Render rows under headers; ``aligns`` has one ``<`` or ``>`` per column."""
    aligns = aligns or "<" + ">" * (len(headers) - 1)
    widths = [max(display_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(pad(str(h), w, a) for h, w, a in zip(headers, widths, aligns))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(pad(str(c), w, a) for c, w, a in zip(r, widths, aligns)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def format_number(value: object) -> str:
    """A parameter value for people: ``14,000``, ``1,385,641``, ``0.05``, ``2.536``; text as is."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if float(value).is_integer() or abs(value) >= 1_000:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return str(value)


LANGS = ("ja", "en")

# One table of labels per language: what a risk manager reads, never an API name.
LABELS: dict[str, dict[str, str]] = {
    "ja": {
        "gross": "損害総額", "paid": "保険金支払額", "retained": "保有損失",
        "premium": "保険料", "expected_paid": "期待支払額 (年)",
        "expected_retained": "期待保有損失 (年)", "retained_var_99": "保有損失 100年に1度",
        "retained_var_99_5": "保有損失 200年に1度", "retained_tvar_99": "保有損失 TVaR 99%",
        "retained_tvar_99_5": "保有損失 TVaR 99.5%", "p_limit_exhausted": "限度額到達の確率",
        "score": "評価値", "rank": "順位", "var_99_reduction_per_man": "1万円あたり削減 (100年)",
        "tvar_99_reduction_per_man": "1万円あたり削減 (TVaR)",
        "mean": "平均 (年)", "std": "標準偏差", "var_90": "10年に1度", "var_99": "100年に1度",
        "var_99_5": "200年に1度", "var_99_9": "1,000年に1度", "tvar_99": "TVaR 99%",
        "p_nonzero": "損失が生じる確率", "p_event_limit": "1事故限度額に達する確率",
        "p_aggregate_exhausted": "年間限度額を使い切る確率",
        "option": "補償プラン", "policy": "補償プラン", "frontier": "効率的 (買う価値あり)",
        "dominated": "他のプランに劣る", "recommended": "推奨",
        "return_period": "再現期間 (年)", "loss": "損失額", "probability": "確率",
        "exceedance": "超過確率", "technical_premium": "技術的保険料",
        "sd": "標準偏差法", "coc": "資本コスト法", "wang": "Wang変換法",
        "scenario_premium": "提示保険料", "value": "基準値", "low_value": "下限値",
        "high_value": "上限値", "low": "下限値のとき", "high": "上限値のとき", "swing": "変動幅",
        "within_noise": "誤差の範囲内", "noise": "シミュレーション誤差の範囲",
        "parameter": "パラメータ", "section": "補償項目", "component": "損害項目",
        "amount": "金額", "cut": "削減額", "term": "条件", "covered": "補償対象額",
        "statistic": "指標", "interval": "95%信頼区間", "estimate": "推定値",
        "annual": "年間の損失 (保険期間1年)", "per_breach": "事故1件あたりの損失",
        "yes": "はい", "no": "いいえ", "limit": "限度", "kind": "種類",
        "expected_loss_year": "期待損失額 (年あたり)",
    },
    "en": {
        "gross": "Total loss", "paid": "Insurance paid", "retained": "Retained loss",
        "premium": "Premium", "expected_paid": "Expected paid (year)",
        "expected_retained": "Expected retained (year)",
        "retained_var_99": "Retained 1-in-100", "retained_var_99_5": "Retained 1-in-200",
        "retained_tvar_99": "Retained TVaR 99%", "retained_tvar_99_5": "Retained TVaR 99.5%",
        "p_limit_exhausted": "Chance a limit runs out", "score": "Score", "rank": "Rank",
        "var_99_reduction_per_man": "Cut per ¥10k (1-in-100)",
        "tvar_99_reduction_per_man": "Cut per ¥10k (TVaR)",
        "mean": "Mean (year)", "std": "Std. dev.", "var_90": "1-in-10", "var_99": "1-in-100",
        "var_99_5": "1-in-200", "var_99_9": "1-in-1,000", "tvar_99": "TVaR 99%",
        "p_nonzero": "Chance of a loss", "p_event_limit": "Chance per-event limit binds",
        "p_aggregate_exhausted": "Chance annual limit runs out",
        "option": "Option", "policy": "Option", "frontier": "Efficient (worth buying)",
        "dominated": "Beaten by another option", "recommended": "Recommended",
        "return_period": "Return period (years)", "loss": "Loss", "probability": "Probability",
        "exceedance": "Exceedance probability", "technical_premium": "Technical premium",
        "sd": "Std.-dev. loading", "coc": "Cost of capital", "wang": "Wang transform",
        "scenario_premium": "Quoted premium", "value": "Base value", "low_value": "Low value",
        "high_value": "High value", "low": "At the low value", "high": "At the high value",
        "swing": "Swing", "within_noise": "Within noise", "noise": "Simulation noise band",
        "parameter": "Parameter", "section": "Section", "component": "Loss item",
        "amount": "Amount", "cut": "Amount cut", "term": "Term", "covered": "Covered amount",
        "statistic": "Statistic", "interval": "95% confidence interval", "estimate": "Estimate",
        "annual": "Loss per policy year", "per_breach": "Loss per breach",
        "yes": "yes", "no": "no", "limit": "Limit", "kind": "Kind",
        "expected_loss_year": "Expected loss a year",
    },
}


def check_lang(lang: object) -> str:
    """``lang`` if it is one of :data:`LANGS`, else :class:`sim._errors.InputError`."""
    from ._errors import check_choice

    check_choice("lang", lang, LANGS)
    return lang  # type: ignore[return-value]


def label(key: str, lang: str = "ja") -> str:
    """The reader's word for ``key`` in ``lang``; ``key`` itself if the table has none."""
    return LABELS[lang].get(key, key)


def component_label(name: str, lang: str = "ja") -> str:
    """A loss component's name for a reader: its Japanese label, or its English description."""
    from .components import COMPONENT_INFO

    info = COMPONENT_INFO.get(name)
    if info is None:
        return name
    return info.label_ja if lang == "ja" else info.description[:1].upper() + info.description[1:]


def yen_text(amount: float, yen: str = "ja", lang: str = "ja", round_to: int = 10_000) -> str:
    """An amount for a reader: ``1億5,400万円`` (ja), ``¥154m`` (en), or digits (``yen="plain"``).

    English keeps to one language: millions of yen, three significant figures
    (``¥5.5m``, ``¥154m``, ``¥1,540m``), thousands below a million (``¥350k``).
    """
    from .yen import format_yen, table_yen

    if yen == "plain":
        return table_yen(amount, "plain")
    if lang == "ja":
        return format_yen(amount, "ja", round_to=round_to if abs(amount) >= round_to else 1)
    sign, x = ("-" if amount < 0 else ""), abs(amount)
    if x >= 1e8:
        return f"{sign}¥{x / 1e6:,.0f}m"
    if x >= 1e6:
        return f"{sign}¥{x / 1e6:.3g}m"
    if x >= 1e3:
        return f"{sign}¥{x / 1e3:.3g}k"
    return f"{sign}¥{x:,.0f}"
