"""Tables for people: yen in 万円/億円 (sim.yen_style, sim.yen_frame), never 4.545455e+07, and
res.to_excel in 万円 with the run's metadata (openpyxl: the optional excel extra)."""
import sys

import pandas as pd
import pytest

import sim
from sim._errors import InputError

from conftest import SCENARIOS

PEER = SCENARIOS / "peer_compound.toml"


@pytest.fixture(scope="module")
def res():
    return sim.simulate(PEER, 5_000, seed=2)


def test_yen_frame_writes_man_and_oku_and_percentages():
    frame = pd.DataFrame({"mean": [45_454_545.45, 1.234e9], "p_nonzero": [0.0123, 1.0],
                          "within_noise": [True, False]}, index=["a", "b"])
    text = sim.yen_frame(frame)
    assert text["mean"].tolist() == ["4,545万円", "12億3,400万円"]
    assert text["p_nonzero"].tolist() == ["1.23%", "100.00%"]
    assert text["within_noise"].tolist() == [True, False]
    assert sim.yen_frame(frame, style="plain", round_to=1)["mean"].tolist() == ["45,454,545",
                                                                                 "1,234,000,000"]
    assert frame["mean"].iloc[0] == 45_454_545.45  # the frame given is unchanged


def test_summary_styled_in_a_notebook_shows_no_exponent(res):
    summary = res.summary(ci=0.95)
    html = summary.pipe(sim.yen_style).to_html()
    assert "e+0" not in html and "万円" in html
    mean = res.statistic("basic XL", "paid", "mean")
    assert sim.format_yen(mean, round_to=10_000) in html
    assert "e+0" not in sim.yen_frame(res.ep_curve()).to_string()


@pytest.mark.parametrize("kwargs, field", [({"style": "en"}, "style"), ({"round_to": 0}, "round_to"),
                                           ({"columns": ["nope"]}, "columns")])
def test_bad_options_name_the_field(kwargs, field):
    with pytest.raises(InputError, match=f"^{field}: "):
        sim.yen_frame(pd.DataFrame({"mean": [1.0]}), **kwargs)


def test_to_excel_without_openpyxl_names_the_extra(res, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed
    with pytest.raises(ImportError, match=r"breach-sim\[excel\]"):
        res.to_excel(tmp_path / "r.xlsx")
    with pytest.raises(InputError, match="^path: "):
        res.to_excel(tmp_path / "r.csv")
    assert list(tmp_path.iterdir()) == []


def test_to_excel_writes_man_yen_and_the_metadata(res, tmp_path):
    pytest.importorskip("openpyxl")
    path = res.to_excel(tmp_path / "r.xlsx")
    summary = pd.read_excel(path, sheet_name="summary", index_col=[0, 1])
    mean = res.statistic("basic XL", "paid", "mean")
    assert summary.loc[("basic XL", "paid"), "mean (万円)"] == pytest.approx(mean / 1e4)
    meta = pd.read_excel(path, sheet_name="metadata", index_col=0)["value"].astype(str).to_dict()
    for key in ("seed", "n_years", "scenario_content_sha256", "version", "view"):
        assert meta[key] == str(res.metadata()[key])
