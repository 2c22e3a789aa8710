"""Fuzz cases for the Python API: the product templates, ``sim.policy.basic``, ``Policy.apply``
and ``apply_year``, ``sim.simulate`` and ``Scenario.with_policies``.

NumPy integer and float scalars must be accepted wherever a number is (``expect="ok"``); NaN,
negative amounts, strings for numbers, scalars for lists and unknown keywords must be refused
with an error naming the argument.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from fuzz_cases import SCENARIOS, _fsum
from fuzz_harness import Applied, Case

NAN, INF = float("nan"), float("inf")
PEER = SCENARIOS / "peer_compound.toml"
EVENT = {"damages": 5e7, "litigation": 4e6, "letters": 1.2e7}


def _case(name: str, fn, expect: str = "either", field: tuple = ()) -> Case:
    return Case(f"api-{name}", "api", lambda workdir: fn(), expect, field, name)


def _jcci(**kw):
    import sim
    return sim.products.jcci(**kw)


def _aig(*args, **kw):
    import sim
    return sim.products.aig(*args, **kw)


def _basic(*args, **kw):
    import sim
    return sim.policy.basic(*args, **kw)


def _jcci_cases() -> list[Case]:
    c = []
    for v, expect in (("gold", "error"), (None, "error"), (5, "error"), ("Standard", "either")):
        c.append(_case(f"jcci-plan={v!r}", lambda v=v: _jcci(plan=v), expect, ("plan",)))
    for v, expect in (("Z", "error"), ("c", "either"), (3, "error"), (["C"], "error"),
                      (np.str_("D"), "ok")):
        c.append(_case(f"jcci-set={v!r}", lambda v=v: _jcci(coverage_set=v), expect, ("coverage_set",)))
    c.append(_case("jcci-E-without-limits", lambda: _jcci(coverage_set="E"), "error",
                   ("liability_limit", "cost_limit")))
    for name, lim, cost, expect in (
            ("np.float64/np.int64", np.float64(2e8), np.int64(50_000_000), "ok"),
            ("np.int32/np.float32", np.int32(20_000_000), np.float32(5e6), "ok"),
            ("nan", NAN, 5e6, "error"), ("-1", -1.0, 5e6, "error"), ("inf", INF, 5e6, "either"),
            ("'2e8'", "2e8", 5e6, "error"), ("0", 0.0, 5e6, "either"), ("list", [2e8], 5e6, "error")):
        c.append(_case(f"jcci-E-liability_limit={name}",
                       lambda lim=lim, cost=cost: _jcci(coverage_set="E", liability_limit=lim,
                                                        cost_limit=cost), expect,
                       ("liability_limit", "cost_limit")))
    c.append(_case("jcci-C-with-limit", lambda: _jcci(coverage_set="C", liability_limit=1e8),
                   "either", ("liability_limit",)))
    for v, expect in (("yes", "error"), (1, "error"), (np.bool_(True), "either")):
        c.append(_case(f"jcci-it_work={v!r}", lambda v=v: _jcci(it_work=v), expect, ("it_work",)))
    c.append(_case("jcci-name=5", lambda: _jcci(name=5), "either", ("name",)))
    c.append(_case("jcci-unknown-keyword", lambda: _jcci(coverage="C"), "error", ("coverage",)))
    return c


def _aig_cases() -> list[Case]:
    c = [_case("aig-no-limit", lambda: _aig(), "error", ("limit",)),
         _case("aig-unknown-keyword", lambda: _aig(3e8, executon=True), "error", ("executon",))]
    for v, expect in ((0, "error"), (-1, "error"), (NAN, "error"), ("3e8", "error"), ([3e8], "error"),
                      (None, "error"), (True, "error"), (INF, "either"), (1e300, "either"),
                      (np.int64(300_000_000), "ok"), (np.float32(3e8), "ok"),
                      (np.uint32(100_000_000), "ok"), (np.float64(5e7), "ok")):
        c.append(_case(f"aig-limit={v!r}", lambda v=v: _aig(v), expect, ("limit",)))
    for key, values in (
            ("execution", (("true", "error"), (np.bool_(True), "either"))),
            ("cyber_response", ((1, "error"),)), ("card_fraud", (("no", "error"),)),
            ("consulting_double", ((None, "error"),)),
            ("deductible", ((-1, "error"), (NAN, "error"), (np.int64(1_000_000), "ok"),
                            (1e20, "either"), (2e8, "either"))),
            ("coinsurance", ((1.5, "error"), (-0.1, "error"), (np.float64(0.1), "ok"),
                             (np.float32(0.25), "ok"), ("0.1", "error"))),
            ("corporate_info", (("main", "ok"), (2e7, "error"), (np.float64(1e7), "ok"),
                                (np.int64(30_000_000), "ok"), (True, "error"), ("huge", "error"))),
            ("ip", ((3e7, "ok"), (5, "error"), (np.int64(10_000_000), "ok")))):
        for v, expect in values:
            c.append(_case(f"aig-{key}={v!r}", lambda key=key, v=v: _aig(3e8, **{key: v}), expect,
                           (key,)))
    return c


def _basic_cases() -> list[Case]:
    c = [_case("basic-4-positional", lambda: _basic(1e6, 1e8, 1e8, ["damages"]), "error"),
         # A string is one component, not a list of letters: no "unknown name 'd'".
         Case("api-basic-covers-letters", "api", lambda workdir: _basic(covers="damages"), "either",
              ("covers",), "basic(covers='damages')", forbid=("'d'",))]
    for v, expect in ((5, "error"), ([["damages"]], "error"),
                      (["damages", "damages"], "error"), ([], "either"), (["bogus"], "error"),
                      (None, "error"), (("damages", "letters"), "ok"), ({"damages": 1}, "either")):
        c.append(_case(f"basic-covers={v!r}", lambda v=v: _basic(covers=v), expect, ("covers",)))
    for key, values in (
            ("deductible", ((np.int64(10 ** 6), "ok"), (np.float32(1e6), "ok"), ("1e6", "error"),
                            (-5, "error"), (INF, "error"), (1e300, "either"))),
            ("limit", ((np.float32(1e8), "ok"), (0, "error"), (NAN, "error"), (-1, "error"),
                       (np.uint64(10 ** 8), "ok"))),
            ("aggregate", ((-1, "error"), (np.int64(10 ** 8), "ok"))),
            ("coinsurance", ((np.float64(0.2), "ok"), (2, "error"), (NAN, "error"))),
            ("name", ((5, "either"),))):
        for v, expect in values:
            c.append(_case(f"basic-{key}={v!r}", lambda key=key, v=v: _basic(**{key: v}), expect,
                           (key,)))
    return c


def _apply(policy: str, losses, **kw):
    import sim
    p = {"basic": lambda: sim.policy.basic(deductible=1e6, limit=1e8, aggregate=1e8),
         "jcci": lambda: sim.products.jcci(coverage_set="C"),
         "aig": lambda: sim.products.aig(3e8, execution=True)}[policy]()
    kw.setdefault("victims", 10_000)
    out = p.apply(losses, **kw)
    try:
        gross = _fsum(float(v) for v in losses.values())
    except (TypeError, ValueError, AttributeError):
        gross = None
    return Applied(out, gross)


def _apply_cases() -> list[Case]:
    c = []
    for policy in ("basic", "jcci", "aig"):
        c.append(_case(f"apply-{policy}-sum-past-float",
                       lambda policy=policy: _apply(policy, {"damages": 1e308, "litigation": 1e308}),
                       "error", ("losses", "damages", "litigation")))
    for v, expect in ((NAN, "error"), (-1, "error"), (INF, "error"), ("5e7", "error"), ([5e7], "error"),
                      (None, "error"), (True, "error"), (np.float64(5e7), "ok"),
                      (np.int64(50_000_000), "ok"), (np.float32(5e7), "ok"), (np.uint16(5000), "ok"),
                      (1e300, "either")):
        c.append(_case(f"apply-damages={v!r}", lambda v=v: _apply("basic", {"damages": v}), expect,
                       ("damages",)))
        c.append(_case(f"apply-aig-damages={v!r}", lambda v=v: _apply("aig", {"damages": v}), expect,
                       ("damages",)))
    for v, expect, field in (({"bogus": 1}, "error", "bogus"), ({"Damages": 1}, "error", "Damages"),
                             ([("damages", 1)], "error", "losses"), (None, "error", "losses"),
                             (5, "error", "losses"), ("damages", "error", "losses"), ({}, "ok", ""),
                             ({c: 1e306 for c in ("damages", "letters", "call_center")}, "either", ""),
                             ({"damages": 1e15, "letters": 1e15}, "either", "")):
        c.append(_case(f"apply-losses={str(v)[:40]}", lambda v=v: _apply("jcci", v), expect,
                       (field,) if field else ()))
    for key, values in (
            ("victims", ((-1, "error"), (1.5, "error"), (NAN, "error"), ("100", "error"), (None, "error"),
                         (True, "error"), (np.int64(100_000), "ok"), (np.float64(1e5), "ok"),
                         (np.int32(5), "ok"), (10 ** 19, "either"), (1e300, "either"))),
            ("corporate_victims", ((np.int16(10), "ok"), (-3, "error"))),
            ("cause", (("hacker", "error"), (5, "error"), (["insider"], "error"), (np.str_("insider"), "ok"),
                       ("", "error"), ("CYBER_ATTACK", "error"))),
            ("reported", (("yes", "error"), (1, "error"), (np.bool_(True), "either"), (None, "error")))):
        for v, expect in values:
            c.append(_case(f"apply-{key}={v!r}", lambda key=key, v=v: _apply("jcci", EVENT, **{key: v}),
                           expect, (key,)))
    c.append(_case("apply-unknown-keyword", lambda: _apply("basic", EVENT, victim=5), "error", ("victim",)))
    c.append(_case("apply-incident", lambda: _apply("jcci", EVENT, incident="leak"), "either", ("incident",)))
    return c


def _year(events):
    import sim
    p = sim.policy.basic(deductible=1e6, limit=1e8, aggregate=1e9)
    out = p.apply_year(events)
    try:
        gross = _fsum(float(v) for e in events for v in e["losses"].values())
    except (TypeError, KeyError, AttributeError):
        gross = None
    return Applied(out, gross)


def _year_cases() -> list[Case]:
    one = {"losses": {"damages": 1e8}, "victims": 5}
    rows = (("empty", [], "ok", "events"), ("None", None, "error", "events"),
            ("mapping", one, "error", "events"), ("string", "abc", "error", "events"),
            ("[5]", [5], "error", "events"), ("victim-typo", [dict(one, victim=5)], "error", "victim"),
            ("loss-typo", [{"loss": {"damages": 1.0}}], "error", "loss"),
            ("1000-events", [{"losses": {"damages": 1e6}}] * 1000, "ok", "events"),
            ("sum-past-float", [{"losses": {"damages": 1e308}}] * 2, "error", "events"),
            ("numpy", [{"losses": {"damages": np.float64(1e8)}, "victims": np.int64(5)}], "ok", "events"),
            ("tuple", (one, one), "ok", "events"),
            ("generator", (e for e in [one]), "either", "events"))
    return [_case(f"apply_year-{name}", lambda v=v: _year(v), expect, (field,))
            for name, v, expect, field in rows]


def _simulate(scenario=None, n_years=2_000, seed=1, **kw):
    import sim
    scn = sim.load_scenario(PEER) if scenario is None else scenario
    kw.setdefault("threads", 2)
    return sim.simulate(scn, n_years=n_years, seed=seed, **kw)


def _simulate_cases() -> list[Case]:
    c = []
    for name, scn, expect in (("path-str", str(PEER), "ok"), ("Path", Path(PEER), "ok"),
                              ("None", None, "error"), ("dict", {}, "error")):
        c.append(_case(f"simulate-scenario={name}",  # a path is loaded (documented)
                       lambda scn=scn: __import__("sim").simulate(scn, n_years=2_000, seed=1),
                       expect, ("scenario",)))
    for key, values in (
            ("n_years", ((0, "error"), (-5, "error"), (2.5, "error"), ("2000", "error"), (None, "error"),
                         (True, "error"), (NAN, "error"), (INF, "error"), (10 ** 18, "error"),
                         (np.int64(2_000), "ok"), (np.int32(2_000), "ok"), (np.uint64(2_000), "ok"),
                         (np.float64(2_000.0), "ok"), (2_000.0, "ok"))),
            ("seed", ((-1, "error"), ("7", "error"), (1.5, "error"), (None, "either"), (2 ** 64, "either"),
                      (2 ** 200, "either"), (np.int64(7), "ok"), (np.uint32(7), "ok"), (True, "error"))),
            ("threads", ((0, "error"), (-1, "error"), (1.5, "error"), ("2", "error"), (10 ** 6, "ok"),
                         (np.int64(2), "ok"), (np.int8(1), "ok"))),
            ("client", (("tcp://127.0.0.1:8786", "error"), (object(), "error"), (5, "error"),
                        (True, "error"))),
            ("keep_years", (("yes", "either"), (True, "ok"))),
            ("keep_events", (("yes", "error"), (1, "error"), (True, "ok")))):
        for v, expect in values:
            label = "object()" if type(v) is object else repr(v)
            c.append(_case(f"simulate-{key}={label}"[:70], lambda key=key, v=v: _simulate(**{key: v}),
                           expect, (key,)))
    c += [_case("simulate-keep_years-1e9", lambda: _simulate(n_years=10 ** 9, keep_years=True),
                "error", ("n_years", "keep_years")),
          _case("simulate-keep_events-1e9", lambda: _simulate(n_years=10 ** 9, keep_events=True),
                "error", ("keep_events",)),
          _case("simulate-unknown-keyword", lambda: _simulate(nyears=5), "error", ("nyears",)),
          _case("simulate-positional", lambda: __import__("sim").simulate(
              __import__("sim").load_scenario(PEER), 2_000, 1, threads=2), "ok"),
          _case("simulate-explain-only", _explain_only, "error", ("model",))]
    return c


def _explain_only():
    import sim
    from sim.scenario import scenario_from_dict

    scn = scenario_from_dict({"name": "x", "event": {"losses": {"damages": 1e6}},
                              "policies": [{"product": "basic"}]})
    return sim.simulate(scn, n_years=2_000, seed=1)


def _with_policies(policies):
    import sim
    scn = sim.load_scenario(PEER).with_policies(policies() if callable(policies) else policies)
    return sim.simulate(scn, n_years=2_000, seed=1, threads=2)


def _with_policies_cases() -> list[Case]:
    basic = lambda **kw: _basic(**kw)  # noqa: E731
    rows = (("empty", [], "error", "policies"), ("[None]", [None], "error", "policies"),
            ("a-policy", lambda: basic(), "error", "policies"),
            ("names", ["basic XL"], "error", "policies"),
            ("duplicates", lambda: [basic(), basic()], "error", "name"),
            ("numpy-limit", lambda: [basic(limit=np.float64(1e8), deductible=np.int64(10 ** 6))], "ok",
             "deductible"))
    return [_case(f"with_policies-{name}", lambda v=v: _with_policies(v), expect, (field,))
            for name, v, expect, field in rows]


def api_cases() -> list[Case]:
    return (_jcci_cases() + _aig_cases() + _basic_cases() + _apply_cases() + _year_cases()
            + _simulate_cases() + _with_policies_cases())
