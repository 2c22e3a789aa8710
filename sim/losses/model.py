"""The breach-event loss model (design.md section 6), declared in the user's terms and compiled
once into arrays for the Numba samplers.

Per event: cause ~ categorical(mix) -> breach size N (per cause, capped by records held) ->
reported ~ Bernoulli(p(N)) -> claimant rate r ~ Beta -> claimants K ~ Binomial(N, r) -> award
level d per claimant (one draw per event, optional per-claimant spread) -> damages -> litigation
(old JFBA fee tiers or a ratio) -> court days -> response costs (fixed + per record, lognormal
noise with median 1, on/off probability). Any component can instead be drawn directly from a
severity distribution (the textbook compound model).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
import math
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np

from .._dtypes import FLOAT, INT, records
from .._errors import InputError, check_amount, check_fraction, check_name_list, check_names
from ..components import CAUSES, COMPONENT_INDEX, COMPONENTS
from ..data import jfba_fee_table
from ..events import EventArrays, empty_events
from .distributions import Severity
from .limits import check_model_limits, size_overflow
from .params import (CLAIM_COMPONENTS, COST_DTYPE, LITIGATION_METHODS, N_SEVERITY_PARAMS,
                     NO_SEVERITY, ClaimColumns, Scalars)
from .sampling import sample_events

if TYPE_CHECKING:
    import pandas as pd

COURT_RATES = (50_000.0, 25_000.0)  # yen a court day: an officer, an employee (modelling choice)


@dataclass(frozen=True)
class Cost:
    """A response cost: ``(fixed + per_record x N) x noise``, incurred with ``probability``
    by events with at least ``min_victims`` people affected and one of ``causes`` (all causes
    when ``None``).

    ``noise`` is lognormal with median 1 and log-standard-deviation ``sigma``, so the
    point estimate ``fixed + per_record x N`` is the median cost.
    """

    fixed: float = 0.0
    per_record: float = 0.0
    sigma: float = 0.0
    probability: float = 1.0
    min_victims: float = 0.0
    causes: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("fixed", "per_record", "sigma", "min_victims"):
            check_amount(name, getattr(self, name))
        check_fraction("probability", self.probability)
        if self.causes is not None:
            object.__setattr__(self, "causes", check_name_list("causes", self.causes, CAUSES))

    @property
    def cause_mask(self) -> int:
        """Bit ``c`` set for every cause code ``c`` the cost applies to."""
        causes = CAUSES if self.causes is None else self.causes
        return sum(1 << CAUSES.index(c) for c in causes)


@dataclass(frozen=True)
class Reporting:
    """P(reported | N) = p_min + (p_max - p_min) N^k / (N^k + n50^k): rises with breach size."""

    p_min: float = 1.0
    p_max: float = 1.0
    n50: float = 1.0
    steepness: float = 1.0

    def __post_init__(self) -> None:
        check_fraction("p_min", self.p_min)
        check_fraction("p_max", self.p_max)
        check_amount("n50", self.n50, positive=True)
        check_amount("steepness", self.steepness, positive=True)

    def probability(self, n: float) -> float:
        x = (n / self.n50) ** self.steepness
        return self.p_min + (self.p_max - self.p_min) * x / (1 + x)


@dataclass(frozen=True)
class Claimants:
    """Who claims and for how much.

    Parameters
    ----------
    rate_mean, rate_cv : float
        Claimant rate r ~ Beta with this mean and coefficient of variation (cv 0: fixed rate).
    award : Severity
        Award per claimant, one draw per event shared by its claimants.
    per_claimant_sigma : float
        Optional spread of individual awards around the event's level (median 1 lognormal).
    """

    rate_mean: float
    rate_cv: float
    award: Severity
    per_claimant_sigma: float = 0.0

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
class LossModel:
    """A breach-event loss model. See the module docstring for the order of draws.

    Parameters
    ----------
    cause_mix : mapping cause -> probability
        Must sum to 1.
    size : Severity or None
        People affected per event (rounded to whole people); ``None``: no personal records.
    size_by_cause : mapping cause -> Severity
        Overrides ``size`` for some causes.
    records_held : float
        Cap on the breach size.
    reporting : Reporting
    claimants : Claimants or None
        ``None``: no damages from individual claimants.
    litigation : {"jfba", "ratio", "none"}
    litigation_factor : float
        Multiplier on the JFBA fee (the standard allowed +/-30%), or the ratio to damages.
    court_days : (officer_mean, employee_mean)
        Poisson days in court per event with claimants; paid at ``court_rates`` yen a day.
    costs : mapping component -> Cost
    direct : mapping component -> Severity
        Components drawn directly per event (the generic compound mode).
    """

    cause_mix: dict[str, float] = field(default_factory=lambda: {"cyber_attack": 1.0})
    size: Severity | None = None
    size_by_cause: dict[str, Severity] = field(default_factory=dict)
    records_held: float = math.inf
    reporting: Reporting = Reporting()
    claimants: Claimants | None = None
    litigation: Literal["jfba", "ratio", "none"] = "none"
    litigation_factor: float = 1.0
    court_days: tuple[float, float] = (0.0, 0.0)
    court_rates: tuple[float, float] = COURT_RATES
    costs: dict[str, Cost] = field(default_factory=dict)
    direct: dict[str, Severity] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_names("cause_mix", self.cause_mix, CAUSES)
        total = sum(check_fraction(f"cause_mix.{c}", p) for c, p in self.cause_mix.items())
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise InputError("cause_mix", f"probabilities sum to {total:.6g}; they must sum to 1")
        check_names("size_by_cause", self.size_by_cause, CAUSES)
        check_amount("records_held", self.records_held, positive=True, allow_inf=True)
        if self.litigation not in LITIGATION_METHODS:
            raise InputError("litigation", f"{self.litigation!r} is not allowed; allowed values: "
                             + ", ".join(map(repr, LITIGATION_METHODS)))
        check_names("costs", self.costs, COMPONENTS)
        check_names("direct", self.direct, COMPONENTS)
        check_amount("litigation_factor", self.litigation_factor)
        for name, pair in (("court_days", self.court_days), ("court_rates", self.court_rates)):
            for value in pair:
                check_amount(name, value)
        if self.claimants is not None and self.size is None and not self.size_by_cause:
            raise InputError("claimants", "need a breach size: add size (people per event)")
        for comp in sorted(set(self.costs) & set(self.direct)):
            raise InputError(f"direct.{comp}", "is also in costs; a component has one source")
        if self.claimants is None and (self.litigation != "none" or any(self.court_days)):
            field = "litigation" if self.litigation != "none" else "court_days"
            raise InputError(field, "needs claimants: fees and court days follow from claims")
        made_by_claims = set(CLAIM_COMPONENTS) if self.claimants else set()
        for comp in sorted(made_by_claims & (set(self.costs) | set(self.direct))):
            raise InputError(comp, "comes from the claimants model already; give it one source")
        check_model_limits(self)

    @property
    def components(self) -> tuple[str, ...]:
        """Components this model can produce (others are always zero)."""
        made = set(self.costs) | set(self.direct)
        if self.claimants is not None:
            made.add("damages")
            if self.litigation != "none":
                made.add("litigation")
            if any(self.court_days):
                made.add("court_attendance")
        return tuple(c for c in COMPONENTS if c in made)

    def sample(self, size: int, rng: np.random.Generator | int | None = None) -> EventArrays:
        """``size`` independent events (by the simulation's own sampler)."""
        events = empty_events(int(size))
        bitgen = np.random.default_rng(rng).bit_generator
        try:
            sample_events(bitgen, self.compile(), events.losses, events.victims, events.reported,
                          events.cause)
        except OverflowError:  # the only one the sampler raises: a breach past MAX_PEOPLE
            raise size_overflow("size") from None
        return events

    def expected_components(self, n_events: int = 200_000, seed: int = 1) -> "pd.DataFrame":
        """Mean loss per event of each component this model produces, from ``n_events``
        sampled events (the simulation's own sampler), with its standard error.

        Returns
        -------
        DataFrame
            Indexed by component (in :data:`sim.COMPONENTS` order): ``mean``, ``sem`` (yen).
        """
        import pandas as pd

        if isinstance(n_events, bool) or not isinstance(n_events, int) or n_events < 2:
            raise InputError("n_events", f"{n_events!r} is not allowed; expected a whole number >= 2")
        cols = [COMPONENT_INDEX[c] for c in self.components]
        losses = self.sample(n_events, seed).losses[:, cols]
        return pd.DataFrame({"mean": losses.mean(axis=0),
                             "sem": losses.std(axis=0, ddof=1) / math.sqrt(n_events)},
                            index=pd.Index(self.components, name="component"))

    def compile(self, columns: Sequence[str] | None = None) -> "LossModelArrays":
        """The model as arrays for the samplers (see :class:`LossModelArrays`), writing events
        with one loss column per name of ``columns`` (default: all of :data:`sim.COMPONENTS`;
        the simulation uses :attr:`components`, which keeps its event rows short)."""
        return compile_model(self, columns)


class LossModelArrays(NamedTuple):
    """A loss model for the samplers; layouts in :mod:`sim.losses.params`. Severities are
    (code, 4 params) rows."""

    cause_cdf: np.ndarray          # (n_causes,)
    size_code: np.ndarray          # (n_causes,) severity code, NO_SEVERITY for no records
    size_params: np.ndarray        # (n_causes, 4)
    scalars: Scalars
    award_code: np.ndarray         # (1,)
    award_params: np.ndarray       # (1, 4)
    fee_tiers: np.ndarray          # (n_tiers,) of sim.data.FEE_TIER_DTYPE
    claim_column: ClaimColumns
    costs: np.ndarray              # (n_costs,) of COST_DTYPE
    direct_component: np.ndarray   # (n_direct,) column of each directly drawn component
    direct_code: np.ndarray        # (n_direct,)
    direct_params: np.ndarray      # (n_direct, 4)


def _severity_row(sev: Severity | None) -> tuple[int, tuple[float, ...]]:
    return (NO_SEVERITY, (0.0,) * N_SEVERITY_PARAMS) if sev is None else (sev.code, sev.params)


def _severity_rows(sevs: Sequence[Severity | None]) -> tuple[np.ndarray, np.ndarray]:
    rows = [_severity_row(s) for s in sevs]
    return (np.array([code for code, _ in rows], dtype=INT),
            np.array([p for _, p in rows], dtype=FLOAT).reshape(-1, N_SEVERITY_PARAMS))


def compile_model(model: LossModel, columns: Sequence[str] | None = None) -> LossModelArrays:
    columns = list(COMPONENTS if columns is None else columns)
    missing = [c for c in model.components if c not in columns]
    if missing:
        raise ValueError(f"the loss columns {columns} lack components the model makes: {missing}")
    column = {c: i for i, c in enumerate(columns)}.get
    mix = np.array([model.cause_mix.get(c, 0.0) for c in CAUSES], dtype=FLOAT)
    size_code, size_params = _severity_rows([model.size_by_cause.get(c, model.size) for c in CAUSES])
    cl = model.claimants
    a, b = cl.beta if cl else (0.0, 0.0)
    tiers, min_retainer = jfba_fee_table()
    rep = model.reporting
    scalars = Scalars(  # floats: Numba compiles one kernel for one uniform tuple type
        records_held=model.records_held, p_min=rep.p_min, p_max=rep.p_max, n50=rep.n50,
        steepness=rep.steepness, has_claimants=float(cl is not None), beta_a=a, beta_b=b,
        per_claimant_sigma=cl.per_claimant_sigma if cl else 0.0,
        litigation_method=float(LITIGATION_METHODS.index(model.litigation)),
        litigation_factor=model.litigation_factor, officer_days=model.court_days[0],
        employee_days=model.court_days[1], officer_rate=model.court_rates[0],
        employee_rate=model.court_rates[1], min_retainer=min_retainer)
    award_code, award_params = _severity_rows([cl.award if cl else None])
    costs = np.zeros(len(model.costs), dtype=COST_DTYPE)
    costs["component"] = [column(c) for c in model.costs]
    for name in COST_DTYPE.names[1:]:  # the other fields are attributes of Cost, by name
        costs[name] = [getattr(cost, name) for cost in model.costs.values()]
    costs = records(costs)
    direct_code, direct_params = _severity_rows(list(model.direct.values()))
    return LossModelArrays(
        cause_cdf=np.cumsum(mix / mix.sum()),
        size_code=size_code,
        size_params=size_params,
        scalars=Scalars._make(map(float, scalars)),
        award_code=award_code,
        award_params=award_params,
        fee_tiers=tiers,
        claim_column=ClaimColumns(*(column(c, -1) for c in CLAIM_COMPONENTS)),
        costs=costs,
        direct_component=np.array([column(c) for c in model.direct], dtype=INT),
        direct_code=direct_code,
        direct_params=direct_params,
    )
