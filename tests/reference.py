"""A plain-Python reference of the policy-limit engine, written from design.md section 5.

It walks the declared Section/SharedLimit objects with dicts and recursion: no compiled arrays,
no Numba, nothing shared with sim.policy's compiler or kernels, so agreement means something.
"""
from __future__ import annotations

import math

from sim.policy import Policy, Section, Share


def resolve_limits(policy: Policy) -> dict[tuple[str, str], float]:
    decls = {s.name: s for top in policy.sections for s in top.walk()}
    decls.update({sh.name: sh for sh in policy.shared})

    def value(name: str, which: str) -> float:
        v = getattr(decls[name], which)
        if isinstance(v, Share):
            return min(v.at_most, v.share * value(v.of, v.basis))
        return float(v)

    return {(n, w): value(n, w) for n in decls for w in ("limit", "aggregate")}


def apply_year(policy: Policy, events: list[dict]) -> list[dict[str, float]]:
    """Per event, paid per top-level section."""
    return [{s.name: paid[s.name] for s in policy.sections} for paid in apply_year_nodes(policy, events)]


def apply_year_nodes(policy: Policy, events: list[dict]) -> list[dict[str, float]]:
    """Per event, paid by every node: sections, their parts (at any depth) and shared limits."""
    limits = resolve_limits(policy)
    left = {name: agg for (name, which), agg in limits.items() if which == "aggregate"}
    parent_of = {name: sh.name for sh in policy.shared for name in sh.sections}
    results = []
    for event in events:
        out, inflow = {}, {}
        for top in policy.sections:
            _tentative(top, event, limits, left, out, inflow)
        for sh in policy.shared:
            x = sum(out[name] for name in sh.sections)
            inflow[sh.name] = x
            out[sh.name] = min(x, limits[(sh.name, "limit")], left[sh.name])
        paid = {}
        for sh in policy.shared:
            paid[sh.name] = out[sh.name]
        for top in policy.sections:
            ratio = 1.0
            if top.name in parent_of:
                p = parent_of[top.name]
                ratio = paid[p] / inflow[p] if inflow[p] > 0 else 0.0
            _allocate(top, out[top.name] * ratio, out, inflow, paid)
        for name, amount in paid.items():
            left[name] = max(left[name] - amount, 0.0)
        results.append(paid)
    return results


def _allowance(section: Section, comp: str, event: dict) -> float:
    """Most a per-victim cap lets ``comp`` reach: money to individuals (consolation) counts
    individuals, money to companies (consolation_corporate, capped by the cap declared on it or on
    consolation) counts companies, anything else counts both."""
    people, companies = event.get("victims", 0), event.get("corporate_victims", 0)
    if comp == "consolation_corporate":
        cap = section.caps.get(comp, section.caps.get("consolation"))
        if cap is None:
            return math.inf
        per_company = cap.per_victim if cap.per_corporate_victim is None else cap.per_corporate_victim
        return per_company * companies
    cap = section.caps.get(comp)
    if cap is None:
        return math.inf
    if comp == "consolation":
        return cap.per_victim * people
    per_company = cap.per_victim if cap.per_corporate_victim is None else cap.per_corporate_victim
    return cap.per_victim * people + per_company * companies


def _tentative(section: Section, event: dict, limits, left, out, inflow) -> float:
    x = 0.0
    for comp in section.covers:
        x += min(event["losses"].get(comp, 0.0), _allowance(section, comp, event))
    for part in section.parts:
        x += _tentative(part, event, limits, left, out, inflow)
    inflow[section.name] = x
    if section.trigger == "reported" and not event.get("reported", False):
        x = 0.0
    cause = event.get("cause")
    if event.get("incident") in ("cyber_no_leak", "cyber_minor"):
        cause = "cyber_attack"  # an attack that leaks nothing is a cyber attack by definition
    if section.causes is not None and cause not in section.causes:
        x = 0.0
    if section.incidents is not None and event.get("incident", "leak") not in section.incidents:
        x = 0.0
    x = max(x - section.deductible, 0.0)
    x *= 1.0 - section.coinsurance
    x = min(x, limits[(section.name, "limit")], left[section.name])
    out[section.name] = x
    return x


def _allocate(section: Section, amount: float, out, inflow, paid) -> None:
    paid[section.name] = amount
    ratio = amount / inflow[section.name] if inflow[section.name] > 0 else 0.0
    for part in section.parts:
        _allocate(part, out[part.name] * ratio, out, inflow, paid)


def is_close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
