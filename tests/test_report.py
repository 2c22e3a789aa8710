"""``sim report``: a self-contained HTML report, opened in headless Chromium.

Chromium comes from the project's set-up (``make test`` installs Debian's ``chromium``); set
``SIM_CHROMIUM`` to use another binary. Playwright (a test extra) drives it.
"""
from __future__ import annotations

from dataclasses import replace
import os
from pathlib import Path
import re
import shutil

import pytest

import sim
from sim._errors import InputError
from sim.cli import main
from sim.losses import Frequency
from sim.report_html import write_report

from conftest import SCENARIOS

BROCHURE = SCENARIOS / "jcci_brochure_100k.toml"          # references, no premiums, one breach
PREMIUMS = SCENARIOS / "jcci_manufacturing_10oku_C.toml"  # premiums, rare events (calibrated)
# coverage, EP curves, distribution, components, sections, tornado; + per breach where the
# frequency is not exactly one breach a year
FIGURES = {"jcci_brochure_100k": 6, "jcci_manufacturing_10oku_C": 7}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HEADINGS = {"ja": ("結論", "補償プラン: 保険料と保有損失", "年間の損失", "損失の内訳と支払者", "感応度", "付録",
                   "技術的保険料", "計算方法", "モデルのパラメータ"),
            "en": ("Summary", "Coverage options: premium and retained loss", "Loss per policy year",
                   "Where the loss comes from", "Sensitivity", "Appendix", "Technical premium",
                   "Method", "Model parameters")}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[tuple[str, str], Path]:
    out = {lang: tmp_path_factory.mktemp(f"reports_{lang}") for lang in ("ja", "en")}
    return {(path.stem, lang): write_report(sim.load_scenario(path), out[lang], n_years=20_000,
                                            seed=2, sensitivity_years=5_000, lang=lang)
            for path in (BROCHURE, PREMIUMS) for lang in ("ja", "en")}


def test_report_holds_every_section_and_nothing_from_outside(reports):
    for (name, lang), path in reports.items():
        text = path.read_text(encoding="utf-8")
        images = re.findall(r'<img alt="[^"]+" src="data:image/png;base64,', text)
        assert len(images) == FIGURES[name], (name, lang)
        assert not re.search(r'(src|href)="(?!data:)', text)  # no file or URL to fetch
        assert "<script" not in text and "@font-face" in text
        assert f'<html lang="{lang}">' in text
        for heading in HEADINGS[lang]:
            assert heading in text, (name, lang, heading)
    brochure = reports[("jcci_brochure_100k", "ja")].read_text(encoding="utf-8")
    assert "公表例 1億7,370万円" in brochure and "JCCI premium D" in brochure
    assert "1件の漏えい事故が起きたことを前提" in brochure  # the main assumption
    priced = reports[("jcci_manufacturing_10oku_C", "ja")].read_text(encoding="utf-8")
    assert "提示保険料" in priced and "事故1件あたりの損失" in priced
    assert "事故の発生率は年 0.1" in priced and "製造業" in priced


def test_first_screen_recommends_by_the_stated_rule(reports):
    """The brochure (no premiums, no revenue): the frontier option with the lowest technical
    premium + 10% x retained TVaR 99%, recomputed here from the run's own figures."""
    text = reports[("jcci_brochure_100k", "en")].read_text(encoding="utf-8")
    pick = re.search(r'<p class="pick">([^<]+)</p>', text).group(1)
    assert pick.startswith("Recommended: JCCI ") and "95% confidence interval" in pick
    assert "Rule: no tolerance given" in text
    table = text.split("<table>")[1]
    picked = re.search(r'<tr class="pick"><th>([^<]+)</th>', table).group(1)
    assert pick.startswith(f"Recommended: {picked} (")
    heads = re.findall(r"<th>([^<]*)</th>", table.split("</thead>")[0])
    assert heads[-2:] == ["Efficient", "Recommended"]
    rows = re.findall(r'<tr(?: class="pick")?><th>([^<]+)</th>(.*?)</tr>',
                      table.split("<tbody>")[1])
    frontier = [name for name, cells in rows if "<td>yes</td>" in cells]
    assert picked in frontier and len(rows) == 8


def test_report_without_sensitivity_and_in_plain_yen(tmp_path):
    path = write_report(sim.load_scenario(PREMIUMS), tmp_path, n_years=5_000, yen="plain",
                        sensitivity=False)
    text = path.read_text(encoding="utf-8")
    assert text.count("data:image/png") == FIGURES["jcci_manufacturing_10oku_C"] - 1
    assert "感応度 (どの前提" not in text
    assert "60,000" in text and "6万円" not in text


def test_bad_input_fails_before_any_simulation(tmp_path, monkeypatch):
    def no_work(*args, **kw):
        raise AssertionError("simulated before checking the input")

    monkeypatch.setattr("sim.engine.runner.simulate", no_work)
    scn = sim.load_scenario(PREMIUMS)
    for kwargs, field in (({"yen": "usd"}, "yen"), ({"n_years": 0.5}, "n_years"),
                          ({"sensitivity_years": -1}, "sensitivity_years")):
        with pytest.raises(InputError) as err:
            write_report(scn, tmp_path, **kwargs)
        assert err.value.field == field
    partial = scn.with_policies(scn.policies)
    partial.premiums.pop("JCCI premium C")
    nb = replace(scn, frequency=Frequency.negative_binomial(0.5, 1.5))  # cv too small at -20%
    for bad, field in ((partial, "premiums"), (nb, "change")):
        with pytest.raises(InputError) as err:
            write_report(bad, tmp_path)
        assert err.value.field == field
    assert not list(tmp_path.iterdir())


def test_a_scenario_built_in_code_gets_a_file_safe_name(tmp_path):
    from sim.scenario import scenario_from_dict

    table = {"name": "XL: 1億 <test>", "frequency": {"kind": "poisson", "rate": 0.5},
             "model": {"direct": {"damages": {"dist": "lognormal", "median": 1e7, "sigma": 1.5}}},
             "policies": [{"product": "basic", "name": "xl", "limit": 1e8}]}
    path = write_report(scenario_from_dict(table), tmp_path, n_years=2_000, sensitivity=False)
    assert path.name == "XL_1億_test.html" and path.exists()


def _chromium() -> str:
    path = os.environ.get("SIM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"no Chromium at {path}: run `make test` (it installs Debian's chromium) or "
                    "set SIM_CHROMIUM to a Chromium binary")
    return path


def test_report_renders_in_headless_chromium(reports):
    """Every figure decodes, the Japanese font loads, nothing is requested from outside the
    file, the page logs no console message and raises no error, and at 1,280 px it has no
    horizontal scroll."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            pages = {key: _open(browser, path) for key, path in reports.items()}
        finally:
            browser.close()
    for (name, lang), page in pages.items():
        assert page["images"] == [True] * FIGURES[name], name
        assert [f.strip('"') for f in page["fonts"]] == ["sim-ipaexg:loaded"]
        assert page["console"] == [] and page["errors"] == [], page
        assert all(u.startswith(("file:", "data:")) for u in page["requests"]), page["requests"]
        assert page["title"] == sim.load_scenario(SCENARIOS / f"{name}.toml").name
        assert page["scroll"][0] <= page["scroll"][1] == 1280 - page["scrollbar"], (name, lang)
        assert page["headers"] and not _api_names(page["headers"]), (name, lang)
        assert not _other_language(page, lang, sim.load_scenario(SCENARIOS / f"{name}.toml"))


def _api_names(headers: list[str]) -> list[str]:
    """Header cells that are API names: a column of the tables the report is built from, a
    model parameter's dotted name, or any snake_case word."""
    from sim.compare import compare
    from sim.sensitivity import COLUMNS, parameters

    res = sim.simulate(sim.load_scenario(PREMIUMS), n_years=5_000, seed=1)
    names = {*res.summary(ci=0.95).columns, *compare(res).columns, *COLUMNS,
             *res.limits().columns, *parameters(res.scenario).index,
             "gross", "paid", "retained", "policy", "measure", "method", "technical_premium",
             "expected_loss", "risk_loading", "sd", "coc", "wang", "rank", "score", "premium"}
    return [h for h in headers if h.strip() in names or re.search(r"\b[a-z]+_[a-z0-9_]+\b", h)]


ALLOWED_LATIN = r"(?<![A-Za-z])(VaR|TVaR|JCCI|AIG|Wang|TSR|ITmedia)(?![A-Za-z])"
CJK = r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]"


def _other_language(page: dict, lang: str, scn) -> list[str]:
    """Headers, headings, captions and paragraphs with words of the other language, after
    removing what is a name (options, the scenario, the policies' own section labels, the
    sources' titles) rather than a word of the report."""
    names = sorted({scn.name, *(p.name for p in scn.policies), *scn.premiums,
                    *(n.label for p in scn.policies for n in p.compiled.nodes if n.label),
                    *(r.source for r in scn.references),
                    *(s.split(" http")[0] for s in getattr(scn.firm_frequency, "sources", ()))},
                   key=len, reverse=True)
    found = []
    for text in page["texts"]:
        for name in names:
            text = text.replace(name, "")
        # file paths, the date and the program's name and version
        text = re.sub(r"[\w./-]+\.(toml|md)|sim/data|\d{4}-\d\d-\d\d|breach-sim [\d.]+", "", text)
        if lang == "ja":
            text = re.sub(ALLOWED_LATIN, "", text)
            if re.search(r"[A-Za-z]{2,}", text):
                found.append(text)
        elif re.search(CJK, text):
            found.append(text)
    return found


def _open(browser, path: Path) -> dict:
    """Load ``path`` at 1,280 px and read what rendered: images decoded, fonts loaded,
    console, requests, scroll width, and the texts of headers, headings and paragraphs."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen = {"console": [], "errors": [], "requests": []}
    page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    seen["images"] = page.eval_on_selector_all(
        "img", "els => els.map(e => e.complete && e.naturalWidth > 0)")
    seen["fonts"] = page.evaluate(
        "document.fonts.ready.then(fs => [...fs].map(f => f.family + ':' + f.status))")
    seen["title"] = page.title()
    seen["scroll"] = page.evaluate("[document.documentElement.scrollWidth, "
                                   "document.documentElement.clientWidth]")
    seen["scrollbar"] = page.evaluate("window.innerWidth - document.documentElement.clientWidth")
    seen["headers"] = page.eval_on_selector_all("thead th", "els => els.map(e => e.innerText)")
    seen["texts"] = page.eval_on_selector_all(
        "th, h1, h2, h3, figcaption, p, img",
        "els => els.map(e => e.tagName == 'IMG' ? e.alt : e.innerText)")
    page.close()
    return seen


def test_cli_report_writes_one_file_per_scenario(tmp_path, capsys):
    code = main(["report", str(PREMIUMS), "--out", str(tmp_path), "--years", "5000",
                 "--no-sensitivity"])
    assert code == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "jcci_manufacturing_10oku_C.html")
    event_only = tmp_path / "event_only.toml"
    event_only.write_text('name = "one event"\n[event]\nlosses = { damages = 1e7 }\n'
                          '[[policies]]\nproduct = "basic"\nname = "xl"\nlimit = 1e8\n')
    assert main(["report", str(event_only), "--out", str(tmp_path)]) == 2
    assert "event_only.toml has no [model]" in capsys.readouterr().err
    assert main(["report", str(PREMIUMS), "--out", str(tmp_path), "--years", "-1"]) == 2
    assert "n_years" in capsys.readouterr().err
    assert main(["report", str(PREMIUMS), "--out", str(tmp_path / "en"), "--years", "5000",
                 "--no-sensitivity", "--lang", "en"]) == 0
    capsys.readouterr()
    text = (tmp_path / "en" / "jcci_manufacturing_10oku_C.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "Quoted premium" in text
    with pytest.raises(SystemExit):
        main(["report", str(PREMIUMS), "--out", str(tmp_path), "--lang", "fr"])
    assert "argument --lang: invalid choice: 'fr'" in capsys.readouterr().err


def test_per_breach_run_is_one_breach_a_trial():
    from sim.report import per_breach_run

    assert per_breach_run(sim.load_scenario(BROCHURE), 1_000, 1) is None  # already one a year
    breach = per_breach_run(sim.load_scenario(PREMIUMS), 4_000, 1)
    assert breach.n_years == 4_000 and breach.view == "per_event"  # sim.simulate_events
    # every trial holds exactly one breach: the annual rate (about 0.1%) is not applied
    assert breach.summary().iloc[0]["p_nonzero"] > 0.3


def test_recommendation_with_a_tolerance_is_the_cheapest_efficient_option_under_it():
    """Options by hand from the run's own table: with a tolerance between two options'
    1-in-100 retained losses, the pick is the cheapest option on the frontier under it."""
    from sim.report.decision import decide

    res = sim.simulate(sim.load_scenario(SCENARIOS / "aig_brochure_100k.toml"), n_years=5_000,
                       seed=3)
    free = decide(res, None, None, "ja", "ja").frame
    kept = free["tail"].sort_values()
    tol = (kept.iloc[1] + kept.iloc[2]) / 2  # the two options keeping least are under it
    frame = decide(res, None, tol, "en", "ja").frame
    under = [n for n in frame.index if frame.at[n, "tail"] <= tol and frame.at[n, "frontier"]]
    cheapest = min(under, key=lambda n: frame.at[n, "price"])
    assert frame.index[frame["recommended"]].tolist() == [cheapest]
    nobody = decide(res, None, kept.iloc[0] / 2, "ja", "ja")
    assert frame.index[nobody.frame["recommended"]].tolist() == [kept.index[0]]
    assert "以下となるプランはありません" in nobody.rule


def test_a_technical_premium_far_from_the_quote_gets_a_sentence():
    import pandas as pd

    from sim.report.decision import gap_sentence

    row = pd.Series({"premium": 140_000.0, "technical": 1_020_000.0, "expected_paid": 500_000.0})
    text = gap_sentence("JCCI standard C", row, "ja", "ja")
    assert text.startswith("JCCI standard C: 技術的保険料 102万円 は提示保険料 14万円 の 7.3倍です。")
    assert "期待支払額 50万円 だけで提示保険料の 357%" in text
    loaded = gap_sentence("x", row.replace(500_000.0, 20_000.0), "en", "ja")
    assert "risk loading" in loaded and "¥1.02m is 7.3 times the quoted premium ¥140k" in loaded
    assert gap_sentence("x", row.replace(1_020_000.0, 200_000.0), "ja", "ja") is None
