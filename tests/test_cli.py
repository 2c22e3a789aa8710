import subprocess
import sys

from sim.cli import main

from conftest import ROOT, SCENARIOS

BOTH = [str(SCENARIOS / "jcci_brochure_100k.toml"), str(SCENARIOS / "aig_brochure_100k.toml")]


def test_explain_prints_both_examples_section_by_section(capsys):
    assert main(["explain", *BOTH]) == 0
    out = capsys.readouterr().out
    assert "Reference: 1億7,370万円" in out and "Reference: 1億5,400万円" in out
    assert out.count(": reproduced") == 2
    assert "## JCCI premium D" in out and "## AIG 3億 +exec" in out
    assert "costs 費用損害      1億1,170万円" in out          # Standard covers 1億1,170万 of costs
    assert "paid 1億4,900万円 | retained 500万円" in out      # AIG 3億 with execution rider
    assert "not covered: system_recovery 300万円" in out


def test_explain_plain_digits(capsys):
    assert main(["explain", "--plain", BOTH[1]]) == 0
    out = capsys.readouterr().out
    assert "paid 149,000,000 | retained 5,000,000 | gross 154,000,000" in out
    assert "円" not in out.split("## AIG 5,000万")[1].split("\n", 2)[2]


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
    assert "## Comparison" in result.stdout


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
    csv = (tmp_path / "jcci_brochure_100k_summary.csv").read_text()
    assert csv.splitlines()[0].startswith("policy,measure,mean,std,sem,p_nonzero,var_90")


def test_run_refuses_a_scenario_without_model(tmp_path, capsys):
    only_event = tmp_path / "event.toml"
    only_event.write_text('name = "x"\n[event]\nlosses = {damages = 1}\n[[policies]]\nproduct = "basic"\n')
    assert main(["run", str(only_event)]) == 2
    assert "has no [model] and [frequency]" in capsys.readouterr().err


def test_explain_refuses_a_scenario_without_event(capsys):
    assert main(["explain", str(SCENARIOS / "peer_compound.toml")]) == 2
    assert "event: missing; sim explain needs an [event]" in capsys.readouterr().err
