"""The Monte Carlo engine against exact answers, and its reproducibility."""
import math

import numpy as np
import pytest

import sim
from sim.runner import BLOCK_YEARS, _Run
from sim.tally import TOP_K

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
    forward = _Run(PEER, n, 5, keep_years=True)
    forward.execute(threads=1, progress=False)
    backward = _Run(PEER, n, 5, keep_years=True)
    backward.execute(threads=1, progress=False, order=[3, 1, 2, 0])
    a, b = forward.result(), backward.result()
    np.testing.assert_array_equal(a.to_frame().to_numpy(), b.to_frame().to_numpy())
    assert a.summary().equals(b.summary())


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


