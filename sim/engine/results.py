"""``SimulationResult``: the loss distributions of every policy, as pandas DataFrames."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
import math
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .._errors import InputError, check_amount, check_choice, check_fraction
from .event_table import KeptEvents, events_frame
from .intervals import Interval, check_ci, interleave, mean_interval, tvar_interval, var_interval
from .layout import Measure
from .persist import result_metadata, save_result
from .tally import (BinTotals, Tally, bin_totals, cumulative, merge_moments, tail_value_at_risk,
                    top_values, value_at_risk)

LEVELS = {"90": 0.90, "95": 0.95, "99": 0.99, "99_5": 0.995, "99_9": 0.999}
STATISTICS = ("mean", "std", "sem", "p_nonzero") + tuple(
    f"{kind}_{level}" for kind in ("var", "tvar") for level in LEVELS)
INTERVAL_STATISTICS = tuple(s for s in STATISTICS if s == "mean" or "var_" in s)
MIN_EXCEEDANCES = 10  # an EP point is supported when >= 10 simulated years are expected beyond it
RETURN_PERIODS = (2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000,
                  100_000, 1_000_000)


class RunOutput(NamedTuple):
    """What a run hands its result: everything per measure (one row each, in ``measures``)."""

    scenario: object
    n_years: int
    seed: int
    measures: Sequence[Measure]
    tally: Tally                # one row per measure
    block_moments: np.ndarray   # (n_blocks, 2, n_measures): each block's sum and sum of squares
    block_years: np.ndarray     # (n_blocks,)
    limit_hits: np.ndarray      # (2, n_nodes of the stacked policies)
    node_origin: np.ndarray     # each stacked node's place among all the policies' nodes
    year_values: np.ndarray     # (n_years, n_measures), or no rows when years were not kept
    events: KeptEvents | None = None  # every event in year order, or None when not kept
    view: str = "annual"        # "annual": policy years; "per_event": one event a trial
    component_moments: np.ndarray | None = None  # (n_blocks, 2, n_components): gross by component
    components: tuple = ()      # the loss components of component_moments' last axis


class SimulationResult:
    """Distributions of gross, paid, retained and per-section paid losses per policy year.

    Built by :func:`sim.simulate` from a :class:`RunOutput`; holds its scenario, ``n_years``
    and ``seed``. Analysis code reads rows by name: :meth:`measures`, :meth:`measure_index`,
    :meth:`mean`, :meth:`std`.

    ``view`` is ``"annual"`` (each trial a policy year, from :func:`sim.simulate`) or
    ``"per_event"`` (each trial exactly one breach, from :func:`sim.simulate_events`: then every
    "year" in the methods below reads "event", and ``n_years`` is the number of events).
    ``n_trials`` is ``n_years`` under either view; ``unit`` is ``"year"`` or ``"event"``.
    """

    def __init__(self, output: RunOutput):
        self.scenario = output.scenario
        self.n_years = output.n_years
        self.seed = output.seed
        self.layout = list(output.measures)
        self.tally = output.tally
        self.moments = merge_moments(output.block_moments, output.block_years)
        self._block_moments, self._block_years = output.block_moments, output.block_years
        self.limit_hits = output.limit_hits
        self.node_origin = output.node_origin
        self._year_values = output.year_values  # (n_years, n_measures) or (0, n_measures)
        self._events = output.events  # None unless simulate(..., keep_events=True)
        self._readers: dict[int, tuple] = {}
        self.view = output.view
        self._component_moments, self.components = output.component_moments, tuple(output.components)

    @property
    def n_trials(self) -> int:
        """Simulated trials: policy years (annual view) or events (per-event view)."""
        return self.n_years

    @property
    def unit(self) -> str:
        """What one trial is: ``"year"`` (annual view) or ``"event"`` (per-event view)."""
        return "event" if self.view == "per_event" else "year"

    def __repr__(self) -> str:
        count = "n_events" if self.view == "per_event" else "n_years"
        return (f"SimulationResult({self.scenario.name!r}, {count}={self.n_years:,}, "
                f"seed={self.seed}, policies={len(self.scenario.policies)})")

    def rows(self, kind: str = "aggregate") -> Iterator[tuple[str, str, int]]:
        """``(policy, measure, index)`` for every row of :meth:`summary` (gross repeated under
        each policy); ``index`` is the row of ``tally`` and ``moments`` holding it."""
        check_choice("kind", kind, ("aggregate", "occurrence"))
        return self._rows(kind)

    def _rows(self, kind: str = "aggregate"):
        gross = next(i for i, m in enumerate(self.layout) if m.name == "gross" and m.kind == kind)
        for policy in self.scenario.policies:
            yield policy.name, "gross", gross
            for i, m in enumerate(self.layout):
                if m.policy == policy.name and m.kind == kind:
                    yield policy.name, m.name, i

    def summary(self, ci: float | None = None) -> pd.DataFrame:
        """One row per (policy, measure): ``gross``, ``paid``, ``retained``, ``paid:<section>``.

        Columns: ``mean``, ``std``, ``sem`` (standard error of the mean), ``p_nonzero``,
        ``var_90`` ... ``var_99_9`` (value at risk) and ``tvar_90`` ... ``tvar_99_9`` (tail value
        at risk), all per policy year, in yen. With ``ci`` (a confidence level, e.g. 0.95),
        ``<figure>_lo`` and ``<figure>_hi`` follow every mean, VaR and TVaR: the bounds of its
        confidence interval (methods: :mod:`sim.engine.intervals`). ``attrs`` holds
        :meth:`metadata`.
        """
        ci = None if ci is None else check_ci(ci)
        records, index = [], []
        for policy, name, i in self._rows():
            record = {stat: self._statistic(i, stat) for stat in STATISTICS}
            if ci is not None:
                record = interleave(record, {s: self._interval(i, s, ci) for s in INTERVAL_STATISTICS})
            records.append(record)
            index.append((policy, name))
        frame = pd.DataFrame(records, index=pd.MultiIndex.from_tuples(index, names=["policy", "measure"]))
        frame.attrs = {**self.metadata(), **({} if ci is None else {"ci": ci})}
        return frame

    def expected_by_section(self, ci: float | None = None) -> pd.DataFrame:
        """Expected paid per policy year of every section, one row per ``(policy, section)``:
        ``mean`` (with ``mean_lo`` and ``mean_hi`` given ``ci``) and ``share`` of the policy's
        expected paid (a policy with one section: all of it). Gross by loss component:
        :meth:`expected_by_component`."""
        summary = self.summary(ci)
        rows = summary[summary.index.get_level_values("measure").str.startswith("paid:")]
        frame = rows[[c for c in summary.columns if c.startswith("mean")]].copy()
        frame.index = pd.MultiIndex.from_tuples([(p, m.removeprefix("paid:")) for p, m in rows.index],
                                                names=["policy", "section"])
        paid = summary.xs("paid", level="measure")["mean"]
        total = paid.reindex(frame.index.get_level_values("policy")).to_numpy()
        frame["share"] = np.divide(frame["mean"].to_numpy(), total, out=np.zeros(len(frame)),
                                   where=total > 0)
        frame.attrs = summary.attrs
        return frame

    def expected_by_component(self, ci: float | None = None) -> pd.DataFrame:
        """Expected gross loss per year (per event in the per-event view) of every loss
        component the model makes, before any policy: one row per component (in
        :data:`sim.COMPONENTS` order), ``mean``, ``sem`` (its standard error: the standard
        deviation of the year's component total over ``sqrt(n_years)``), with ``ci`` also
        ``mean_lo`` and ``mean_hi`` (normal interval, as for :meth:`summary`), and ``share`` of
        their total. The means add up to the gross mean of :meth:`summary` up to its rounding
        of each year to whole yen; they are the sums of the events' components
        (:meth:`events`) over ``n_years``.
        """
        if self._component_moments is None:
            raise ValueError("this result holds no gross by component (saved by an older "
                             "breach-sim); run the simulation again")
        ci = None if ci is None else check_ci(ci)
        m = merge_moments(self._component_moments, self._block_years)
        frame = pd.DataFrame({"mean": m.mean, "sem": m.std / math.sqrt(self.n_years)},
                             index=pd.Index(self.components, name="component"))
        if ci is not None:
            bounds = [mean_interval(float(a), float(s), self.n_years, ci) for a, s in zip(m.mean, m.std)]
            frame.insert(1, "mean_lo", [b[0] for b in bounds])
            frame.insert(2, "mean_hi", [b[1] for b in bounds])
        total = float(m.mean.sum())
        frame["share"] = m.mean / total if total > 0 else 0.0
        frame.attrs = {**self.metadata(), **({} if ci is None else {"ci": ci})}
        return frame

    def interval(self, policy: str, measure: str, name: str, ci: float = 0.95) -> Interval:
        """Confidence interval ``(lo, hi)`` of one ``mean``, ``var_*`` or ``tvar_*`` cell of
        :meth:`summary` at confidence ``ci``."""
        check_choice("statistic", name, INTERVAL_STATISTICS)
        return self._interval(self._index(policy, measure, "aggregate"), name, check_ci(ci))

    def _interval(self, i: int, name: str, ci: float) -> Interval:
        if name == "mean":
            return mean_interval(float(self.moments.mean[i]), float(self.moments.std[i]),
                                 self.n_years, ci)
        kind, _, level = name.partition("_")
        at_risk = var_interval if kind == "var" else tvar_interval
        return at_risk(self.tally, i, self.n_years, LEVELS[level], ci, *self._reader(i))

    def statistic(self, policy: str, measure: str, name: str) -> float:
        """One cell of :meth:`summary` (``name`` one of its columns), without computing the rest."""
        check_choice("statistic", name, STATISTICS)
        return self._statistic(self._index(policy, measure, "aggregate"), name)

    def _statistic(self, i: int, name: str) -> float:
        n = self.n_years
        if name in ("mean", "std"):
            return float(getattr(self.moments, name)[i])
        if name == "sem":
            return float(self.moments.std[i] / math.sqrt(n))
        if name == "p_nonzero":
            return float(self.tally.nonzero[i] / n)
        kind, _, level = name.partition("_")
        at_risk = value_at_risk if kind == "var" else tail_value_at_risk
        return at_risk(self.tally, i, n, LEVELS[level], *self._reader(i))

    def _reader(self, i: int) -> tuple[np.ndarray, BinTotals]:
        """Measure ``i``'s kept top values (largest first) and histogram totals, computed once
        for all the levels read from them."""
        if i not in self._readers:
            self._readers[i] = (top_values(self.tally, i), bin_totals(self.tally, i))
        return self._readers[i]

    def quantile(self, policy: str, measure: str, q: float, kind: str = "aggregate") -> float:
        """Value at risk of one measure at level ``q`` (0 <= q <= 1)."""
        check_fraction("q", q)
        i = self._index(policy, measure, kind)
        return value_at_risk(self.tally, i, self.n_years, q, *self._reader(i))

    def quantile_interval(self, policy: str, measure: str, q: float, ci: float = 0.95,
                          kind: str = "aggregate") -> Interval:
        """Confidence interval ``(lo, hi)`` of :meth:`quantile` (order-statistic bounds, valid
        for any distribution; see :mod:`sim.engine.intervals`)."""
        check_fraction("q", q)
        ci = check_ci(ci)
        i = self._index(policy, measure, kind)
        return var_interval(self.tally, i, self.n_years, q, ci, *self._reader(i))

    def cdf(self, policy: str, measure: str, x: float, kind: str = "aggregate") -> float:
        """Share of simulated years with the measure at most ``x`` (e.g. where a brochure's
        point estimate falls in the simulated gross distribution)."""
        check_amount("x", x)
        return cumulative(self.tally, self._index(policy, measure, kind), self.n_years, x)

    def measure_index(self, policy: str, measure: str, kind: str = "aggregate") -> int:
        """The row of ``tally`` and ``moments`` holding one measure (``gross``, ``paid``,
        ``retained``, ``paid:<section>``) of ``policy``; KeyError naming the available ones."""
        return self._index(policy, measure, kind)

    def mean(self, policy: str, measure: str = "paid", kind: str = "aggregate") -> float:
        """Mean of one measure per policy year (the ``mean`` column of :meth:`summary`)."""
        return float(self.moments.mean[self._index(policy, measure, kind)])

    def _index(self, policy: str, measure: str, kind: str) -> int:
        check_choice("kind", kind, ("aggregate", "occurrence"))
        for p, name, i in self._rows(kind):
            if p == policy and name == measure:
                return i
        names = sorted({(p, m) for p, m, _ in self._rows(kind)})
        raise KeyError(f"no measure ({policy!r}, {measure!r}); available: {names}")

    def ep_curve(self, kind: str = "aep", policy: str | None = None, measure: str = "paid",
                 return_periods: Sequence[float] | None = None) -> pd.DataFrame:
        """Exceedance-probability curve: loss per return period.

        Parameters
        ----------
        kind : {"aep", "oep"}
            Aggregate (the year's total) or occurrence (the year's largest event).
        policy : str, optional
            Default: every policy, one column each.
        measure : {"gross", "paid", "retained"}
        return_periods : sequence of float, optional
            Default: 2 to 1,000,000 years, up to ``n_years``.

        Returns
        -------
        DataFrame
            Indexed by return period: ``probability`` = 1 / period, ``supported``, then one
            column per policy. ``supported`` is False where the simulation cannot support the
            point: fewer than ``MIN_EXCEEDANCES`` (10) simulated years are expected beyond it,
            i.e. return period > ``n_years / 10``. There the loss rests on a handful of years
            (at most a few dozen, read exactly from the kept values; its order-statistic
            interval, :meth:`quantile_interval`, spans more than a factor of two for a
            heavy tail, or has no upper bound at all past ``n_years / 3``); plots should
            stop or shade there. ``attrs`` holds :meth:`metadata`.
        """
        check_choice("kind", kind, ("aep", "oep"))
        mode = {"aep": "aggregate", "oep": "occurrence"}[kind]
        for t in return_periods or ():
            if isinstance(t, bool) or not isinstance(t, (int, float)) or not 1 <= t < math.inf:
                raise InputError("return_periods", f"{t!r} is not allowed; expected years >= 1")
        periods = [t for t in (return_periods or RETURN_PERIODS) if t <= self.n_years]
        policies = [policy] if policy else [p.name for p in self.scenario.policies]
        data = {p: [self.quantile(p, measure, 1 - 1 / t, mode) for t in periods] for p in policies}
        frame = pd.DataFrame(data, index=pd.Index(periods, name="return_period"))
        frame.insert(0, "probability", 1 / frame.index.to_numpy(dtype=float))
        frame.insert(1, "supported", frame.index.to_numpy(dtype=float) * MIN_EXCEEDANCES <= self.n_years)
        frame.attrs = self.metadata()
        return frame

    def limits(self) -> pd.DataFrame:
        """For every section, part and shared limit: its limits and how often they bind.

        ``p_event_limit`` is the share of years in which some event's payment was cut by the
        node's per-event limit (when what is left of the aggregate cuts deeper, the aggregate
        binds instead); ``p_aggregate_exhausted`` the share of years that used up its period
        aggregate.
        """
        n_all = sum(len(p.compiled.nodes) for p in self.scenario.policies)
        hits = np.zeros((2, n_all))
        hits[:, self.node_origin] = self.limit_hits  # nodes no event can reach never bind
        rows, j = [], 0
        for policy in self.scenario.policies:
            for node in policy.compiled.nodes:
                rows.append({"policy": policy.name, "node": node.name, "kind": node.kind,
                             "event_limit": node.event_limit, "aggregate": node.aggregate_limit,
                             "p_event_limit": hits[0, j] / self.n_years,
                             "p_aggregate_exhausted": hits[1, j] / self.n_years})
                j += 1
        return pd.DataFrame(rows).set_index(["policy", "node"])

    def to_frame(self) -> pd.DataFrame:
        """Every simulated year's values (needs ``simulate(..., keep_years=True)``)."""
        if len(self._year_values) == 0:
            raise ValueError("per-year values were not kept; run simulate(..., keep_years=True)")
        columns = pd.MultiIndex.from_tuples([(m.policy, m.name, m.kind) for m in self.layout],
                                            names=["policy", "measure", "kind"])
        frame = pd.DataFrame(self._year_values, columns=columns,
                             index=pd.RangeIndex(self.n_years, name="year"))
        frame.attrs = self.metadata()
        return frame

    def metadata(self) -> dict[str, object]:
        """What produced this result: ``scenario`` (name), ``scenario_path``, ``scenario_sha256``
        (of its file's bytes; ``""`` when built or changed in code), ``scenario_content_sha256``
        (of its content, wherever it came from), ``seed``, ``n_years``, ``view`` and ``unit``
        (``"annual"``/``"year"`` or ``"per_event"``/``"event"``) and the package ``version``. A loaded result keeps the metadata it was saved with."""
        return result_metadata(self)

    def save(self, path: str | os.PathLike) -> Path:
        """Write this result to ``path`` (a ``.npz`` file: arrays and JSON metadata, no pickle);
        :func:`sim.load_result` reads it back with an identical summary. Returns the path."""
        return save_result(self, path)

    def to_excel(self, path: str | os.PathLike, ci: float = 0.95) -> Path:
        """Write a workbook (``.xlsx``) for Excel readers: sheets ``summary``, ``by_section``,
        ``by_component``, ``aep``, ``oep`` (amounts in 万円, headers marked ``(万円)``, intervals
        at ``ci``) and ``metadata`` (scenario and its hashes, seed, n_years, view, version).
        Needs openpyxl, the optional ``excel`` extra (``pip install 'breach-sim[excel]'``);
        without it, an ImportError says so. Returns the path."""
        from .export import write_excel

        return write_excel(self, path, ci)

    def events(self) -> pd.DataFrame:
        """Every simulated event, one row each, in year order: an event loss table (needs
        ``simulate(..., keep_events=True)``).

        Columns: ``year`` (numbered as in :meth:`to_frame`, from 0), ``incident`` and ``cause``
        (categorical; an unspecified cause is NA), ``size`` (people affected),
        ``corporate_victims``, ``reported``, ``claimants``, one column per loss component the
        model makes, ``gross`` (their sum), then ``paid:<policy>`` and ``retained:<policy>``
        (gross less paid) for every policy, in yen as the policies computed them (a year's
        values in :meth:`to_frame` are rounded to whole yen after adding its events).
        """
        if self._events is None:
            raise ValueError("events were not kept; run simulate(..., keep_events=True)")
        return events_frame(self._events, self.scenario.model.components,
                            [p.name for p in self.scenario.policies])
