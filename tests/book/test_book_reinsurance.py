"""Reinsurance on the book, checked year by year on the kept years, and the ORD-style tables."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim._errors import InputError
from sim.book import Catalogue, Reinsurance, ept, melt, simulate_book, write_ord
from sim.book.block import SLOTS

from test_book_run import small_book

G, C, N = SLOTS.index("gross"), SLOTS.index("ceded"), SLOTS.index("net")
OKU = 1e8


def run(treaty=None, **kw):
    cat = Catalogue.default().only("cloud_outage", rate=0.05)
    return simulate_book(small_book(), 50_000, seed=4, threads=2, catalogue=cat, keep_years=True,
                         reinsurance=treaty, **kw)


@pytest.fixture(scope="module")
def gross_run():
    return run()


def test_a_half_quota_share_halves_every_gross_figure(gross_run):
    qs = run(Reinsurance(quota_share=0.5))
    assert np.array_equal(qs.years[:, G], gross_run.years[:, G])           # same draws
    assert np.array_equal(qs.years[:, N], 0.5 * qs.years[:, G])            # exactly, year by year
    assert np.array_equal(qs.years[:, C], 0.5 * qs.years[:, G])
    s = qs.summary()
    for col in ("mean", "VaR 0.99", "TVaR 0.99", "VaR 0.995", "TVaR 0.995"):
        # tallies hold whole yen: each year's half is rounded once
        assert s.loc["net", col] == pytest.approx(0.5 * s.loc["gross", col], abs=1.0)
    net, gross = ept(qs, "ri"), ept(qs, "il")
    aep = gross[gross["EPType"] == 3].set_index("ReturnPeriod")["Loss"]
    assert np.allclose(net[net["EPType"] == 3].set_index("ReturnPeriod")["Loss"], 0.5 * aep, atol=1.0)


def test_a_stop_loss_caps_the_net_year_at_attachment_plus_what_lies_above_its_cover(gross_run):
    """The layer is placed on the gross run's own kept years (its 90% and 99.9% points), so
    that years below, inside and above the layer all occur whatever the book's level."""
    years = gross_run.years[:, G]
    attachment, reinstatements = float(np.quantile(years, 0.9)), 1
    limit = (float(np.quantile(years, 0.999)) - attachment) / (1 + reinstatements)
    sl = run(Reinsurance(stop_loss_attachment=attachment, stop_loss_limit=limit,
                         stop_loss_reinstatements=reinstatements))
    gross = sl.years[:, G]
    cover = limit * (1 + reinstatements)
    expected_net = np.minimum(gross, attachment) + np.maximum(gross - attachment - cover, 0.0)
    assert np.allclose(sl.years[:, N], expected_net, rtol=0, atol=1e-6)
    assert (sl.years[:, N] <= attachment + np.maximum(gross - attachment - cover, 0) + 1e-6).all()
    assert np.allclose(sl.years[:, C] + sl.years[:, N], gross, rtol=0, atol=1e-6)
    assert (gross > attachment + cover).any() and (gross > attachment).any()   # both sides tested


def test_per_risk_xl_cedes_at_most_its_yearly_cover(gross_run):
    xl = run(Reinsurance(xl_retention=0.1 * OKU, xl_limit=0.5 * OKU, xl_reinstatements=2))
    ceded = xl.years[:, C]
    assert (ceded <= 1.5 * OKU + 1e-6).all() and ceded.max() > 0
    assert (ceded <= xl.years[:, G]).all()
    none = run(Reinsurance(xl_retention=1e15, xl_limit=1e8))
    assert not none.years[:, C].any()


@pytest.mark.parametrize("kwargs, field", [(dict(quota_share=1.5), "quota_share"),
                                           (dict(stop_loss_limit=-1.0), "stop_loss_limit"),
                                           (dict(xl_reinstatements=0.5), "xl_reinstatements")])
def test_bad_treaties_are_refused(kwargs, field):
    with pytest.raises(InputError, match=f"^{field}"):
        Reinsurance(**kwargs)


def test_ord_tables_have_the_oasis_columns_and_return_periods(gross_run, tmp_path):
    table = ept(gross_run, "il", return_periods=[30, 75])
    assert list(table.columns) == ["SummaryId", "EPCalc", "EPType", "ReturnPeriod", "Loss"]
    assert set(table["EPType"]) == {1, 2, 3, 4}
    assert {2, 10, 30, 75, 100, 10000} <= set(table["ReturnPeriod"])
    aep = table[table["EPType"] == 3].set_index("ReturnPeriod")["Loss"]
    years = np.sort(gross_run.years[:, G])
    n = len(years)
    for t in (10, 100, 1000):   # VaR at 1 - 1/T: the ceil(n (1 - 1/T))-th smallest year
        exact = years[int(np.ceil(n * (1 - 1 / t))) - 1]
        # exact (whole yen) within the 4,096 kept top years, else within the histogram's 0.1% bins
        tolerance = dict(abs=1.0) if n / t <= 4096 else dict(rel=1e-3)
        assert aep[t] == pytest.approx(exact, **tolerance)
    assert (aep.sort_index().diff().dropna() >= 0).all()
    m = melt(gross_run)
    assert list(m.columns[:8]) == ["EventId", "SummaryId", "SampleType", "EventRate", "ChanceOfLoss",
                                   "MeanLoss", "SDLoss", "MaxLoss"]
    assert m["EventId"].tolist() == [0, 3]
    paths = write_ord(gross_run, tmp_path)
    names = {p.name for p in paths}
    assert {"il_S1_ept.csv", "gul_S1_ept.csv", "ri_S1_ept.csv", "il_S1_melt.csv", "il_S1_alt.csv",
            "il_S1_plt.csv"} <= names
    plt = pd.read_csv(tmp_path / "il_S1_plt.csv")
    assert plt["Loss"].sum() == pytest.approx(gross_run.years[:, G].sum(), rel=1e-12)


def test_event_tables_add_up_to_the_kept_years():
    from sim.book import selt
    from sim.book.ord import plt as period_table

    res = run(keep_events=True)
    events = selt(res)
    assert list(events.columns) == ["EventId", "SummaryId", "SampleId", "Loss", "ImpactedExposure"]
    assert set(events["EventId"]) <= {0, 3} and (events["Loss"] > 0).all()
    by_year = events.groupby("SampleId")["Loss"].sum()
    kept = res.years[:, G]
    assert np.allclose(by_year.to_numpy(), kept[by_year.index - 1], rtol=1e-12)
    assert by_year.sum() == pytest.approx(kept.sum(), rel=1e-12)
    # the largest occurrence of each year is the year's OEP value
    largest = events.groupby("SampleId")["Loss"].max()
    assert np.allclose(largest.to_numpy(), res.years[largest.index - 1, SLOTS.index("gross_occurrence")], rtol=1e-12)
    table = period_table(res)
    assert list(table.columns[:3]) == ["Period", "PeriodWeight", "EventId"] and len(table) == len(events)
