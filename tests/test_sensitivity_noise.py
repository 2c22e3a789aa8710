"""The tornado's noise marks: swing_se by batch means on the paired years, within_noise when the
swing is within 2 standard errors."""
import math

import numpy as np
import pytest

import sim
from sim.sensitivity import batch_statistic, one_at_a_time, swing_error

from conftest import SCENARIOS

PEER = SCENARIOS / "peer_compound.toml"


def test_batch_statistics_are_the_summary_figures_on_kept_years():
    """On 3,000 years every VaR/TVaR is read from the kept exact values: the batch formulas
    must give the same figures as the result."""
    res = sim.simulate(PEER, 3_000, seed=8, keep_years=True)
    years = res.to_frame()[("basic XL", "paid", "aggregate")].to_numpy()
    for name in ("mean", "std", "p_nonzero", "var_90", "var_99", "var_99_5", "tvar_90", "tvar_99",
                 "tvar_99_9"):
        assert batch_statistic(years, name) == pytest.approx(
            res.statistic("basic XL", "paid", name), rel=1e-9), name


def test_the_error_of_a_mean_difference_is_the_paired_standard_error():
    """high = low + an independent N(0, 3) noise: the standard error of the difference of the
    means is 3 / sqrt(n), whatever low's own spread (common numbers cancel it)."""
    rng = np.random.default_rng(1)
    n = 200_000
    low = rng.lognormal(10, 2, n)
    high = low + rng.normal(0, 3, n)
    se = swing_error(low, high, "mean")
    assert se == pytest.approx(3 / math.sqrt(n), rel=0.5)  # 20 batches: the estimate's own cv ~16%
    assert swing_error(low, low, "var_99") == 0.0
    assert swing_error(low[:39], high[:39], "mean") == 0.0  # too few years to batch


def test_within_noise_marks_no_effect_and_not_a_real_one():
    frame = one_at_a_time(sim.load_scenario(PEER), "basic XL", "paid", "mean",
                          parameters=["direct.damages.median"],
                          ranges={"frequency.rate": (0.5, 0.5)}, n_years=20_000, seed=3)
    same = frame.loc["frequency.rate"]  # the same scenario on both sides: no swing, no noise
    assert (same["swing"], same["swing_se"], bool(same["within_noise"])) == (0.0, 0.0, True)
    median = frame.loc["direct.damages.median"]  # +-20% of every loss: far beyond the noise
    assert median["swing_se"] > 0 and not median["within_noise"]
    assert frame["within_noise"].dtype == bool
