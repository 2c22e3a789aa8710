"""Generated fuzz inputs: scenario files mutated from ``scenarios/*.toml``, extreme scenarios,
API calls and command lines (the last two in ``fuzz_calls.py``), all from one fixed seed.

Each case says whether it must be refused (``expect="error"``: NaN, negative amounts, unknown
keys, wrong types, Pareto alpha <= 1, ...), must be accepted (``"ok"``: NumPy scalars, valid
files) or may end either way (``"either"``: e.g. a dropped key that has a default), and which
names an error must mention (the key that was changed).
"""
from __future__ import annotations

import copy
import json
import math
from pathlib import Path
import random
import tomllib

from fuzz_harness import Applied, Case, Expected

SEED = 13
N_MUTATIONS = 210
N_YEARS = 2_000
ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

# A custom policy with parts, caps, a trigger, a cause filter, a derived and a shared limit (as
# in sim/policy/declare.py), so that mutations reach the keys no bundled scenario uses.
CUSTOM = {
    "name": "custom terms",
    "frequency": {"kind": "negative_binomial", "mean": 0.5, "cv": 2.0},
    "model": {"cause_mix": {"cyber_attack": 0.5, "insider": 0.5},
              "size": {"dist": "lognormal", "median": 1000, "sigma": 1.5},
              "reporting": {"p_min": 0.3, "p_max": 0.9, "n50": 1000, "steepness": 1.0},
              "claimants": {"rate_mean": 0.05, "rate_cv": 0.5,
                            "award": {"dist": "gamma", "mean": 10000, "cv": 1.0}},
              "court_days": {"officer": 1.0, "employee": 2.0},
              "costs": {"letters": {"per_record": 100, "sigma": 0.2},
                        "forensics": {"fixed": 3e6, "probability": 0.5, "min_victims": 10,
                                      "causes": ["cyber_attack"]}},
              "direct": {"corporate_info": {"dist": "pareto", "minimum": 1e6, "alpha": 2.5}}},
    "event": {"losses": {"damages": 5e7, "letters": 1e7, "consolation": 2e6}, "victims": 5000,
              "corporate_victims": 3, "reported": True, "cause": "insider"},
    "policies": [{"product": "custom", "name": "my cover",
                  "sections": [{"name": "liability", "covers": ["damages", "litigation"],
                                "deductible": 1e6, "coinsurance": 0.1, "limit": 1e8,
                                "aggregate": 1e8, "causes": ["insider", "cyber_attack"]},
                               {"name": "costs", "covers": ["letters"], "trigger": "reported",
                                "limit": {"of": "overall", "share": 0.1, "at_most": 5e6},
                                "parts": [{"name": "consolation", "covers": ["consolation"],
                                           "caps": {"consolation": {"per_victim": 500,
                                                                    "per_corporate_victim": 5e4}},
                                           "limit": 2e6}]}],
                  "shared": [{"name": "overall", "sections": ["liability", "costs"],
                              "limit": 1e8, "aggregate": 1e8}]},
                 {"product": "basic", "deductible": 1e6, "limit": 1e8, "aggregate": 2e8}],
}
LENIENT = {"name", "description", "source", "note", "label"}   # any value is read as text
EXTREMES = (-1, -1e-9, 0, 0.5, 1e-300, 1e15, 1e19, 1.7e308, math.nan, math.inf, -math.inf,
            2 ** 63, 10 ** 30)


# --- TOML ---------------------------------------------------------------------------------------

def to_toml(doc: dict) -> str:
    """A mapping as TOML, every value inline (``key = {...}``), which any TOML reader accepts."""
    return "".join(f"{_key(k)} = {_value(v)}\n" for k, v in doc.items())


def _key(k: str) -> str:
    return json.dumps(str(k), ensure_ascii=False)


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else repr(v)   # repr gives inf, -inf, 1e+300
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


# --- running a scenario file --------------------------------------------------------------------

def scenario_thunk(data: bytes, n_years: int = N_YEARS, gross_mean: float | None = None,
                   stem: str = "fuzz"):
    """Load ``data`` as a scenario file; explain its event and simulate its model."""
    def thunk(workdir: Path):
        import sim
        from sim.explain import explain

        path = workdir / f"{stem}.toml"
        path.write_bytes(data)
        scn = sim.load_scenario(path)
        checked: list = []
        if scn.event is not None:
            gross = _fsum(scn.event["losses"].values())
            checked += [Applied(p.apply(**scn.event), gross) for p in scn.policies]
            checked.append(explain(scn, "plain"))
        if scn.model is not None:
            res = sim.simulate(scn, n_years=n_years, seed=1, threads=2)
            checked.append(res if gross_mean is None else Expected(res, gross_mean))
        return checked
    return thunk


def _fsum(values) -> float:
    try:
        return math.fsum(values)
    except OverflowError:
        return math.inf


# --- mutations ----------------------------------------------------------------------------------

def base_documents() -> list[tuple[str, dict]]:
    docs = [(p.stem, tomllib.loads(p.read_text("utf-8"))) for p in sorted(SCENARIOS.glob("*.toml"))]
    return docs + [("custom", CUSTOM)]


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    """Every key and list element below ``node``, as a path of keys and indices."""
    out = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        out.append(prefix + (k,))
        out += _paths(v, prefix + (k,))
    return out


def _get(doc: dict, path: tuple) -> object:
    for k in path:
        doc = doc[k]
    return doc


def _name(path: tuple) -> str:
    """The key an error about ``path`` must name: the last key (a list element's list)."""
    return next(str(k) for k in reversed(path) if isinstance(k, str))


# Model tables whose extreme values may be found only mid-run, and the components they feed.
FEEDS = {"claimants": ("damages", "litigation", "court_attendance"), "litigation": ("litigation",),
         "court_days": ("court_attendance",)}


def _value_names(path: tuple) -> tuple[str, ...]:
    """Names an error about the value at ``path`` may give: its key, or for a value found out of
    range only mid-run, the loss component it feeds (any component, for the breach size)."""
    from sim.components import COMPONENTS

    keys = [k for k in path if isinstance(k, str)]
    names = {keys[-1]}
    if keys[0] == "event" and "losses" in keys:
        names.add("losses")
    if keys[0] == "model" and len(keys) > 1:
        names |= set(keys[1:])       # the key or a table it is in, e.g. the cost it belongs to
        if keys[1] in FEEDS:
            names |= set(FEEDS[keys[1]])
        elif keys[1] in ("size", "size_by_cause", "records_held"):
            names |= set(COMPONENTS)
    return tuple(sorted(names))


def _text(path: tuple) -> str:
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path).lstrip(".")


def _wrong_type(value: object, rng: random.Random) -> object:
    if isinstance(value, bool):
        return rng.choice(["true", 1, [value]])
    if isinstance(value, (int, float)):
        return rng.choice([str(value), f"{value:,}" if math.isfinite(value) else "inf", [value],
                           [[value]], {"value": value}, True])
    if isinstance(value, str):
        return rng.choice([5, [value], [[value]], {"x": value}, 1.5])
    if isinstance(value, list):
        return rng.choice([5, "x" if not value else value[0], [value], {"0": 1}, 2.5])
    return rng.choice([5, "table", [], True, [[1, 2]]])


def _unknown_key(table: dict, rng: random.Random, known: set[str]) -> str:
    """A near miss of one of the table's keys (a doubled letter) or a plain unknown name."""
    keys = [k for k in table if len(k) > 2]
    if keys and rng.random() < 0.6:
        k = rng.choice(keys)
        i = rng.randrange(1, len(k))
        name = k[:i] + k[i] + k[i:]
        if name not in known:
            return name
    return rng.choice(["bogus", "limits", "sigma2", "extra_key", "coverage"]) + "_x"


def mutation(doc_name: str, doc: dict, rng: random.Random, known: set[str], i: int) -> Case:
    doc = copy.deepcopy(doc)
    paths = _paths(doc)
    op = rng.choice(["drop", "drop", "type", "type", "type", "extreme", "extreme", "unknown"])
    expect, field = "either", ()
    if op == "extreme":
        numeric = [p for p in paths if isinstance(_get(doc, p), (int, float))
                   and not isinstance(_get(doc, p), bool)]
        path = rng.choice(numeric)
        value = rng.choice(EXTREMES)
        parent = _get(doc, path[:-1])
        parent[path[-1]] = value
        if isinstance(value, float) and math.isnan(value) or value < 0:
            expect = "error"
        field = _value_names(path)
        what = f"{_text(path)} = {value!r}"
    elif op == "unknown":
        tables = [()] + [p for p in paths if isinstance(_get(doc, p), dict)]
        path = rng.choice(tables)
        table = _get(doc, path)
        key = _unknown_key(table, rng, known)
        table[key] = copy.deepcopy(rng.choice(list(table.values()))) if table else 1
        expect, field, what = "error", (key,), f"unknown key {_text(path + (key,))}"
    else:
        path = rng.choice(paths)
        parent = _get(doc, path[:-1])
        field = (_name(path),)
        if op == "drop":  # the key, or the table it was in (e.g. two policies now share a name)
            del parent[path[-1]]
            field += (_text(path[:-1]),) if isinstance(path[-1], str) and len(path) > 1 else ()
            what = f"drop {_text(path)}"
        else:
            value = _wrong_type(parent[path[-1]], rng)
            parent[path[-1]] = value
            lenient = _name(path) in LENIENT or (path[-1] == "reference" and isinstance(value, list))
            expect = "either" if lenient else "error"
            what = f"{_text(path)} = {value!r}"[:120]
    return Case(f"scn{i:03d}-{doc_name}-{op}", "scenario", scenario_thunk(to_toml(doc).encode()),
                expect, field, f"{doc_name}: {what}")


def _known_names() -> set[str]:
    from sim.components import CAUSES, COMPONENTS
    from sim.scenario import MODEL_KEYS

    known = set(COMPONENTS) | set(CAUSES) | set(MODEL_KEYS)
    for _, doc in base_documents():
        known |= {k for p in _paths(doc) for k in p if isinstance(k, str)}
    return known


def mutated_scenarios(rng: random.Random) -> list[Case]:
    docs, known = base_documents(), _known_names()
    cases: list[Case] = []
    seen: set[str] = set()
    while len(cases) < N_MUTATIONS:  # the same mutation drawn twice is kept once
        i = len(cases)
        case = mutation(*docs[i % len(docs)], rng, known, i)
        if case.desc not in seen:
            seen.add(case.desc)
            cases.append(case)
    return cases


def generate() -> list[Case]:
    """Every case, in a fixed order, from ``SEED``."""
    from fuzz_calls import api_cases
    from fuzz_cli import cli_cases
    from fuzz_extremes import extreme_scenarios

    rng = random.Random(SEED)
    return mutated_scenarios(rng) + extreme_scenarios() + api_cases() + cli_cases()
