"""Declarative policy terms: sections, their parts, caps, shared limits and derived limits.

These objects only store and check what the user declared. :mod:`sim.policy.compile` turns a
:class:`~sim.policy.Policy` made of them into flat arrays once; the kernels never see them.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
import math
from typing import Literal, Union

from .._errors import (InputError, check_amount, check_choice, check_fraction, check_name_list,
                       check_names, check_table, within)
from ..components import CAUSES, COMPONENTS, CORPORATE_COUNTERPART, INCIDENTS

INF = math.inf
TRIGGERS = ("reported",)


@dataclass(frozen=True)
class Cap:
    """Per-victim cap on one component.

    On ``consolation`` (money to individuals) the cap is ``per_victim`` x victims; on
    ``consolation_corporate`` (money to companies) it is the corporate amount x corporate
    victims, and a cap declared on ``consolation`` also caps ``consolation_corporate`` when the
    same section covers it, so each kind of victim has its own allowance. On any other component
    (e.g. ``consolation_damages``, claims for money paid to both kinds) it is ``per_victim`` x
    victims + the corporate amount x corporate victims.

    Parameters
    ----------
    per_victim : float
        Yen per individual victim (JCCI consolation: 1,000; AIG: 500).
    per_corporate_victim : float, optional
        Yen per corporate victim (JCCI: 50,000). ``None``: the same as ``per_victim``.
    """

    per_victim: float
    per_corporate_victim: float | None = None

    def __post_init__(self) -> None:
        check_amount("per_victim", self.per_victim)
        if self.per_corporate_victim is not None:
            check_amount("per_corporate_victim", self.per_corporate_victim)

    @property
    def corporate(self) -> float:
        """Yen allowed per corporate victim."""
        return self.per_victim if self.per_corporate_victim is None else self.per_corporate_victim


@dataclass(frozen=True)
class Share:
    """A limit derived from another section's limit: ``min(at_most, share x limit of 'of')``.

    AIG's execution-cost limit is ``Share(of="main", share=0.10, at_most=5e7)``.

    Parameters
    ----------
    of : str
        Name of the section or shared limit whose limit this one derives from.
    share : float
        Fraction of that limit, in (0, 1].
    at_most : float
        Ceiling in yen (default: none).
    basis : {"limit", "aggregate"}
        Which limit of ``of`` to take: per event (default) or per period.
    """

    of: str
    share: float
    at_most: float = INF
    basis: Literal["limit", "aggregate"] = "limit"

    def __post_init__(self) -> None:
        if not isinstance(self.of, str) or not self.of:
            raise InputError("of", f"{self.of!r} is not allowed; expected the name of a section")
        if check_fraction("share", self.share) == 0.0:
            raise InputError("share", "0 is not allowed; expected a fraction in (0, 1]")
        check_amount("at_most", self.at_most, positive=True, allow_inf=True)
        check_choice("basis", self.basis, ("limit", "aggregate"))


Limit = Union[float, Share]


def _check_limit(field_name: str, value: object) -> None:
    if not isinstance(value, Share):
        check_amount(field_name, value, positive=True, allow_inf=True)


def _as_tuple(value: Iterable[str] | str | None) -> tuple[str, ...] | None:
    """A list of names as a tuple; one name alone counts as a list of it. Anything else (a
    number, a mapping) is kept as it is, for ``_check`` to refuse with the field named."""
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, (list, tuple)) else value


@dataclass(frozen=True, eq=False)
class Section:
    """A block of cover: the components it pays for and the terms it applies to them.

    A section can contain *parts*: sub-sections with their own terms (a sublimit, a deductible
    that applies only to some components, a cause filter for one component). The parts' payments
    flow into the section, which applies its own terms on top.

    Per event, in order: per-victim caps, trigger, cause and incident filters, deductible,
    coinsurance, per-event limit, what is left of the per-period aggregate.

    Parameters
    ----------
    name : str
        Unique within the policy; appears in ``by_section`` for top-level sections.
    covers : sequence of str
        Loss components (see :data:`sim.components.COMPONENTS`) paid directly by this section.
    parts : sequence of Section
        Sub-sections whose payments flow into this one.
    deductible : float
        Per event, in yen, before coinsurance.
    coinsurance : float
        The insured's share of the loss after deductible (AIG execution: 0.10; "pays 90%").
    limit, aggregate : float or Share
        Per event (claim/accident) and per policy period; ``inf`` for none.
    caps : mapping of component -> Cap
        Per-victim caps on covered components.
    trigger : {"reported"} or None
        ``"reported"``: pays only if the event was reported to an authority or the media.
    causes : sequence of str or None
        Pays only for these causes (see :data:`sim.components.CAUSES`); ``None`` for any.
    label : str
        Name shown in reports (e.g. ``"費用損害"``).
    incidents : sequence of str or None
        Pays only for these kinds of incident (see :data:`sim.components.INCIDENTS`); ``None``
        for any.
    """

    name: str
    covers: tuple[str, ...] = ()
    parts: tuple["Section", ...] = ()
    deductible: float = 0.0
    coinsurance: float = 0.0
    limit: Limit = INF
    aggregate: Limit = INF
    caps: Mapping[str, Cap] = field(default_factory=dict)
    trigger: Literal["reported"] | None = None
    causes: tuple[str, ...] | None = None
    label: str = ""
    incidents: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "covers", _as_tuple(self.covers))
        object.__setattr__(self, "parts", _as_tuple(self.parts))
        object.__setattr__(self, "causes", _as_tuple(self.causes))
        object.__setattr__(self, "incidents", _as_tuple(self.incidents))
        object.__setattr__(self, "caps", dict(self.caps) if isinstance(self.caps, Mapping) else self.caps)
        with within(f"section[{self.name!r}]"):
            self._check()

    def _check(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError("name", f"{self.name!r} is not allowed; expected a non-empty string")
        check_name_list("covers", self.covers, COMPONENTS, non_empty=False)
        if not isinstance(self.parts, tuple):
            raise InputError("parts", f"{self.parts!r} is not a list of Section")
        if not self.covers and not self.parts:
            raise InputError("covers", "a section must cover at least one component or have parts")
        for part in self.parts:
            if not isinstance(part, Section):
                raise InputError("parts", f"{part!r} is not a Section")
        check_amount("deductible", self.deductible)
        check_fraction("coinsurance", self.coinsurance)
        _check_limit("limit", self.limit)
        _check_limit("aggregate", self.aggregate)
        check_table("caps", self.caps, "a mapping of component -> Cap")
        check_names("caps", self.caps, self.covers)
        for comp, cap in self.caps.items():
            if not isinstance(cap, Cap):
                raise InputError(f"caps.{comp}", f"{cap!r} is not a Cap")
        if self.trigger is not None:
            check_choice("trigger", self.trigger, TRIGGERS)
        if self.causes is not None:
            if not self.causes:
                raise InputError("causes", "an empty list would never pay; use None for any cause")
            check_name_list("causes", self.causes, CAUSES)
        if self.incidents is not None:
            if not self.incidents:
                raise InputError("incidents", "an empty list would never pay; use None for any incident")
            check_name_list("incidents", self.incidents, INCIDENTS)

    def walk(self) -> Iterable["Section"]:
        """This section and all its parts, parts first (the order payments flow)."""
        for part in self.parts:
            yield from part.walk()
        yield self

    def cap_for(self, component: str) -> "Cap | None":
        """The per-victim cap on ``component``: declared on it, or on its individual-victim
        counterpart (a cap on ``consolation`` also caps ``consolation_corporate``)."""
        if component in self.caps:
            return self.caps[component]
        for individual, corporate in CORPORATE_COUNTERPART.items():
            if component == corporate and individual in self.caps:
                return self.caps[individual]
        return None

    def all_covers(self) -> tuple[str, ...]:
        """Every component this section or one of its parts covers."""
        return tuple(c for s in self.walk() for c in s.covers)


@dataclass(frozen=True)
class SharedLimit:
    """A limit shared by several sections, per event and per period (AIG's main limit).

    Each section's payment is first limited by its own terms; the shared limit then caps their
    sum, and a cut is allocated back to the sections pro rata to what they would have paid.

    Parameters
    ----------
    name : str
        Unique within the policy.
    sections : sequence of str
        Names of the top-level sections that share it.
    limit, aggregate : float or Share
        Per event and per policy period.
    label : str
        Name shown in reports.
    """

    name: str
    sections: tuple[str, ...]
    limit: Limit = INF
    aggregate: Limit = INF
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "sections", _as_tuple(self.sections))
        with within(f"shared[{self.name!r}]"):
            if not isinstance(self.name, str) or not self.name:
                raise InputError("name", f"{self.name!r} is not allowed; expected a non-empty string")
            if not self.sections:
                raise InputError("sections", "a shared limit must name at least one section")
            check_name_list("sections", self.sections, [s for s in self.sections if isinstance(s, str)])
            _check_limit("limit", self.limit)
            _check_limit("aggregate", self.aggregate)
