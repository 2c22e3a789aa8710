"""``sim report``: one self-contained HTML file a risk manager can mail to a CFO.

In one language (Japanese by default, ``lang="en"`` for English). The first screen answers the
question: which option, at what premium, keeping what, with the simulation error and the
model's main assumption, and the rule behind the recommendation. Then the loss per year (and,
where the scenario's frequency is not exactly one breach a year, per breach), where the loss
comes from, the sensitivity with its noise band, and an appendix with premiums, method and
parameters.

Everything is inside the file: tables as HTML, figures as PNG data URIs, one ``<style>``
element, the Japanese font subset inline, no scripts and nothing fetched from elsewhere. The
figures are drawn by :mod:`sim.plot`, so the report and a notebook show the same charts.
"""
from __future__ import annotations

from collections.abc import Mapping
import datetime as dt
from pathlib import Path
import re

from .. import __version__
from .._errors import check_amount, check_bool, check_choice, check_count
from .._output import check_out_dir, file_sha256, plan_outputs, run_metadata, write_atomic
from .._text import check_lang
from ..compare import check_premiums
from ..scenario import Scenario
from . import _html
from .appendix import appendix
from .decision import decide, first_screen
from .sections import annual, breakdown, per_breach, sensitivity
from .words import TEXT

__all__ = ["render", "report_path", "write_report"]


def write_report(scenario: Scenario, out: str | Path, n_years: int = 100_000, seed: int = 1, *,
                 yen: str = "ja", lang: str = "ja", sensitivity: bool = True,
                 sensitivity_years: int | None = None, tolerance: float | None = None,
                 threads: int | None = None, force: bool = False) -> Path:
    """Simulate ``scenario`` and write ``<out>/<scenario file stem>.html``.

    Parameters
    ----------
    scenario : Scenario
        With a ``[model]`` and ``[frequency]``.
    out : str or Path
        Directory (created if missing).
    n_years, seed, threads
        As for :func:`sim.simulate`. Where the frequency is not exactly one breach a year, as
        many single breaches are simulated too (the per-breach view).
    yen : {"ja", "plain"}
        Amounts in 万円/億円 (``¥m`` in English) or plain yen.
    lang : {"ja", "en"}
        The language of every word of the report and its figures.
    sensitivity : bool
        Include the one-at-a-time sensitivity of the first policy's retained TVaR 99%
        (:func:`sim.sensitivity.one_at_a_time`, +/-20%; two simulations per parameter).
    sensitivity_years : int, optional
        Years per sensitivity run (default ``n_years``).
    tolerance : float, optional
        The 1-in-100 retained loss (yen) the insured can bear, for the recommendation; default
        5% of the firm's revenue where the frequency is calibrated, else none (the
        recommendation then weighs premium against the cost of capital).
    force : bool
        Replace the file if it exists (otherwise refused, before simulating).

    Returns
    -------
    Path
        The HTML file written: whole, through a temporary file renamed into place; its
        ``<meta name="breach-sim:...">`` tags record scenario, scenario_path, scenario_sha256,
        seed, n_years and version.
    """
    from .. import sensitivity as oat
    from ..engine.runner import one_event, simulate

    scenario.check_simulable()
    check_choice("yen", yen, ("ja", "plain"))
    check_lang(lang)
    check_count("n_years", n_years)
    if tolerance is not None:
        check_amount("tolerance", tolerance)
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
    breach = per_breach_run(scenario, n_years, seed, threads)
    tornado = None
    if sensitivity:
        target, statistic = sensitivity_target(res, breach)
        # a per-breach run keeps the scenario as given: move its one-event copy
        moved = one_event(scenario) if target is breach else scenario
        tornado = oat.one_at_a_time(moved, statistic=statistic,
                                    n_years=sensitivity_years or n_years, seed=seed,
                                    threads=threads)
        tornado.attrs["per_breach"] = target is breach
    meta = run_metadata(scenario.name, scenario.source, sha256, res.seed, res.n_years)
    text = render(res, yen, tornado, meta, lang=lang, breach=breach, tolerance=tolerance)
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def sensitivity_target(res, breach):
    """The run whose statistic the tornado moves, and the statistic: the first option's
    retained TVaR 99% a year where at least 1% of years keep a loss; else (rare breaches: a
    tail of zeros has nothing to move) the retained TVaR 99% per breach, or the retained mean
    a year where there is no per-breach run."""
    first = res.scenario.policies[0].name
    if res.summary().loc[(first, "retained"), "p_nonzero"] >= 0.01:
        return res, "tvar_99"
    return (breach, "tvar_99") if breach is not None else (res, "mean")


def per_breach_run(scenario: Scenario, n: int, seed: int, threads: int | None = None):
    """``n`` single breaches of ``scenario`` (:func:`sim.simulate_events`); None when the
    frequency already is one a year."""
    from ..engine.runner import simulate_events

    if scenario.frequency.kind == "one":
        return None
    return simulate_events(scenario, n, seed, threads=threads)


def report_path(scenario: Scenario, out: str | Path) -> Path:
    """Where :func:`write_report` writes the report of ``scenario`` in folder ``out``."""
    return Path(out) / f"{_file_stem(scenario)}.html"


def _file_stem(scenario: Scenario) -> str:
    """The scenario file's name, or for a scenario built in code its name made file-safe."""
    source = Path(scenario.source)
    if source.suffix == ".toml":
        return source.stem
    return re.sub(r"[^\w.-]+", "_", scenario.name).strip("_.") or "scenario"


def render(res, yen: str = "ja", tornado=None, metadata: Mapping[str, object] | None = None, *,
           lang: str = "ja", breach=None, tolerance: float | None = None) -> str:
    """The report of a finished run as one HTML document (see :func:`write_report`);
    ``breach``: the per-breach run, if any; ``metadata`` goes into
    ``<meta name="breach-sim:KEY" content="VALUE">`` tags."""
    check_lang(lang)
    scn, w = res.scenario, TEXT[lang]
    decision = decide(res, breach, tolerance, lang, yen)
    meta = w["meta"].format(source=scn.source, n_years=res.n_years, seed=res.seed,
                            version=__version__, date=dt.date.today().isoformat())
    body = [f"<h1>{_html.e(scn.name)}</h1>",
            f"<p class=\"meta\">{_html.e(meta)}</p>",
            f"<h2>{_html.e(w['summary'])}</h2>", *first_screen(res, breach, decision, lang, yen)]
    body += annual(res, lang, yen)
    if breach is not None:
        body += per_breach(breach, lang, yen)
    body += breakdown(res, lang, yen)
    if tornado is not None:
        body += sensitivity(tornado, breach if tornado.attrs.get("per_breach") else res,
                            lang, yen)
    body += appendix(res, decision, lang, yen)
    body_html = "\n".join(body)
    tags = "".join(f'<meta name="breach-sim:{_html.e(k)}" content="{_html.e(v)}">\n'
                   for k, v in (metadata or {}).items())
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width\">\n" + tags +
            f"<title>{_html.e(scn.name)}</title>\n<style>"
            f"{_html.font_face(scn.name + body_html)}{_html.STYLE}</style>\n</head>\n<body>\n"
            + body_html + "\n</body>\n</html>\n")
