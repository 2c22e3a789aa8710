"""The report's appendix: technical premiums (and why they differ from a quote), the method,
and the model's parameters with the sources of the breach rate."""
from __future__ import annotations

from .._text import format_number, label
from . import _html
from .decision import Decision, frequency_text, gap_sentence
from .words import TEXT, parameter_label


def appendix(res, decision: Decision, lang: str, yen: str) -> list[str]:
    w = TEXT[lang]
    return [f"<h2>{_html.e(w['appendix'])}</h2>", *_premiums(res, decision, lang, yen),
            *_method(res, lang, yen), *_parameters(res.scenario, lang)]


def _premiums(res, decision: Decision, lang: str, yen: str) -> list[str]:
    from ..pricing import EXPENSE_RATIO, METHOD_PARAMS, technical_premiums

    w = TEXT[lang]
    frame = technical_premiums(res)["technical_premium"].unstack("method")
    names = [p.name for p in res.scenario.policies]
    heads = [label("option", lang)]
    if decision.quoted:
        heads.append(label("scenario_premium", lang))
    heads += [label(m, lang) for m in ("sd", "coc", "wang")]
    rows = []
    for name in names:
        cells = [_html.amount(res.scenario.premiums.get(name), yen, lang, 1_000)] \
            if decision.quoted else []
        cells += [_html.amount(frame.at[name, m], yen, lang, 1_000) for m in ("sd", "coc", "wang")]
        rows.append((name, cells))
    note = w["premium_note"].format(expense=EXPENSE_RATIO, k=METHOD_PARAMS["sd"]["k"],
                                    coc=METHOD_PARAMS["coc"]["coc_rate"],
                                    q=METHOD_PARAMS["coc"]["q"], lam=METHOD_PARAMS["wang"]["lam"])
    out = [f"<h3>{_html.e(w['premiums'])}</h3>", _html.table(heads, rows),
           f"<p class=\"note\">{_html.e(note)}</p>"]
    if decision.quoted:
        gaps = [gap_sentence(n, decision.frame.loc[n], lang, yen) for n in names]
        out += [f"<p>{_html.e(g)}</p>" for g in gaps if g]
    return out


def _method(res, lang: str, yen: str) -> list[str]:
    w = TEXT[lang]
    items = [i.format(freq=w["assumption"].format(text=frequency_text(res.scenario, lang, yen)))
             for i in w["method_items"]]
    return [f"<h3>{_html.e(w['method'])}</h3>",
            "<ul class=\"note\">" + "".join(f"<li>{_html.e(i)}</li>" for i in items) + "</ul>"]


def _parameters(scn, lang: str) -> list[str]:
    from ..sensitivity import parameters

    w = TEXT[lang]
    values = parameters(scn)
    values = values[values["value"] != 0]
    pairs = [(parameter_label(name, lang), format_number(v)) for name, v in values["value"].items()]
    half = (len(pairs) + 1) // 2  # two pairs of columns a row: half the length
    rows = [(a[0], [a[1], *(pairs[i + half] if i + half < len(pairs) else ("", ""))])
            for i, a in enumerate(pairs[:half])]
    heads = [label("parameter", lang), label("value", lang)] * 2
    out = [f"<h3>{_html.e(w['parameters'])}</h3>", f"<p class=\"note\">{_html.e(w['param_note'])}</p>",
           _html.table(heads, rows)]
    firm = scn.firm_frequency
    if firm is not None:
        out += [f"<p>{_html.e(w['sources'])}:</p>",
                "<ul class=\"note\">" + "".join(f"<li>{_html.e(s)}</li>" for s in firm.sources)
                + "</ul>"]
        if lang == "en":  # the choices are recorded in English only
            out += [f"<p>{_html.e(w['choices'])}:</p>", "<ul class=\"note\">"
                    + "".join(f"<li>{_html.e(c)}</li>" for c in firm.choices) + "</ul>"]
    return out
