"""Confidence intervals of summary(ci=...): against the kept years (order statistics, sample
moments and the tail-mean variance computed here with NumPy and SciPy), and their coverage of
the exact peer_compound distribution (FFT, tests/exact_compound.py) over many seeds."""
import math

import numpy as np
import pytest
from scipy import stats

import sim
from sim._errors import InputError
from sim.engine._memory import BLOCK_YEARS
from sim.engine.tally import TOP_K

from conftest import SCENARIOS
from exact_compound import H, exact_compound
from independent import SUMMARY_LEVELS, tvar_of, var_of, years_beyond

POLICY = "basic XL"
N_YEARS = 3 * BLOCK_YEARS + 1_234      # four blocks, the last one partial
MEASURES = ("gross", "paid", "retained")
CI = 0.95


@pytest.fixture(scope="module")
def peer():
    res = sim.simulate(sim.load_scenario(SCENARIOS / "peer_compound.toml"), N_YEARS, seed=21,
                       keep_years=True)
    return res, res.to_frame(), res.summary(ci=CI)


def kept(frame, measure: str) -> np.ndarray:
    return np.sort(frame[("*" if measure == "gross" else POLICY, measure, "aggregate")].to_numpy())


def binomial_ranks(n: int, q: float, ci: float) -> tuple[int, int]:
    """By search: the largest r with P(B <= r - 1) <= a and the smallest s with
    P(B >= s) <= a, B ~ Binomial(n, q), a = (1 - ci) / 2 (David & Nagaraja, Order Statistics,
    sec. 7.1)."""
    a = (1 - ci) / 2
    centre = round(n * q)
    r = centre
    while stats.binom.cdf(r - 1, n, q) > a:
        r -= 1
    s = centre
    while stats.binom.sf(s - 1, n, q) > a:
        s += 1
    return r, s


def test_var_bounds_are_the_order_statistics_at_the_binomial_ranks(peer):
    """Where fewer than TOP_K years lie beyond the ranks, the bounds are the kept years' own
    order statistics, exactly."""
    res, frame, summary = peer
    for measure in MEASURES:
        x = kept(frame, measure)
        for key in ("99", "99_5", "99_9"):
            q = SUMMARY_LEVELS[key]
            r, s = binomial_ranks(N_YEARS, q, CI)
            assert N_YEARS - r < TOP_K
            row = summary.loc[(POLICY, measure)]
            assert (row[f"var_{key}_lo"], row[f"var_{key}_hi"]) == (x[r - 1], x[s - 1]), (measure, q)
            assert row[f"var_{key}_lo"] <= row[f"var_{key}"] <= row[f"var_{key}_hi"]


def test_var_bounds_from_the_histogram_contain_the_order_statistics_within_a_bin(peer):
    """More than TOP_K years beyond the ranks: the bounds are widened to the edge of the bin
    holding the order statistic, so they contain it and are within a bin (< 0.1%) of it."""
    res, frame, summary = peer
    for measure in MEASURES:
        x = kept(frame, measure)
        for q in (0.5, 0.8, 0.9):
            r, s = binomial_ranks(N_YEARS, q, CI)
            assert N_YEARS - s + 1 > TOP_K
            lo, hi = res.quantile_interval(POLICY, measure, q, ci=CI)
            assert x[r - 1] * (1 - 1e-3) <= lo <= x[r - 1], (measure, q)
            assert x[s - 1] <= hi <= x[s - 1] * (1 + 1e-3), (measure, q)


def test_mean_interval_from_the_kept_years(peer):
    """mean +- z std / sqrt(n), z = 1.959964 (the normal 97.5% point), std with ddof=1."""
    res, frame, summary = peer
    for measure in MEASURES:
        x = kept(frame, measure)
        half = 1.959963984540054 * x.std(ddof=1) / math.sqrt(len(x))
        row = summary.loc[(POLICY, measure)]
        assert row["mean_lo"] == pytest.approx(x.mean() - half, rel=1e-9)
        assert row["mean_hi"] == pytest.approx(x.mean() + half, rel=1e-9)


def tvar_half_width(x: np.ndarray, q: float, z: float) -> float:
    """z sqrt((Var(X | tail) + q (TVaR - VaR)^2) / ((1 - q) n)) over the worst n (1 - q) years
    (Manistre & Hancock, NAAJ 9(2), 2005), the last year weighted by its fraction."""
    worst = x[::-1]
    m = float(years_beyond(len(x), q))
    whole = math.floor(m)
    w = np.zeros(len(x))
    w[:whole], w[whole] = 1.0, m - whole
    tail_mean = w @ worst / m
    tail_var = w @ (worst - tail_mean) ** 2 / m
    return z * math.sqrt((tail_var + q * (tvar_of(x, q) - var_of(x, q)) ** 2) / ((1 - q) * len(x)))


def test_tvar_interval_from_the_kept_years(peer):
    """Exact from the kept top values at 99% and beyond; from the histogram at 90% (each bin's
    values other than its maximum at their mean), within 1% of the half-width."""
    res, frame, summary = peer
    for measure in ("gross", "retained"):
        x = kept(frame, measure)
        for key, rel in (("99", 1e-9), ("99_5", 1e-9), ("99_9", 1e-9), ("90", 1e-2)):
            q = SUMMARY_LEVELS[key]
            half = tvar_half_width(x, q, 1.959963984540054)
            row = summary.loc[(POLICY, measure)]
            assert row[f"tvar_{key}_hi"] - row[f"tvar_{key}"] == pytest.approx(half, rel=rel)
            assert row[f"tvar_{key}"] - row[f"tvar_{key}_lo"] == pytest.approx(half, rel=rel)


def test_columns_interleave_and_a_plain_summary_is_unchanged(peer):
    res, frame, summary = peer
    cols = list(summary.columns)
    assert cols[:3] == ["mean", "mean_lo", "mean_hi"]
    assert cols[cols.index("var_99"):cols.index("var_99") + 3] == ["var_99", "var_99_lo", "var_99_hi"]
    plain = res.summary()
    assert list(plain.columns) == [c for c in cols if not c.endswith(("_lo", "_hi"))]
    assert plain.equals(summary[plain.columns])
    assert summary.attrs["ci"] == CI and summary.attrs["seed"] == 21
    assert np.isfinite(summary.to_numpy()).all()
    assert res.interval(POLICY, "paid", "tvar_99", ci=CI) == (
        summary.loc[(POLICY, "paid"), "tvar_99_lo"], summary.loc[(POLICY, "paid"), "tvar_99_hi"])


def test_intervals_do_not_depend_on_threads():
    scn = sim.load_scenario(SCENARIOS / "peer_compound.toml")
    one = sim.simulate(scn, N_YEARS, seed=5, threads=1).summary(ci=0.9)
    two = sim.simulate(scn, N_YEARS, seed=5, threads=2).summary(ci=0.9)
    assert one.equals(two)


@pytest.mark.parametrize("ci", [0, 1, 1.5, -0.1, True, "0.95", None])
def test_bad_confidence_levels_are_refused(peer, ci):
    res = peer[0]
    with pytest.raises(InputError, match="^ci: "):
        res.interval(POLICY, "paid", "var_99", ci=ci)
    if ci is not None:
        with pytest.raises(InputError, match="^ci: "):
            res.summary(ci=ci)


def test_too_few_years_to_bound_a_quantile_is_refused():
    """VaR 99.9% has no upper bound at 95% until 0.999**n <= 0.025."""
    need = 1
    while 0.999 ** need > 0.025:
        need += 1
    scn = sim.load_scenario(SCENARIOS / "peer_compound.toml")
    with pytest.raises(InputError, match=f"^n_years: .*needs at least {need:,} years"):
        sim.simulate(scn, need - 1, seed=1).summary(ci=0.95)
    summary = sim.simulate(scn, need, seed=1).summary(ci=0.95)
    assert np.isfinite(summary.to_numpy()).all()


def test_coverage_of_the_exact_reference():
    """40 seeds of 50,386 years: the 95% intervals of the mean, VaR 99% and VaR 99.5% contain
    the exact values (FFT) in at least 85% of the seeds (binomial sd of 95% over 40: 3.4%).
    VaR sits on the FFT's 1e5-yen grid: a bound within one step of it counts."""
    exact = exact_compound(0.5, math.log(1e7), 1.5, 1e6, 1e8, 1e8)
    want = {(m, name): exact.mean(m) if q is None else exact.var(m, q)
            for m in MEASURES for name, q in (("mean", None), ("var_99", 0.99), ("var_99_5", 0.995))}
    scn = sim.load_scenario(SCENARIOS / "peer_compound.toml")
    hits = dict.fromkeys(want, 0)
    seeds = range(100, 140)
    for seed in seeds:
        summary = sim.simulate(scn, N_YEARS, seed=seed).summary(ci=0.95)
        for (m, name), value in want.items():
            row, slack = summary.loc[(POLICY, m)], 0.0 if name == "mean" else H
            hits[m, name] += row[f"{name}_lo"] - slack <= value <= row[f"{name}_hi"] + slack
    coverage = {k: v / len(seeds) for k, v in hits.items()}
    assert min(coverage.values()) >= 0.85, coverage
