"""The report's body: the loss per year and per breach with their intervals, where the loss
comes from, and the sensitivity with its noise band."""
from __future__ import annotations

import math

import pandas as pd

from .._text import label, yen_text
from . import _html
from .words import TEXT, parameter_label

STATS = ("mean", "var_99", "var_99_5", "tvar_99")
TORNADO_ROWS = 12


def loss_table(res, lang: str, yen: str, per_breach: bool = False) -> str:
    """Total loss once, then each option's paid and retained loss: estimates with intervals."""
    w = TEXT[lang]
    summary = _html.summary_ci(res)
    first = res.scenario.policies[0].name
    rows = [(w["all_policies"], summary.loc[(first, "gross")])]
    rows += [(w["annual_rows"].format(policy=p.name, measure=label(m, lang)),
              summary.loc[(p.name, m)]) for p in res.scenario.policies for m in ("paid", "retained")]
    heads = ["", *[label(s, lang) for s in STATS], label("p_nonzero", lang)]
    if per_breach:
        heads[1] = w["mean_breach"]
    return _html.table(heads, [(name, [*[_html.interval(r, s, yen, lang) for s in STATS],
                                       _html.share(r["p_nonzero"])]) for name, r in rows])


def annual(res, lang: str, yen: str) -> list[str]:
    from .. import plot
    from ..plot import supported_periods

    w = TEXT[lang]
    first = res.scenario.policies[0].name
    ref = res.scenario.reference
    from ..report_text import percentile_text

    refs = [w["reference"].format(amount=yen_text(r.gross, yen, lang), source=r.source,
                                  point=percentile_text(res, r.gross))
            for r in res.scenario.references]
    return [f"<h2>{_html.e(w['annual'])}</h2>", *[f"<p>{_html.e(r)}</p>" for r in refs],
            loss_table(res, lang, yen),
            _html.figure(lambda ax: plot.ep_curves(res, ax=ax, yen=yen, lang=lang),
                         w["ep_caption"].format(limit=int(supported_periods(res.n_years))),
                         height=4.6),
            _html.figure(lambda ax: plot.loss_distribution(res, first, "gross", reference=ref,
                                                           ax=ax, yen=yen, lang=lang,
                                                           bins=_bins(res, first)),
                         w["dist_caption"].format(what=label("gross", lang)), height=3.8)]


def _bins(res, policy: str) -> int:
    """60 bins, fewer when few simulated years have a loss (about five years a bin)."""
    years = res.n_years * (1 - res.cdf(policy, "gross", 0.0))
    return int(min(60, max(8, years // 5)))


def per_breach(breach, lang: str, yen: str) -> list[str]:
    """The same tables for exactly one breach a trial (``breach``: a run with the frequency
    replaced by one event)."""
    from .. import plot

    w = TEXT[lang]
    first = breach.scenario.policies[0].name
    return [f"<h2>{_html.e(w['per_breach'])}</h2>",
            f"<p class=\"note\">{_html.e(w['breach_note'].format(n=breach.n_years))}</p>",
            loss_table(breach, lang, yen, per_breach=True),
            _html.figure(lambda ax: plot.loss_distribution(breach, first, "retained", ax=ax,
                                                           yen=yen, lang=lang),
                         w["breach_caption"].format(policy=first), height=3.8)]


def breakdown(res, lang: str, yen: str) -> list[str]:
    from .. import plot

    w, scn = TEXT[lang], res.scenario
    values = res.expected_by_component()[["mean"]].T.rename(
        index={"mean": label("expected_loss_year", lang)})
    values = values.loc[:, values.iloc[0] > 0]
    values = values[values.iloc[0].sort_values(ascending=False).index]
    limits = res.limits()
    limits = limits[(limits["p_event_limit"] > 0) | (limits["p_aggregate_exhausted"] > 0)]
    names = {(p.name, n.name): n.label or n.name for p in scn.policies
             for n in p.compiled.nodes}
    rows = [(f"{policy}: {names.get((policy, node), node)}",
             [_html.share(r["p_event_limit"]), _html.share(r["p_aggregate_exhausted"])])
            for (policy, node), r in limits.iterrows()]
    heads = [label("limit", lang), label("p_event_limit", lang),
             label("p_aggregate_exhausted", lang)]
    return [f"<h2>{_html.e(w['breakdown'])}</h2>",
            _html.figure(lambda ax: plot.expected_breakdown(values, ax=ax, yen=yen, lang=lang,
                                                            title=" "),
                         w["components_caption"].format(years=res.n_years),
                         height=max(2.6, 0.8 + 0.2 * values.shape[1])),
            _html.figure(lambda ax: plot.section_breakdown(res, ax=ax, yen=yen, lang=lang),
                         w["sections_caption"], height=1.2 + 0.45 * len(scn.policies)),
            f"<p>{_html.e(w['limits'])}</p>",
            _html.table(heads, rows) if rows else f"<p class=\"note\">{_html.e(w['no_limit'])}</p>"]


def noise_band(res, frame: pd.DataFrame) -> float:
    """Half-width of the 95% interval of the sensitivity's statistic in the base run ``res``,
    scaled to the sensitivity runs' years (the interval narrows as 1 / sqrt(years))."""
    a = frame.attrs
    row = _html.summary_ci(res).loc[(a["policy"], a["measure"])]
    stat = a["statistic"]
    if f"{stat}_lo" not in row:
        return 0.0
    half = (row[f"{stat}_hi"] - row[f"{stat}_lo"]) / 2
    return float(half * math.sqrt(res.n_years / a["n_years"]))


def sensitivity(frame: pd.DataFrame, res, lang: str, yen: str) -> list[str]:
    from .. import plot
    from ..plot import within_noise

    w, a = TEXT[lang], frame.attrs
    statistic = label(a["statistic"], lang)
    measure = label(a["measure"], lang)
    top = frame.head(TORNADO_ROWS).copy()
    noise = noise_band(res, frame)
    base = float(frame["base"].iloc[0])
    quiet = within_noise(top, base, noise)
    top.index = [parameter_label(n, lang) for n in top.index]
    if a.get("per_breach"):
        measure = f"{measure} ({label('per_breach', lang)})"
    intro = w["tornado"].format(policy=a["policy"], measure=measure, statistic=statistic,
                                change=a["change"], n_years=a["n_years"], seed=a["seed"],
                                base=yen_text(base, yen, lang))
    how = w["noise_table"] if "within_noise" in frame else w["noise_ci"]
    heads = [label("parameter", lang), label("value", lang), label("low_value", lang),
             label("high_value", lang), label("low", lang), label("high", lang),
             label("swing", lang), label("within_noise", lang)]
    rows = [(name, [_number(r["value"]), _number(r["low_value"]), _number(r["high_value"]),
                    _html.amount(r["low"], yen, lang), _html.amount(r["high"], yen, lang),
                    _html.amount(r["swing"], yen, lang),
                    label("yes", lang) if q else ""])
            for (name, r), q in zip(top.iterrows(), quiet)]
    return [f"<h2>{_html.e(w['sensitivity'])}</h2>", f"<p>{_html.e(intro)}</p>",
            f"<p class=\"note\">{_html.e(w['noise'].format(noise=yen_text(noise, yen, lang), how=how))}</p>",
            _html.figure(lambda ax: plot.tornado(top, ax=ax, yen=yen, lang=lang, noise=noise,
                                                 title=f"{a['policy']}: {measure} {statistic}"),
                         w["tornado_caption"].format(n=len(top)), height=1.5 + 0.4 * len(top)),
            _html.table(heads, rows)]


def _number(value) -> str:
    from .._text import format_number

    return format_number(value)
