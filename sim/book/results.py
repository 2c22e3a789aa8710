"""The result of a book run: the book's annual figures (AEP/OEP, VaR/TVaR with intervals), per
member and per tier expected loss and loss ratio, capital by contribution, and the share of the
tail from common-cause events.

Capital by contribution (co-TVaR, the Euler allocation of TVaR): tier ``i`` gets
``E[X_i | book gross among the worst n (1 - q) years]``, the tiers adding up to the book's
TVaR. Each block keeps its own ``M = ceil(n (1 - q)) + 1`` largest gross years with their sums
by tier; the run's M largest years are among them (a year in the run's top M is in its block's
top M), so the run keeps M x tiers numbers per block, never years x members.
"""
from __future__ import annotations

from dataclasses import dataclass
import math

import numpy as np
import pandas as pd

from .._errors import InputError
from ..engine.intervals import check_ci, mean_interval, tvar_interval, var_interval
from ..engine.tally import Tally, bin_totals, merge_moments, tail_value_at_risk, top_values, value_at_risk
from .block import SLOTS

LEVELS = (0.9, 0.99, 0.995, 0.999)


@dataclass
class BookResult:
    compiled: object
    n_years: int
    seed: int
    dependence: str
    frailty_variance: float
    reinsurance: object
    tally: Tally
    block_moments: np.ndarray
    block_years: np.ndarray
    member_sum: np.ndarray
    member_sumsq: np.ndarray
    tail_gross: np.ndarray       # the run's largest gross years, largest first
    tail_year: np.ndarray
    tail_tiers: np.ndarray       # (M, n_tiers)
    tail_accumulation: np.ndarray
    event_stats: np.ndarray      # (1 + n_catalogue, 4)
    years: np.ndarray | None     # (n_years, len(SLOTS)) with keep_years
    memory: object
    n_events: int
    capital_level: float = 0.99
    events: np.ndarray | None = None  # (3, k) with keep_events: year, EventId, gross loss (year order)

    @property
    def book(self):
        return self.compiled.book

    def _slot(self, name: str) -> int:
        if name not in SLOTS:
            raise InputError("measure", f"{name!r} is not allowed; allowed values: {', '.join(SLOTS)}")
        return SLOTS.index(name)

    def moments(self) -> tuple[np.ndarray, np.ndarray]:
        m = merge_moments(self.block_moments, self.block_years)
        return m.mean, m.std

    def summary(self, levels=(0.99, 0.995), ci: float = 0.95) -> pd.DataFrame:
        """Per measure (:data:`sim.book.block.SLOTS`): mean, std, sem, VaR and TVaR at
        ``levels``, each with its ``ci`` interval (:mod:`sim.engine.intervals`)."""
        ci = check_ci(ci)
        mean, std = self.moments()
        rows = {}
        for i, name in enumerate(SLOTS):
            top, totals = top_values(self.tally, i), bin_totals(self.tally, i)
            lo, hi = mean_interval(mean[i], std[i], self.n_years, ci)
            row = {"mean": mean[i], "mean_lo": lo, "mean_hi": hi, "std": std[i],
                   "sem": std[i] / math.sqrt(self.n_years)}
            for q in levels:
                row[f"VaR {q:g}"] = value_at_risk(self.tally, i, self.n_years, q, top, totals)
                row[f"VaR {q:g}_lo"], row[f"VaR {q:g}_hi"] = var_interval(self.tally, i, self.n_years, q, ci, top, totals)
                row[f"TVaR {q:g}"] = tail_value_at_risk(self.tally, i, self.n_years, q, top, totals)
                row[f"TVaR {q:g}_lo"], row[f"TVaR {q:g}_hi"] = tvar_interval(self.tally, i, self.n_years, q, ci, top, totals)
            rows[name] = row
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("measure")

    def exceedance(self, measure: str, return_periods) -> np.ndarray:
        """The loss of ``measure`` exceeded once in each return period (years): its VaR at
        ``1 - 1 / T``; 0 where ``T`` is beyond what the run can read (T > n_years)."""
        i = self._slot(measure)
        top, totals = top_values(self.tally, i), bin_totals(self.tally, i)
        return np.array([value_at_risk(self.tally, i, self.n_years, 1.0 - 1.0 / t, top, totals)
                         if t <= self.n_years else np.nan for t in return_periods])

    def tail_mean(self, measure: str, return_periods) -> np.ndarray:
        i = self._slot(measure)
        top, totals = top_values(self.tally, i), bin_totals(self.tally, i)
        return np.array([tail_value_at_risk(self.tally, i, self.n_years, 1.0 - 1.0 / t, top, totals)
                         if t <= self.n_years else np.nan for t in return_periods])

    def members(self) -> pd.DataFrame:
        """Per member: expected paid (annual mean), its standard deviation, premium and loss ratio."""
        m = self.book.members
        mean = self.member_sum / self.n_years
        var = np.maximum(self.member_sumsq / self.n_years - mean ** 2, 0.0) * self.n_years / max(self.n_years - 1, 1)
        return pd.DataFrame({"member_id": m["member_id"], "rate": self.compiled.rates,
                             "expected_loss": mean, "std": np.sqrt(var), "premium": m["premium"],
                             "loss_ratio": mean / m["premium"].to_numpy(float)}).set_index("member_id")

    def _tail_weights(self, q: float) -> np.ndarray:
        m = self.n_years * (1.0 - q)
        if m > len(self.tail_gross) + 1e-9:
            raise InputError("q", f"{q:g} reaches {m:.0f} tail years; this run kept {len(self.tail_gross)} "
                             "(simulate_book(capital_level=...) sets how many)")
        whole = math.floor(m + 1e-9)
        w = np.zeros(len(self.tail_gross))
        w[:whole] = 1.0
        if whole < len(w):
            w[whole] = m - whole
        return w / m

    def tiers(self, q: float | None = None) -> pd.DataFrame:
        """Per tier (industry x coverage set x plan): members, premium, expected loss, loss ratio,
        and capital by contribution at ``q`` (co-TVaR of the gross: the tier's mean in the worst
        ``n (1 - q)`` book years) with its share of the book's TVaR."""
        q = self._level(q)
        cb = self.compiled
        frame = self.members()
        exp = np.bincount(cb.tier, frame["expected_loss"].to_numpy(), minlength=len(cb.tiers))
        prem = np.bincount(cb.tier, frame["premium"].to_numpy(float), minlength=len(cb.tiers))
        co = self._tail_weights(q) @ self.tail_tiers
        out = pd.DataFrame({"members": np.bincount(cb.tier, minlength=len(cb.tiers)), "premium": prem,
                            "expected_loss": exp, "loss_ratio": exp / prem, f"co_tvar {q:g}": co,
                            "capital_share": co / co.sum() if co.sum() > 0 else 0.0,
                            "capital_over_premium": co / prem}, index=cb.tiers)
        return out

    def _level(self, q):
        return self.capital_level if q is None else float(q)

    def accumulation_share(self, q: float | None = None) -> float:
        """Share of the gross TVaR at ``q`` that comes from common-cause events."""
        w = self._tail_weights(self._level(q))
        total = w @ self.tail_gross
        return float(w @ self.tail_accumulation / total) if total > 0 else 0.0

    def book_tvar(self, q: float | None = None) -> float:
        """The gross TVaR at ``q`` from the kept tail years (equals the tiers' co-TVaRs summed)."""
        return float(self._tail_weights(self._level(q)) @ self.tail_gross)
