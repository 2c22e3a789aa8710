"""Inputs near the engine's numeric limits give the right number or a clear error (issue 13):
tally sums past the int64 range, breach sizes past 2**63, event totals past the float range,
heavy tails. Expected values come from the kept years (plain NumPy), never from the tallies."""
from __future__ import annotations

import math

import numpy as np
import pytest

import sim
from sim import pricing
from sim.scenario import scenario_from_dict

LEVELS = {"90": 0.90, "95": 0.95, "99": 0.99, "99_5": 0.995, "99_9": 0.999}


def kept_statistics(values: np.ndarray) -> dict[str, float]:
    """Mean, VaR and TVaR of kept years by their definitions (VaR: smallest x with
    P(X <= x) >= q; TVaR: mean of the worst n(1 - q) years, a fractional year in part)."""
    n = len(values)
    up = np.sort(values)
    down = up[::-1]
    out = {"mean": float(values.mean())}
    for name, q in LEVELS.items():
        out[f"var_{name}"] = float(up[max(math.ceil(n * q - 1e-9), 1) - 1])
        m = n * (1 - q)
        whole = math.floor(m + 1e-9)
        out[f"tvar_{name}"] = float((down[:whole].sum() + (m - whole) * down[whole]) / m)
    return out


def huge_years_scenario() -> sim.Scenario:
    """Issue 13's reproducer: one event a year of about 5e14 yen, under a 1e15 limit."""
    return scenario_from_dict({
        "name": "near the 2**50 ceiling",
        "frequency": {"kind": "one"},
        "model": {"direct": {"damages": {"dist": "lognormal", "median": 5e14, "sigma": 0.05}}},
        "policies": [{"product": "basic", "name": "basic", "limit": 1e15, "aggregate": 1e15}],
    })


def test_statistics_of_years_near_the_ceiling_match_the_kept_years():
    """200,000 years of ~5e14 yen add up to ~1e20, past int64: the histogram's bin sums once
    wrapped and gave a negative TVaR 90% (the kept years give 5.46e14)."""
    res = sim.simulate(huge_years_scenario(), n_years=200_000, seed=1, keep_years=True)
    summary, years = res.summary(), res.to_frame()
    for measure in ("gross", "paid", "retained"):
        column = ("*" if measure == "gross" else "basic", measure, "aggregate")
        expected = kept_statistics(years[column].to_numpy())
        row = summary.loc[("basic", measure)]
        for stat, value in expected.items():
            # the histogram regime reads within its 0.1% bin width; a zero measure exactly
            assert row[stat] == pytest.approx(value, rel=1e-3, abs=1.0), (measure, stat)
    assert summary.loc[("basic", "gross"), "tvar_90"] > 5e14
    # the pricing layer reads the same bins: its atoms must keep the kept years' mean
    values, probabilities = pricing.loss_support(res, "basic", "gross")
    kept = years[("*", "gross", "aggregate")].to_numpy()
    assert float(values @ probabilities) == pytest.approx(kept.mean(), rel=1e-9)
    assert values.min() >= 0


def test_bin_sums_carry_when_threads_merge():
    """The merge of threads' tallies carries too: 1 and 2 threads give the same summary."""
    scn = huge_years_scenario()
    one = sim.simulate(scn, n_years=40_000, seed=3, threads=1).summary()
    two = sim.simulate(scn, n_years=40_000, seed=3, threads=2).summary()
    assert one.equals(two)
    assert (one["tvar_90"] > 0).loc[[("basic", "gross"), ("basic", "paid")]].all()
