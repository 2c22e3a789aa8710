"""``sim report``: one self-contained HTML file a risk manager can mail to a colleague.

Everything is inside the file: the tables as HTML, the figures as PNG data URIs, the styles in
one ``<style>`` element, no scripts and nothing fetched from elsewhere. The figures are drawn by
:mod:`sim.plot`, so the report and a notebook show the same charts.
"""
from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
import datetime as dt
import html
import io
from pathlib import Path
import re

import pandas as pd

from . import __version__
from ._errors import check_bool, check_choice, check_count
from ._output import check_out_dir, file_sha256, plan_outputs, run_metadata, write_atomic
from ._text import format_number
from .compare import COC_RATE, check_premiums, compare
from .report_text import percentile_text
from .engine.results import SimulationResult
from .scenario import Scenario
from .yen import YenStyle, table_yen

STYLE = """
body { font-family: "sim-ipaexg", "Helvetica Neue", Arial, sans-serif;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.5; }
h1 { font-size: 1.5em; border-bottom: 2px solid #345; padding-bottom: .3em; }
h2 { font-size: 1.2em; margin-top: 2em; color: #345; }
p.meta, p.note { color: #555; font-size: .9em; }
table { border-collapse: collapse; margin: 1em 0; font-size: .85em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; }
td { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #eef2f6; text-align: left; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: .85em; }
"""
PERCENT_COLUMNS = ("p_nonzero", "p_limit_exhausted", "p_event_limit", "p_aggregate_exhausted")
SUMMARY_COLUMNS = {"mean": "平均 mean", "std": "標準偏差 sd", "var_90": "VaR 90%",
                   "var_99": "VaR 99%", "var_99_5": "VaR 99.5%", "tvar_99": "TVaR 99%",
                   "p_nonzero": "P(>0)"}
TORNADO_ROWS = 12
COMPONENT_EVENTS = 200_000  # events sampled for the expected loss by component


def write_report(scenario: Scenario, out: str | Path, n_years: int = 100_000, seed: int = 1, *,
                 yen: YenStyle = "ja", sensitivity: bool = True,
                 sensitivity_years: int | None = None, threads: int | None = None,
                 force: bool = False) -> Path:
    """Simulate ``scenario`` and write ``<out>/<scenario file stem>.html``.

    Parameters
    ----------
    scenario : Scenario
        With a ``[model]`` and ``[frequency]``.
    out : str or Path
        Directory (created if missing).
    n_years, seed, threads
        As for :func:`sim.simulate`.
    yen : {"ja", "plain"}
        Amounts in 万円/億円 or plain yen, in the tables and the figures.
    sensitivity : bool
        Include the one-at-a-time sensitivity of the first policy's retained TVaR 99%
        (:func:`sim.sensitivity.one_at_a_time`, +/-20%; two simulations per parameter).
    sensitivity_years : int, optional
        Years per sensitivity run (default ``n_years``).
    force : bool
        Replace the file if it exists (otherwise refused, before simulating).

    Returns
    -------
    Path
        The HTML file written: whole, through a temporary file renamed into place; its
        ``<meta name="breach-sim:...">`` tags record scenario, scenario_path, scenario_sha256,
        seed, n_years and version.
    """
    from . import sensitivity as oat
    from .engine.runner import simulate

    scenario.check_simulable()
    check_choice("yen", yen, ("ja", "plain"))
    check_count("n_years", n_years)
    path = report_path(scenario, check_out_dir(out, "out"))
    plan_outputs({scenario.source: [path]}, check_bool("force", force), "out", "force=True")
    sha256 = file_sha256(scenario.source)
    if scenario.premiums:
        check_premiums([p.name for p in scenario.policies], scenario.premiums)
    if sensitivity:
        if sensitivity_years is not None:
            check_count("sensitivity_years", sensitivity_years)
        oat.check(scenario)
    res = simulate(scenario, n_years=n_years, seed=seed, threads=threads)
    tornado = None
    if sensitivity:
        tornado = oat.one_at_a_time(scenario, n_years=sensitivity_years or n_years, seed=seed,
                                    threads=threads)
    meta = run_metadata(scenario.name, scenario.source, sha256, res.seed, res.n_years)
    text = render(res, yen, tornado, meta)
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def report_path(scenario: Scenario, out: str | Path) -> Path:
    """Where :func:`write_report` writes the report of ``scenario`` in folder ``out``."""
    return Path(out) / f"{_file_stem(scenario)}.html"


def _file_stem(scenario: Scenario) -> str:
    """The scenario file's name, or for a scenario built in code its name made file-safe."""
    source = Path(scenario.source)
    if source.suffix == ".toml":
        return source.stem
    return re.sub(r"[^\w.-]+", "_", scenario.name).strip("_.") or "scenario"


def render(res: SimulationResult, yen: YenStyle = "ja", tornado: pd.DataFrame | None = None,
           metadata: Mapping[str, object] | None = None) -> str:
    """The report of a finished run as one HTML document (see :func:`write_report`);
    ``metadata`` goes into ``<meta name="breach-sim:KEY" content="VALUE">`` tags."""
    scn = res.scenario
    body = [f"<h1>{_e(scn.name)}</h1>", _meta(res)]
    summary = res.summary()
    body += _key_figures(res, summary, yen)
    body += _comparison(res, yen)
    body += _distributions(res, summary, yen)
    body += _breakdown(res, yen)
    body += _premiums(res, yen)
    if tornado is not None:
        body += _sensitivity(tornado, yen)
    body += _assumptions(scn)
    body_html = "\n".join(body)
    tags = "".join(f'<meta name="breach-sim:{_e(k)}" content="{_e(v)}">\n'
                   for k, v in (metadata or {}).items())
    return ("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n" + tags +
            f"<title>{_e(scn.name)}</title>\n<style>{_font_face(scn.name + body_html)}{STYLE}"
            "</style>\n</head>\n<body>\n" + body_html + "\n</body>\n</html>\n")


# --- sections --------------------------------------------------------------------------------

def _meta(res: SimulationResult) -> str:
    scn = res.scenario
    lines = [scn.description, f"Scenario: {scn.source}",
             f"{res.n_years:,} simulated policy years, seed {res.seed}; every policy on the same "
             "simulated years (common random numbers)",
             f"breach-sim {__version__}, {dt.date.today().isoformat()}"]
    return "<p class=\"meta\">" + "<br>".join(_e(x) for x in lines if x) + "</p>"


def _key_figures(res: SimulationResult, summary: pd.DataFrame, yen: YenStyle) -> list[str]:
    first = res.scenario.policies[0].name
    gross = summary.loc[(first, "gross")]
    items = [f"A breach loss in {_cell(gross['p_nonzero'], True, False, yen, 1)} of years; expected "
             f"gross loss {_yen(gross['mean'], yen)} a year; 1-in-100-year gross loss "
             f"{_yen(gross['var_99'], yen)}, 1-in-1,000 {_yen(gross['var_99_9'], yen)}."]
    for ref in res.scenario.references:
        items.append(f"Published total {_yen(ref.gross, yen)} ({ref.source}) sits at the "
                     f"{percentile_text(res, ref.gross)} point of the simulated gross loss.")
    for p in res.scenario.policies:
        paid, kept = summary.loc[(p.name, "paid")], summary.loc[(p.name, "retained")]
        items.append(f"{p.name}: pays {_yen(paid['mean'], yen)} a year on average; the insured "
                     f"keeps {_yen(kept['mean'], yen)} (1 in 100: {_yen(kept['var_99'], yen)}).")
    return ["<h2>要約 Key figures</h2>", "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"]


def _comparison(res: SimulationResult, yen: YenStyle) -> list[str]:
    from . import plot

    ranked = bool(res.scenario.premiums)
    frame = compare(res, rank_by="capital" if ranked else None)
    note = (f"Ranked by premium + {COC_RATE:.0%} cost of capital x retained TVaR 99% (lowest "
            "first); value of a step up = retained 1-in-100 loss (var) or TVaR 99% (tvar) "
            "removed per extra 1万円 of premium." if ranked
            else "No premiums in the scenario: no ranking.")
    return ["<h2>補償の比較 Coverage comparison</h2>", _table(frame, yen),
            f"<p class=\"note\">{_e(note)}</p>",
            _figure(lambda ax: plot.coverage_comparison(frame, ax=ax, yen=yen),
                    "Coverage options: what each costs and what it leaves the insured")]


def _distributions(res: SimulationResult, summary: pd.DataFrame, yen: YenStyle) -> list[str]:
    from . import plot

    first = res.scenario.policies[0].name
    rows = [("gross (all policies)", summary.loc[(first, "gross")])]
    rows += [(f"{p.name}: {m}", summary.loc[(p.name, m)]) for p in res.scenario.policies
             for m in ("paid", "retained")]
    table = pd.DataFrame([r for _, r in rows], index=[n for n, _ in rows])[list(SUMMARY_COLUMNS)]
    ref = res.scenario.reference
    return ["<h2>損失分布 Loss per policy year</h2>",
            _table(table.rename(columns=SUMMARY_COLUMNS), yen, percent=("P(>0)",)),
            _figure(lambda ax: plot.ep_curves(res, ax=ax, yen=yen),
                    "Exceedance probability: gross and retained loss by return period"),
            _figure(lambda ax: plot.loss_distribution(res, first, "gross", reference=ref, ax=ax,
                                                      yen=yen),
                    "Distribution of gross loss" + (", with the published total marked" if ref else ""))]


def _breakdown(res: SimulationResult, yen: YenStyle) -> list[str]:
    from . import plot

    scn = res.scenario
    per_year = scn.model.expected_components(COMPONENT_EVENTS) * scn.frequency.mean
    values = per_year[["mean"]].T.rename(index={"mean": "gross / year"})
    limits = res.limits()
    limits = limits[(limits["p_event_limit"] > 0) | (limits["p_aggregate_exhausted"] > 0)]
    limits = limits.drop(columns="kind")
    return ["<h2>内訳 Where the loss comes from and who pays it</h2>",
            _figure(lambda ax: plot.expected_breakdown(values, ax=ax, yen=yen,
                                                       title="損害項目別の期待損失 (年あたり)"),
                    f"Expected gross loss a year by component ({COMPONENT_EVENTS:,} sampled "
                    "events x events a year)"),
            _figure(lambda ax: plot.section_breakdown(res, ax=ax, yen=yen),
                    "Expected loss a year: paid by each section, and retained"),
            "<p>How often each limit binds (share of policy years):</p>",
            _table(limits, yen) if len(limits) else "<p class=\"note\">No limit was reached.</p>"]


def _premiums(res: SimulationResult, yen: YenStyle) -> list[str]:
    from .pricing import EXPENSE_RATIO, METHOD_PARAMS, technical_premiums

    frame = technical_premiums(res)["technical_premium"].unstack("method")
    frame = frame.loc[[p.name for p in res.scenario.policies], ["sd", "coc", "wang"]]
    frame.columns = ["sd loading", "cost of capital", "Wang"]
    if res.scenario.premiums:
        frame.insert(0, "scenario premium", [res.scenario.premiums.get(p, float("nan"))
                                             for p in frame.index])
    note = (f"Expected paid loss plus a risk loading, grossed up for a {EXPENSE_RATIO:.0%} "
            f"expense ratio (modelling choices): sd k = {METHOD_PARAMS['sd']['k']}, cost of "
            f"capital {METHOD_PARAMS['coc']['coc_rate']:.0%} on TVaR "
            f"{METHOD_PARAMS['coc']['q']:.0%} - mean, Wang lambda {METHOD_PARAMS['wang']['lam']}.")
    return ["<h2>保険料 Technical premium a year</h2>", _table(frame, yen, round_to=1_000),
            f"<p class=\"note\">{_e(note)}</p>"]


def _sensitivity(frame: pd.DataFrame, yen: YenStyle) -> list[str]:
    from . import plot

    a = frame.attrs
    what = f"{a['policy']}: {a['measure']} {_statistic_label(a['statistic'])}"
    top = frame.head(TORNADO_ROWS)
    shown = top[["value", "low_value", "high_value", "low", "high", "swing"]]
    return ["<h2>感応度 Sensitivity</h2>",
            f"<p>{_e(what)}, each parameter {a['change']:.0%} down and up (probabilities at "
            "most 1), the "
            f"others at base; {a['n_years']:,} years a run, seed {a['seed']}, common random "
            f"numbers. Base {_e(_yen(frame['base'].iloc[0], yen))}.</p>",
            _figure(lambda ax: plot.tornado(top, ax=ax, yen=yen, title=what),
                    f"The {len(top)} parameters that move it most", height=1.5 + 0.4 * len(top)),
            _table(shown, yen, plain=("value", "low_value", "high_value"))]


def _assumptions(scn: Scenario) -> list[str]:
    from .sensitivity import parameters

    freq = scn.frequency
    text = {"one": "exactly one event a year",
            "poisson": f"Poisson, {freq.mean:.4g} events a year",
            "negative_binomial": f"negative binomial, mean {freq.mean:.4g} a year, cv {freq.cv:.3g}"}
    values = parameters(scn)
    values = values[values["value"] != 0]
    return ["<h2>前提 Model parameters</h2>",
            f"<p>Frequency: {_e(text[freq.kind])}. Components the model draws: "
            f"{_e(', '.join(scn.model.components))}. Where each default comes from: "
            "sim/data and docs/model.md.</p>",
            _table(values, "plain", plain=("value",))]


# --- helpers ---------------------------------------------------------------------------------

def _font_face(text: str) -> str:
    """IPAex Gothic cut down to the document's non-ASCII characters, as an inline font for
    those characters only: the Japanese renders on machines without Japanese fonts too, in the
    figures' font. (The IPA Font License allows embedding the font in documents.)"""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    import matplotlib_fontja

    chars = "".join(sorted({c for c in text if ord(c) > 127}))
    if not chars:
        return ""
    font = TTFont(Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf")
    subsetter = subset.Subsetter(subset.Options(notdef_outline=True))
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return ("@font-face { font-family: \"sim-ipaexg\"; "
            f"src: url(data:font/ttf;base64,{data}) format(\"truetype\"); "
            "unicode-range: U+0080-10FFFF; }\n")


def _figure(draw: Callable, caption: str, height: float = 4.2) -> str:
    """A figure drawn by ``draw(ax)`` as an inline PNG."""
    from matplotlib.figure import Figure

    from . import plot  # noqa: F401  (sets the Japanese font before the Axes exist)

    fig = Figure(figsize=(9, height), layout="constrained")
    draw(fig.subplots())
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"<figure><img alt=\"{_e(caption)}\" src=\"data:image/png;base64,{data}\">"
            f"<figcaption>{_e(caption)}</figcaption></figure>")


def _table(frame: pd.DataFrame, yen: YenStyle, percent: Sequence[str] = PERCENT_COLUMNS,
           plain: Sequence[str] = ("rank",), round_to: int = 10_000) -> str:
    """Amounts as yen, shares as percentages, ``plain`` columns as numbers; NaN as a dash."""
    cells = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        cells[col] = [_cell(v, col in percent, col in plain, yen, round_to) for v in frame[col]]
    return cells.to_html(escape=True, border=0)


def _cell(value, percent: bool, plain: bool, yen: YenStyle, round_to: int) -> str:
    if value is None or pd.isna(value):
        return "-"
    if isinstance(value, str):
        return value
    if percent:
        return f"{value:.2%}" if value < 0.01 else f"{value:.1%}"
    if plain:
        return format_number(value)
    return _yen(value, yen, round_to)


def _statistic_label(statistic: str) -> str:
    """``tvar_99_5`` -> ``TVaR 99.5%``; ``mean`` stays ``mean``."""
    kind, _, level = statistic.partition("_")
    if kind not in ("var", "tvar"):
        return statistic
    return f"{'TVaR' if kind == 'tvar' else 'VaR'} {level.replace('_', '.')}%"


def _yen(amount: float, yen: YenStyle, round_to: int = 10_000) -> str:
    return table_yen(amount, yen, round_to)


def _e(text: object) -> str:
    return html.escape(str(text))
