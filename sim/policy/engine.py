"""Run events through compiled policies, and the result objects of the deterministic API.

The deterministic API is the Monte Carlo kernel run on the events given: there is one
implementation of every rule (``_kernels.apply_terms``).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._dtypes import FLOAT, INT
from .._errors import InputError
from ..components import (CAUSES, COMPONENT_INDEX, COMPONENTS, INCIDENTS, UNSPECIFIED_CAUSE,
                          VICTIM_KIND)
from ..events import EventArrays, events_to_arrays
from ._kernels import N_TRACE, apply_terms
from .compile import PolicyArrays, new_state

if TYPE_CHECKING:
    from .policy import Policy

# Names of the steps whose effect the detail table shows, and the trace columns they sit between.
STEPS = ("per_victim_caps", "trigger_or_cause", "deductible", "coinsurance", "event_limit",
         "aggregate", "limits_above")


def run_terms(arrays: PolicyArrays, events: EventArrays, year_start: np.ndarray,
              trace: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Apply compiled terms to events grouped by year.

    Returns
    -------
    paid_by_section : ndarray, shape (n_events, n_sections)
    trace : ndarray, shape (n_events, n_nodes, N_TRACE), or (0, n_nodes, N_TRACE) if not asked
    """
    n_events, n_nodes = events.n_events, arrays.n_nodes
    paid = np.zeros((n_events, arrays.section_node.shape[0]), dtype=FLOAT)
    steps = np.zeros((n_events if trace else 0, n_nodes, N_TRACE), dtype=FLOAT)
    apply_terms(arrays, new_state(arrays), np.ascontiguousarray(events.losses, dtype=FLOAT),
                events.victims, events.corporate_victims, events.reported, events.cause,
                events.incident, np.ascontiguousarray(year_start, dtype=INT), paid, steps)
    return paid, steps


@dataclass(frozen=True)
class EventResult:
    """One event through one policy.

    Attributes
    ----------
    gross : float
        The insured's whole loss: the sum of all components, covered or not.
    paid : float
        What the policy pays; the sum of ``by_section``.
    retained : float
        ``gross - paid``: what the insured keeps.
    by_section : dict of str -> float
        Paid per top-level section.
    losses : dict of str -> float
        The event's non-zero components.
    """

    gross: float
    paid: float
    retained: float
    by_section: dict[str, float]
    losses: dict[str, float]
    policy: "Policy" = field(repr=False)
    steps: np.ndarray = field(repr=False)
    victims: float = 0.0
    reported: bool = False
    cause: str | None = None
    incident: str = "leak"
    corporate_victims: float = 0.0

    @property
    def uncovered(self) -> dict[str, float]:
        """Components of the event that no section of the policy covers."""
        covered = set(self.policy.covered_components)
        return {k: v for k, v in self.losses.items() if k not in covered}

    @property
    def detail(self) -> pd.DataFrame:
        """What each term did, node by node (sections, their parts, shared limits).

        Columns: ``covered`` (what reached the node), the amount each step removed
        (``per_victim_caps`` ... ``limits_above``, all >= 0) and ``paid``. ``limits_above`` is
        this node's share of what the limits of the sections or shared limits above it cut.
        """
        nodes = self.policy.compiled.nodes
        removed = 0.0 - np.diff(self.steps, axis=1)  # 0.0 - x: no negative zeros
        frame = pd.DataFrame(removed, columns=list(STEPS), index=[n.name for n in nodes])
        frame.insert(0, "covered", self.steps[:, 0])
        frame["paid"] = self.steps[:, -1]
        frame.insert(0, "kind", [n.kind for n in nodes])
        frame.insert(1, "depth", [n.depth for n in nodes])
        frame.index.name = "node"
        return frame


@dataclass(frozen=True)
class YearResult:
    """One policy year: totals with aggregates eroded in event order, and each event's result."""

    gross: float
    paid: float
    retained: float
    by_section: dict[str, float]
    events: tuple[EventResult, ...]


def apply_year(policy: "Policy", events: Sequence[Mapping[str, object]]) -> YearResult:
    """Apply ``policy`` to the events of one year (see :meth:`Policy.apply_year`)."""
    arrays = events_to_arrays(events)
    _check_caps_have_victims(policy, arrays)
    paid, steps = run_terms(policy.compiled.arrays, arrays, np.array([0, arrays.n_events]), trace=True)
    names = policy.section_names
    results = []
    for i in range(arrays.n_events):
        gross = float(arrays.losses[i].sum())
        by_section = dict(zip(names, map(float, paid[i])))
        total = float(paid[i].sum())
        losses = {c: float(x) for c, x in zip(COMPONENTS, arrays.losses[i]) if x != 0.0}
        cause = int(arrays.cause[i])
        results.append(EventResult(gross, total, gross - total, by_section, losses, policy,
                                   steps[i], float(arrays.victims[i]), bool(arrays.reported[i]),
                                   None if cause == UNSPECIFIED_CAUSE else CAUSES[cause],
                                   INCIDENTS[int(arrays.incident[i])],
                                   float(arrays.corporate_victims[i])))
    gross = sum(r.gross for r in results)
    total = sum(r.paid for r in results)
    by_section = {n: sum(r.by_section[n] for r in results) for n in names}
    return YearResult(gross, total, gross - total, by_section, tuple(results))


def _check_caps_have_victims(policy: "Policy", arrays: EventArrays) -> None:
    """A per-victim cap with no victims (of the kind it counts) would silently pay nothing:
    refuse that input."""
    capped = {c for s in policy.sections for part in s.walk() for c in part.covers
              if part.cap_for(c) is not None}
    for i in range(arrays.n_events):
        for comp in sorted(capped):
            kind = VICTIM_KIND.get(comp)
            field, count = {"individual": ("victims", arrays.victims[i]),
                            "corporate": ("corporate_victims", arrays.corporate_victims[i])}.get(
                kind, ("victims", arrays.victims[i] + arrays.corporate_victims[i]))
            if count == 0 and arrays.losses[i, COMPONENT_INDEX[comp]] > 0:
                raise InputError(f"events[{i}].{field}", f"losses.{comp} > 0 but {field} = 0: "
                                 f"{policy.name!r} caps {comp} per victim, so it would pay nothing; "
                                 f"give {field}")
