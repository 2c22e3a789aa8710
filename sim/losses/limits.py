"""Loss models the engine cannot simulate meaningfully are refused before any work; what only a
draw can reveal stops the run with an error naming the model's field (issue 13). The ceilings
themselves are in :mod:`sim._limits`."""
from __future__ import annotations

import math

import numpy as np

from .._errors import InputError
from .._limits import MAX_PEOPLE, MAX_YEN, RARE
from ..events import empty_events
from .sampling import sample_events, sample_year_counts

CEILING_YEN = "2**50 yen (about 1,126兆円)"


def check_model_limits(model) -> None:
    """Refuse a :class:`~sim.losses.model.LossModel` whose draws would pass the engine's
    ceilings: a yen severity (an award or amount claimed per claimant, a direct component)
    without a finite mean (a Pareto tail with ``alpha <= 1``), or one whose one-in-a-million
    draw reaches 2**50 yen; records held above 1e10 people; an uncapped breach size (no
    ``records_held``) or count of corporate victims (never capped) without a finite mean or
    reaching 1e10. A suit's plaintiffs need no check: they are at most the people affected."""
    if math.isfinite(model.records_held) and model.records_held > MAX_PEOPLE:
        raise InputError("records_held", f"{model.records_held:.6g} is not allowed; expected at "
                         f"most {MAX_PEOPLE:.0e} people (more than live on Earth)")
    sizes = {"size": model.size, **{f"size_by_cause.{c}": s for c, s in model.size_by_cause.items()}}
    for field, severity in sizes.items():
        if severity is not None and not math.isfinite(model.records_held):
            _check_tail(field, severity, MAX_PEOPLE, f"{MAX_PEOPLE:.0e} people",
                        "or give records_held, which caps every breach")
    if model.corporate_victims is not None:  # no records held caps them
        _check_tail("corporate_victims", model.corporate_victims, MAX_PEOPLE, f"{MAX_PEOPLE:.0e} "
                    "companies", "records_held does not cap companies")
    if model.claimants is not None:
        _check_tail("claimants.award", model.claimants.award, MAX_YEN, CEILING_YEN)
        if model.claimants.claimed is not None:
            _check_tail("claimants.claimed", model.claimants.claimed, MAX_YEN, CEILING_YEN)
    for component, severity in model.direct.items():
        _check_tail(f"direct.{component}", severity, MAX_YEN, CEILING_YEN)


def _check_tail(field: str, severity, ceiling: float, ceiling_text: str, hint: str = "") -> None:
    hint = f" ({hint})" if hint else ""
    if math.isinf(_or_inf(severity.mean)):
        raise InputError(field, "has no finite mean (a Pareto tail needs alpha > 1): no mean, "
                         f"premium or TVaR of it exists, and a long run would reach any ceiling; "
                         f"use alpha > 1{hint}")
    rare = _or_inf(lambda: severity.quantile(1.0 - RARE))
    if not rare < ceiling:
        raise InputError(field, f"one draw in a million reaches {rare:.4g}, at or past the "
                         f"engine's ceiling of {ceiling_text}; a long run would stop on it{hint}")


def _or_inf(compute) -> float:
    """``compute()``, or inf where it overflows (``exp`` of a huge sigma)."""
    try:
        value = float(compute())
    except OverflowError:
        return math.inf
    return math.inf if math.isnan(value) else value


def overflow_error(kind: str, model, columns, model_arrays, freq: np.ndarray, bitgen,
                   n_years: int) -> InputError:
    """The error for a block that stopped on a ceiling (``kind``: the kernel's
    ``OverflowError`` message, ``"size"`` or ``"year"``), naming the model's field. ``bitgen``
    is the block's generator, fresh: its events are drawn again to find the culprit."""
    if kind in ("size", "corporate_victims"):
        return size_overflow(f"model.{kind}")
    counts = np.empty(n_years, dtype=np.int64)
    sample_year_counts(bitgen, freq, counts)
    events = empty_events(int(counts.sum()), len(columns))
    sample_events(bitgen, model_arrays, events)
    starts = np.concatenate([[0], np.cumsum(counts)])
    totals = np.add.reduceat(events.losses.sum(axis=1), starts[:-1]) if len(events.losses) else []
    year = int(np.flatnonzero(~(np.asarray(totals) < MAX_YEN))[0]) if len(totals) else 0
    rows = events.losses[starts[year]:starts[year + 1]]
    column = int(np.nanargmax(rows.max(axis=0))) if rows.size else 0
    component = columns[column]
    total = float(np.asarray(totals)[year]) if len(totals) else math.nan
    return InputError(f"model.{_source(model, component)}",
                      f"a simulated year reached {total:.4g} yen, at or past the engine's ceiling "
                      f"of {CEILING_YEN}; its largest part is {component} "
                      f"({float(rows[:, column].max()):.4g} yen in one event): check that "
                      "distribution's tail")


def size_overflow(field: str) -> InputError:
    """The error for a count drawn past :data:`~sim._limits.MAX_PEOPLE` (the sampler's
    ``OverflowError``): a breach size (``field`` ending in ``size``), or corporate victims."""
    if field.endswith("corporate_victims"):
        return InputError(field, f"more than {MAX_PEOPLE:.0e} corporate victims were drawn in one "
                          "event; use a distribution with a lighter tail (records_held does not "
                          "cap companies)")
    return InputError(field, f"a breach of more than {MAX_PEOPLE:.0e} people was drawn; give "
                      "records_held, which caps every breach")


def _source(model, component: str) -> str:
    """Where the model declares ``component``."""
    if component in model.direct:
        return f"direct.{component}"
    if component in model.costs:
        return f"costs.{component}"
    if (component == "litigation" and model.litigation_basis == "claimed"
            and model.claimants.claimed is not None):
        return "claimants.claimed"  # the fee on the amount claimed, not on the award
    return "claimants"
