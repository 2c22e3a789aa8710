"""Kernel behaviour on small hand-made tables that bracket each threshold (OasisLMF style)."""
import math

import numpy as np
import pytest

from sim.components import COMPONENT_INDEX, N_COMPONENTS
from sim.events import empty_events
from sim.policy import Cap, Policy, Section, Share, SharedLimit, basic, run_terms, stack_policies

from conftest import ROOT

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
    # consolation (to individuals) is capped by individuals only, consolation_corporate by
    # companies only (the cap declared on consolation covers both); 10 x 1,000 + 1 x 50,000.
    cap = {"consolation": Cap(1_000, per_corporate_victim=50_000)}
    p = Policy("cap", [Section("costs", covers=["consolation", "consolation_corporate"], caps=cap)])
    both = {"consolation": 1e9, "consolation_corporate": 1e9}
    assert p.apply(both, victims=10, corporate_victims=1).paid == 60_000
    # Individuals' excess is not paid out of the companies' unused allowance: 10,000 + 20,000.
    assert p.apply({"consolation": 1e9, "consolation_corporate": 20_000}, victims=10,
                   corporate_victims=1).paid == 30_000
    # Cap(500) without a corporate amount: 500 per company too.
    q = Policy("cap", [Section("costs", covers=["consolation", "consolation_corporate"],
                               caps={"consolation": Cap(500)})])
    assert q.apply(both, victims=10, corporate_victims=1).paid == 5_500
    # On any other component the cap counts both kinds together (claims for money paid to both).
    r = Policy("cap", [Section("liability", covers=["consolation_damages"],
                               caps={"consolation_damages": Cap(500, per_corporate_victim=1_000)})])
    assert r.apply({"consolation_damages": 1e9}, victims=10, corporate_victims=2).paid == 7_000


def test_caps_refuse_money_for_a_kind_of_victim_that_is_absent():
    p = Policy("cap", [Section("costs", covers=["consolation", "consolation_corporate"],
                               caps={"consolation": Cap(1_000, per_corporate_victim=50_000)})])
    with pytest.raises(ValueError, match=r"events\[0\].corporate_victims.*consolation_corporate"):
        p.apply({"consolation_corporate": 1e6}, victims=100)
    with pytest.raises(ValueError, match=r"events\[0\].victims.*consolation"):
        p.apply({"consolation": 1e6}, corporate_victims=3)


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


def test_nested_part_is_handed_the_final_payment():
    # Shared limit 50 over section S, whose part P covers damages with an aggregate of 100.
    # Event 1: P would pay 100, S 100; the shared limit pays 50, so S pays 50 and hands P
    # 100 x 50/100 = 50: P has 50 of its aggregate left. Event 2: P pays min(100, 50) = 50,
    # S 50, shared 50. Handing P its parent's provisional 100 instead would exhaust P's
    # aggregate in event 1 and pay 50 then 0.
    part = Section("P", covers=["damages"], aggregate=100)
    p = Policy("nested", [Section("S", parts=[part])], [SharedLimit("M", ["S"], limit=50)])
    year = p.apply_year([{"losses": {"damages": 100}}, {"losses": {"damages": 100}}])
    assert [e.paid for e in year.events] == [50, 50]
    assert [e.detail.loc["P", "paid"] for e in year.events] == [50, 50]


def test_cause_filters_other_than_bodily_property():
    # A section that pays only misdelivery and loss/theft leaks, and one for anything but them.
    narrow = Section("narrow", covers=["letters"], causes=["misdelivery", "loss_theft"])
    wide = Section("wide", covers=["damages"], causes=["cyber_attack", "insider", "mismanagement"])
    p = Policy("causes", [narrow, wide])
    expected = {"cyber_attack": (0, 20), "insider": (0, 20), "misdelivery": (10, 0),
                "loss_theft": (10, 0), "mismanagement": (0, 20), None: (0, 0)}
    for cause, (letters, damages) in expected.items():
        out = p.apply({"letters": 10, "damages": 20}, cause=cause)
        assert (out.by_section["narrow"], out.by_section["wide"]) == (letters, damages), cause


def test_incident_filter():
    only_leaks = Section("leaks", covers=["letters"], incidents=["leak", "corporate_leak"])
    it_work = Section("it", covers=["damages"], incidents="it_work")
    p = Policy("incidents", [only_leaks, it_work])
    expected = {"leak": (10, 0), "corporate_leak": (10, 0), "cyber_no_leak": (0, 0), "it_work": (0, 20)}
    for incident, pays in expected.items():
        out = p.apply({"letters": 10, "damages": 20}, incident=incident)
        assert (out.by_section["leaks"], out.by_section["it"]) == pays, incident
    assert p.apply({"letters": 10, "damages": 20}).by_section["leaks"] == 10  # default: "leak"
    with pytest.raises(ValueError, match=r"incident.*'breach'.*allowed values"):
        p.apply({"letters": 10}, incident="breach")
    with pytest.raises(ValueError, match=r"incidents.*unknown name 'breach'"):
        Section("x", covers=["letters"], incidents=["breach"])
    with pytest.raises(ValueError, match=r"cause.*not allowed with incident 'cyber_no_leak'"):
        p.apply({"letters": 10}, incident="cyber_no_leak", cause="insider")


def test_incident_in_year_events_and_kernel_arrays():
    p = Policy("it only", [Section("it", covers=["damages"], incidents=["it_work"])])
    year = p.apply_year([{"losses": {"damages": 5}, "incident": "it_work"},
                         {"losses": {"damages": 7}}])
    assert [e.paid for e in year.events] == [5, 0]
    assert [e.incident for e in year.events] == ["it_work", "leak"]
    events = empty_events(2)
    events.losses[:, COMPONENT_INDEX["damages"]] = 3.0
    events.incident[:] = [3, 0]  # codes: INCIDENTS.index("it_work") == 3
    paid, _ = run_terms(p.compiled.arrays, events, np.array([0, 1, 2]))
    assert paid[:, 0].tolist() == [3.0, 0.0]


def test_detail_and_trace_step_by_step_by_hand():
    # Shared limit S (30 per event) over A (damages: deductible 10, coinsurance 50%, limit 40,
    # aggregate 50) and B (consolation capped at 1 a victim, reported leaks only).
    # Event 1 (reported, 20 victims): A 100 -10 -45 -5 = 40; B 30 -10 (cap 20) = 20; S gets 60
    # and pays 30, handing A 40 x 1/2 = 20 and B 10; A has 30 of its aggregate left.
    # Event 2 (not reported): A 130 -10 -60 -20 = 40, aggregate -10 = 30; B 30 -10 -20 = 0;
    # S gets 30 and pays it.
    a = Section("A", covers=["damages"], deductible=10, coinsurance=0.5, limit=40, aggregate=50)
    b = Section("B", covers=["consolation"], caps={"consolation": Cap(per_victim=1)}, trigger="reported")
    p = Policy("by hand", [a, b], [SharedLimit("S", ["A", "B"], limit=30)])
    losses = {"damages": 100, "consolation": 30}
    year = p.apply_year([{"losses": losses, "victims": 20, "reported": True},
                         {"losses": {**losses, "damages": 130}, "victims": 20, "reported": False}])
    columns = ["kind", "depth", "covered", "per_victim_caps", "trigger_or_cause", "deductible",
               "coinsurance", "event_limit", "aggregate", "limits_above", "paid"]
    removed = {  # node: (covered, the amount each step removed ..., paid)
        1: {"A": [100, 0, 0, 10, 45, 5, 0, 20, 20], "B": [30, 10, 0, 0, 0, 0, 0, 10, 10],
            "S": [60, 0, 0, 0, 0, 30, 0, 0, 30]},
        2: {"A": [130, 0, 0, 10, 60, 20, 10, 0, 30], "B": [30, 10, 20, 0, 0, 0, 0, 0, 0],
            "S": [30, 0, 0, 0, 0, 0, 0, 0, 30]},
    }
    for event, expected in zip(year.events, removed.values()):
        detail = event.detail
        assert list(detail.columns) == columns
        assert detail[columns[2:]].loc[["A", "B", "S"]].to_numpy().tolist() == list(expected.values())
    assert [e.paid for e in year.events] == [30, 30]
    # The raw trace, read by column name: the amount left after each step.
    from sim.policy import Trace

    first = year.events[0].steps[0]  # node A of event 1
    assert (first[Trace.covered], first[Trace.deductible], first[Trace.coinsurance],
            first[Trace.event_limit], first[Trace.limits_above]) == (100, 90, 45, 40, 20)


def test_policy_modules_import_one_way():
    # Each module of sim.policy imports only modules listed before it (imports inside
    # functions and under TYPE_CHECKING count), so the package has no import cycle.
    import importlib.util

    path = ROOT / "benchmarks" / "import_graph.py"
    spec = importlib.util.spec_from_file_location("import_graph", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    graph = module.import_graph()
    order = ["terms", "compile", "limit_kernel", "engine", "contract", "declare"]
    package = sorted(m.rpartition(".")[2] for m in graph if m.startswith("sim.policy."))
    assert package == sorted(order)
    for i, name in enumerate(order):
        inside = {m for m in graph[f"sim.policy.{name}"] if m.startswith("sim.policy")}
        assert inside <= {f"sim.policy.{m}" for m in order[:i]}, name
