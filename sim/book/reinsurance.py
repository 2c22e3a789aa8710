"""Reinsurance on the book: per-risk excess of loss, quota share, aggregate stop-loss.

Applied in that order, each inuring to the benefit of the next, to the insurer's paid losses
(the book's *gross*):

- **per-risk XL** ``limit xs retention`` with ``reinstatements`` r: each member's loss from one
  event (its own incident, or its part of a common-cause event) above ``retention`` is ceded up
  to ``limit``; the layer's cover in a year is ``limit x (1 + r)`` (r reinstatements, each
  restoring the limit once; reinstatement premiums are not modelled).
- **quota share** ``share``: that share of what the XL left is ceded, year by year.
- **aggregate stop-loss** ``limit xs attachment`` with ``reinstatements`` r on the year's
  remaining loss ``S``: ceded ``min(max(S - attachment, 0), limit x (1 + r))``; the net year is
  then ``min(S, attachment) + max(S - attachment - limit x (1 + r), 0)``.

``ceded = xl + qs + stop_loss`` and ``net = gross - ceded`` every year.
"""
from __future__ import annotations

from dataclasses import dataclass
import math

import numpy as np

from .._errors import check_amount, check_count, check_fraction


@dataclass(frozen=True)
class Reinsurance:
    """The book's treaties (all optional; the default cedes nothing).

    Parameters
    ----------
    quota_share : float
        Share ceded, in [0, 1].
    xl_retention, xl_limit : float
        Per-risk excess of loss: ``xl_limit`` xs ``xl_retention`` per member per event
        (``xl_limit`` 0: no XL).
    xl_reinstatements : int
    stop_loss_attachment, stop_loss_limit : float
        Aggregate stop-loss on the year (``stop_loss_limit`` 0: none; ``inf``: unlimited).
    stop_loss_reinstatements : int
    """

    quota_share: float = 0.0
    xl_retention: float = 0.0
    xl_limit: float = 0.0
    xl_reinstatements: int = 0
    stop_loss_attachment: float = 0.0
    stop_loss_limit: float = 0.0
    stop_loss_reinstatements: int = 0

    def __post_init__(self):
        check_fraction("quota_share", self.quota_share)
        check_amount("xl_retention", self.xl_retention)
        check_amount("xl_limit", self.xl_limit, allow_inf=True)
        check_amount("stop_loss_attachment", self.stop_loss_attachment)
        check_amount("stop_loss_limit", self.stop_loss_limit, allow_inf=True)
        check_count("xl_reinstatements", self.xl_reinstatements)
        check_count("stop_loss_reinstatements", self.stop_loss_reinstatements)

    @property
    def xl_cover(self) -> float:
        return self.xl_limit * (1 + self.xl_reinstatements)

    @property
    def stop_loss_cover(self) -> float:
        return self.stop_loss_limit * (1 + self.stop_loss_reinstatements)

    def event_xl(self, paid: np.ndarray) -> np.ndarray:
        """Per-risk XL recovery of each member-event loss (before the yearly cover)."""
        if self.xl_limit == 0.0:
            return np.zeros_like(paid)
        return np.minimum(np.maximum(paid - self.xl_retention, 0.0), self.xl_limit)

    def apply_years(self, gross: np.ndarray, xl_events: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(ceded, net)`` per year from the gross years and the years' summed XL recoveries."""
        xl = np.minimum(xl_events, self.xl_cover)
        after_xl = gross - xl
        qs = self.quota_share * after_xl
        after_qs = after_xl - qs
        sl = np.minimum(np.maximum(after_qs - self.stop_loss_attachment, 0.0), self.stop_loss_cover)
        ceded = xl + qs + sl
        return ceded, after_qs - sl
