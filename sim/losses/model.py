"""The breach-event loss model (design.md section 6), declared in the user's terms and compiled
once into arrays for the Numba samplers.

Per event: incident kind ~ categorical(incident mix) -> cause (a leak's from the cause mix; an
attack without a leak is a cyber attack; IT work has none) -> for a leak, breach size N (per
cause; the whole of the records held with a per-cause probability; capped by records held) and
corporate victims -> reported (the 2022 rule, or a probability rising with N) -> claims: a
claimant rate (one stage) or P(any suit), then plaintiffs (two stages) -> award level per
claimant (one draw per event, optional per-claimant spread) -> damages -> litigation (old JFBA
fee tiers on the award or on the claim, or a ratio) -> court days -> response costs (fixed + per
record + per company, lognormal noise with median 1, on/off probability, filtered by incident,
cause, size and reporting; an alternative level with a probability). Any component can instead
be drawn directly from a severity distribution (the textbook compound model).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
import math
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np

from .._dtypes import FLOAT, INT, records
from .._errors import InputError, check_amount, check_choice, check_fraction, check_names
from ..components import CAUSES, COMPONENT_INDEX, COMPONENTS, INCIDENT_INDEX, INCIDENTS
from ..data import jfba_fee_table
from ..events import EventArrays, empty_events
from .distributions import Discrete, Severity
from .limits import check_model_limits, size_overflow
from .params import (CLAIM_COMPONENTS, COST_DTYPE, LITIGATION_METHODS, N_SEVERITY_PARAMS,
                     NO_SEVERITY, REPORT_RULE_2022, REPORT_RULE_PROBABILITY, ClaimColumns,
                     Scalars)
from .parts import FEE_BASES, Claimants, Cost, Reporting, Suits
from .sampling import sample_events

if TYPE_CHECKING:
    import pandas as pd

COURT_RATES = (50_000.0, 25_000.0)  # yen a court day: an officer, an employee (modelling choice)


@dataclass(frozen=True)
class LossModel:
    """A breach-event loss model. See the module docstring for the order of draws.

    Parameters
    ----------
    incident_mix : mapping incident kind -> probability
        Share of events of each kind (:data:`sim.INCIDENTS`); must sum to 1. Default: leaks only.
    cause_mix : mapping cause -> probability
        Causes of leaks (personal or corporate); must sum to 1.
    size : Severity or None
        People affected per leak (rounded to whole people); ``None``: no personal records.
    size_by_cause : mapping cause -> Severity
        Overrides ``size`` for some causes.
    records_held : float
        Cap on the breach size.
    whole_records : mapping cause -> probability
        Probability that a leak of that cause takes every record held (a database taken
        whole); needs a finite ``records_held``.
    corporate_share : float
        For a leak of business customers' data: the chance that a record's company is a victim
        too, so corporate victims ~ Binomial(N, share). They come on top of the N people (each
        record is a person at a company: the person and the company are both victims; the
        policy's per-individual caps count the N people, its per-company caps the companies).
    corporate_victims : Severity or None
        Companies affected by a corporate-information leak or by an IT-work incident.
    reporting : Reporting
    claimants : Claimants or Suits or None
        Claims of individuals: a claimant rate (one stage) or suits (two stages); ``None``: none.
    litigation : {"jfba", "ratio", "none"}
    litigation_factor : float
        Multiplier on the JFBA fee (the standard allowed +/-30%), or the ratio to damages.
    litigation_basis : {"awarded", "claimed"}
        JFBA fees on the damages awarded, or (for the defence) the retainer on the amount claimed
        and the success fee on the part of the claim avoided.
    court_days : (officer_mean, employee_mean)
        Poisson days in court per event with claimants; paid at ``court_rates`` yen a day.
    costs : mapping component -> Cost (or any other name -> a Cost whose ``component`` names the
        component it adds to)
    direct : mapping component -> Severity
        Components drawn directly per event (the generic compound mode).
    """

    cause_mix: dict[str, float] = field(default_factory=lambda: {"cyber_attack": 1.0})
    size: Severity | None = None
    size_by_cause: dict[str, Severity] = field(default_factory=dict)
    records_held: float = math.inf
    reporting: Reporting = Reporting()
    claimants: Claimants | Suits | None = None
    litigation: Literal["jfba", "ratio", "none"] = "none"
    litigation_factor: float = 1.0
    court_days: tuple[float, float] = (0.0, 0.0)
    court_rates: tuple[float, float] = COURT_RATES
    costs: dict[str, Cost] = field(default_factory=dict)
    direct: dict[str, Severity] = field(default_factory=dict)
    incident_mix: dict[str, float] = field(default_factory=lambda: {"leak": 1.0})
    whole_records: dict[str, float] = field(default_factory=dict)
    corporate_share: float = 0.0
    corporate_victims: Severity | None = None
    litigation_basis: Literal["awarded", "claimed"] = "awarded"

    def __post_init__(self) -> None:
        _check_mix("incident_mix", self.incident_mix, INCIDENTS)
        _check_mix("cause_mix", self.cause_mix, CAUSES)
        check_names("size_by_cause", self.size_by_cause, CAUSES)
        check_amount("records_held", self.records_held, positive=True, allow_inf=True)
        check_names("whole_records", self.whole_records, CAUSES)
        for cause, p in self.whole_records.items():
            check_fraction(f"whole_records.{cause}", p)
        if any(self.whole_records.values()) and math.isinf(self.records_held):
            raise InputError("whole_records", "needs records_held: a leak that takes every record "
                             "held needs the number held")
        for cause, p in self.whole_records.items():
            if p > 0 and self.size_by_cause.get(cause, self.size) is None:
                raise InputError(f"whole_records.{cause}", "needs a breach size for that cause "
                                 f"(size or size_by_cause.{cause}): without one it has no records")
        check_fraction("corporate_share", self.corporate_share)
        if self.corporate_share > 0 and self.size is None and not self.size_by_cause:
            raise InputError("corporate_share", "needs a breach size (size): it is the share of a "
                             "leak's records that belong to companies")
        if self.litigation not in LITIGATION_METHODS:
            raise InputError("litigation", f"{self.litigation!r} is not allowed; allowed values: "
                             + ", ".join(map(repr, LITIGATION_METHODS)))
        check_choice("litigation_basis", self.litigation_basis, FEE_BASES)
        if self.litigation_basis == "claimed" and self.litigation != "jfba":
            raise InputError("litigation_basis", "'claimed' is the basis of the JFBA fee tiers; "
                             f"allowed with litigation = 'jfba' only, not {self.litigation!r}")
        for key, cost in self.costs.items():
            if isinstance(cost, Cost) and cost.component is not None:
                if key in COMPONENTS and key != cost.component:
                    raise InputError(f"costs.{key}.component", f"{cost.component!r} is not allowed "
                                     f"under the component name {key!r}; allowed values: {key!r}")
            else:
                check_names("costs", {key: cost}, COMPONENTS)
        check_names("direct", self.direct, COMPONENTS)
        check_amount("litigation_factor", self.litigation_factor)
        for name, pair in (("court_days", self.court_days), ("court_rates", self.court_rates)):
            for value in pair:
                check_amount(name, value)
        self._check_sources()
        check_model_limits(self)

    def _check_sources(self) -> None:
        if self.claimants is not None and self.size is None and not self.size_by_cause:
            raise InputError("claimants", "need a breach size: add size (people per event)")
        for comp in sorted(set(self._cost_components()) & set(self.direct)):
            raise InputError(f"direct.{comp}", "is also in costs; a component has one source")
        if self.claimants is None and (self.litigation != "none" or any(self.court_days)):
            field = "litigation" if self.litigation != "none" else "court_days"
            raise InputError(field, "needs claimants: fees and court days follow from claims")
        made_by_claims = set(CLAIM_COMPONENTS) if self.claimants else set()
        for comp in sorted(made_by_claims & (set(self._cost_components()) | set(self.direct))):
            raise InputError(comp, "comes from the claimants model already; give it one source")
        severities = {"size": self.size, "corporate_victims": self.corporate_victims,
                      **{f"size_by_cause.{c}": v for c, v in self.size_by_cause.items()},
                      **{f"direct.{c}": v for c, v in self.direct.items()}}
        if self.claimants is not None and self.claimants.claimed is not None:
            severities["claimants.claimed"] = self.claimants.claimed
        if isinstance(self.claimants, Suits):
            severities["claimants.share"] = self.claimants.share
        names = list(self.costs)
        for comp, cost in self.costs.items():
            before = names[:names.index(comp)]
            if cost.follows is not None and cost.follows not in before:
                raise InputError(f"costs.{comp}.follows", f"{cost.follows!r} is not a cost declared "
                                 f"before {comp!r}; allowed values: "
                                 + (", ".join(map(repr, before)) or "none"))
        for name, sev in severities.items():
            if isinstance(sev, Discrete):
                raise InputError(name, "a discrete distribution is allowed only for "
                                 "claimants.award; use another dist")

    def _cost_components(self) -> tuple[str, ...]:
        """The component each entry of ``costs`` adds to, in order."""
        return tuple(cost_component(key, cost) for key, cost in self.costs.items())

    @property
    def components(self) -> tuple[str, ...]:
        """Components this model can produce (others are always zero)."""
        made = set(self._cost_components()) | set(self.direct)
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
            sample_events(bitgen, self.compile(), events)
        except OverflowError as err:  # a count past MAX_PEOPLE: "size" or "corporate_victims"
            raise size_overflow(str(err)) from None
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


def _check_mix(field: str, mix: dict[str, float], names: tuple[str, ...]) -> None:
    check_names(field, mix, names)
    total = sum(check_fraction(f"{field}.{c}", p) for c, p in mix.items())
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        raise InputError(field, f"probabilities sum to {total:.6g}; they must sum to 1")


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
    incident_cdf: np.ndarray       # (n_incidents,)
    whole_records: np.ndarray      # (n_causes,) P(a leak of the cause takes every record held)
    award_table: np.ndarray        # (n, 2) value, cumulative probability (a DISCRETE award)
    extra_code: np.ndarray         # (3,) codes of: plaintiff share, amount claimed, corporate victims
    extra_params: np.ndarray       # (3, 4)
    suit_factor: np.ndarray        # (n_causes + 1,) P(suit) factor per cause code


def _severity_row(sev: Severity | None) -> tuple[int, tuple[float, ...]]:
    return (NO_SEVERITY, (0.0,) * N_SEVERITY_PARAMS) if sev is None else (sev.code, sev.params)


def _severity_rows(sevs: Sequence[Severity | None]) -> tuple[np.ndarray, np.ndarray]:
    rows = [_severity_row(s) for s in sevs]
    return (np.array([code for code, _ in rows], dtype=INT),
            np.array([p for _, p in rows], dtype=FLOAT).reshape(-1, N_SEVERITY_PARAMS))


def _cdf(mix: dict[str, float], names: tuple[str, ...]) -> np.ndarray:
    p = np.array([mix.get(c, 0.0) for c in names], dtype=FLOAT)
    return np.cumsum(p / p.sum())


def _claim_scalars(model: LossModel) -> dict[str, float]:
    cl = model.claimants
    suits = cl if isinstance(cl, Suits) else None
    a, b = cl.beta if isinstance(cl, Claimants) else (0.0, 0.0)
    return dict(
        has_claimants=float(cl is not None), beta_a=a, beta_b=b,
        per_claimant_sigma=cl.per_claimant_sigma if cl else 0.0,
        two_stage=float(suits is not None), suit_p_max=suits.p_max if suits else 0.0,
        suit_n50=suits.n50 if suits else 1.0, suit_steepness=suits.steepness if suits else 1.0,
        fee_on_claimed=float(model.litigation_basis == "claimed"))


def _reporting_scalars(rep: Reporting) -> dict[str, float]:
    return dict(
        p_min=rep.p_min, p_max=rep.p_max, n50=rep.n50, steepness=rep.steepness,
        report_rule=REPORT_RULE_2022 if rep.rule == "2022" else REPORT_RULE_PROBABILITY,
        report_threshold=rep.threshold, report_always=float(rep.sensitive or rep.financial),
        malicious_mask=float(rep.malicious_mask), theft_share=rep.theft_share)


def cost_component(key: str, cost: Cost) -> str:
    """The component a cost declared under ``key`` adds to (``cost.component``, else the key)."""
    return cost.component if cost.component is not None else key


def _cost_field(cost: Cost, name: str) -> float:
    """A field of ``cost`` as the samplers read it: an alternative level left out is the main one."""
    value = getattr(cost, name)
    return getattr(cost, name.removeprefix("alt_")) if value is None else value


def _cost_records(costs: dict[str, Cost], column) -> np.ndarray:
    out = np.zeros(len(costs), dtype=COST_DTYPE)
    out["component"] = [column(cost_component(c, cost)) for c, cost in costs.items()]
    row = {c: i for i, c in enumerate(costs)}
    out["follows"] = [row[cost.follows] if cost.follows else -1 for cost in costs.values()]
    for name in COST_DTYPE.names[1:-1]:  # the other fields are attributes of Cost, by name
        out[name] = [_cost_field(cost, name) for cost in costs.values()]
    return records(out)


def compile_model(model: LossModel, columns: Sequence[str] | None = None) -> LossModelArrays:
    columns = list(COMPONENTS if columns is None else columns)
    missing = [c for c in model.components if c not in columns]
    if missing:
        raise ValueError(f"the loss columns {columns} lack components the model makes: {missing}")
    column = {c: i for i, c in enumerate(columns)}.get
    size_code, size_params = _severity_rows([model.size_by_cause.get(c, model.size) for c in CAUSES])
    cl = model.claimants
    tiers, min_retainer = jfba_fee_table()
    kinds = [k for k, p in model.incident_mix.items() if p > 0]
    scalars = Scalars(  # floats: Numba compiles one kernel for one uniform tuple type
        records_held=model.records_held, **_reporting_scalars(model.reporting),
        **_claim_scalars(model),
        litigation_method=float(LITIGATION_METHODS.index(model.litigation)),
        litigation_factor=model.litigation_factor, officer_days=model.court_days[0],
        employee_days=model.court_days[1], officer_rate=model.court_rates[0],
        employee_rate=model.court_rates[1], min_retainer=min_retainer,
        corporate_share=model.corporate_share,
        incident_single=float(INCIDENT_INDEX[kinds[0]]) if len(kinds) == 1 else -1.0)
    award = cl.award if cl else None
    award_code, award_params = _severity_rows([award])
    award_table = award.table if isinstance(award, Discrete) else np.zeros((1, 2), dtype=FLOAT)
    extra_code, extra_params = _severity_rows([
        cl.share if isinstance(cl, Suits) else None, cl.claimed if cl else None,
        model.corporate_victims])
    direct_code, direct_params = _severity_rows(list(model.direct.values()))
    return LossModelArrays(
        cause_cdf=_cdf(model.cause_mix, CAUSES),
        size_code=size_code,
        size_params=size_params,
        scalars=Scalars._make(map(float, scalars)),
        award_code=award_code,
        award_params=award_params,
        fee_tiers=tiers,
        claim_column=ClaimColumns(*(column(c, -1) for c in CLAIM_COMPONENTS)),
        costs=_cost_records(model.costs, column),
        direct_component=np.array([column(c) for c in model.direct], dtype=INT),
        direct_code=direct_code,
        direct_params=direct_params,
        incident_cdf=_cdf(model.incident_mix, INCIDENTS),
        whole_records=np.array([model.whole_records.get(c, 0.0) for c in CAUSES], dtype=FLOAT),
        award_table=np.ascontiguousarray(award_table, dtype=FLOAT),
        extra_code=extra_code,
        extra_params=extra_params,
        suit_factor=np.array(cl.factors if isinstance(cl, Suits) else (1.0,) * (len(CAUSES) + 1),
                             dtype=FLOAT),
    )
