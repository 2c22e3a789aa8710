"""The fuzz harness itself: each class it reports is reached by a case built to reach it, and the
sanity checks flag each kind of broken summary (so a fuzz case cannot pass by accident)."""
import os
import signal
import time

import numpy as np
import pytest

import fuzz_harness as fh
from fuzz_harness import Case, run_isolated
from sim._errors import InputError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="each case runs in a forked child")


def _raise(err):
    raise err


@pytest.fixture(scope="module")
def loaded():
    """The policy kernel loaded here, not in each forked child."""
    import sim

    sim.policy.basic(limit=1e8).apply({"damages": 1.0})


@pytest.mark.parametrize("thunk, expect, field, cls", [
    (lambda wd: time.sleep(30), "either", (), fh.TIMEOUT),
    (lambda wd: np.ones(3 << 27), "either", (), fh.MEMORY),                  # 3 GiB
    (lambda wd: os.kill(os.getpid(), signal.SIGKILL), "either", (), fh.CRASH),
    (lambda wd: _raise(KeyError("policy")), "either", (), fh.TRACEBACK),
    (lambda wd: _raise(InputError("limit", "nan is not allowed")), "error", ("limit",), fh.CLEAR),
    (lambda wd: _raise(InputError("limit", "nan is not allowed")), "error", ("aggregate",), fh.UNNAMED),
    (lambda wd: _raise(InputError("limit", "np.int64(5) is not a number")), "ok", ("limit",),
     fh.REFUSED_GOOD),
    (lambda wd: fh.run_cli(["run", "--years", "x"]), "error", ("--years",), fh.CLEAR),
    (lambda wd: fh.CliRun(1, "", "Traceback (most recent call last):\nValueError: x\n"), "error", (),
     fh.TRACEBACK),
    (lambda wd: fh.CliRun(2, "", "sim: error: first\nsim: error: second\n"), "error", (), fh.UNNAMED),
    (lambda wd: fh.CliRun(0, '{"summary": [{"policy": "p", "measure": "gross", "mean": NaN}]}', ""),
     "either", (), fh.INSANE),
    (lambda wd: __import__("sim").policy.basic(limit=1e8), "error", (), fh.ACCEPTED_BAD),
    (lambda wd: __import__("sim").policy.basic(limit=1e8), "ok", (), fh.SANE),
])
def test_every_class_is_reached(thunk, expect, field, cls, loaded):
    outcome = run_isolated(Case("self", "api", thunk, expect, field),
                           time_cap=1 if cls == fh.TIMEOUT else 20, memory_cap=1 << 30)
    assert outcome.cls == cls, outcome.detail
    assert outcome.passed == (cls in (fh.CLEAR, fh.SANE))


@pytest.fixture(scope="module")
def summary():
    import sim
    from conftest import SCENARIOS

    res = sim.simulate(sim.load_scenario(SCENARIOS / "peer_compound.toml"), n_years=20_000, seed=3)
    return res.summary()


def test_a_real_summary_passes(summary):
    assert fh.summary_problems(summary) == []


@pytest.mark.parametrize("row, column, value, problem", [
    ("gross", "tvar_90", -1.0, "< 0"),
    ("paid", "var_99", 0.0, "var_99 "),                         # below var_95: not increasing
    ("paid", "tvar_90", lambda row: row["var_90"] / 2, "< var_90"),     # TVaR below VaR
    ("retained", "mean", 1.0, "mean retained"),
    ("paid", "mean", 1e12, "mean paid"),
    ("paid:cover", "mean", 0.0, "section means"),
    ("paid", "var_90", float("nan"), "nan"),
    ("paid", "p_nonzero", 1.5, "p_nonzero"),
])
def test_each_broken_summary_is_flagged(summary, row, column, value, problem):
    broken = summary.copy()
    original = broken.loc[("basic XL", row)]
    broken.loc[("basic XL", row), column] = value(original) if callable(value) else value
    problems = fh.summary_problems(broken)
    assert any(problem in p for p in problems), problems


def test_event_checks_use_the_independent_gross():
    import sim

    out = sim.policy.basic(limit=1e8).apply({"damages": 5e7, "letters": 1e6})
    assert fh.problems_of(fh.Applied(out, 5.1e7)) == []
    assert "sum of the losses" in fh.problems_of(fh.Applied(out, 5.2e7))[0]
