"""The report's first screen: which option, at what premium, keeping what, with the simulation
error, the model's main assumption and the rule behind the recommendation."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .._text import label, yen_text
from ..compare import COC_RATE, compare
from . import _html
from .words import INDUSTRY_JA, TEXT

REVENUE_SHARE = 0.05  # default tolerance: 5% of revenue kept in a 1-in-100 case (modelling choice)
GAP_BAND = (0.5, 2.0)  # technical / quoted premium outside this band gets a sentence


@dataclass
class Decision:
    """What the first screen decided: one row per option (``price``, ``tail`` and its
    interval, ``frontier``, ``recommended``), the words of the rule, and how the price and tail
    were read."""

    frame: pd.DataFrame
    rule: str
    quoted: bool
    per_breach: bool


def decide(res, breach, tolerance: float | None, lang: str, yen: str) -> Decision:
    """The options compared and the recommendation (see :data:`TEXT` ``rule_*``)."""
    from ..plot import efficient_frontier
    from ..pricing import technical_premiums

    w, scn = TEXT[lang], res.scenario
    names = [p.name for p in scn.policies]
    frame = compare(res)
    quoted = bool(scn.premiums)
    tech = technical_premiums(res)["technical_premium"].xs("coc", level="method")
    frame["technical"] = tech.loc[names]
    frame["price"] = frame["premium"] if quoted else frame["technical"]
    columns = ["var_99", "var_99_lo", "var_99_hi", "tvar_99"]
    view = _html.summary_ci(breach or res).xs("retained", level="measure").loc[names]
    view = view.reindex(columns=columns)  # no interval columns after a very short run
    for stat in ("var_99", "var_99_lo", "var_99_hi", "tvar_99"):
        frame[f"tail{stat[6:]}" if stat != "tvar_99" else "tail_tvar"] = view[stat]
    annual = _html.summary_ci(res).xs("retained", level="measure").loc[names].reindex(
        columns=columns)
    for stat in ("var_99", "var_99_lo", "var_99_hi"):
        frame[f"retained_{stat}"] = annual[stat]
    frame["frontier"] = efficient_frontier(frame, "price", "tail")
    tail_words = w["tail_breach" if breach is not None else "tail_year"]
    best = frame[frame["frontier"]]
    revenue = getattr(scn.firm_frequency, "revenue", None)
    if tolerance is None and revenue:
        tolerance, why = REVENUE_SHARE * revenue, w["tol_revenue"].format(
            revenue=yen_text(revenue, yen, lang))
    else:
        why = w["tol_given"]
    if tolerance is not None:
        ok = best[best["tail"] <= tolerance]
        tol = yen_text(tolerance, yen, lang)
        if len(ok):
            pick = ok.sort_values(["price", "tail"]).index[0]
            rule = w["rule_tol"].format(tail=tail_words, tol=tol, why=why)
        else:
            pick = frame.sort_values(["tail", "price"]).index[0]
            rule = w["rule_none_ok"].format(tail=tail_words, tol=tol, option=pick)
    else:
        score = best["price"] + COC_RATE * best["tail_tvar"]
        pick = score.sort_values(kind="stable").index[0]
        rule = w["rule_coc"].format(coc=COC_RATE)
    frame["recommended"] = frame.index == pick
    return Decision(frame, rule, quoted, breach is not None)


def first_screen(res, breach, decision: Decision, lang: str, yen: str) -> list[str]:
    """The answer block, the options table and the comparison figure."""
    w, scn, f = TEXT[lang], res.scenario, decision.frame
    pick = f.index[f["recommended"]][0]
    row = f.loc[pick]
    tail_words = w["tail_breach" if decision.per_breach else "tail_year"]
    kind = (w["quoted"] if decision.quoted else
            w["technical_one"] if scn.frequency.kind == "one" else w["technical"])
    lines = [w["recommend"].format(option=pick, premium=yen_text(row["price"], yen, lang),
                                   kind=kind, tail=tail_words[:1].upper() + tail_words[1:]
                                   if lang == "en" else tail_words,
                                   value=yen_text(row["tail"], yen, lang),
                                   lo=_html.amount(row["tail_lo"], yen, lang),
                                   hi=_html.amount(row["tail_hi"], yen, lang))]
    text = [f"<p class=\"pick\">{_html.e(lines[0])}</p>", f"<p>{_html.e(decision.rule)}</p>",
            f"<p>{_html.e(w['assumption'].format(text=frequency_text(scn, lang, yen)))}</p>",
            f"<p>{_html.e(w['error'].format(n_years=res.n_years))}</p>"]
    p_loss = res.summary().iloc[0]["p_nonzero"]
    if decision.per_breach and p_loss < 0.05:
        text.append(f"<p>{_html.e(w['rare'].format(share=_html.share(p_loss)))}</p>")
    gap = gap_sentence(pick, row, lang, yen) if decision.quoted else None
    if gap:
        text.append(f"<p>{_html.e(gap)}</p>")
    price_head = w["premium_kind_q"] if decision.quoted else w["premium_kind_t"]
    heads = [label("option", lang), price_head, label("expected_paid", lang),
             label("retained_var_99", lang)]
    if decision.per_breach:
        heads.append(w["tail_breach_col"])
    heads += [w["frontier_col"], w["recommended_col"]]
    rows = []
    for name, r in f.iterrows():
        cells = [_html.amount(r["price"], yen, lang), _html.amount(r["expected_paid"], yen, lang),
                 _html.interval(r, "retained_var_99", yen, lang)]
        if decision.per_breach:
            cells.append((_html.amount(r["tail"], yen, lang),
                          f"[{_html.amount(r['tail_lo'], yen, lang)} – "
                          f"{_html.amount(r['tail_hi'], yen, lang)}]"))
        cells += [w["mark_yes"] if r["frontier"] else "", w["mark_star"] if r["recommended"] else ""]
        rows.append((name, cells))
    points = f.rename(columns={"tail": "plot_tail", "tail_lo": "plot_tail_lo",
                               "tail_hi": "plot_tail_hi", "price": "premium_shown"})
    points = points.drop(columns=[c for c in ("premium",) if c in points])
    points = points.rename(columns={"premium_shown": "premium"})
    return ["<div class=\"answer\">", *text, "</div>", _html.table(heads, rows, picked=pick),
            f"<p class=\"note\">{_html.e(w['cmp_note'])}</p>",
            _html.figure(lambda ax: _coverage(ax, points, tail_words, price_head, lang, yen),
                         w["cmp_caption"].format(tail=tail_words), height=4.6)]


def _coverage(ax, points: pd.DataFrame, tail_words: str, price_head: str, lang: str, yen: str):
    from .. import plot

    plot.coverage_comparison(points, x="premium", y="plot_tail", ax=ax, yen=yen, lang=lang)
    ax.set_ylabel(tail_words[:1].upper() + tail_words[1:] if lang == "en" else tail_words)
    ax.set_xlabel(price_head)


def frequency_text(scn, lang: str, yen: str) -> str:
    """The model's main assumption: the breach rate and where it comes from."""
    w, freq, firm = TEXT[lang], scn.frequency, scn.firm_frequency
    if firm is not None:
        lo, hi = firm.rate_interval(0.9)
        return w["freq_calibrated"].format(
            rate=_rate(firm.total), lo=_rate(lo), hi=_rate(hi),
            industry=INDUSTRY_JA.get(firm.industry, firm.industry) if lang == "ja"
            else firm.industry.replace("_", " "),
            revenue=yen_text(firm.revenue, yen, lang), source=firm.sources[0].split(" http")[0],
            more=len(firm.sources) - 1)
    if freq.kind == "one":
        return w["freq_one"]
    if freq.kind == "poisson":
        return w["freq_poisson"].format(rate=f"{freq.mean:.3g}")
    return w["freq_nb"].format(rate=f"{freq.mean:.3g}", cv=f"{freq.cv:.3g}")


def _rate(rate: float) -> str:
    """Events a year as a share: ``0.114%`` (1.14 in 1,000 years)."""
    return f"{rate:.3g}" if rate >= 1 else f"{rate:.3%}"


def gap_sentence(option: str, row, lang: str, yen: str) -> str | None:
    """Why a technical premium far from the quoted one differs, or None within
    :data:`GAP_BAND`."""
    from ..pricing import EXPENSE_RATIO

    w = TEXT[lang]
    quote, tech, paid = row["premium"], row["technical"], row["expected_paid"]
    if not quote or GAP_BAND[0] <= tech / quote <= GAP_BAND[1]:
        return None
    money = {"paid": yen_text(paid, yen, lang, 1_000)}
    if tech < quote:
        why = w["gap_low"].format(**money)
    elif paid > 0.5 * quote:
        why = w["gap_loss"].format(share=paid / quote, **money)
    else:
        why = w["gap_load"].format(expense=EXPENSE_RATIO, **money)
    return w["gap"].format(option=option, tech=yen_text(tech, yen, lang, 1_000),
                           quote=yen_text(quote, yen, lang, 1_000), ratio=tech / quote, why=why)
