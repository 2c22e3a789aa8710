"""Hypothesis strategies: random policies (nested parts, caps, triggers, causes, shared and
derived limits) and random policy years of events."""
from __future__ import annotations

import math

from hypothesis import strategies as st

from sim.components import CAUSES, COMPONENTS, INCIDENTS
from sim.policy import Cap, Policy, Section, Share, SharedLimit

AMOUNT = st.one_of(st.just(0.0), st.floats(1e3, 1e9, allow_nan=False))
LIMIT = st.one_of(st.just(math.inf), st.floats(1e4, 1e9))


@st.composite
def sections(draw, components: list[str], name: str, depth: int = 0) -> Section:
    """A section covering ``components`` (some may go to parts)."""
    n_parts = draw(st.integers(0, min(2, len(components) - 1))) if depth < 2 else 0
    cut = sorted(draw(st.lists(st.integers(1, max(len(components) - 1, 1)), min_size=n_parts,
                               max_size=n_parts, unique=True)))
    groups = [components[a:b] for a, b in zip([0, *cut], [*cut, len(components)])]
    own, part_groups = groups[0], groups[1:]
    parts = [draw(sections(g, f"{name}.{i}", depth + 1)) for i, g in enumerate(part_groups) if g]
    caps = {c: Cap(draw(st.floats(1, 5e4)), draw(st.one_of(st.none(), st.floats(0, 1e5))))
            for c in own if draw(st.booleans()) and draw(st.booleans())}
    return Section(
        name, covers=own, parts=parts, caps=caps,
        deductible=draw(st.one_of(st.just(0.0), st.floats(0, 1e8))),
        coinsurance=draw(st.one_of(st.just(0.0), st.floats(0, 1))),
        limit=draw(LIMIT), aggregate=draw(LIMIT),
        trigger=draw(st.sampled_from([None, "reported"])),
        causes=draw(st.one_of(st.none(), st.lists(st.sampled_from(CAUSES), min_size=1, unique=True))),
        incidents=draw(st.one_of(st.none(), st.lists(st.sampled_from(INCIDENTS), min_size=1,
                                                     unique=True))),
    )


@st.composite
def policies(draw) -> Policy:
    comps = draw(st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=12, unique=True))
    n = draw(st.integers(1, min(4, len(comps))))
    cut = sorted(draw(st.lists(st.integers(1, len(comps) - 1), min_size=n - 1, max_size=n - 1,
                               unique=True))) if n > 1 else []
    groups = [comps[a:b] for a, b in zip([0, *cut], [*cut, len(comps)])]
    secs = [draw(sections(g, f"s{i}")) for i, g in enumerate(groups)]
    shared = []
    if draw(st.booleans()):
        members = draw(st.lists(st.sampled_from([s.name for s in secs]), min_size=1, unique=True))
        shared.append(SharedLimit("main", members, limit=draw(st.floats(1e4, 1e9)),
                                  aggregate=draw(LIMIT)))
        if draw(st.booleans()):  # one section's limit derived from the shared one
            i = draw(st.integers(0, len(secs) - 1))
            share = Share("main", draw(st.floats(0.01, 1.0)), at_most=draw(LIMIT))
            s = secs[i]
            secs[i] = Section(s.name, s.covers, s.parts, s.deductible, s.coinsurance, share,
                              s.aggregate, s.caps, s.trigger, s.causes, incidents=s.incidents)
    return Policy("random", secs, shared)


@st.composite
def years(draw, max_events: int = 5) -> list[dict]:
    n = draw(st.integers(1, max_events))
    events = []
    for _ in range(n):
        comps = draw(st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=10, unique=True))
        companies = draw(st.integers(0, 100))
        if companies == 0:  # money to companies needs companies (a capped one is refused)
            comps = [c for c in comps if c != "consolation_corporate"] or ["damages"]
        incident = draw(st.sampled_from([None, *INCIDENTS]))
        event = {
            "losses": {c: draw(AMOUNT) for c in comps},
            "victims": draw(st.integers(1, 10**6)),
            "corporate_victims": companies,
            "reported": draw(st.booleans()),
            "cause": draw(st.sampled_from([None, *CAUSES])),
        }
        if incident is not None:
            event["incident"] = incident
            if incident in ("cyber_no_leak", "cyber_minor") and event["cause"] not in (None, "cyber_attack"):
                event["cause"] = "cyber_attack"  # any other cause is refused with this incident
        events.append(event)
    return events
