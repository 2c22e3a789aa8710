"""Fuzz test (issue 13): several hundred malformed or extreme inputs, generated from a fixed
seed (``fuzz_cases.py``), each run in a forked child under a time and a memory cap
(``fuzz_harness.py``). Every case must end in a clear error naming the field, or in a result that
passes the sanity checks: finite, gross >= paid >= 0, retained = gross - paid, VaR increasing in
the level, TVaR >= VaR. ``python tests/fuzz_report.py`` prints how many cases fall in each class.
"""
import os

import pytest

from fuzz_cases import generate
from fuzz_harness import run_isolated, warm_up

CASES = generate()
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="each case runs in a forked child")


@pytest.fixture(scope="module")
def warm():
    warm_up()


def test_enough_cases_with_unique_names():
    assert len(CASES) >= 300
    assert len({c.id for c in CASES}) == len(CASES)
    assert {c.kind for c in CASES} == {"scenario", "api", "cli"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fuzz_case(case, warm):
    outcome = run_isolated(case)
    assert outcome.passed, (f"{case.desc}: {outcome.cls} (expected "
                            f"{'an error' if case.expect == 'error' else 'a result' if case.expect == 'ok' else 'an error or a result'}): "
                            f"{outcome.detail}")
