"""sim run --per-event: the per-breach view after the annual one, in text, JSON and --out."""
import json

import pandas as pd

import sim
from sim.cli import main

from conftest import SCENARIOS
from test_cli import _csv_meta

PEER = SCENARIOS / "peer_compound.toml"


def test_per_event_prints_both_views(capsys):
    assert main(["run", str(PEER), "--years", "3000", "--seed", "2", "--per-event", "4000"]) == 0
    out = capsys.readouterr().out
    annual, _, per_event = out.partition("per breach (every trial exactly one event)")
    assert "3,000 years" in annual and "4,000 events, seed 2" in per_event
    mean = sim.simulate_events(PEER, 4000, seed=2).statistic("basic XL", "paid", "mean")
    assert sim.format_yen(mean, round_to=10_000) in per_event
    assert "e+0" not in per_event


def test_per_event_json_and_out_record_the_view(tmp_path, capsys):
    assert main(["run", str(PEER), "--years", "2000", "--seed", "5", "--per-event", "--json",
                 "--out", str(tmp_path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["per_event"]["n_events"] == 2000  # N defaults to --years
    expected = sim.simulate_events(PEER, 2000, seed=5).summary()
    got = pd.DataFrame(doc["per_event"]["summary"]).set_index(["policy", "measure"])
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    meta = _csv_meta(tmp_path / "peer_compound_per_event_summary.csv")
    assert (meta["view"], meta["unit"], meta["n_years"], meta["seed"]) == ("per_event", "event",
                                                                          "2000", "5")
    assert meta["scenario_content_sha256"] == doc["scenario_content_sha256"]
    assert _csv_meta(tmp_path / "peer_compound_summary.csv")["view"] == "annual"


def test_a_bad_event_count_is_refused_before_any_run(tmp_path, capsys):
    assert main(["run", str(PEER), "--per-event", "0", "--out", str(tmp_path)]) == 2
    assert "n_events: 0 is not allowed" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
