"""Statistics read from the tallies against the kept years, computed independently with NumPy
(tests/independent.py), and against closed forms; at levels where n_years x (1 - level) is not
a whole number, and with n_years spanning several blocks without being a multiple of one."""
from fractions import Fraction
import math

import numpy as np
import pytest
from scipy import stats

import sim
from sim.engine._memory import BLOCK_YEARS
from sim.scenario import scenario_from_dict
from sim.engine.tally import TOP_K

from conftest import SCENARIOS
from exact_compound import H, exact_compound
from independent import SUMMARY_LEVELS, tvar_of, var_of, years_beyond

POLICY = "basic XL"
N_YEARS = 3 * BLOCK_YEARS + 1_234      # four blocks, the last one partial
MEASURES = [("*", "gross"), (POLICY, "paid"), (POLICY, "retained")]


@pytest.fixture(scope="module")
def peer():
    res = sim.simulate(sim.load_scenario(SCENARIOS / "peer_compound.toml"), N_YEARS, seed=21,
                       keep_years=True)
    return res, res.to_frame()


def kept(frame, policy: str, measure: str, kind: str = "aggregate") -> np.ndarray:
    return frame[(policy, measure, kind)].to_numpy()


def test_the_levels_are_not_whole_numbers_of_years():
    """The point of the checks below: with 0.995 x 10,000 years, floor, round and ceil agree."""
    for q in SUMMARY_LEVELS.values():
        assert years_beyond(N_YEARS, q).denominator > 1
        assert (N_YEARS * Fraction(repr(q))).denominator > 1


def test_var_and_tvar_exact_from_the_top_values(peer):
    """Up to TOP_K years beyond the level: VaR and TVaR equal the kept years' own."""
    res, frame = peer
    extra = (0.9537, 0.9973, 0.99917, 0.99995)
    for policy, measure in MEASURES:
        x = kept(frame, policy, measure)
        row = res.summary().loc[(POLICY, measure)]
        for key, q in SUMMARY_LEVELS.items():
            if years_beyond(N_YEARS, q) >= TOP_K:
                continue
            assert row[f"var_{key}"] == var_of(x, q), (measure, q)
            assert row[f"tvar_{key}"] == pytest.approx(tvar_of(x, q), rel=1e-12), (measure, q)
        for q in extra:
            assert res.quantile(POLICY, measure, q) == var_of(x, q), (measure, q)


def test_var_and_tvar_from_the_histogram_within_a_bin(peer):
    """More than TOP_K years beyond the level: read from the histogram, within its documented
    0.1% bin width (atoms such as the aggregate limit or a zero are exact)."""
    res, frame = peer
    assert years_beyond(N_YEARS, 0.9) > TOP_K
    for policy, measure in MEASURES:
        x = kept(frame, policy, measure)
        row = res.summary().loc[(POLICY, measure)]
        assert row["var_90"] == pytest.approx(var_of(x, 0.9), rel=1e-3), measure
        assert row["tvar_90"] == pytest.approx(tvar_of(x, 0.9), rel=1e-3), measure
        for q in (0.5, 0.61, 0.7137, 0.8, 0.85):
            want = var_of(x, q)
            got = res.quantile(POLICY, measure, q)
            assert got == pytest.approx(want, rel=1e-3), (measure, q)
            assert (got == 0) == (want == 0), (measure, q)


def test_moments_and_standard_error_from_the_kept_years(peer):
    """mean, std (ddof=1), sem = std / sqrt(n) and p_nonzero against the kept years, merged
    over blocks of different sizes."""
    res, frame = peer
    for policy, measure in MEASURES:
        x = kept(frame, policy, measure)
        row = res.summary().loc[(POLICY, measure)]
        std = np.std(x, ddof=1)
        assert len(x) == res.n_years == N_YEARS
        assert row["mean"] == pytest.approx(x.mean(), rel=1e-12), measure
        assert row["std"] == pytest.approx(std, rel=1e-9), measure
        assert row["sem"] == pytest.approx(std / math.sqrt(N_YEARS), rel=1e-9), measure
        assert row["p_nonzero"] == np.count_nonzero(x) / N_YEARS, measure


def test_compound_poisson_mean_and_zero_years_closed_form(peer):
    """Gross of Poisson(0.5) x lognormal(ln 1e7, 1.5): P(no loss) = exp(-0.5) and mean
    0.5 x 1e7 x exp(1.5**2 / 2) (compound-Poisson mean; Klugman et al., Loss Models, ch. 9),
    within 4 standard errors computed from the kept years."""
    res, frame = peer
    row = res.summary().loc[(POLICY, "gross")]
    p0 = math.exp(-0.5)
    assert abs((1 - row["p_nonzero"]) - p0) < 4 * math.sqrt(p0 * (1 - p0) / N_YEARS)
    x = kept(frame, "*", "gross")
    se = x.std(ddof=1) / math.sqrt(N_YEARS)
    assert abs(row["mean"] - 0.5 * 1e7 * math.exp(1.5**2 / 2)) < 4 * se


def fixed_scenario(frequency: dict) -> sim.scenario.Scenario:
    return scenario_from_dict({
        "name": "fixed", "frequency": frequency,
        "model": {"direct": {"damages": {"value": 3e7}}},
        "policies": [{"product": "basic", "name": "XL", "deductible": 1e6, "limit": 2e7,
                      "aggregate": 5e7}]})


def test_every_year_of_every_block_is_simulated():
    """Exactly one event of 3e7 a year: every year of every block, the last included, is a
    loss of 3e7 (paid 2e7, retained 1e7), so a dropped or miscounted year shows exactly."""
    n = N_YEARS
    assert n % BLOCK_YEARS and n > 2 * BLOCK_YEARS
    res = sim.simulate(fixed_scenario({"kind": "one"}), n, seed=3, keep_years=True)
    frame = res.to_frame()
    assert len(frame) == res.n_years == n
    for measure, value in (("gross", 3e7), ("paid", 2e7), ("retained", 1e7)):
        x = frame[("*" if measure == "gross" else "XL", measure, "aggregate")].to_numpy()
        assert np.all(x == value), measure
        row = res.summary().loc[("XL", measure)]
        assert row["mean"] == pytest.approx(value, rel=1e-12)
        assert row["std"] <= 1e-9 * value and row["sem"] <= 1e-9 * value
        assert row["p_nonzero"] == 1.0
        for key in SUMMARY_LEVELS:
            assert row[f"var_{key}"] == value and row[f"tvar_{key}"] == pytest.approx(value)
        assert res.cdf("XL", measure, value - 1) == 0.0 and res.cdf("XL", measure, value) == 1.0


def test_poisson_counts_per_year_against_the_pmf():
    """Poisson(3) events of exactly 3e7: the kept gross is 3e7 x N per year, so N is read
    off each year; its frequencies match the Poisson pmf (within 4 standard errors) and
    p_nonzero and the mean match the kept years exactly and 1 - exp(-3), 9e7 in closed form."""
    n, rate = N_YEARS, 3.0
    res = sim.simulate(fixed_scenario({"kind": "poisson", "rate": rate}), n, seed=5,
                       keep_years=True)
    gross = res.to_frame()[("*", "gross", "aggregate")].to_numpy()
    counts = gross / 3e7
    assert np.array_equal(counts, np.round(counts))
    for k in range(9):
        p = stats.poisson.pmf(k, rate)
        assert abs((counts == k).mean() - p) < 4 * math.sqrt(p * (1 - p) / n), k
    row = res.summary().loc[("XL", "gross")]
    assert row["p_nonzero"] == np.count_nonzero(gross) / n
    p0 = math.exp(-rate)
    assert abs(row["p_nonzero"] - (1 - p0)) < 4 * math.sqrt(p0 * (1 - p0) / n)
    assert row["mean"] == pytest.approx(gross.mean(), rel=1e-12)
    assert abs(row["mean"] - rate * 3e7) < 4 * math.sqrt(rate) * 3e7 / math.sqrt(n)


def test_tvar_from_the_histogram_against_the_exact_distribution():
    """1,000,003 years: 10,000.03 years beyond 99% and 5,000.015 beyond 99.5%, so TVaR is read
    from the histogram; against the exact compound distribution (FFT, tests/exact_compound.py)
    within 4 standard errors of the empirical TVaR and two grid steps."""
    n = 1_000_003
    res = sim.simulate(sim.load_scenario(SCENARIOS / "peer_compound.toml"), n, seed=2025)
    exact = exact_compound(0.5, math.log(1e7), 1.5, 1e6, 1e8, 1e8)
    for q, key in ((0.99, "99"), (0.995, "99_5")):
        assert years_beyond(n, q) > TOP_K
        for measure in ("gross", "paid", "retained"):
            want, sd = exact.tvar(measure, q)
            got = res.summary().loc[(POLICY, measure), f"tvar_{key}"]
            assert abs(got - want) < 4 * sd / math.sqrt(n) + 2 * H, (measure, q, got, want)
