"""Kernel behaviour on small hand-made tables that bracket each threshold (OasisLMF style)."""
import math

import numpy as np
import pytest

from sim.components import COMPONENT_INDEX, N_COMPONENTS
from sim.events import empty_events
from sim.policy import Cap, Policy, Section, Share, SharedLimit, basic, run_terms, stack_policies

LOSSES = [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]


def one_event_per_year(policy: Policy, damages: list[float]) -> np.ndarray:
    events = empty_events(len(damages))
    events.losses[:, COMPONENT_INDEX["damages"]] = damages
    paid, _ = run_terms(policy.compiled.arrays, events, np.arange(len(damages) + 1))
    return paid[:, 0]


def test_deductible_and_limit_table():
    # deductible 10, limit 30: [0, 10, 20, 30, 40, 50, 60] -> [0, 0, 10, 20, 30, 30, 30]
    p = basic(deductible=10, limit=30, covers=["damages"])
    assert one_event_per_year(p, LOSSES).tolist() == [0, 0, 10, 20, 30, 30, 30]


def test_deductible_then_coinsurance_then_limit():
    # (x - 10)+ x 0.5, limited to 15: [0, 0, 5, 10, 15, 15, 15]
    p = basic(deductible=10, limit=15, coinsurance=0.5, covers=["damages"])
    assert one_event_per_year(p, LOSSES).tolist() == [0, 0, 5, 10, 15, 15, 15]


def test_aggregate_within_a_year_and_reset_across_years():
    p = basic(limit=30, aggregate=50, covers=["damages"])
    events = empty_events(4)
    events.losses[:, COMPONENT_INDEX["damages"]] = [40, 40, 40, 40]
    paid, _ = run_terms(p.compiled.arrays, events, np.array([0, 2, 4]))  # two years of two events
    assert paid[:, 0].tolist() == [30, 20, 30, 20]


def test_per_victim_cap_uses_individual_and_corporate_counts():
    p = Policy("cap", [Section("costs", covers=["consolation"],
                               caps={"consolation": Cap(1_000, per_corporate_victim=50_000)})])
    assert p.apply({"consolation": 1e9}, victims=10, corporate_victims=1).paid == 60_000
    q = Policy("cap", [Section("costs", covers=["consolation"], caps={"consolation": Cap(500)})])
    assert q.apply({"consolation": 1e9}, victims=10, corporate_victims=1).paid == 5_500


def test_caps_with_no_victims_are_refused():
    p = Policy("cap", [Section("costs", covers=["consolation"], caps={"consolation": Cap(500)})])
    with pytest.raises(ValueError, match=r"events\[0\].victims.*consolation"):
        p.apply({"consolation": 1e6})


def test_derived_limit_and_shared_limit():
    p = Policy("derived", [Section("a", covers=["damages"], limit=Share("top", 0.1, at_most=7)),
                           Section("b", covers=["letters"])],
               [SharedLimit("top", ["a", "b"], limit=100)])
    assert p.compiled.nodes[0].event_limit == 7  # min(7, 10% of 100)
    out = p.apply({"damages": 50, "letters": 120})
    # a: 7; b: 120; shared 127 -> 100, pro rata
    assert out.by_section == pytest.approx({"a": 700 / 127, "b": 12_000 / 127})


def test_stacked_policies_match_one_at_a_time():
    a = basic(deductible=5, limit=30, aggregate=45, covers=["damages"])
    b = Policy("two", [Section("x", covers=["damages"], coinsurance=0.2),
                       Section("y", covers=["letters"], limit=3)],
               [SharedLimit("m", ["x", "y"], limit=20, aggregate=50)])
    arrays = stack_policies([a.compiled, b.compiled])
    assert arrays.policy_section_start.tolist() == [0, 1, 3]
    rng = np.random.default_rng(1)
    events = empty_events(50)
    events.losses[:, :] = rng.exponential(10, size=(50, N_COMPONENTS))
    year_start = np.arange(0, 51, 5)
    together, _ = run_terms(arrays, events, year_start)
    alone_a, _ = run_terms(a.compiled.arrays, events, year_start)
    alone_b, _ = run_terms(b.compiled.arrays, events, year_start)
    np.testing.assert_array_equal(together, np.hstack([alone_a, alone_b]))


def test_unlimited_policy_pays_everything_covered():
    p = basic()
    out = p.apply({"damages": 1e12, "letters": 3.0})
    assert out.paid == out.gross == 1e12 + 3
    assert math.isinf(p.compiled.nodes[0].event_limit)


def test_stacked_on_compact_columns_pays_the_same():
    """The simulation's events hold only the components its model makes, in their own columns;
    terms stacked for those columns pay what they pay on full rows (other components zero)."""
    b = Policy("two", [Section("x", covers=["damages", "call_center"], coinsurance=0.2),
                       Section("y", covers=["letters"], limit=3)],
               [SharedLimit("m", ["x", "y"], limit=20, aggregate=50)])
    columns = ("letters", "damages")  # call_center never happens; not in COMPONENTS order
    full = empty_events(50)
    full.losses[:, [COMPONENT_INDEX[c] for c in columns]] = np.random.default_rng(2).exponential(10, (50, 2))
    compact = empty_events(50, len(columns))
    compact.losses[:] = full.losses[:, [COMPONENT_INDEX[c] for c in columns]]
    year_start = np.arange(0, 51, 5)
    on_full, _ = run_terms(stack_policies([b.compiled]), full, year_start)
    on_compact, _ = run_terms(stack_policies([b.compiled], columns), compact, year_start)
    np.testing.assert_allclose(on_compact, on_full, rtol=1e-15)
