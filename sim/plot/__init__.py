"""Charts of simulation results: EP curves, loss distributions, expected-loss breakdowns,
coverage comparisons and tornado charts.

Every public function takes ``ax=None`` (a new figure when ``None``) and returns the Axes.
Amounts follow ``yen``: ``"ja"`` writes 万/億 ticks (``1億``, ``5,000万``), ``"plain"`` digits
with separators. Japanese text uses IPAex Gothic from ``matplotlib_fontja``, made the matplotlib
font family on first use.

>>> import sim, sim.plot
>>> scn = sim.load_scenario("scenarios/aig_brochure_100k.toml")
>>> res = sim.simulate(scn, n_years=2_000, seed=1)
>>> sim.plot.ep_curves(res).get_xscale()
'log'
>>> ax = sim.plot.loss_distribution(res, "AIG 1億", reference=scn.reference)
>>> ax.get_legend().get_texts()[0].get_text()
'パンフレット例 1億5,400万円 (50.0%点)'
>>> sim.plot.section_breakdown(res).get_legend_handles_labels()[1][-1]
'保有 (自己負担)'
>>> import matplotlib.pyplot as plt; plt.close("all")
"""
from ._style import (COLUMN_LABELS, COVERAGE_COLUMNS, MEASURE_LABELS, TORNADO_COLUMNS,
                     YenStyle)  # importing _style sets the Japanese font
from .breakdowns import expected_breakdown, section_breakdown
from .decisions import coverage_comparison, efficient_frontier, tornado, within_noise
from .distributions import ep_curves, loss_distribution, supported_periods

__all__ = ["COLUMN_LABELS", "COVERAGE_COLUMNS", "MEASURE_LABELS", "TORNADO_COLUMNS", "YenStyle",
           "coverage_comparison", "efficient_frontier", "ep_curves", "expected_breakdown",
           "loss_distribution", "section_breakdown", "supported_periods", "tornado",
           "within_noise"]
