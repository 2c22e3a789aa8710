"""A policy: named sections, optional shared limits, and the deterministic API on top of them
(one event, or one year of events, through the same kernel as the simulation)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .._errors import InputError, check_amount, check_fraction
from ..components import CAUSES, COMPONENT_INDEX, COMPONENTS, INCIDENTS, UNSPECIFIED_CAUSE, VICTIM_KIND
from ..events import EventArrays, events_to_arrays
from .compile import CompiledPolicy, compile_policy
from .engine import run_terms
from .limit_kernel import STEPS, Trace
from .terms import INF, Section, SharedLimit


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
        trace = self.steps  # (n_nodes, N_TRACE): the amount left after each step, by Trace
        columns: dict[str, object] = {"kind": [n.kind for n in nodes], "depth": [n.depth for n in nodes],
                                      "covered": trace[:, Trace.covered]}
        for step in STEPS:  # 0.0 - x: no negative zeros
            columns[step] = 0.0 - (trace[:, Trace[step]] - trace[:, Trace[step] - 1])
        columns["paid"] = trace[:, Trace.limits_above]
        frame = pd.DataFrame(columns, index=[n.name for n in nodes])
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



@dataclass(frozen=True, eq=False)
class Policy:
    """Insurance terms for data-breach losses, applied event by event and year by year.

    Parameters
    ----------
    name : str
        Shown in reports and used as the policy's key in results.
    sections : sequence of Section
        The insuring sections. Each component may be covered by at most one section or part.
    shared : sequence of SharedLimit
        Limits shared by several sections (per event and per period).
    product : str
        Which template built the policy (``"jcci"``, ``"aig"``, ``"basic"`` or ``"custom"``).
    options : mapping
        The template's arguments, for reports.

    Examples
    --------
    >>> from sim.policy import Policy, Section
    >>> p = Policy("liability only", [Section("liability", covers=["damages", "litigation"],
    ...                                       deductible=1e6, limit=1e8, aggregate=1e8)])
    >>> out = p.apply({"damages": 5e7, "litigation": 1e7, "letters": 2e6})
    >>> out.gross, out.paid, out.retained
    (62000000.0, 59000000.0, 3000000.0)
    """

    name: str
    sections: tuple[Section, ...]
    shared: tuple[SharedLimit, ...] = ()
    product: str = "custom"
    options: Mapping[str, object] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sections", tuple(self.sections))
        object.__setattr__(self, "shared", tuple(self.shared))
        object.__setattr__(self, "options", dict(self.options or {}))
        if not isinstance(self.name, str) or not self.name:
            raise InputError("name", f"{self.name!r} is not allowed; expected a non-empty string")
        _check_structure(self)
        _ = self.compiled  # resolves derived limits now, so bad references fail at declaration

    @cached_property
    def compiled(self) -> CompiledPolicy:
        """The policy as flat arrays for the kernels (built once)."""
        return compile_policy(self)

    @property
    def section_names(self) -> tuple[str, ...]:
        """Names of the top-level sections, the keys of ``by_section``."""
        return tuple(s.name for s in self.sections)

    @property
    def covered_components(self) -> tuple[str, ...]:
        """Components that some section or part of this policy covers."""
        return tuple(c for s in self.sections for c in s.all_covers())

    def apply(self, losses: Mapping[str, float], *, victims: float = 0,
              corporate_victims: float = 0, reported: bool = False,
              cause: str | None = None, incident: str = "leak") -> EventResult:
        """Apply the policy to one event at the start of a fresh policy period.

        Parameters
        ----------
        losses : mapping of str -> float
            Yen per loss component (names from :data:`sim.components.COMPONENTS`).
        victims, corporate_victims : int
            Individuals and companies affected (for per-victim caps: ``consolation`` is money
            paid to individuals, ``consolation_corporate`` money paid to companies).
        reported : bool
            Whether the leak was reported to an authority or by the media.
        cause : str, optional
            One of :data:`sim.components.CAUSES`; ``None`` passes only sections without a
            cause filter.
        incident : str
            One of :data:`sim.components.INCIDENTS`: ``"leak"`` (default, personal information
            or its threat), ``"corporate_leak"`` (non-personal information only),
            ``"cyber_no_leak"`` (an attack that leaks nothing) or ``"it_work"`` (JCCI ③).

        Returns
        -------
        EventResult
            ``gross``, ``paid``, ``retained``, ``by_section`` and the step-by-step ``detail``.
        """
        event = {"losses": losses, "victims": victims, "corporate_victims": corporate_victims,
                 "reported": reported, "cause": cause, "incident": incident}
        return self.apply_year([event]).events[0]

    def apply_year(self, events: Sequence[Mapping[str, object]]) -> YearResult:
        """Apply the policy to the events of one policy year, in the order given.

        Parameters
        ----------
        events : sequence of mapping
            Each with ``losses`` (mapping component -> yen) and optionally ``victims``,
            ``corporate_victims``, ``reported``, ``cause`` and ``incident``, as in :meth:`apply`.

        Returns
        -------
        YearResult
            The year's ``gross``, ``paid``, ``retained`` and ``by_section``, with aggregate
            limits eroded event by event, and the per-event results in ``events``.
        """
        return apply_year(self, events)


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


def _check_structure(policy: Policy) -> None:
    if not policy.sections:
        raise InputError("sections", "a policy needs at least one section")
    names: list[str] = []
    for section in policy.sections:
        if not isinstance(section, Section):
            raise InputError("sections", f"{section!r} is not a Section")
        names += [s.name for s in section.walk()]
    names += [sh.name for sh in policy.shared]
    _check_unique("names", names)
    _check_unique("covers", list(policy.covered_components))
    top = policy.section_names
    shared_sections: list[str] = []
    for sh in policy.shared:
        for name in sh.sections:
            if name not in top:
                raise InputError(f"shared[{sh.name!r}].sections", f"unknown section {name!r}; "
                                 f"allowed values: {', '.join(map(repr, top))}")
        shared_sections += list(sh.sections)
    _check_unique("shared.sections", shared_sections)


def _check_unique(field: str, values: Iterable[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise InputError(field, f"{value!r} appears more than once; each must be unique "
                             "(a component may be covered by one section only)")
        seen.add(value)


def basic(deductible: float = 0.0, limit: float = INF, aggregate: float = INF, *,
          covers: Iterable[str] = COMPONENTS, coinsurance: float = 0.0,
          name: str | None = None) -> Policy:
    """A one-section policy: per-event deductible, per-event limit, annual aggregate limit.

    Parameters
    ----------
    deductible, limit, aggregate : float
        Yen; ``inf`` for no limit.
    covers : iterable of str
        Components covered (default: all).
    coinsurance : float
        Insured's share after the deductible.
    name : str, optional
        Defaults to a description of the terms.

    Examples
    --------
    >>> p = basic(deductible=1e6, limit=1e8, aggregate=1e8)
    >>> p.apply({"damages": 3e8}).paid
    100000000.0
    """
    check_amount("deductible", deductible)
    check_fraction("coinsurance", coinsurance)
    for field, value in (("limit", limit), ("aggregate", aggregate)):
        check_amount(field, value, positive=True, allow_inf=True)
    if name is None:
        name = f"basic: deductible {deductible:,.0f}, limit {limit:,.0f}, aggregate {aggregate:,.0f}"
    section = Section("cover", covers=covers, deductible=deductible,
                      coinsurance=coinsurance, limit=limit, aggregate=aggregate, label="cover")
    options = {"deductible": deductible, "limit": limit, "aggregate": aggregate,
               "coinsurance": coinsurance}
    return Policy(name, [section], product="basic", options=options)


