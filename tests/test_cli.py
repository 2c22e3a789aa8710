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
