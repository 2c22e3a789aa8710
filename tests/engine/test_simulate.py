"""The Monte Carlo engine against exact answers, and its reproducibility."""
import math
import os

import numpy as np
import pytest

import sim
from sim._errors import InputError
from sim.engine._memory import BLOCK_YEARS
from sim.engine.blocks import compile_run, run_blocks
from sim.engine.results import SimulationResult
from sim.engine.runner import run_output
from sim.engine.tally import TOP_K

from conftest import SCENARIOS
from exact_compound import H, exact_compound

PEER = sim.load_scenario(SCENARIOS / "peer_compound.toml")
N_YEARS = 1_000_000


@pytest.fixture(scope="module")
def exact():
    # scenarios/peer_compound.toml: Poisson(0.5) x lognormal(ln 1e7, 1.5), XL 1e8 xs 1e6, agg 1e8
    return exact_compound(0.5, math.log(1e7), 1.5, 1e6, 1e8, 1e8)


@pytest.fixture(scope="module")
def peer_result():
    return sim.simulate(PEER, n_years=N_YEARS, seed=2024)


@pytest.mark.parametrize("measure", ["gross", "paid", "retained"])
def test_mean_within_three_standard_errors(exact, peer_result, measure):
    row = peer_result.summary().loc[("basic XL", measure)]
    assert abs(row["mean"] - exact.mean(measure)) < 3 * row["sem"]


@pytest.mark.parametrize("measure", ["gross", "paid", "retained"])
@pytest.mark.parametrize("q, column", [(0.99, "var_99"), (0.995, "var_99_5")])
def test_var_within_three_standard_errors(exact, peer_result, measure, q, column):
    # The simulated VaR is right if the exact CDF there is within 3 binomial standard errors of
    # q; the exact CDF is read two grid steps either side (the grid step is 1e5 yen).
    var = peer_result.summary().loc[("basic XL", measure), column]
    se = math.sqrt(q * (1 - q) / N_YEARS)
    assert exact.cdf(measure, var - 2 * H) <= q + 3 * se
    assert exact.cdf(measure, var + 2 * H) >= q - 3 * se


def test_gross_mean_matches_closed_form(peer_result):
    # Compound Poisson mean lam * E[X] = 0.5 * 1e7 * exp(1.5**2 / 2) (Klugman et al., Loss Models).
    row = peer_result.summary().loc[("basic XL", "gross")]
    assert abs(row["mean"] - 0.5 * 1e7 * math.exp(1.125)) < 3 * row["sem"]
    # and P(at least one event) = 1 - exp(-0.5)
    assert abs(row["p_nonzero"] - (1 - math.exp(-0.5))) < 3 * math.sqrt(0.25 / N_YEARS)


def test_same_seed_same_numbers_on_any_thread_count():
    n = 3 * BLOCK_YEARS + 123  # not a whole number of blocks
    one = sim.simulate(PEER, n_years=n, seed=11, threads=1, keep_years=True)
    two = sim.simulate(PEER, n_years=n, seed=11, threads=2, keep_years=True)
    np.testing.assert_array_equal(one.to_frame().to_numpy(), two.to_frame().to_numpy())
    assert one.summary().equals(two.summary())


def test_block_scheduling_does_not_matter():
    n = 4 * BLOCK_YEARS
    run = compile_run(PEER, n, 5)
    forward = run_blocks(run, range(4), keep_years=True)
    backward = run_blocks(run, [3, 1, 2, 0], keep_years=True)
    split = [run_blocks(run, [2, 3], keep_years=True), run_blocks(run, [1, 0], keep_years=True)]
    a, b = (SimulationResult(run_output(run, [out])) for out in (forward, backward))
    c = SimulationResult(run_output(run, split))  # as Dask tasks return them, in any order
    np.testing.assert_array_equal(a.to_frame().to_numpy(), b.to_frame().to_numpy())
    np.testing.assert_array_equal(a.to_frame().to_numpy(), c.to_frame().to_numpy())
    assert a.summary().equals(b.summary()) and a.summary().equals(c.summary())


def test_different_seed_different_numbers():
    a = sim.simulate(PEER, n_years=50_000, seed=1).summary()
    b = sim.simulate(PEER, n_years=50_000, seed=2).summary()
    assert not a.equals(b)


def test_first_years_do_not_depend_on_n_years():
    short = sim.simulate(PEER, n_years=BLOCK_YEARS, seed=3, keep_years=True).to_frame()
    long = sim.simulate(PEER, n_years=2 * BLOCK_YEARS, seed=3, keep_years=True).to_frame()
    np.testing.assert_array_equal(short.to_numpy(), long.to_numpy()[:BLOCK_YEARS])


def test_kept_years_match_the_streaming_statistics():
    res = sim.simulate(PEER, n_years=40_000, seed=9, keep_years=True)
    years = res.to_frame()[("basic XL", "paid", "aggregate")].to_numpy()
    row = res.summary().loc[("basic XL", "paid")]
    assert row["mean"] == pytest.approx(years.mean(), rel=1e-12)
    assert row["std"] == pytest.approx(years.std(ddof=1), rel=1e-9)
    assert row["var_99"] == np.sort(years)[math.ceil(0.99 * len(years)) - 1]
    worst = np.sort(years)[::-1][:400]
    assert row["tvar_99"] == pytest.approx(worst.mean(), rel=1e-12)
    assert row["p_nonzero"] == (years > 0).mean()


def test_atom_at_the_limit_is_read_exactly_from_the_histogram(peer_result):
    # 1,000,000 years x 1% = 10,000 years above VaR 99%: more than the exact top values kept,
    # so the histogram answers; the bin's exact maximum makes the aggregate limit come out whole.
    row = peer_result.summary().loc[("basic XL", "paid")]
    assert N_YEARS * 0.01 > TOP_K
    assert row["var_99"] == 1e8 and row["tvar_99"] == 1e8


# --- memory: estimated before anything is allocated, refused above the budget ----------------

def _rate(rate: float):
    from dataclasses import replace

    return replace(PEER, frequency=sim.losses.Frequency.poisson(rate))


def test_memory_estimate_matches_the_arrays_of_a_small_run():
    import tracemalloc

    from sim.engine.block_kernel import QUEUE
    from sim.engine._memory import estimate_memory
    from sim.events import empty_events

    scn, n, threads = _rate(50), 2 * BLOCK_YEARS + 5, 2
    sim.simulate(scn, n_years=100, seed=1)  # compile first: Numba's own allocations are not ours
    est = estimate_memory(scn, n, threads, keep_years=True)
    tracemalloc.start()
    try:
        run = compile_run(scn, n, 1)
        out = run_blocks(run, range(run.n_blocks), threads=threads, keep_years=True)
        res = SimulationResult(run_output(run, [out]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    buffers = empty_events(run.event_capacity, len(run.columns))
    n_slots = run.layout.n_slots
    assert est.events == threads * sum(a.nbytes for a in buffers)
    assert est.tallies == (threads * sum(a.nbytes for a in out.tally)    # per thread
                           + sum(a.nbytes for a in res.tally)                 # per measure
                           + threads * n_slots * QUEUE * 8)                  # queues
    assert est.kept_years == out.year_values.nbytes + res._year_values.nbytes
    assert est.moments >= out.block_moments.nbytes + res.moments.mean.nbytes * 2 * run.n_blocks
    # What the run allocated at its peak (numpy reports to tracemalloc): covered, not by far.
    assert peak <= est.total <= 1.5 * peak


def test_ten_thousand_events_a_year_is_refused_cleanly_naming_the_frequency():
    # Each thread's event buffers hold a block of 16,384 years: 1.6e8 events of 33 bytes.
    with pytest.raises(InputError, match=r"^frequency: the run needs about \d+\.\d+ GiB "
                                             r"\(events \d+\.\d+ GiB.*but may use 1 GiB"):
        sim.simulate(_rate(1e4), n_years=1_000_000, seed=1, threads=1, max_memory=2**30)


def test_ten_thousand_events_a_year_runs_when_it_fits():
    # 50 years x 1e4 events: buffers for 50 years only (not a whole block), well within 1 GiB.
    res = sim.simulate(_rate(1e4), n_years=50, seed=1, max_memory=2**30, keep_years=True)
    gross = res.to_frame()[("*", "gross", "aggregate")].to_numpy()
    # 1e4 lognormal(ln 1e7, 1.5) events a year: mean 1e4 x 1e7 x e^1.125, sd of a year's sum
    # sqrt(1e4 x E[X^2]) (compound Poisson, Klugman et al.); 50 years within 4 standard errors.
    mean, sd = 1e11 * math.exp(1.125), math.sqrt(1e4 * 1e14 * math.exp(4.5))
    assert abs(gross.mean() - mean) < 4 * sd / math.sqrt(50)


@pytest.mark.parametrize("kwargs, field", [
    (dict(n_years=10**12), "n_years"),                        # moments: 2 per block and slot
    (dict(n_years=10**9, keep_years=True), "keep_years"),     # every year kept
    (dict(n_years=2 * BLOCK_YEARS, threads=2, max_memory=35e6), "threads"),  # one thread fits
])
def test_memory_refusal_names_the_field_that_drives_it(kwargs, field):
    if kwargs.get("threads", 1) > _cores():
        pytest.skip("needs two cores (threads are capped at the cores)")
    kwargs = {"seed": 1, "max_memory": 4 * 2**30, **kwargs}
    with pytest.raises(InputError, match=rf"^{field}: the run needs about"):
        sim.simulate(PEER, **kwargs)


def test_memory_budget_from_the_environment(monkeypatch):
    monkeypatch.setenv("SIM_MAX_MEMORY", "1e6")
    with pytest.raises(InputError, match=r"SIM_MAX_MEMORY = 1e\+06 bytes"):
        sim.simulate(PEER, n_years=1000, seed=1)
    monkeypatch.setenv("SIM_MAX_MEMORY", "lots")
    with pytest.raises(InputError, match=r"^SIM_MAX_MEMORY: 'lots' is not a number of bytes"):
        sim.simulate(PEER, n_years=1000, seed=1)


def test_threads_beyond_the_cores_are_capped_not_an_error(monkeypatch):
    import sim.engine.runner

    used = []
    monkeypatch.setattr(sim.engine.runner, "run_blocks",
                        lambda run, blocks, threads, **kwargs: used.append(threads))
    monkeypatch.setattr(sim.engine.runner, "run_output", lambda run, outputs: None)
    monkeypatch.setattr(sim.engine.runner, "SimulationResult", lambda output: None)
    sim.simulate(PEER, n_years=1000, seed=1, threads=10_000)
    assert used == [_cores()]


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
