"""Property-based checks on thousands of random policies and policy years:
the invariants of design.md section 5, and agreement with the plain-Python reference."""
import math
import os

from hypothesis import HealthCheck, given, settings

import reference
from strategies import policies, years

# With Numba's JIT off (make test's second run) the same kernels run as plain Python, 20x slower:
# 300 examples there check that they agree, the 1,500 of the compiled run probe the corners.
EXAMPLES = 300 if os.environ.get("NUMBA_DISABLE_JIT") == "1" else 1500
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOL = 1e-9


@SETTINGS
@given(policies(), years())
def test_kernel_agrees_with_reference(policy, events):
    year = policy.apply_year(events)
    expected = reference.apply_year(policy, events)
    for got, want in zip(year.events, expected):
        for name in policy.section_names:
            assert reference.is_close(got.by_section[name], want[name]), (name, got.by_section, want)


@SETTINGS
@given(policies(), years())
def test_every_node_agrees_with_reference(policy, events):
    """Parts at every depth and shared limits too, not only the top-level sections: a part
    handed its parent's provisional instead of final payment erodes its aggregate wrongly."""
    year = policy.apply_year(events)
    expected = reference.apply_year_nodes(policy, events)
    names = [n.name for n in policy.compiled.nodes]
    for got, want in zip(year.events, expected):
        paid = got.detail["paid"].to_numpy()
        for j, name in enumerate(names):
            assert reference.is_close(paid[j], want[name]), (name, paid[j], want[name])


@SETTINGS
@given(policies(), years())
def test_invariants(policy, events):
    year = policy.apply_year(events)
    nodes = policy.compiled.nodes
    period_paid = [0.0] * len(nodes)
    for event in year.events:
        assert 0.0 <= event.paid <= event.gross * (1 + TOL)
        assert math.isclose(event.paid, sum(event.by_section.values()), rel_tol=TOL, abs_tol=1e-6)
        assert math.isclose(event.retained, event.gross - event.paid)
        paid = event.detail["paid"].to_numpy()
        for j, node in enumerate(nodes):
            assert paid[j] >= 0.0
            assert paid[j] <= node.event_limit * (1 + TOL)  # per-event limit of every node
            period_paid[j] += paid[j]
        inflow = event.detail["covered"].to_numpy() - event.detail["per_victim_caps"].to_numpy()
        out = paid + event.detail["limits_above"].to_numpy()  # what each node would have paid
        for j, node in enumerate(nodes):  # a parent pays exactly what it hands down, at every level
            children = [k for k, n in enumerate(nodes) if n.parent == j]
            if not children:
                continue
            own = inflow[j] - sum(out[k] for k in children)  # its own covered components
            handed = sum(paid[k] for k in children) + (paid[j] * own / inflow[j] if inflow[j] > 0 else 0.0)
            assert math.isclose(paid[j], handed, rel_tol=1e-7, abs_tol=1e-3), (node.name, paid[j], handed)
    for j, node in enumerate(nodes):  # period totals never exceed period limits
        assert period_paid[j] <= node.aggregate_limit * (1 + TOL) + 1e-6
    assert 0.0 <= year.paid <= year.gross * (1 + TOL)
