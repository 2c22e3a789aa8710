"""Hand-made extreme scenario files for the fuzz test: heavy tails, huge sizes and rates, sums
past the float range, encodings other than UTF-8, absurd nesting.

Where a model is deterministic (a fixed size, a per-record cost without noise, one event a year),
the gross mean per year is given in closed form and checked.
"""
from __future__ import annotations

import copy

from fuzz_cases import CUSTOM, SCENARIOS, scenario_thunk, to_toml
from fuzz_harness import Case

BASIC = {"product": "basic", "name": "XL", "deductible": 1e6, "limit": 1e15, "aggregate": 1e15}


def _peer(damages: dict | None = None, frequency: dict | None = None, **extra) -> dict:
    doc = {"name": "extreme", "frequency": frequency or {"kind": "poisson", "rate": 0.5},
           "model": {"direct": {"damages": damages or {"dist": "lognormal", "median": 1e7,
                                                      "sigma": 1.5}}},
           "policies": [dict(BASIC)]}
    doc.update(extra)
    return doc


def _per_record(size: float, per_record: float) -> dict:
    """One event a year of a fixed size with a noiseless per-record cost: gross = size x cost."""
    return {"name": "per-record", "frequency": {"kind": "one"},
            "model": {"records_held": float("inf"), "size": {"dist": "fixed", "value": size},
                      "cause_mix": {"cyber_attack": 1.0},
                      "costs": {"letters": {"per_record": per_record, "sigma": 0.0}}},
            "policies": [dict(BASIC)]}


def _case(name: str, doc: dict | bytes, expect: str = "either", field: tuple = (),
          n_years: int = 2_000, gross_mean: float | None = None) -> Case:
    data = doc if isinstance(doc, bytes) else to_toml(doc).encode()
    return Case(f"ext-{name}", "scenario", scenario_thunk(data, n_years, gross_mean), expect,
                field, name)


def _severities() -> list[Case]:
    pareto = lambda alpha: {"dist": "pareto", "minimum": 1e6, "alpha": alpha}  # noqa: E731
    lnp = {"dist": "lognormal_pareto", "median": 1e7, "sigma": 1.0, "threshold": 1e8, "alpha": 0.9}
    return [
        _case("pareto-alpha-1", _peer(pareto(1.0)), "error", ("alpha",)),
        _case("pareto-alpha-0.5", _peer(pareto(0.5)), "error", ("alpha",)),
        _case("pareto-alpha-0.999", _peer(pareto(0.999)), "error", ("alpha",)),
        _case("pareto-alpha-1.0001", _peer(pareto(1.0001))),
        _case("pareto-alpha-1.5", _peer(pareto(1.5)), "ok"),
        _case("lognormal-pareto-alpha-0.9", _peer(lnp), "error", ("alpha",)),
        _case("lognormal-median-1e15", _peer({"dist": "lognormal", "median": 1e15, "sigma": 0.05})),
        _case("lognormal-sigma-10", _peer({"dist": "lognormal", "median": 1e7, "sigma": 10})),
        _case("lognormal-sigma-40", _peer({"dist": "lognormal", "median": 1.0, "sigma": 40})),
        _case("gamma-cv-100", _peer({"dist": "gamma", "mean": 1e14, "cv": 100})),
        _case("gamma-mean-1e300", _peer({"dist": "gamma", "mean": 1e300, "cv": 1})),
        _case("fixed-1e308", _peer({"dist": "fixed", "value": 1e308})),
        _case("fixed-2**50", _peer({"dist": "fixed", "value": 2.0 ** 50})),
        # Issue 13 item 1: each year under the 2**50 guard, the tallies' sums past int64. The
        # 10% tail must hold over 9.2e18 / 5e14 years to reach it, hence 200,000 years (0.1 s).
        _case("tally-overflow", _peer({"dist": "lognormal", "median": 5e14, "sigma": 0.05},
                                      {"kind": "one"}), n_years=200_000),
        _case("tally-overflow-narrow", _peer({"dist": "lognormal", "median": 9e14, "sigma": 0.01},
                                             {"kind": "one"}), n_years=200_000),
        _case("tally-overflow-fixed", _peer({"dist": "fixed", "value": 1e15}, {"kind": "one"}),
              n_years=200_000, gross_mean=1e15),
    ]


def _with_rate(text: str, rate: str) -> str:
    """A scenario file's [frequency] table replaced by a Poisson rate (the calibrated loss model
    kept); fails loudly if the file has no such table."""
    start = text.index("[frequency]\n")
    end = text.index("\n\n", start)
    return text[:start] + f'[frequency]\nkind = "poisson"\nrate = {rate}' + text[end:]


def _sizes_and_rates() -> list[Case]:
    calibrated = (SCENARIOS / "jcci_internet_3oku_B.toml").read_text("utf-8")
    many = _peer()
    many["policies"] = [dict(BASIC, name=f"XL {i}", deductible=1e4 * i) for i in range(40)]
    return [
        # Issue 13 item 2: breach sizes of 2**63 people or more became 1 person.
        _case("size-2**63", _per_record(2.0 ** 63, 1e-4), gross_mean=2.0 ** 63 * 1e-4),
        _case("size-1e19", _per_record(1e19, 1e-5), gross_mean=1e19 * 1e-5),
        _case("size-1e12", _per_record(1e12, 100.0), gross_mean=1e14),
        _case("size-1e19-cost-100", _per_record(1e19, 100.0), "error"),
        # 200 years of 1e4 events: 2 million events, a few seconds if run, never a block's
        # 16,384 x 1e4 events held at once.
        _case("rate-1e4", _peer(frequency={"kind": "poisson", "rate": 1e4}), n_years=200),
        _case("rate-1e4-negbin", _peer(frequency={"kind": "negative_binomial", "mean": 1e4, "cv": 2}),
              n_years=200),
        _case("rate-1e4-calibrated", _with_rate(calibrated, "1e4").encode(),
              n_years=200),
        _case("rate-1e300", _peer(frequency={"kind": "poisson", "rate": 1e300})),
        _case("rate-1e-300", _peer(frequency={"kind": "poisson", "rate": 1e-300})),
        _case("40-policies", many),
    ]


def _events() -> list[Case]:
    doc = _peer(event={"losses": {"damages": 1e308, "litigation": 1e308}, "victims": 1})
    big = _peer(event={"losses": {"damages": 1e15, "litigation": 1e15}, "victims": 10 ** 19})
    many = _peer(event={"losses": {c: 1e13 for c in ("damages", "litigation", "letters",
                                                     "consolation", "call_center")}})
    return [_case("event-sum-past-float", doc, "error"), _case("event-1e15", big),
            _case("event-many-components", many, "ok")]


def _encodings_and_nesting() -> list[Case]:
    jcci = (SCENARIOS / "jcci_brochure_100k.toml").read_text("utf-8")
    peer = (SCENARIOS / "peer_compound.toml").read_text("utf-8")
    deep_parts = copy.deepcopy(CUSTOM)
    part = deep_parts["policies"][0]["sections"][1]["parts"][0]
    for i in range(60):
        part["parts"] = [{"name": f"p{i}", "covers": [], "limit": 1e6}]
        part = part["parts"][0]
    return [
        _case("shift-jis", jcci.encode("shift_jis", errors="replace"), "error"),
        _case("utf-16", peer.encode("utf-16"), "error"),
        _case("latin-1-byte", peer.replace("basic XL", "basic\xffXL").encode("latin-1"), "error"),
        _case("utf-8-bom", b"\xef\xbb\xbf" + peer.encode()),
        _case("nul-byte", peer.encode().replace(b"rate", b"ra\0te"), "error"),
        _case("truncated", peer.encode()[: len(peer) // 2], "error"),
        _case("empty", b"", "error", ("name",)),
        _case("deep-array", b"x = " + b"[" * 20_000 + b"]" * 20_000 + b"\n" + peer.encode(), "error"),
        _case("deep-table", b"x = " + b"{a = " * 5_000 + b"1" + b"}" * 5_000 + b"\n" + peer.encode(),
              "error"),
        _case("deep-array-in-covers", _with_covers("[" * 50 + '"damages"' + "]" * 50), "error",
              ("covers",)),
        # Deeper than the TOML reader can go: the error may be about the file, not about covers.
        _case("deeper-array-in-covers", _with_covers("[" * 800 + '"damages"' + "]" * 800), "error"),
        _case("deep-parts", deep_parts),
        _case("covers-5", _with_covers("5"), "error", ("covers",)),
        _case("covers-string", _with_covers('"damages"'), field=("covers",)),
        _case("causes-nested", _with_causes('[["insider"]]'), "error", ("causes",)),
        _case("causes-string", _with_causes('"insider"'), field=("causes",)),
        _case("duplicate-key", peer.encode() + b"\nname = \"again\"\n", "error"),
    ]


def _with_covers(covers: str) -> bytes:
    return _custom_with("covers", covers)


def _with_causes(causes: str) -> bytes:
    return _custom_with("causes", causes)


def _custom_with(key: str, raw: str) -> bytes:
    """The custom policy's first section with ``key`` set to the raw TOML ``raw``."""
    doc = copy.deepcopy(CUSTOM)
    doc["policies"][0]["sections"][0][key] = "@@RAW@@"
    return to_toml(doc).replace('"@@RAW@@"', raw).encode()


def extreme_scenarios() -> list[Case]:
    return _severities() + _sizes_and_rates() + _events() + _encodings_and_nesting()
