"""Kept events: every simulated event of a run, one row each (an event loss table).

With ``simulate(..., keep_events=True)`` each block's events are copied after the block kernel
has tallied them, with what each policy paid for each one, and the blocks' rows are joined in
block order: the rows come in year order whatever thread or Dask task ran which block.

What a policy paid for an event is computed again by the kernel that the block kernel runs
(:func:`~sim.policy.limit_kernel.run_year`, through :func:`~sim.policy.engine.run_terms`) on
the same events, so it is the same number the tallies saw; recomputing it only when events are
kept leaves the block kernel's loop as it is. An event's ``gross`` adds its components in the
kernel's order, and its paid adds the policy's sections in the kernel's order.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..components import CAUSES, INCIDENTS
from ..policy.engine import run_terms


class KeptEvents(NamedTuple):
    """The kept events of some blocks, in year order (one row per event)."""

    year: np.ndarray               # (n,) int64: the run's year, numbered as kept years (from 0)
    incident: np.ndarray           # (n,) int8: index into INCIDENTS
    cause: np.ndarray              # (n,) int8: index into CAUSES; len(CAUSES) when unspecified
    size: np.ndarray               # (n,) float: people affected
    corporate_victims: np.ndarray  # (n,) float
    reported: np.ndarray           # (n,) bool
    claimants: np.ndarray          # (n,) float: people who claimed or sued
    losses: np.ndarray             # (n, n_columns): the components the model makes
    gross: np.ndarray              # (n,)
    paid: np.ndarray               # (n, n_policies): what each policy paid for the event


def no_events(n_columns: int, n_policies: int, n: int = 0) -> KeptEvents:
    """``n`` zeroed rows (the layout, and its size per row for the memory estimate)."""
    return KeptEvents(np.zeros(n, np.int64), np.zeros(n, np.int8), np.zeros(n, np.int8),
                      np.zeros(n), np.zeros(n), np.zeros(n, np.bool_), np.zeros(n),
                      np.zeros((n, n_columns)), np.zeros(n), np.zeros((n, n_policies)))


def row_bytes(n_columns: int, n_policies: int) -> int:
    """Bytes a kept event takes."""
    return sum(a.nbytes for a in no_events(n_columns, n_policies, 1))


def block_events(terms, first_year: int, counts: np.ndarray, drawn) -> KeptEvents:
    """Copy a block's events, with what each policy paid for them.

    Parameters
    ----------
    terms : PolicyArrays
        Every policy of the run, stacked (``CompiledRun.terms``).
    first_year : int
        The run's number of the block's first year.
    counts : ndarray of int, shape (n_years,)
        Events in each year of the block.
    drawn : EventArrays
        The block's events, in year order (the block kernel's buffers: copied here).
    """
    year_start = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(counts, out=year_start[1:])
    paid_by_section, _ = run_terms(terms, drawn, year_start)
    losses = drawn.losses.copy()
    gross = np.zeros(len(losses))
    for c in range(losses.shape[1]):  # column by column, as the kernel adds an event's components
        gross += losses[:, c]
    starts = terms.policy_section_start
    paid = np.zeros((len(losses), len(starts) - 1))
    for p in range(len(starts) - 1):
        for s in range(starts[p], starts[p + 1]):
            paid[:, p] += paid_by_section[:, s]
    year = np.repeat(np.arange(first_year, first_year + len(counts), dtype=np.int64), counts)
    return KeptEvents(year, drawn.incident.astype(np.int8), drawn.cause.astype(np.int8),
                      drawn.victims.copy(), drawn.corporate_victims.copy(), drawn.reported.copy(),
                      drawn.claimants.copy(), losses, gross, paid)


def join_events(parts: list[KeptEvents]) -> KeptEvents:
    """The rows of ``parts`` one after the other (``parts`` is emptied)."""
    if len(parts) == 1:
        return parts.pop()
    joined = KeptEvents(*(np.concatenate([getattr(p, f) for p in parts]) for f in KeptEvents._fields))
    parts.clear()
    return joined


def events_frame(kept: KeptEvents, columns: Sequence[str], policies: Sequence[str]) -> pd.DataFrame:
    """The kept events as a DataFrame (see :meth:`SimulationResult.events`)."""
    frame = pd.DataFrame({
        "year": kept.year,
        "incident": pd.Categorical.from_codes(kept.incident.astype(np.int64), INCIDENTS),
        # the unspecified cause (code len(CAUSES)) becomes NA
        "cause": pd.Categorical.from_codes(np.where(kept.cause < len(CAUSES), kept.cause, -1),
                                           CAUSES),
        "size": _people(kept.size), "corporate_victims": _people(kept.corporate_victims),
        "reported": kept.reported, "claimants": _people(kept.claimants),
        **{name: kept.losses[:, c] for c, name in enumerate(columns)},
        "gross": kept.gross,
        **{f"paid:{name}": kept.paid[:, p] for p, name in enumerate(policies)},
        **{f"retained:{name}": kept.gross - kept.paid[:, p] for p, name in enumerate(policies)},
    })
    frame.index.name = "event"
    return frame


def _people(x: np.ndarray) -> np.ndarray:
    """Counts of people as integers (the samplers draw whole people)."""
    whole = x.astype(np.int64)
    return whole if np.array_equal(whole, x) else x
