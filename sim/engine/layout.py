"""The per-year slot layout: built once here, indexed by the block kernel, read back by results.

Vocabulary. A **slot** is one stream of year values the block kernel tallies (a histogram, a
top-K heap and moments of its own). A **measure** is one row of the results, ``(policy, name,
kind)``: it reads one or more slots. A year with one event is tallied once, in a slot that both
the year's total (``aggregate``) and its largest event (``occurrence``) read; a year with several
events goes to an aggregate-only and an occurrence-only slot. This halves the tallying of
rare-event models.

Groups: gross, then each policy's paid and retained (group ``1 + 2p`` and ``2 + 2p``). Every group
has three slots (one event; several events' total; several events' largest), numbered in that
order; a policy with several sections has one more slot per section after its retained group.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np


class SlotLayout(NamedTuple):
    """Where the block kernel tallies each of a year's values: arrays it indexes by group or by
    section (stacked over the scenario's policies)."""

    one: np.ndarray       # (n_groups,) int64: slot of the group's value in a year with one event
    total: np.ndarray     # (n_groups,) int64: slot of its total in a year with several
    largest: np.ndarray   # (n_groups,) int64: slot of its largest event in a year with several
    section: np.ndarray   # (n_sections,) int64: slot of a section's paid, -1 for a lone section
                          # (it pays what its policy pays: the policy's paid slots hold it)


@dataclass(frozen=True)
class Measure:
    """One row of the results: which policy, which measure, and the slots it reads."""

    policy: str
    name: str           # gross, paid, retained, paid:<section>
    kind: str           # "aggregate" (per year) or "occurrence" (largest event of the year)
    slots: tuple[int, ...]


class Layout(NamedTuple):
    """The slots (for the kernel) and the measures (for the results) of one scenario."""

    slots: SlotLayout
    measures: list[Measure]
    n_slots: int


def build_layout(policy_names: Sequence[str], sections: Sequence[Sequence[str]]) -> Layout:
    """The slot layout and the measures reading it, for policies with these section names.

    >>> lay = build_layout(["XL"], [["a", "b"]])
    >>> lay.slots.one.tolist(), lay.slots.total.tolist(), lay.slots.section.tolist()
    ([0, 3, 6], [1, 4, 7], [9, 10])
    >>> [(m.name, m.kind, m.slots) for m in lay.measures][2:4]
    [('paid', 'aggregate', (3, 4)), ('retained', 'aggregate', (6, 7))]
    """
    n_groups = 1 + 2 * len(policy_names)
    one, total, largest = (np.zeros(n_groups, np.int64) for _ in range(3))
    section: list[int] = []
    m = 0

    def group(g: int) -> tuple[int, int, int]:
        nonlocal m
        one[g], total[g], largest[g] = m, m + 1, m + 2
        m += 3
        return m - 3, m - 2, m - 1

    o, t, lg = group(0)
    measures = [Measure("*", "gross", "aggregate", (o, t)), Measure("*", "gross", "occurrence", (o, lg))]
    for p, (name, secs) in enumerate(zip(policy_names, sections)):
        paid, retained = group(1 + 2 * p), group(2 + 2 * p)
        measures += [Measure(name, "paid", "aggregate", paid[:2]),
                     Measure(name, "retained", "aggregate", retained[:2]),
                     Measure(name, "paid", "occurrence", (paid[0], paid[2])),
                     Measure(name, "retained", "occurrence", (retained[0], retained[2]))]
        if len(secs) == 1:
            section.append(-1)
            measures.append(Measure(name, f"paid:{secs[0]}", "aggregate", paid[:2]))
            continue
        for sec in secs:
            section.append(m)
            measures.append(Measure(name, f"paid:{sec}", "aggregate", (m,)))
            m += 1
    return Layout(SlotLayout(one, total, largest, np.array(section, np.int64)), measures, m)


def scenario_layout(scenario) -> Layout:
    """:func:`build_layout` for the policies of ``scenario``."""
    return build_layout([p.name for p in scenario.policies],
                        [p.section_names for p in scenario.policies])
