"""What the calibrated loss model says about each published fact of ``validation_facts.csv``.

Each function of :data:`QUANTITIES` takes the fact's value and its ``params`` and returns a
:class:`Figure`: the model's figure for the same statistic, its Monte Carlo standard error, and
(for facts compared by percentile) where the fact falls in the model's distribution. Every
figure comes from the model's own sampler (:meth:`sim.losses.LossModel.sample`) on the models
:func:`sim.calibration.calibrated_model` builds, with fixed seeds, so a re-calibration is picked
up without edits here. A quantity the model cannot compute (an incident kind it gives no
events to, a per-event data class) is ``nan``: "not modelled".

Standard errors are batch errors: the statistic on ``BATCHES`` equal parts of the sample,
their standard deviation divided by ``sqrt(BATCHES)``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
import math

import numpy as np

from ..components import CAUSE_INDEX, COMPONENT_INFO, COMPONENTS, INCIDENT_INDEX
from ..losses.distributions import Fixed
from .model import calibrated_model

BATCHES = 10
SEED = 20_240_601
N_EVENTS = 400_000         # events for shares of the default model
N_CONDITIONAL = 100_000    # events for one incident of a given size and data class
MEAN_CHUNKS = 12
N_REPLICATES = 1_000       # sample means of n events (a year's or a survey's mean)
AWARD_SIZE = 10_000_000.0
MIN_SUITS = 20            # fewer sued events than this: no distribution to place a count in
COST_COLUMNS = [i for i, c in enumerate(COMPONENTS) if COMPONENT_INFO[c].side == "cost"]


@dataclass(frozen=True)
class Figure:
    """The model's figure for a fact: ``value`` (nan: not modelled), its standard error
    ``se``, and the fact's ``percentile`` in the model's distribution (nan if not asked)."""

    value: float
    se: float
    percentile: float = math.nan


NOT_MODELLED = Figure(math.nan, math.nan)


@lru_cache(maxsize=None)
def _model(view: str = "courts", data: tuple[str, ...] | None = None, size: float = 0.0,
           cause: str = "", incident: str = ""):
    """The calibrated model of ``view`` (``data`` None: the calibration's own default data,
    e.g. JNSA's mix in the JNSA view), optionally with one fixed size, one cause, one kind."""
    overrides = {}
    if data is not None:
        overrides["data"] = list(data)
    if size:
        overrides["size"] = Fixed(size)
        overrides["size_by_cause"] = {}
        overrides["whole_records"] = {}
    if cause:
        overrides["cause_mix"] = {cause: 1.0}
    if incident:
        overrides["incident_mix"] = {incident: 1.0}
    return calibrated_model(view=view, **overrides)


@lru_cache(maxsize=4)
def _events(n: int, view: str = "courts", data: tuple[str, ...] | None = None,
            size: float = 0.0, cause: str = "", incident: str = "", seed: int = SEED):
    return _model(view, data, size, cause, incident).sample(n, seed)


def _models_incident(incident: str) -> bool:
    """Whether the calibration gives ``incident`` events their own losses: a share of the
    default mix, or a cost declared for that kind (a kind whose costs are only the generic
    ones of every incident is not modelled)."""
    model = calibrated_model()
    named = any(incident in (getattr(cost, "incidents", None) or ())
                for cost in model.costs.values())
    return model.incident_mix.get(incident, 0.0) > 0.0 or named


def _batched(stat: Callable[[np.ndarray], float], values: np.ndarray) -> Figure:
    parts = [stat(part) for part in np.array_split(values, BATCHES)]
    return Figure(float(stat(values)), float(np.std(parts, ddof=1) / math.sqrt(BATCHES)))


def _percentile(fact: float, draws: np.ndarray) -> float:
    """Mid-rank percentile of ``fact`` among ``draws`` (ties count half)."""
    return float((np.mean(draws < fact) + np.mean(draws <= fact)) / 2.0)


def _with_percentile(fact: float, draws: np.ndarray) -> Figure:
    p = _percentile(fact, draws)
    return Figure(float(np.median(draws)), math.sqrt(p * (1.0 - p) / len(draws)), p)


def _leaks(base: str = "leak"):
    ev = _events(N_EVENTS)
    keep = ev.incident == INCIDENT_INDEX["leak"]
    if base == "reported":
        keep &= ev.reported
    return ev, keep


def size_share(value: float, lower: float = 1, upper: float = math.inf,
               base: str = "leak") -> Figure:
    """Share of leaks (or of reported leaks) of ``lower <= people < upper``."""
    ev, keep = _leaks(base)
    n = ev.victims[keep]
    return _batched(lambda x: float(np.mean((x >= lower) & (x < upper))), n)


@lru_cache(maxsize=None)
def _many_leaks(data: tuple[str, ...] | None = None, cause: str = "") -> np.ndarray:
    """``(2, n)``: sizes and claimants of the leaks among ``MEAN_CHUNKS`` samples of
    ``N_EVENTS`` (a heavy-tailed mean needs more events than a share; only these are kept)."""
    model = _model(data=data, cause=cause, incident="leak")
    parts = [(ev.victims, ev.claimants)
             for ev in (model.sample(N_EVENTS, SEED + k) for k in range(MEAN_CHUNKS))]
    return np.array([np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])])


def size_mean(value: float) -> Figure:
    """Mean people per leak."""
    return _batched(lambda x: float(np.mean(x)), _many_leaks()[0])


def size_mean_ratio(value: float, cause: str) -> Figure:
    """Mean people per leak of ``cause`` over the mean people per leak of any cause."""
    of_cause, every = _many_leaks(cause=cause)[0], _many_leaks()[0]
    ratio = float(np.mean(of_cause) / np.mean(every))
    parts = [np.mean(a) / np.mean(b) for a, b in
             zip(np.array_split(of_cause, BATCHES), np.array_split(every, BATCHES))]
    return Figure(ratio, float(np.std(parts, ddof=1) / math.sqrt(BATCHES)))


def _sample_means(values: np.ndarray, n: int) -> np.ndarray:
    reps = min(N_REPLICATES, len(values) // n)
    return values[:reps * n].reshape(reps, n).mean(axis=1)


def size_sample_mean(value: float, n: int, cause: str = "") -> Figure:
    """The fact's percentile among the model's means of ``n`` leaks (of ``cause``)."""
    sizes = _events(N_REPLICATES * int(n), cause=cause, incident="leak").victims
    return _with_percentile(value, _sample_means(sizes, int(n)))


def cause_share(value: float, causes: str, base: str = "leak") -> Figure:
    """Share of leaks (or of reported leaks) whose cause is one of ``causes``."""
    ev, keep = _leaks(base)
    codes = [CAUSE_INDEX[c] for c in causes.split("|")]
    return _batched(lambda x: float(np.mean(np.isin(x, codes))), ev.cause[keep])


def _jnsa_leaks(n: int):
    ev = _events(n, view="jnsa", incident="leak")
    keep = ev.victims > 0
    return ev.losses[keep, COMPONENTS.index("damages")], ev.victims[keep]


def jnsa_per_person(value: float) -> Figure:
    """JNSA view: mean over leaks of damages per person (JNSA's own definition)."""
    damages, people = _jnsa_leaks(N_EVENTS // 4)
    return _batched(lambda x: float(np.mean(x)), damages / people)


def jnsa_sample_mean(value: float, n: int) -> Figure:
    """JNSA view: the fact's percentile among the model's means of damages over ``n`` leaks."""
    damages, _ = _jnsa_leaks(N_REPLICATES * int(n))
    return _with_percentile(value, _sample_means(damages, int(n)))


def _gross(ev, incident: str) -> np.ndarray:
    return ev.losses[ev.incident == INCIDENT_INDEX[incident]].sum(axis=1)


def _geometric_mean(x: np.ndarray) -> float:
    return float(np.exp(np.mean(np.log(np.maximum(x, 1.0)))))


def incident_total(value: float, data: str, size: float, cause: str = "") -> Figure:
    """Geometric mean of the gross loss of a leak of ``size`` people of ``data`` (and
    ``cause``): its typical size, stable where the distribution has two modes (a consolation
    paid or not) and the median jumps between them; the fact's percentile among such leaks."""
    ev = _events(N_CONDITIONAL, data=tuple(data.split("|")), size=float(size), cause=cause,
                 incident="leak")
    gross = _gross(ev, "leak")
    fig = _batched(_geometric_mean, gross)
    return Figure(fig.value, fig.se, _percentile(value, gross))


def _kind_events(n: int, incident: str, cause: str, data: str):
    if not _models_incident(incident):
        return None
    return _events(n, data=tuple(data.split("|")) if data else None, cause=cause,
                   incident=incident)


def cost_share_at_least(value: float, incident: str, threshold: float,
                        components: str = "") -> Figure:
    """Share of ``incident`` events whose ``components`` ("a|b"; default: every cost-side
    component) add to ``threshold`` or more (NPA's 調査・復旧費用 bands)."""
    ev = _kind_events(N_CONDITIONAL, incident, "", "")
    if ev is None:
        return NOT_MODELLED
    columns = [COMPONENTS.index(c) for c in components.split("|")] if components else COST_COLUMNS
    costs = ev.losses[:, columns].sum(axis=1)
    return _batched(lambda x: float(np.mean(x >= threshold)), costs)


def total_sample_mean(value: float, incident: str, n: int, cause: str = "",
                      data: str = "") -> Figure:
    """Median over replicates of the mean gross loss of ``n`` events of ``incident`` (a
    survey's mean of about ``n`` answers); the fact's percentile among those means."""
    ev = _kind_events(N_REPLICATES * int(n), incident, cause, data)
    if ev is None:
        return NOT_MODELLED
    means = _sample_means(_gross(ev, incident), int(n))
    fig = _batched(lambda x: float(np.median(x)), means)
    return Figure(fig.value, fig.se, _percentile(value, means))


def total_median(value: float, incident: str, cause: str = "",
                 data: str = "") -> Figure:
    """Median gross loss of ``incident`` events."""
    ev = _kind_events(N_CONDITIONAL, incident, cause, data)
    if ev is None:
        return NOT_MODELLED
    gross = _gross(ev, incident)
    fig = _batched(lambda x: float(np.median(x)), gross)
    return Figure(fig.value, fig.se, _percentile(value, gross))


def _claimants(data: str, size: float) -> tuple[np.ndarray, np.ndarray]:
    ev = _events(N_CONDITIONAL * 5, data=(data,), size=float(size), incident="leak")
    return ev.claimants, ev.losses[:, COMPONENTS.index("damages")]


def plaintiffs(value: float, data: str, size: float) -> Figure:
    """The fact's percentile among leaks of ``size`` people of ``data`` that have at least one
    claimant (a suit was brought); the model's median number of them."""
    claimants, _ = _claimants(data, size)
    sued = claimants[claimants >= 1]
    if len(sued) < MIN_SUITS:  # the model (almost) never sues over such a leak
        return NOT_MODELLED
    return _with_percentile(value, sued)


def claimant_rate(value: float) -> Figure:
    """All claimants over all people affected, over leaks of the default sizes and data
    (JNSA's "0.02% of victims sue" pools past cases). Suits are rare and the people who bring
    them few, so counting sampled claimants leaves a Monte Carlo error of ~20%: each sampled
    leak contributes instead its expected claimants, P(suit | N) x E[plaintiffs | suit, N] (the
    model's own two stages, the share's expectation over 400 of its quantiles)."""
    model = _model(incident="leak")
    people = _many_leaks()[0]
    suits = model.claimants
    shares = np.array([suits.share.quantile((q + 0.5) / 400) for q in range(400)])
    sizes, which = np.unique(people, return_inverse=True)
    expected = np.array([suits.probability(n) * np.clip(np.floor(shares * n + 0.5), 1.0, n).mean()
                         for n in sizes])
    claimants = expected[which]
    parts = [c.sum() / p.sum() for p, c in
             zip(np.array_split(people, BATCHES), np.array_split(claimants, BATCHES))]
    return Figure(float(claimants.sum() / people.sum()),
                  float(np.std(parts, ddof=1) / math.sqrt(BATCHES)))


def suit_probability(value: float, data: str, size: float) -> Figure:
    """P(at least one claimant) for a leak of ``size`` people of ``data``: the score of a
    leak with no suit found (the band asks P(none) >= 5%)."""
    claimants, _ = _claimants(data, size)
    p = float(np.mean(claimants >= 1))
    return Figure(p, math.sqrt(p * (1 - p) / len(claimants)))


def award_median(value: float, data: str) -> Figure:
    """Median award per plaintiff (damages / claimants) over leaks of ``AWARD_SIZE`` people of
    ``data`` that have claimants (a size where suits are common enough to sample)."""
    claimants, damages = _claimants(data, AWARD_SIZE)
    sued = claimants >= 1
    return _batched(lambda x: float(np.median(x)), damages[sued] / claimants[sued])


def not_modelled(value: float) -> Figure:
    """A fact the model has nothing to compare with (e.g. per-event data classes)."""
    return NOT_MODELLED


QUANTITIES: dict[str, Callable[..., Figure]] = {f.__name__: f for f in (
    size_share, size_mean, size_mean_ratio, size_sample_mean, cause_share, jnsa_per_person, jnsa_sample_mean,
    incident_total, cost_share_at_least, total_sample_mean, total_median, plaintiffs,
    claimant_rate, suit_probability, award_median, not_modelled)}
"""Quantity names of ``validation_facts.csv`` -> the function computing the model's figure."""
