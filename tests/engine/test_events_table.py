"""``simulate(..., keep_events=True)`` and ``SimulationResult.events()``: one row per simulated
event, checked against what the same run tallied for each year (kept years)."""
from dataclasses import replace
import math
import os

import numpy as np
import pandas as pd
import pytest

import sim
from sim._errors import InputError
from sim.components import CAUSES, INCIDENTS
from sim.engine._memory import BLOCK_YEARS
from sim.engine.blocks import block_generator, compile_run, run_blocks
from sim.engine.results import SimulationResult
from sim.engine.runner import run_output
from sim.losses.sampling import sample_year_counts

from conftest import SCENARIOS

PEER = sim.load_scenario(SCENARIOS / "peer_compound.toml")
RATE = 2.0
N_YEARS = 2 * BLOCK_YEARS + 101  # three blocks, the last one short


def _mixed():
    """Two JCCI policies of two sections each; two events a year on average (aggregates erode
    across a year's events); leaks, attacks without a leak and IT-work incidents (no cause)."""
    scn = sim.load_scenario(SCENARIOS / "jcci_internet_3oku_B.toml")
    model = replace(scn.model, incident_mix={"leak": 0.6, "cyber_no_leak": 0.2, "it_work": 0.2})
    return replace(scn, model=model, frequency=sim.losses.Frequency.poisson(RATE))


MIXED = _mixed()


@pytest.fixture(scope="module")
def run():
    res = sim.simulate(MIXED, n_years=N_YEARS, seed=5, threads=1, keep_years=True, keep_events=True)
    return res, res.events(), res.to_frame()


def _by_year(values: pd.Series, how: str = "sum") -> np.ndarray:
    """One value per year of the run (0 for a year without events)."""
    return values.groupby(values.index).agg(how).reindex(range(N_YEARS), fill_value=0.0).to_numpy()


def test_one_row_per_event_in_year_order(run):
    res, events, _ = run
    years = events["year"].to_numpy()
    assert np.all(np.diff(years) >= 0) and years.min() >= 0 and years.max() < N_YEARS
    # The block kernel's first draws are each year's count, from the block's own generator.
    for b, first in enumerate(range(0, N_YEARS, BLOCK_YEARS)):
        counts = np.empty(min(BLOCK_YEARS, N_YEARS - first), np.int64)
        sample_year_counts(block_generator(5, b), MIXED.frequency.to_array(), counts)
        in_block = years[(years >= first) & (years < first + len(counts))] - first
        np.testing.assert_array_equal(np.bincount(in_block, minlength=len(counts)), counts)
    # Poisson(2) events a year: the total within 4 standard deviations of its mean.
    assert abs(len(events) - RATE * N_YEARS) < 4 * math.sqrt(RATE * N_YEARS)


def test_columns_and_attributes(run):
    _, events, _ = run
    policies = [p.name for p in MIXED.policies]
    assert list(events.columns) == (
        ["year", "incident", "cause", "size", "corporate_victims", "reported", "claimants"]
        + list(MIXED.model.components) + ["gross"]
        + [f"paid:{p}" for p in policies] + [f"retained:{p}" for p in policies])
    assert list(events["incident"].cat.categories) == list(INCIDENTS)
    assert list(events["cause"].cat.categories) == list(CAUSES)
    kind = events["incident"].astype(str)
    # An incident in IT work done for others has no breach cause; an attack without a leak
    # is a cyber attack; only leaks affect people.
    assert events["cause"][kind == "it_work"].isna().all()
    assert not events["cause"][kind != "it_work"].isna().any()
    assert (events["cause"][kind == "cyber_no_leak"] == "cyber_attack").all()
    assert (events["size"][kind != "leak"] == 0).all() and (events["size"][kind == "leak"] >= 1).all()
    assert set(kind) == {"leak", "cyber_no_leak", "it_work"}


def test_components_add_up_to_gross(run):
    _, events, _ = run
    parts = events[list(MIXED.model.components)].to_numpy()
    np.testing.assert_allclose(parts.sum(axis=1), events["gross"].to_numpy(), rtol=1e-12, atol=0)
    assert (parts >= 0).all()


def test_each_years_events_add_up_to_its_kept_values(run):
    # A kept year is its events' sum rounded to whole yen: within 0.5 yen (+ float noise).
    res, events, years = run
    by_year = events.set_index("year")
    np.testing.assert_allclose(_by_year(by_year["gross"]), years[("*", "gross", "aggregate")],
                               rtol=0, atol=1.0)
    for p in MIXED.policies:
        for measure in ("paid", "retained"):
            kept = years[(p.name, measure, "aggregate")].to_numpy()
            np.testing.assert_allclose(_by_year(by_year[f"{measure}:{p.name}"]), kept, rtol=0, atol=1.0)
    paid = events[[f"paid:{p.name}" for p in MIXED.policies]].to_numpy()
    assert (paid > 0).any(axis=0).all() and (paid <= events[["gross"]].to_numpy() + 1e-6).all()


def test_each_years_largest_event_is_its_kept_occurrence_value(run):
    # The largest event of a year is one event's value, not a sum: rounded, it is exact.
    _, events, years = run
    by_year = events.set_index("year")
    largest = _by_year(by_year["gross"], "max")
    np.testing.assert_array_equal(np.floor(largest + 0.5), years[("*", "gross", "occurrence")])
    for p in MIXED.policies:
        for measure in ("paid", "retained"):
            largest = _by_year(by_year[f"{measure}:{p.name}"], "max")
            np.testing.assert_array_equal(np.floor(np.maximum(largest, 0.0) + 0.5),
                                          years[(p.name, measure, "occurrence")])


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def test_same_events_on_one_and_two_threads(run):
    if _cores() < 2:
        pytest.skip("needs two cores (threads are capped at the cores)")
    two = sim.simulate(MIXED, n_years=N_YEARS, seed=5, threads=2, keep_events=True).events()
    pd.testing.assert_frame_equal(run[1], two, check_exact=True)


def test_events_do_not_depend_on_the_order_blocks_ran_in():
    compiled = compile_run(PEER, 4 * BLOCK_YEARS, 9)
    forward = run_blocks(compiled, range(4), keep_events=True)
    split = [run_blocks(compiled, [3, 2], keep_events=True), run_blocks(compiled, [1, 0], keep_events=True)]
    a = SimulationResult(run_output(compiled, [forward])).events()
    b = SimulationResult(run_output(compile_run(PEER, 4 * BLOCK_YEARS, 9), split)).events()
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a["year"].is_monotonic_increasing


def test_a_run_without_events_gives_an_empty_table():
    quiet = replace(PEER, frequency=sim.losses.Frequency.poisson(1e-9))
    events = sim.simulate(quiet, n_years=100, seed=1, keep_events=True).events()
    assert len(events) == 0 and "paid:basic XL" in events.columns


def test_events_without_keep_events_is_an_error_naming_it():
    res = sim.simulate(PEER, n_years=1000, seed=1, keep_years=True)
    with pytest.raises(ValueError, match=r"events were not kept; .*keep_events=True"):
        res.events()


def test_keep_events_must_be_a_bool():
    with pytest.raises(InputError, match=r"^keep_events: "):
        sim.simulate(PEER, n_years=1000, seed=1, keep_events="yes")


def test_too_many_events_to_keep_are_refused_naming_keep_events():
    # 5e6 years x 0.5 events a year: 2.5e6 rows of about 60 bytes, twice: about 300 MB, more
    # than the tallies (about 30 MB); refused before any work (were it not, a bounded run).
    with pytest.raises(InputError, match=r"^keep_events: the run needs about \d+(\.\d+)? MiB .*"
                                         r"kept events .*a mean of 2,500,000 events of \d+ bytes"):
        sim.simulate(PEER, n_years=5_000_000, seed=1, keep_events=True, max_memory=1e8)


def test_memory_estimate_covers_the_kept_events():
    import tracemalloc

    from sim.engine._memory import estimate_memory

    scn, n = replace(PEER, frequency=sim.losses.Frequency.poisson(50)), 2 * BLOCK_YEARS + 5
    sim.simulate(scn, n_years=100, seed=1, keep_events=True)  # compile first
    without = estimate_memory(scn, n, 1, keep_years=False)
    est = estimate_memory(scn, n, 1, keep_years=False, keep_events=True)
    tracemalloc.start()
    try:
        compiled = compile_run(scn, n, 1)
        res = SimulationResult(run_output(compiled, [run_blocks(compiled, range(compiled.n_blocks),
                                                                keep_events=True)]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    kept = sum(a.nbytes for a in res._events)
    assert est.kept_events > 0 and est.total - without.total == est.kept_events
    # Kept rows are held twice while the blocks' rows are joined: covered, not by far.
    assert peak <= est.total <= 1.5 * peak
    assert 1.9 * kept <= est.kept_events <= 2.1 * kept
