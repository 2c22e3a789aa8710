"""The parts of a loss model in the user's terms: response costs, the reporting rule, and the
claims of individuals (one-stage claimant rate, or two-stage suits).

Each part checks its own fields; :class:`~sim.losses.model.LossModel` assembles them and
:func:`~sim.losses.model.compile_model` turns them into the samplers' arrays.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import math
from typing import Literal

from .._errors import (InputError, check_amount, check_bool, check_choice, check_fraction,
                       check_name_list, check_text)
from ..components import CAUSES, COMPONENTS, INCIDENTS, UNSPECIFIED_CAUSE
from .distributions import Severity
from .draws import rising

REPORTING_RULES = ("2022", "probability")
MALICIOUS_CAUSES = ("cyber_attack", "insider")  # 不正の目的 (APPI rules art. 7(3)); theft: theft_share
FEE_BASES = ("awarded", "claimed")


def _mask(names: tuple[str, ...] | None, vocabulary: tuple[str, ...], extra_bit: int = -1) -> int:
    """Bit ``i`` set for each name ``vocabulary[i]``; all bits (and ``extra_bit``) for ``None``."""
    if names is None:
        return sum(1 << i for i in range(len(vocabulary))) | ((1 << extra_bit) if extra_bit >= 0 else 0)
    return sum(1 << vocabulary.index(n) for n in names)


@dataclass(frozen=True)
class Cost:
    """A response cost (or a liability drawn like one):
    ``(fixed + per_record x N + per_corporate x C) x noise``.

    Incurred with ``probability`` by events of one of ``incidents`` and of one of ``causes``
    (``None``: any), with ``min_victims <= N < max_victims`` people affected, and, if
    ``if_reported``, only when the event is reported. ``noise`` is lognormal with median 1 and
    log-standard-deviation ``sigma``, so ``fixed + per_record x N`` is the median cost.

    Parameter uncertainty: with probability ``alt_probability`` (drawn per event) the event
    uses ``alt_fixed`` and ``alt_per_record`` instead (a national rather than a regional
    newspaper notice; a 1,000-yen rather than a 500-yen consolation); either left out is the
    main level's.

    ``follows`` names another cost of the model, declared before this one, whose decisions this
    one shares: incurred exactly when it is, at its alternative level exactly when it is (the
    handling of consolation gifts is paid when the gifts are), with its own noise.

    ``component``: the loss component the cost adds to when its key in ``LossModel.costs`` is
    not a component name, so that one component can have two sources for different incidents
    (the forensics of a ransomware attack and the response to a minor infection).
    """

    fixed: float = 0.0
    per_record: float = 0.0
    sigma: float = 0.0
    probability: float = 1.0
    min_victims: float = 0.0
    max_victims: float = math.inf
    causes: tuple[str, ...] | None = None
    incidents: tuple[str, ...] | None = None
    if_reported: bool = False
    per_corporate: float = 0.0
    alt_fixed: float | None = None
    alt_per_record: float | None = None
    alt_probability: float = 0.0
    follows: str | None = None
    component: str | None = None

    def __post_init__(self) -> None:
        for name in ("fixed", "per_record", "sigma", "min_victims", "per_corporate", "alt_fixed",
                     "alt_per_record"):
            if getattr(self, name) is not None:
                check_amount(name, getattr(self, name))
        check_amount("max_victims", self.max_victims, positive=True, allow_inf=True)
        if not self.max_victims > self.min_victims:
            raise InputError("max_victims", f"{self.max_victims!r} must exceed min_victims = "
                             f"{self.min_victims!r}: the cost would never apply")
        check_fraction("probability", self.probability)
        check_fraction("alt_probability", self.alt_probability)
        check_bool("if_reported", self.if_reported)
        if self.follows is not None:
            check_text("follows", self.follows)  # a key of the model's costs: checked there
            if self.probability != 1.0 or self.alt_probability != 0.0:
                field = "probability" if self.probability != 1.0 else "alt_probability"
                raise InputError(field, f"is decided by the cost it follows ({self.follows!r}); "
                                 "leave it out")
        if self.component is not None:
            check_choice("component", self.component, COMPONENTS)
        if self.causes is not None:
            object.__setattr__(self, "causes", check_name_list("causes", self.causes, CAUSES))
        if self.incidents is not None:
            object.__setattr__(self, "incidents", check_name_list("incidents", self.incidents,
                                                                  INCIDENTS))

    @property
    def cause_mask(self) -> int:
        """Bit ``c`` set for every cause code ``c`` the cost applies to (all causes, and an
        unspecified one, when ``causes`` is ``None``)."""
        return _mask(self.causes, CAUSES, UNSPECIFIED_CAUSE)

    @property
    def incident_mask(self) -> int:
        return _mask(self.incidents, INCIDENTS)


@dataclass(frozen=True)
class Reporting:
    """Whether a leak is reported to the regulator (the PPC) and notified to each person.

    ``rule = "2022"``: the duty of the amended Act on the Protection of Personal Information
    (in force April 2022): a leak is reported when any of: sensitive data (``sensitive``), data
    whose leak risks financial damage (``financial``), a malicious cause (``malicious_causes``,
    and theft, the ``theft_share`` of ``loss_theft`` events), or more than ``threshold`` people.
    ``threshold`` leaves room for the pending revision.

    ``rule = "probability"``: P(reported | N) = p_min + (p_max - p_min) N^k / (N^k + n50^k),
    rising with breach size (the voluntary reporting before 2022, or a user's own view).
    Only leaks of personal information are reported; other incidents never are.
    """

    p_min: float = 1.0
    p_max: float = 1.0
    n50: float = 1.0
    steepness: float = 1.0
    rule: Literal["2022", "probability"] = "probability"
    threshold: float = 1000.0
    sensitive: bool = False
    financial: bool = False
    malicious_causes: tuple[str, ...] = MALICIOUS_CAUSES
    theft_share: float = 0.0

    def __post_init__(self) -> None:
        check_fraction("p_min", self.p_min)
        check_fraction("p_max", self.p_max)
        check_amount("n50", self.n50, positive=True)
        check_amount("steepness", self.steepness, positive=True)
        check_choice("rule", self.rule, REPORTING_RULES)
        check_amount("threshold", self.threshold)
        check_bool("sensitive", self.sensitive)
        check_bool("financial", self.financial)
        object.__setattr__(self, "malicious_causes",
                           check_name_list("malicious_causes", self.malicious_causes, CAUSES,
                                           non_empty=False))
        check_fraction("theft_share", self.theft_share)

    def probability(self, n: float) -> float:
        """P(reported | N) under ``rule = "probability"``."""
        return self.p_min + (self.p_max - self.p_min) * rising(float(n), self.n50, self.steepness)

    @property
    def malicious_mask(self) -> int:
        return _mask(self.malicious_causes, CAUSES)


@dataclass(frozen=True)
class Claimants:
    """Who claims and for how much, in one stage: every event has claimants at a rate.

    Parameters
    ----------
    rate_mean, rate_cv : float
        Claimant rate r ~ Beta with this mean and coefficient of variation (cv 0: fixed rate).
    award : Severity
        Award per claimant, one draw per event shared by its claimants.
    per_claimant_sigma : float
        Optional spread of individual awards around the event's level (median 1 lognormal).
    claimed : Severity or None
        Amount claimed per claimant (one draw per event), the basis of defence fees with
        ``litigation_basis = "claimed"``; ``None``: the award is what was claimed.
    """

    rate_mean: float
    rate_cv: float
    award: Severity
    per_claimant_sigma: float = 0.0
    claimed: Severity | None = None

    def __post_init__(self) -> None:
        check_fraction("rate_mean", self.rate_mean)
        check_amount("rate_cv", self.rate_cv)
        check_amount("per_claimant_sigma", self.per_claimant_sigma)
        m, v = self.rate_mean, (self.rate_cv * self.rate_mean) ** 2
        if v > 0 and v >= m * (1 - m):
            raise InputError("rate_cv", f"{self.rate_cv!r} is too large for a Beta with mean {m}: "
                             f"cv must be below {math.sqrt((1 - m) / m):.4g}")

    @property
    def beta(self) -> tuple[float, float]:
        """Beta (a, b); b = 0 stands for a fixed rate a."""
        m, v = self.rate_mean, (self.rate_cv * self.rate_mean) ** 2
        if v == 0 or m in (0.0, 1.0):
            return (m, 0.0)
        total = m * (1 - m) / v - 1
        return (m * total, (1 - m) * total)


@dataclass(frozen=True)
class Suits:
    """Claims in two stages: whether anyone sues, then how many.

    P(suit | N, cause) = ``p_max`` x N^k / (N^k + n50^k) x ``cause_factor[cause]``; given a
    suit, the plaintiffs are ``share`` x N (a draw per event, rounded, at least one, at most
    N); each is awarded ``award`` (one level per event, individual spread
    ``per_claimant_sigma``) on a claim of ``claimed`` (one level per event).
    """

    p_max: float
    n50: float
    share: Severity
    award: Severity
    steepness: float = 1.0
    claimed: Severity | None = None
    per_claimant_sigma: float = 0.0
    cause_factor: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_fraction("p_max", self.p_max)
        check_amount("n50", self.n50, positive=True)
        check_amount("steepness", self.steepness, positive=True)
        check_amount("per_claimant_sigma", self.per_claimant_sigma)
        check_name_list("cause_factor", tuple(self.cause_factor), CAUSES, non_empty=False)
        for cause, factor in self.cause_factor.items():
            check_amount(f"cause_factor.{cause}", factor)
            if self.p_max * factor > 1.0:
                raise InputError(f"cause_factor.{cause}", f"{factor!r} x p_max = "
                                 f"{self.p_max * factor:.4g} is not a probability; expected at most 1")
        if self.share.quantile(0.5) > 1.0:
            raise InputError("share", "is the share of the people affected who sue: its median "
                             f"{self.share.quantile(0.5):.4g} is above 1")

    def probability(self, n: float, cause: str | None = None) -> float:
        """P(anyone sues | N people affected, cause)."""
        return self.p_max * rising(float(n), self.n50, self.steepness) * self.cause_factor.get(cause, 1.0)

    @property
    def factors(self) -> tuple[float, ...]:
        """The cause factor of every cause code, and 1 for an unspecified cause."""
        return tuple(self.cause_factor.get(c, 1.0) for c in CAUSES) + (1.0,)


__all__ = ["Claimants", "Cost", "FEE_BASES", "MALICIOUS_CAUSES", "REPORTING_RULES", "Reporting",
           "Suits"]
