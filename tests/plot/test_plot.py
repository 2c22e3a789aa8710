"""sim.plot: every chart draws on a given Axes or a new one, writes yen as asked, and renders
Japanese text with a font that has the glyphs."""
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS
from matplotlib import font_manager

import sim
from sim import plot
from sim._errors import InputError
from sim.components import COMPONENT_INFO

N_YEARS = 20_000


@pytest.fixture(scope="module")
def aig():
    return sim.simulate(sim.load_scenario(SCENARIOS / "aig_brochure_100k.toml"), n_years=N_YEARS,
                        seed=1)


@pytest.fixture(scope="module")
def peer():
    return sim.simulate(sim.load_scenario(SCENARIOS / "peer_compound.toml"), n_years=N_YEARS,
                        seed=1)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def coverage_frame(res, premiums=None):
    s = res.summary()
    names = [p.name for p in res.scenario.policies]
    frame = pd.DataFrame({
        "expected_paid": [s.loc[(p, "paid"), "mean"] for p in names],
        "expected_retained": [s.loc[(p, "retained"), "mean"] for p in names],
        "retained_var_99": [s.loc[(p, "retained"), "var_99"] for p in names],
        "retained_tvar_99": [s.loc[(p, "retained"), "tvar_99"] for p in names]}, index=names)
    if premiums is not None:
        frame["premium"] = premiums
    return frame


TORNADO = pd.DataFrame({"base": 1.6e8, "low": [1.3e8, 1.5e8, 1.58e8],
                        "high": [2.0e8, 1.72e8, 1.61e8], "low_value": [0.05, 7_000, 1.0],
                        "high_value": [0.15, 14_000, 1.3]},
                       index=["請求者率", "1人あたり賠償額", "弁護士費用係数"])
COMPONENTS = pd.DataFrame({"damages": [1e8, 5e7], "litigation": [1.4e7, None],
                           "letters": [1e7, 1e7]}, index=["大企業", "中小"])

# name -> draw(aig, peer, **kwargs): one entry per public chart function
CHARTS = {
    "ep_curves": lambda aig, peer, **kw: plot.ep_curves(aig, **kw),
    "ep_curves_oep": lambda aig, peer, **kw: plot.ep_curves(peer, measures=("gross", "paid",
                                                            "retained"), kind="oep", **kw),
    "loss_distribution": lambda aig, peer, **kw: plot.loss_distribution(
        aig, "AIG 1億", reference=aig.scenario.reference, **kw),
    "loss_distribution_zero_years": lambda aig, peer, **kw: plot.loss_distribution(
        peer, "basic XL", "retained", **kw),
    "expected_breakdown": lambda aig, peer, **kw: plot.expected_breakdown(COMPONENTS, **kw),
    "section_breakdown": lambda aig, peer, **kw: plot.section_breakdown(aig, **kw),
    "coverage_scatter": lambda aig, peer, **kw: plot.coverage_comparison(
        coverage_frame(aig, [4e5, 5e5, 7e5, 8.5e5, 1.2e6, 1.5e6]), **kw),
    "coverage_bars": lambda aig, peer, **kw: plot.coverage_comparison(coverage_frame(aig), **kw),
    "tornado": lambda aig, peer, **kw: plot.tornado(TORNADO, **kw),
}
# the axis that carries amounts
AMOUNT_AXIS = {"ep_curves": "y", "ep_curves_oep": "y", "coverage_scatter": "y"}


def tick_labels(ax, axis):
    ax.figure.canvas.draw()
    get = ax.get_yticklabels if axis == "y" else ax.get_xticklabels
    return [t.get_text() for t in get(minor=False) + get(minor=True) if t.get_text()]


@pytest.mark.parametrize("name", CHARTS)
def test_draws_on_the_given_axes(name, aig, peer):
    fig, ax = plt.subplots()
    out = CHARTS[name](aig, peer, ax=ax)
    assert out is ax
    assert ax.lines or ax.patches or ax.collections
    assert ax.figure is fig


@pytest.mark.parametrize("name", CHARTS)
def test_draws_a_new_figure_without_axes(name, aig, peer):
    before = set(plt.get_fignums())
    ax = CHARTS[name](aig, peer)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert ax.figure.number not in before
    assert ax.lines or ax.patches or ax.collections


@pytest.mark.parametrize("name", CHARTS)
def test_yen_ticks(name, aig, peer):
    axis = AMOUNT_AXIS.get(name, "x")
    ja = tick_labels(CHARTS[name](aig, peer, yen="ja"), axis)
    assert any(re.search("[万億]", t) for t in ja), ja
    plain = tick_labels(CHARTS[name](aig, peer, yen="plain"), axis)
    assert plain and all(re.fullmatch(r"[−-]?\d{1,3}(,\d{3})*", t) for t in plain), plain
    assert any(len(t) >= 7 for t in plain), plain  # at least a million, written out


@pytest.mark.parametrize("name", CHARTS)
def test_bad_yen_names_the_argument(name, aig, peer):
    with pytest.raises(InputError, match=r"^yen: 'x' is not allowed; allowed values: 'ja', 'plain'"):
        CHARTS[name](aig, peer, yen="x")


def test_ep_curves_draw_gross_once(aig):
    ax = plot.ep_curves(aig, measures=("gross", "retained"))
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels.count("損害総額") == 1
    assert len(labels) == 1 + len(aig.scenario.policies)
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "再現期間 (年)"
    gross = aig.ep_curve("aep", "AIG 1億", "gross")["AIG 1億"]
    assert list(ax.get_lines()[0].get_ydata()) == list(gross[gross.index <= N_YEARS / 10])


def test_ep_curves_stop_where_the_simulation_supports_them_and_show_intervals(aig):
    """Beyond n_years / 10 fewer than ten simulated years exceed the loss: no point drawn
    there; each line has a band whose edges are the order-statistic bounds."""
    ax = plot.ep_curves(aig, policies="AIG 1億", measures="retained")
    periods = ax.get_lines()[0].get_xdata()
    assert max(periods) <= N_YEARS / 10 and max(periods) >= N_YEARS / 100
    band = ax.collections[0].get_paths()[0].vertices
    lo, hi = aig.quantile_interval("AIG 1億", "retained", 1 - 1 / max(periods), 0.95)
    ys = band[np.isclose(band[:, 0], max(periods)), 1]
    assert min(ys) == pytest.approx(lo) and max(ys) == pytest.approx(hi)
    assert not plot.ep_curves(aig, policies="AIG 1億", measures="retained", ci=None).collections


def test_english_charts_have_no_japanese_beyond_product_names(aig):
    ax = plot.ep_curves(aig, policies="AIG 1億", lang="en")
    texts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(),
             *[t.get_text() for t in ax.get_legend().get_texts()], *tick_labels(ax, "y")]
    stripped = [t.replace("AIG 1億", "") for t in texts]
    assert not any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t) for t in stripped), stripped
    assert ax.get_xlabel() == "Return period (years)"
    with pytest.raises(InputError, match="^lang:"):
        plot.ep_curves(aig, lang="de")


def test_ep_curves_check_their_arguments(aig):
    with pytest.raises(InputError, match="^kind:"):
        plot.ep_curves(aig, kind="pml")
    with pytest.raises(InputError, match="^policies: unknown name 'nope'"):
        plot.ep_curves(aig, policies=["nope"])
    with pytest.raises(InputError, match="^measures: unknown name 'net'"):
        plot.ep_curves(aig, measures=("net",))
    ax = plot.ep_curves(aig, policies="AIG 3億", measures="paid")
    assert [line.get_label() for line in ax.get_lines()] == ["AIG 3億: 保険金支払額"]
    ax = plot.ep_curves(aig, policies=["AIG 1億", "AIG 1億 +exec"], measures=["paid:execution"])
    assert [line.get_label() for line in ax.get_lines()] == ["AIG 1億 +exec: 支払: 危機管理実行費用"]
    with pytest.raises(InputError, match="^measures: unknown name 'paid:execution'"):
        plot.ep_curves(aig, measures=["paid:execution"], kind="oep")  # sections: per year only


def test_reference_line_names_its_percentile(aig):
    ax = plot.loss_distribution(aig, "AIG 1億", reference=aig.scenario.reference)
    share = aig.cdf("AIG 1億", "gross", 154_000_000)
    label = ax.get_legend().get_texts()[0].get_text()
    assert label == f"パンフレット例 1億5,400万円 ({share:.1%}点)"
    ax = plot.loss_distribution(aig, "AIG 1億", reference=154_000_000, yen="plain",
                                reference_label="brochure")
    assert ax.get_legend().get_texts()[0].get_text() == f"brochure 154,000,000円 ({share:.1%}点)"


def test_loss_distribution_bars_are_cdf_differences(aig, peer):
    ax = plot.loss_distribution(aig, "AIG 1億", "retained", bins=10)
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 10 and 0.99 < sum(heights) <= 1.0  # 0.1% to 99.9% quantiles
    ax = plot.loss_distribution(peer, "basic XL", "retained")
    zero = peer.cdf("basic XL", "retained", 0.0)
    assert zero > 0.5 and f"0円の年: {zero:.1%}" in [t.get_text() for t in ax.texts]
    # given a loss: the bars are shares of the years with a loss, not of all years
    heights = [p.get_height() for p in ax.patches]
    assert 0.99 < sum(heights) <= 1.0
    assert not any(line.get_ydata().size for line in ax.get_lines())  # no flat CDF line


def test_loss_distribution_checks_its_arguments(aig):
    with pytest.raises(InputError, match="^policy:"):
        plot.loss_distribution(aig, "AIG 2億")
    with pytest.raises(InputError, match="^measure:"):
        plot.loss_distribution(aig, "AIG 1億", "paid:execution")  # no execution rider
    with pytest.raises(InputError, match="^bins:"):
        plot.loss_distribution(aig, "AIG 1億", bins=1)
    with pytest.raises(InputError, match="^reference:"):
        plot.loss_distribution(aig, "AIG 1億", reference=-1.0)


def test_expected_breakdown_labels_and_totals():
    ax = plot.expected_breakdown(COMPONENTS, title="部品別")
    labels = ax.get_legend_handles_labels()[1]
    assert labels == [COMPONENT_INFO[c].label_ja for c in COMPONENTS.columns]
    assert [t.get_text() for t in ax.texts] == [" 1億2,400万円", " 6,000万円"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["大企業", "中小"]
    with pytest.raises(InputError, match="^values:"):
        plot.expected_breakdown(-COMPONENTS)
    with pytest.raises(InputError, match="^values:"):
        plot.expected_breakdown(pd.DataFrame())


def test_section_breakdown_adds_up_to_gross(aig):
    ax = plot.section_breakdown(aig)
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["支払: 個人情報漏洩(賠償)", "支払: 危機管理コンサルティング費用",
                      "支払: 危機管理実行費用", "保有 (自己負担)"]
    gross = aig.summary().loc[("AIG 1億", "gross"), "mean"]
    widths = [p.get_width() for p in ax.patches]
    n = len(aig.scenario.policies)
    row = [p.name for p in aig.scenario.policies].index("AIG 1億")
    assert sum(widths[row::n]) == pytest.approx(gross, rel=1e-9)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_per_breach_results_are_labelled_per_event_not_per_year(lang):
    """A sim.simulate_events result: its trials are breaches, not policy years."""
    scn = sim.load_scenario(SCENARIOS / "jcci_manufacturing_10oku_C.toml")
    breach = sim.simulate_events(scn, n_events=2_000, seed=1)
    count, year = ("2,000件", "年") if lang == "ja" else ("2,000 events", "year")
    ax = plot.section_breakdown(breach, lang=lang)
    assert count in ax.get_title() and year not in ax.get_title() + ax.get_xlabel()
    plt.close("all")
    ax = plot.loss_distribution(breach, "JCCI standard C", "retained", lang=lang)
    texts = [ax.get_title(), *[t.get_text() for t in ax.texts]]
    assert count in texts[0] and not any(year in t for t in texts), texts
    plt.close("all")
    annual = sim.simulate(scn, n_years=2_000, seed=1)       # the annual view keeps its years
    assert ("2,000年" if lang == "ja" else "2,000 years") in plot.section_breakdown(annual, lang=lang).get_title()


def test_coverage_comparison_modes(aig):
    frame = coverage_frame(aig, [4e5, 5e5, 7e5, 8.5e5, 1.2e6, 1.5e6])
    ax = plot.coverage_comparison(frame)
    assert [t.get_text() for t in ax.texts] == list(frame.index)
    assert not ax.get_lines()  # points, not joined by a line
    drawn = np.vstack([c.get_offsets() for c in ax.collections])
    assert sorted(drawn[:, 1]) == sorted(frame["retained_tvar_99"])
    assert ax.get_xlabel() == "保険料"
    ax = plot.coverage_comparison(frame, x=None, y="retained_var_99")
    assert len(ax.patches) == 2 * len(frame) and not ax.texts
    ax = plot.coverage_comparison(frame.drop(columns="premium"))
    assert len(ax.patches) == 2 * len(frame)
    with pytest.raises(InputError, match="^x:"):
        plot.coverage_comparison(frame, x="premuim")
    with pytest.raises(InputError, match="^y:"):
        plot.coverage_comparison(frame, y="nope")
    with pytest.raises(InputError, match=r"^frame: missing columns \['retained_tvar_99'\]"):
        plot.coverage_comparison(frame.drop(columns="retained_tvar_99"))


def test_efficient_frontier_by_hand():
    """A (1, 10), B (2, 5), C (3, 6): C costs more than B and keeps more, so only C is beaten;
    D (2, 5) ties B exactly and neither beats the other."""
    frame = pd.DataFrame({"premium": [1, 2, 3, 2], "kept": [10, 5, 6, 5]}, index=list("ABCD"))
    assert plot.efficient_frontier(frame, "premium", "kept").to_dict() == {
        "A": True, "B": True, "C": False, "D": True}


def test_coverage_points_filled_on_the_frontier_with_error_bars():
    frame = pd.DataFrame({"expected_paid": [1e6, 2e6, 3e6], "expected_retained": [5e6] * 3,
                          "retained_var_99": [8e7, 3e7, 5e7], "retained_tvar_99": [9e7] * 3,
                          "premium": [1e5, 2e5, 3e5]}, index=["a", "b", "c"])
    frame["retained_var_99_lo"] = frame["retained_var_99"] * 0.9
    frame["retained_var_99_hi"] = frame["retained_var_99"] * 1.2
    frame["recommended"] = [False, True, False]
    ax = plot.coverage_comparison(frame, y="retained_var_99")
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["効率的 (買う価値あり)", "他のプランに劣る", "推奨"]
    filled, hollow, star = [c.get_offsets() for c in ax.collections if len(c.get_offsets())][-3:]
    assert sorted(filled[:, 0]) == [1e5, 2e5] and list(hollow[:, 0]) == [3e5]
    assert list(star[:, 0]) == [2e5]
    segments = [c for c in ax.collections if hasattr(c, "get_segments")][0].get_segments()
    assert [tuple(s[:, 1]) for s in segments] == [(7.2e7, 9.6e7), (2.7e7, 3.6e7), (4.5e7, 6e7)]


def test_tornado_greys_out_swings_within_noise():
    ax = plot.tornado(TORNADO, noise=3e6)  # only 弁護士費用係数 (1.58e8 .. 1.61e8) is inside
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == ["弁護士費用係数 (誤差内)", "1人あたり賠償額", "請求者率"]
    flagged = plot.tornado(TORNADO.assign(within_noise=[False, True, False]))
    assert [t.get_text() for t in flagged.get_yticklabels()] == [
        "弁護士費用係数", "1人あたり賠償額 (誤差内)", "請求者率"]


def test_tornado_largest_swing_on_top_centred_on_base():
    shuffled = TORNADO.iloc[[2, 0, 1]]
    ax = plot.tornado(shuffled)
    names = [t.get_text() for t in ax.get_yticklabels()]  # bottom to top
    assert names == ["弁護士費用係数", "1人あたり賠償額", "請求者率"]
    assert all(p.get_x() == 1.6e8 for p in ax.patches)
    ends = sorted(p.get_x() + p.get_width() for p in ax.patches)
    assert ends == sorted([*TORNADO["low"], *TORNADO["high"]])
    texts = {t.get_text().strip() for t in ax.texts}
    assert {"0.05", "0.15", "7,000", "14,000", "1", "1.3"} <= texts
    with pytest.raises(InputError, match="^frame.base:"):
        plot.tornado(TORNADO.assign(base=[1.6e8, 1.7e8, 1.6e8]))
    with pytest.raises(InputError, match="^frame: missing columns"):
        plot.tornado(TORNADO.drop(columns="high"))
    assert not plot.tornado(TORNADO.drop(columns=["low_value", "high_value"])).texts


def test_tornado_with_both_ends_on_one_side_keeps_both_visible():
    """A parameter that moves the statistic the same way both times (e.g. a sigma): the shorter
    bar is drawn in front and its values share one label at the far end."""
    frame = pd.DataFrame({"base": 1.0e8, "low": [1.2e8], "high": [1.05e8],
                          "low_value": [2.5], "high_value": [3.8]}, index=["sigma"])
    ax = plot.tornado(frame)
    low, high = sorted(ax.patches, key=lambda p: p.get_facecolor()[2], reverse=True)  # C0 is blue
    assert high.get_zorder() > low.get_zorder()
    assert [(t.get_text().strip(), t.get_position()[0]) for t in ax.texts] == [
        ("下限 2.5 / 上限 3.8", 1.2e8)]
    plt.close("all")


def glyph_warnings(fig):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_japanese_text_renders_with_ipaex(aig):
    ax = plot.ep_curves(aig)
    ax.text(0.5, 0.5, "個人情報漏洩・損害賠償金 −1億", transform=ax.transAxes)
    assert glyph_warnings(ax.figure) == []
    assert "IPAexGothic" in matplotlib.rcParams["font.family"]
    for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
        assert "ipaex" in font_manager.findfont(text.get_fontproperties()).lower()


def test_glyph_check_can_fail():
    """The check above would catch tofu: the same text in DejaVu Sans warns."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("個人情報漏洩")
        assert glyph_warnings(fig)
