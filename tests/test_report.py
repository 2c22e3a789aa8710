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

BROCHURE = SCENARIOS / "jcci_brochure_100k.toml"          # references, no premiums
PREMIUMS = SCENARIOS / "jcci_manufacturing_10oku_C.toml"  # premiums, rare events
FIGURES = 6  # coverage, EP curves, distribution, components, sections, tornado
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("reports")
    return {path.stem: write_report(sim.load_scenario(path), out, n_years=20_000, seed=2,
                                     sensitivity_years=5_000)
            for path in (BROCHURE, PREMIUMS)}


def test_report_holds_every_section_and_nothing_from_outside(reports):
    for path in reports.values():
        text = path.read_text(encoding="utf-8")
        assert len(re.findall(r'<img alt="[^"]+" src="data:image/png;base64,', text)) == FIGURES
        assert not re.search(r'(src|href)="(?!data:)', text)  # no file or URL to fetch
        assert "<script" not in text and "@font-face" in text
        for heading in ("Key figures", "Coverage comparison", "Loss per policy year",
                        "Where the loss comes from", "Technical premium", "Sensitivity",
                        "Model parameters"):
            assert heading in text
    brochure = reports["jcci_brochure_100k"].read_text(encoding="utf-8")
    assert "Published total 1億7,370万円" in brochure and "JCCI premium D" in brochure
    priced = reports["jcci_manufacturing_10oku_C"].read_text(encoding="utf-8")
    assert "scenario premium" in priced and "<th>rank</th>" in priced


def test_report_without_sensitivity_and_in_plain_yen(tmp_path):
    path = write_report(sim.load_scenario(PREMIUMS), tmp_path, n_years=5_000, yen="plain",
                        sensitivity=False)
    text = path.read_text(encoding="utf-8")
    assert text.count("data:image/png") == FIGURES - 1 and "Sensitivity" not in text
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
    file, and the page logs no console message and raises no error."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            pages = {name: _open(browser, path) for name, path in reports.items()}
        finally:
            browser.close()
    for name, page in pages.items():
        assert page["images"] == [True] * FIGURES, name
        assert [f.strip('"') for f in page["fonts"]] == ["sim-ipaexg:loaded"]
        assert page["console"] == [] and page["errors"] == [], page
        assert all(u.startswith(("file:", "data:")) for u in page["requests"]), page["requests"]
        assert page["title"] == sim.load_scenario(SCENARIOS / f"{name}.toml").name


def _open(browser, path: Path) -> dict:
    """Load ``path`` and read what rendered: images decoded, fonts loaded, console, requests."""
    page = browser.new_page()
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
