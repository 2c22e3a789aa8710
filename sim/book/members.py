"""A book of insureds: one row per member firm, checked row by row, grouped into templates.

Columns (:data:`COLUMNS`; ``rate`` and ``employees`` optional):

``member_id`` (unique text), ``industry`` (:data:`sim.calibration.frequency.INDUSTRIES`),
``revenue`` (yen, > 0), ``records_held`` (people whose data the firm holds, whole number),
``data`` (data classes leaked, ``;``-separated names of ``sim/data/data_classes.csv``),
``product`` (``jcci`` or ``aig``), ``plan`` (JCCI ``standard``/``premium``; blank for AIG),
``coverage_set`` (JCCI ``A``-``E``; blank for AIG), ``liability_limit`` and ``cost_limit``
(JCCI set E only), ``limit`` (AIG only), ``it_work`` (JCCI IT option, true/false),
``discount`` (the member's total premium discount in [0, 0.68], recorded only), ``premium``
(yen paid, > 0), ``rate`` (optional: events a year replacing the calibrated frequency, e.g. a
member's own claims history or a test).

A *template* is a set of members with the same loss model (industry, data, records held) and the
same policy terms (product and options): the kernel compiles one model and one set of terms per
template, and each member keeps its own rate and its own per-period aggregate.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import InputError
from ..calibration.frequency import INDUSTRIES, MAX_REVENUE
from ..products.jcci import COVERAGE_SETS, PLANS

REQUIRED = ("member_id", "industry", "revenue", "records_held", "data", "product", "plan",
            "coverage_set", "premium")
OPTIONAL = {"liability_limit": np.nan, "cost_limit": np.nan, "limit": np.nan, "it_work": False,
            "discount": 0.0, "rate": np.nan}
COLUMNS = REQUIRED + tuple(OPTIONAL)
PRODUCTS = ("jcci", "aig")
MAX_DISCOUNT = 0.68   # JCCI group 20% x security 60%: 1 - 0.8 x 0.4 (sim.pricing.jcci_discount)
TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no", "")


def _data_classes() -> tuple[str, ...]:
    from ..data import read_table

    table = read_table("data_classes.csv")
    return tuple(table[table.columns[0]].astype(str))


@dataclass(frozen=True)
class Book:
    """The members of a book, checked (use :meth:`from_frame`, :meth:`from_csv` or
    :func:`sim.book.load_book`)."""

    members: pd.DataFrame
    source: str = "<frame>"

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, source: str = "members") -> "Book":
        """Check ``frame`` row by row (errors name ``<source> row <n>, <column>``, rows counted
        from 1 as in a spreadsheet after its header) and return the book."""
        if not isinstance(frame, pd.DataFrame):
            raise InputError(source, f"a {type(frame).__name__} is not a DataFrame of members")
        missing = [c for c in REQUIRED if c not in frame.columns]
        if missing:
            raise InputError(source, f"missing columns {', '.join(missing)}; expected {', '.join(COLUMNS)}")
        unknown = [c for c in frame.columns if c not in COLUMNS]
        if unknown:
            raise InputError(source, f"unknown columns {', '.join(map(str, unknown))}; allowed: "
                             f"{', '.join(COLUMNS)}")
        if frame.empty:
            raise InputError(source, "no members; expected at least one row")
        frame = frame.copy()
        for col, default in OPTIONAL.items():
            if col not in frame.columns:
                frame[col] = default
        classes = _data_classes()
        rows = [_check_row(r, i + 1, source, classes) for i, r in enumerate(frame[list(COLUMNS)].to_dict("records"))]
        out = pd.DataFrame(rows, columns=list(COLUMNS))
        dup = out["member_id"].duplicated()
        if dup.any():
            i = int(np.flatnonzero(dup)[0])
            raise InputError(f"{source} row {i + 1}, member_id",
                             f"{out['member_id'][i]!r} is already used by another row; ids must be unique")
        return cls(out, source)

    @classmethod
    def from_csv(cls, path: str | os.PathLike) -> "Book":
        """Read and check a members CSV (``#`` lines are notes, e.g. ``SYNTHETIC``)."""
        path = Path(path)
        if not path.exists():
            raise InputError("members", f"{str(path)!r} does not exist")
        frame = pd.read_csv(path, comment="#", dtype={"member_id": str, "data": str, "plan": str,
                                                       "coverage_set": str, "it_work": str})
        return cls.from_frame(frame, path.name)

    def __len__(self) -> int:
        return len(self.members)

    @cached_property
    def template_keys(self) -> list[tuple]:
        """One key per template, in order of first appearance."""
        return list(dict.fromkeys(self._keys))

    @cached_property
    def _keys(self) -> list[tuple]:
        m = self.members
        return [(r.industry, r.data, int(r.records_held), r.product, r.plan, r.coverage_set,
                 _nan_none(r.liability_limit), _nan_none(r.cost_limit), _nan_none(r.limit), bool(r.it_work))
                for r in m.itertuples()]

    @cached_property
    def template_of(self) -> np.ndarray:
        """Each member's template number (index into :attr:`template_keys`)."""
        index = {k: i for i, k in enumerate(self.template_keys)}
        return np.array([index[k] for k in self._keys], dtype=np.int64)

    @cached_property
    def tiers(self) -> pd.DataFrame:
        """Tier of each member: industry x coverage set x plan (AIG: ``aig`` x its limit)."""
        m = self.members
        sets = np.where(m["product"] == "aig", "aig " + m["limit"].map(lambda x: f"{x:g}"), m["coverage_set"])
        return pd.DataFrame({"industry": m["industry"], "coverage_set": sets,
                             "plan": m["plan"].where(m["product"] == "jcci", "aig")})

    @cached_property
    def tier_of(self) -> tuple[np.ndarray, pd.MultiIndex]:
        """Each member's tier number and the tiers, sorted."""
        t = self.tiers
        index = pd.MultiIndex.from_frame(t).unique().sort_values()
        return index.get_indexer(pd.MultiIndex.from_frame(t)).astype(np.int64), index


def _nan_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _check_row(row: dict, n: int, source: str, classes: tuple[str, ...]) -> dict:
    where = f"{source} row {n}"

    def fail(col: str, reason: str):
        raise InputError(f"{where}, {col}", reason)

    out = dict(row)
    mid = row["member_id"]
    if mid is None or (isinstance(mid, float) and math.isnan(mid)) or str(mid).strip() == "":
        fail("member_id", "missing; every member needs an id")
    out["member_id"] = str(mid).strip()
    if row["industry"] not in INDUSTRIES:
        fail("industry", f"{row['industry']!r} is not allowed; allowed values: {', '.join(INDUSTRIES)}")
    out["revenue"] = _number(row["revenue"], "revenue", fail, "yen > 0", lo=0.0, hi=MAX_REVENUE, open_lo=True)
    records = _number(row["records_held"], "records_held", fail, "a whole number of people >= 0", lo=0.0, hi=1e10)
    if records != int(records):
        fail("records_held", f"{row['records_held']!r} is not allowed; expected a whole number of people >= 0")
    out["records_held"] = int(records)
    data = str(row["data"]).strip() if isinstance(row["data"], str) else ""
    names = tuple(s.strip() for s in data.split(";") if s.strip())
    if not names:
        fail("data", f"{row['data']!r} is not allowed; expected data classes separated by ';' from: "
             f"{', '.join(classes)}")
    for name in names:
        if name not in classes:
            fail("data", f"{name!r} is not allowed; allowed values: {', '.join(classes)}")
    out["data"] = ";".join(names)
    if row["product"] not in PRODUCTS:
        fail("product", f"{row['product']!r} is not allowed; allowed values: {', '.join(PRODUCTS)}")
    out["it_work"] = _flag(row["it_work"], fail)
    for col in ("liability_limit", "cost_limit", "limit", "rate"):
        v = row[col]
        blank = v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())
        out[col] = np.nan if blank else _number(v, col, fail, "a number > 0", lo=0.0, hi=1e15, open_lo=col != "rate")
    if row["product"] == "jcci":
        if row["plan"] not in PLANS:
            fail("plan", f"{row['plan']!r} is not allowed; allowed values: {', '.join(PLANS)}")
        if row["coverage_set"] not in COVERAGE_SETS:
            fail("coverage_set", f"{row['coverage_set']!r} is not allowed; allowed values: {', '.join(COVERAGE_SETS)}")
        e = row["coverage_set"] == "E"
        for col in ("liability_limit", "cost_limit"):
            if e and math.isnan(out[col]):
                fail(col, "missing; coverage set E (the free set) needs liability_limit and cost_limit")
            if not e and not math.isnan(out[col]):
                fail(col, f"only for coverage set E; set {row['coverage_set']} fixes its limits")
        if not math.isnan(out["limit"]):
            fail("limit", "only for product aig; JCCI limits come from the coverage set")
    else:
        if math.isnan(out["limit"]):
            fail("limit", "missing; an aig member needs its limit (yen)")
        for col in ("liability_limit", "cost_limit"):
            if not math.isnan(out[col]):
                fail(col, "only for product jcci set E")
        if out["it_work"]:
            fail("it_work", "only for product jcci (IT業務特約)")
        out["plan"], out["coverage_set"] = "", ""
    out["discount"] = _number(row["discount"], "discount", fail, f"a fraction between 0 and {MAX_DISCOUNT}",
                              lo=0.0, hi=MAX_DISCOUNT)
    out["premium"] = _number(row["premium"], "premium", fail, "yen > 0", lo=0.0, hi=1e12, open_lo=True)
    return out


def _number(value, col, fail, expected, lo, hi, open_lo=False) -> float:
    try:
        x = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        x = math.nan
    if not math.isfinite(x) or x < lo or (open_lo and x == lo) or x > hi:
        fail(col, f"{value!r} is not allowed; expected {expected}" + (f" (at most {hi:.3g})" if math.isfinite(x) and x > hi else ""))
    return x


def _flag(value, fail) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    fail("it_work", f"{value!r} is not allowed; allowed values: true, false")
