import re
import subprocess
import sys

from sim.cli import main

from conftest import ROOT, SCENARIOS

BOTH = [str(SCENARIOS / "jcci_brochure_100k.toml"), str(SCENARIOS / "aig_brochure_100k.toml")]


def test_explain_prints_both_examples_section_by_section(capsys):
    assert main(["explain", *BOTH]) == 0
    out = capsys.readouterr().out
    assert "公表例 1億7,370万円" in out and "公表例 1億5,400万円" in out
    assert out.count(": 再現できています") == 2
    assert "## JCCI premium D" in out and "## AIG 3億 +exec" in out
    # Standard A: 1億1,170万 of costs reach a 100万 limit, which removes 1億1,070万
    assert re.search(r"費用損害 +1事故あたり支払限度額 100万円 +1億1,070万円", out)
    assert "= 保険金支払額 1億4,900万円; 保有損失 500万円" in out  # AIG 3億 with execution
    assert "補償の対象外: 情報システム等復旧費用 300万円" in out
    assert main(["explain", "--lang", "en", BOTH[0]]) == 0
    assert "not covered: " in capsys.readouterr().out


def test_explain_plain_digits(capsys):
    assert main(["explain", "--plain", BOTH[1]]) == 0
    out = capsys.readouterr().out
    assert "保険金支払額 149,000,000; 保有損失 5,000,000" in out
    assert not re.search(r"\d円", out.split("## AIG 5,000万")[1])  # no amount in 円 after the event


def test_bad_scenario_exits_2_before_any_output(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[event]\nlosses = {damages = 1}\n[[policies]]\nproduct = "jcci"\n'
                   'coverage_set = "Z"\n')
    assert main(["explain", BOTH[0], str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "policies[0].coverage_set: 'Z' is not allowed; allowed values: 'A'" in captured.err


def test_python_dash_m_and_console_script():
    result = subprocess.run([sys.executable, "-m", "sim", "explain", BOTH[1]], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert "## プランの比較" in result.stdout


def test_run_prints_the_comparison_and_the_reference_percentile(capsys):
    assert main(["run", BOTH[1], "--years", "5000", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "5,000 years, seed 3" in out
    assert "Reference 1億5,400万円" in out and "point of the simulated gross loss" in out
    for heading in ("## gross loss", "## paid loss", "## retained loss"):
        assert heading in out
    assert "AIG 3億 +exec" in out


def test_run_json_and_out(tmp_path, capsys):
    import json

    assert main(["run", BOTH[0], "--years", "3000", "--json", "--out", str(tmp_path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["n_years"] == 3000 and doc["seed"] == 1
    rows = {(r["policy"], r["measure"]): r for r in doc["summary"]}
    assert rows[("JCCI standard A", "paid")]["var_99"] <= 11_000_000  # set A pays at most 1,100万
    table = [line for line in (tmp_path / "jcci_brochure_100k_summary.csv").read_text().splitlines()
             if not line.startswith("# ")]
    assert table[0].startswith('"policy","measure","mean","std","sem","p_nonzero","var_90"')


def test_run_refuses_a_scenario_without_model(tmp_path, capsys):
    only_event = tmp_path / "event.toml"
    only_event.write_text('name = "x"\n[event]\nlosses = {damages = 1}\n[[policies]]\nproduct = "basic"\n')
    assert main(["run", str(only_event)]) == 2
    assert "has no [model] and [frequency]" in capsys.readouterr().err


def test_explain_refuses_a_scenario_without_event(capsys):
    assert main(["explain", str(SCENARIOS / "peer_compound.toml")]) == 2
    assert "event: missing; sim explain needs an [event]" in capsys.readouterr().err


# --- output files: checked before simulating, never overwritten silently, written whole -------

PEER = str(SCENARIOS / "peer_compound.toml")


def _csv_meta(path):
    """The ``# key: value`` lines that open a summary CSV."""
    meta = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        meta[key] = value
    return meta


def test_out_that_is_a_file_is_refused_before_simulating(tmp_path, capsys):
    taken = tmp_path / "taken"
    taken.write_text("mine")
    for out in (taken, taken / "below"):
        assert main(["run", PEER, "--years", "2000", "--out", str(out)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""  # the comparison tables print only after a simulation
        assert captured.err.startswith("sim: error: --out: ") and "existing file" in captured.err
        assert main(["report", PEER, "--years", "2000", "--out", str(out)]) == 2
        assert "existing file" in capsys.readouterr().err
    assert taken.read_text() == "mine"


def test_existing_result_is_kept_unless_forced(tmp_path, capsys):
    assert main(["run", PEER, "--years", "2000", "--out", str(tmp_path)]) == 0
    csv = tmp_path / "peer_compound_summary.csv"
    csv.write_text("an earlier result")
    capsys.readouterr()
    assert main(["run", PEER, "--years", "2000", "--seed", "5", "--out", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "use --force to replace it" in captured.err
    assert csv.read_text() == "an earlier result"
    assert main(["run", PEER, "--years", "2000", "--seed", "5", "--out", str(tmp_path),
                 "--force"]) == 0
    assert _csv_meta(csv)["seed"] == "5"


def test_two_scenarios_with_one_file_name_are_refused_before_simulating(tmp_path, capsys):
    text = (SCENARIOS / "peer_compound.toml").read_text()
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.toml").write_text(text)
    a, b = str(tmp_path / "a" / "x.toml"), str(tmp_path / "b" / "x.toml")
    out = tmp_path / "out"
    for command in ("run", "report"):
        assert main([command, a, b, "--years", "2000", "--out", str(out), "--force"]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert f"{a} and {b} would both write" in captured.err
    assert not out.exists() or not any(out.iterdir())


def test_csv_and_json_record_the_run(tmp_path, capsys):
    import hashlib
    import importlib.metadata
    import json

    import pandas as pd

    import sim

    scenario = SCENARIOS / "peer_compound.toml"
    assert main(["run", str(scenario), "--years", "3000", "--seed", "4", "--json",
                 "--out", str(tmp_path)]) == 0
    sha256 = hashlib.sha256(scenario.read_bytes()).hexdigest()
    try:
        version = importlib.metadata.version("breach-sim")
    except importlib.metadata.PackageNotFoundError:
        version = sim.__version__
    doc = json.loads(capsys.readouterr().out)
    assert (doc["source"], doc["scenario_sha256"], doc["seed"], doc["n_years"], doc["version"]) == (
        str(scenario), sha256, 4, 3000, version)
    csv = tmp_path / "peer_compound_summary.csv"
    from sim.engine.persist import scenario_content_sha256

    content = scenario_content_sha256(sim.load_scenario(scenario))
    assert _csv_meta(csv) == {"scenario": sim.load_scenario(scenario).name,
                              "scenario_path": str(scenario), "scenario_sha256": sha256,
                              "scenario_content_sha256": content, "seed": "4", "n_years": "3000",
                              "view": "annual", "unit": "year", "version": version}
    assert doc["scenario_content_sha256"] == content
    frame = pd.read_csv(csv, comment="#", index_col=[0, 1])  # the documented way to read it
    expected = pd.DataFrame(doc["summary"]).set_index(["policy", "measure"])
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)


def test_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch, capsys):
    from pathlib import Path

    csv = tmp_path / "peer_compound_summary.csv"
    csv.write_text("an earlier result")
    real_write_text = Path.write_text

    def write_half_then_interrupt(self, data, *args, **kwargs):
        real_write_text(self, data[:len(data) // 2], *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", write_half_then_interrupt)
    assert main(["run", PEER, "--years", "2000", "--out", str(tmp_path), "--force"]) == 130
    monkeypatch.undo()
    assert capsys.readouterr().err == "sim: interrupted\n"
    assert csv.read_text() == "an earlier result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["peer_compound_summary.csv"]


def test_report_records_the_run_and_is_kept_unless_forced(tmp_path, capsys):
    import hashlib
    import re

    args = ["report", PEER, "--years", "2000", "--seed", "3", "--no-sensitivity",
            "--out", str(tmp_path)]
    assert main(args) == 0
    html_path = tmp_path / "peer_compound.html"
    meta = dict(re.findall(r'<meta name="breach-sim:(\w+)" content="([^"]*)">',
                           html_path.read_text(encoding="utf-8")))
    assert meta["scenario_path"] == PEER and (meta["seed"], meta["n_years"]) == ("3", "2000")
    assert meta["scenario_sha256"] == hashlib.sha256((SCENARIOS / "peer_compound.toml")
                                                     .read_bytes()).hexdigest()
    assert set(meta) == {"scenario", "scenario_path", "scenario_sha256", "seed", "n_years",
                         "version"}
    html_path.write_text("an earlier report")
    capsys.readouterr()
    assert main(args) == 2
    assert "use --force to replace it" in capsys.readouterr().err
    assert html_path.read_text() == "an earlier report"
    assert main([*args, "--force"]) == 0 and "breach-sim:seed" in html_path.read_text()


# --- Ctrl-C and closed pipes end quietly -------------------------------------------------------

def _start(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sim", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def test_ctrl_c_stops_a_long_run_within_seconds():
    import signal
    import time

    start = time.perf_counter()
    warm = _start("run", PEER, "--years", "1000")  # loads the kernels' cache, times start-up
    assert warm.wait(timeout=300) == 0
    startup = time.perf_counter() - start
    proc = _start("run", PEER, "--years", "200000000", "--threads", "2")  # minutes of work
    time.sleep(max(2 * startup, startup + 1.5))  # well into the simulation
    assert proc.poll() is None
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert time.perf_counter() - sent < 3
    assert (proc.returncode, out, err) == (130, "", "sim: interrupted\n")


def test_closed_pipe_ends_quietly():
    proc = _start("run", PEER, "--years", "2000", "--json")
    proc.stdout.close()  # the reader went away before the first line (``| head -0``)
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 141
    assert err == ""


def test_run_writes_the_event_table_with_its_run_and_keeps_it_unless_forced(tmp_path, capsys):
    import importlib.util

    import numpy as np
    import pandas as pd

    import sim

    scenario, path = SCENARIOS / "aig_brochure_100k.toml", tmp_path / "events" / "aig.csv"
    assert main(["run", str(scenario), "--years", "2000", "--seed", "4", "--events", str(path)]) == 0
    assert _csv_meta(path)["seed"] == "4" and _csv_meta(path)["n_years"] == "2000"
    from sim.engine.persist import scenario_content_sha256

    assert _csv_meta(path)["scenario_content_sha256"] == scenario_content_sha256(
        sim.load_scenario(scenario))
    assert len(_csv_meta(path)["scenario_sha256"]) == 64 and _csv_meta(path)["version"]
    table = pd.read_csv(path, comment="#")
    res = sim.simulate(sim.load_scenario(scenario), n_years=2000, seed=4, keep_years=True)
    kept = res.to_frame()
    # kind = "one": one event a year, so each row is its year's kept value (rounded to the yen)
    np.testing.assert_array_equal(table["year"], np.arange(2000))
    np.testing.assert_array_equal(np.floor(table["gross"] + 0.5), kept[("*", "gross", "aggregate")])
    for p in res.scenario.policies:
        np.testing.assert_array_equal(np.floor(table[f"paid:{p.name}"] + 0.5),
                                      kept[(p.name, "paid", "aggregate")])
    capsys.readouterr()
    assert main(["run", str(scenario), "--years", "2000", "--events", str(path)]) == 2
    assert "use --force to replace it" in capsys.readouterr().err
    assert main(["run", str(scenario), "--years", "2000", "--events", str(path), "--force"]) == 0
    parquet = tmp_path / "aig.parquet"
    status = main(["run", str(scenario), "--years", "500", "--events", str(parquet)])
    if importlib.util.find_spec("pyarrow") or importlib.util.find_spec("fastparquet"):
        assert status == 0 and len(pd.read_parquet(parquet)) == 500
    else:
        assert status == 2 and "--events: writing .parquet needs pyarrow" in capsys.readouterr().err


def test_events_file_that_cannot_be_written_is_refused_before_simulating(tmp_path, capsys):
    (tmp_path / "folder.csv").mkdir()
    cases = [([BOTH[0]], tmp_path / "ev.txt", "expected a file name ending in .csv or .parquet"),
             (BOTH, tmp_path / "ev.csv", "one file for 2 scenarios"),
             ([BOTH[0]], tmp_path / "folder.csv", "is a folder")]
    for scenarios, path, message in cases:
        assert main(["run", *scenarios, "--years", "1000", "--events", str(path)]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.startswith("sim: error: --events: ")
        assert message in captured.err
