"""The book simulation against independent computations: the sum of members' expected losses and
variances, dependence and common-cause events raising the tail, capital adding up, threads."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim._errors import InputError
from sim.book import Book, Catalogue, simulate_book, what_if
from sim.book.block import SLOTS
from sim.calibration import calibrated_model
from sim.calibration.frequency import calibrated_frequency
from sim.policy.engine import run_terms
from sim.products import jcci

# (industry, data, records_held, plan, set) of three templates, 10 members each
CELLS = [("manufacturing", "basic_contact", 2000, "standard", "C"),
         ("wholesale_retail", "basic_contact", 1000, "premium", "D"),
         ("medical_welfare", "basic_contact;health", 5000, "standard", "A")]
RATES = np.linspace(0.01, 0.05, 10)
GROSS = SLOTS.index("gross")


def small_book(rates=RATES, cells=CELLS) -> Book:
    rows = [dict(member_id=f"{c}-{i}", industry=ind, revenue=3e8, records_held=rec, data=data, product="jcci",
                 plan=plan, coverage_set=cset, premium=100_000, rate=float(r))
            for c, (ind, data, rec, plan, cset) in enumerate(cells) for i, r in enumerate(rates)]
    return Book.from_frame(pd.DataFrame(rows))


def per_event_paid(cell, n=40_000, seed=11) -> np.ndarray:
    """What one event of a cell's member costs its policy, from the calibrated model sampled on
    its own and the product's terms (one event a period), independently of sim.book."""
    industry, data, records, plan, cset = cell
    rates = calibrated_frequency(industry, revenue=1e9, records_held=records).rates
    total = sum(rates.values())
    mix = {k: r / total for k, r in rates.items() if r > 0}
    model = calibrated_model(data.split(";"), "courts", records_held=records, incident_mix=mix)
    events = model.sample(n, seed)
    paid, _ = run_terms(jcci(plan, cset).compiled.arrays, events, np.arange(n + 1))
    return paid.sum(axis=1)


@pytest.fixture(scope="module")
def independent_run():
    return simulate_book(small_book(), 200_000, seed=5, threads=2, keep_years=True)


def test_expected_loss_and_variance_are_the_sums_over_members(independent_run):
    res = independent_run
    n_events = 40_000
    el = var = el_se2 = var_se2 = fourth = 0.0
    for cell in CELLS:
        x = per_event_paid(cell, n_events)
        lam = RATES.sum()
        el += lam * x.mean()
        var += lam * (x ** 2).mean()            # compound Poisson: Var = rate x E[X^2]
        fourth += lam * (x ** 4).mean()
        el_se2 += lam ** 2 * x.var() / n_events
        var_se2 += lam ** 2 * (x ** 2).var() / n_events
    mean, std = res.moments()
    n = res.n_years
    sem = std[GROSS] / math.sqrt(n)
    assert abs(mean[GROSS] - el) < 4 * math.sqrt(sem ** 2 + el_se2)
    # the sample variance's error: sqrt((mu4 - sigma^4) / n), mu4 = rate E[X^4] + 3 sigma^4
    assert abs(std[GROSS] ** 2 - var) < 4 * math.sqrt((fourth + 2 * var ** 2) / n + var_se2)
    # the members' own figures add up to the book's
    assert res.members()["expected_loss"].sum() == pytest.approx(mean[GROSS], rel=1e-9)
    assert res.tiers()["expected_loss"].sum() == pytest.approx(mean[GROSS], rel=1e-9)


def test_capital_by_tier_adds_up_to_the_book_tvar_of_the_kept_years(independent_run):
    res = independent_run
    years = np.sort(res.years[:, GROSS])[::-1]
    m = res.n_years * (1 - 0.99)
    tvar = years[:int(m)].sum() / m                      # m is whole here (2,000 years)
    tiers = res.tiers(0.99)
    assert tiers["co_tvar 0.99"].sum() == pytest.approx(tvar, rel=1e-9)
    assert res.book_tvar(0.99) == pytest.approx(tvar, rel=1e-9)
    assert res.summary().loc["gross", "TVaR 0.99"] == pytest.approx(tvar, abs=1.0)   # whole-yen tallies


def test_comonotone_and_frailty_raise_the_tail_not_the_mean(independent_run):
    base = independent_run.summary()
    como = simulate_book(small_book(), 200_000, seed=5, threads=2, dependence="comonotone").summary()
    frail = simulate_book(small_book(), 200_000, seed=5, threads=2, dependence="default",
                          frailty_variance=1.0).summary()
    for other in (como, frail):
        se = math.hypot(base.loc["gross", "sem"], other.loc["gross", "sem"])
        assert abs(other.loc["gross", "mean"] - base.loc["gross", "mean"]) < 4 * se
        assert other.loc["gross", "TVaR 0.995_lo"] > base.loc["gross", "TVaR 0.995_hi"]


def test_a_common_cause_event_raises_the_tail_and_is_counted_as_accumulation(independent_run):
    cat = Catalogue.default().only("cloud_outage", rate=0.05)
    res = simulate_book(small_book(), 200_000, seed=5, threads=2, catalogue=cat)
    s, base = res.summary(), independent_run.summary()
    assert s.loc["gross", "TVaR 0.995_lo"] > base.loc["gross", "TVaR 0.995_hi"]
    assert 0 < res.accumulation_share(0.995) <= 1
    # the members' own events are drawn as before: the book minus accumulation is the old book
    assert s.loc["gross", "mean"] - s.loc["accumulation", "mean"] == pytest.approx(base.loc["gross", "mean"], rel=1e-9)


def test_one_and_two_threads_give_the_same_result():
    cat = Catalogue.default().only(["payroll_saas", "cloud_outage"], rate=0.2)
    runs = [simulate_book(small_book(), 30_000, seed=9, threads=t, catalogue=cat, dependence="default")
            for t in (1, 2)]
    pd.testing.assert_frame_equal(runs[0].summary(), runs[1].summary(), check_exact=True)
    pd.testing.assert_frame_equal(runs[0].tiers(), runs[1].tiers(), check_exact=True)
    assert np.array_equal(runs[0].member_sum, runs[1].member_sum)


def test_dask_gives_the_same_result_as_threads():
    distributed = pytest.importorskip("dask.distributed")
    cat = Catalogue.default().only("payroll_saas", rate=0.2)
    local = simulate_book(small_book(), 20_000, seed=9, threads=2, catalogue=cat)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as client:
        remote = simulate_book(small_book(), 20_000, seed=9, catalogue=cat, client=client)
    pd.testing.assert_frame_equal(local.summary(), remote.summary(), check_exact=True)


def test_a_templates_draws_do_not_depend_on_other_templates():
    one = simulate_book(small_book(cells=CELLS[:1]), 20_000, seed=2, threads=1)
    three = simulate_book(small_book(), 20_000, seed=2, threads=1)
    assert np.array_equal(one.member_sum, three.member_sum[:len(RATES)])


def test_what_if_hits_every_member_of_a_full_footprint_once_per_draw():
    cat = Catalogue.from_frame(pd.DataFrame([dict(event_id=9, name="all_payroll", incident="vendor_leak",
                                                  rate=0.0, group="all", share=1.0)]))
    res = what_if(small_book(), "all_payroll", n_draws=500, seed=1, catalogue=cat)
    assert res.n_events == 500 * 30
    s = res.summary(levels=(0.9,))
    assert s.loc["gross", "mean"] == s.loc["accumulation", "mean"] > 0


def test_a_run_past_the_memory_budget_is_refused_before_it_starts():
    with pytest.raises(InputError, match="the run needs about"):
        simulate_book(small_book(), 10_000, seed=1, max_memory=1e6)


@pytest.mark.parametrize("kwargs, field", [(dict(dependence="strong"), "dependence"),
                                           (dict(dependence="default", frailty_variance=-1.0), "frailty_variance"),
                                           (dict(capital_level=1.5), "capital_level"),
                                           (dict(threads=0), "threads")])
def test_bad_settings_are_refused(kwargs, field):
    with pytest.raises(InputError, match=f"^{field}"):
        simulate_book(small_book(), 100, seed=1, **kwargs)


def test_each_member_has_its_own_yearly_aggregate():
    # JCCI set A: liability 1,000万 and costs 100万, per claim and per period (the brochure)
    cap = 1e7 + 1e6
    cell = [("information_communications", "basic_contact;credit_card", 100_000, "standard", "A")]
    one = simulate_book(small_book(rates=[20.0], cells=cell), 3_000, seed=3, threads=1, keep_years=True)
    two = simulate_book(small_book(rates=[20.0, 20.0], cells=cell), 3_000, seed=3, threads=1, keep_years=True)
    assert one.years[:, GROSS].max() <= cap + 1e-6
    assert np.isclose(one.years[:, GROSS], cap).any()               # the aggregate binds
    assert two.years[:, GROSS].max() <= 2 * cap + 1e-6
    assert two.years[:, GROSS].max() > cap + 1.0                     # two members, two aggregates
