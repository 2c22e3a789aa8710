"""A book compiled for the kernels: per template, its loss model (and one per common-cause
incident kind), its terms, and its members' rates.

A member's rate is its own calibrated frequency (:func:`sim.calibration.frequency.
calibrated_frequency` from industry, revenue and records held), or the book's ``rate`` column.
Its template's loss model is the calibrated one for its data classes and records held, with the
incident mix of the calibrated rates (leak vs cyber_no_leak depends on the industry only).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import hashlib

import numpy as np

from ..calibration.frequency import INDUSTRIES, calibrated_frequency, frequency_parameters
from ..calibration.model import calibrated_model
from ..losses.model import LossModelArrays
from ..policy.compile import PolicyArrays, stack_policies
from ..products import aig, jcci
from .catalogue import INCIDENT_KINDS, RANSOM_LEAK_SHARE, Catalogue
from .members import Book


@dataclass(frozen=True)
class Template:
    key: tuple
    stream: int                      # the template's own random stream (stable hash of ``key``)
    columns: tuple[str, ...]
    model: LossModelArrays           # the members' own incidents
    kinds: tuple                     # one LossModelArrays per INCIDENT_KINDS entry (None: unused)
    terms: PolicyArrays
    members: np.ndarray              # book positions of its members
    rates: np.ndarray                # their rates (events a year)
    by_rate: np.ndarray              # member indices by rate, largest first (ties: position)
    member_cdf: np.ndarray           # cumulative share of the template's rate, last 1
    rate_total: float                # the template's rate (the last cumulative sum)


@dataclass(frozen=True)
class CompiledBook:
    book: Book
    templates: tuple[Template, ...]
    rates: np.ndarray                # per member
    catalogue: Catalogue
    group_start: np.ndarray          # members by industry (the footprint groups)
    group_members: np.ndarray
    shares: np.ndarray               # (n_events, n_industries)
    event_kind: np.ndarray           # catalogue event -> INCIDENT_KINDS index
    tier: np.ndarray                 # per member
    tiers: object                    # pandas MultiIndex


def _rate_order(rates: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Members by rate, largest first, the cumulative shares of the template's rate (the
    draws of a member by rate) and that rate; computed once per template, not per block."""
    order = np.argsort(-rates, kind="mergesort").astype(np.int64)
    cdf = np.cumsum(rates)
    total = float(cdf[-1]) if len(cdf) else 0.0
    cdf = cdf / total if total > 0 else np.ones_like(cdf)
    if len(cdf):
        cdf[-1] = 1.0
    return order, cdf, total


def stream_of(key: tuple) -> int:
    """A stable 63-bit number for a template key (the template's random stream: adding or
    removing another template does not change this template's draws)."""
    return int.from_bytes(hashlib.sha256(repr(key).encode()).digest()[:8], "little") >> 1


@lru_cache(maxsize=4096)
def _rate(industry: str, revenue: float, records: int) -> tuple[float, tuple]:
    f = calibrated_frequency(industry, revenue=revenue, records_held=records)
    return f.total, tuple(sorted(f.rates.items()))


def member_rates(book: Book) -> np.ndarray:
    m = book.members
    own = m["rate"].to_numpy(float)
    calibrated = np.array([_rate(r.industry, float(r.revenue), int(r.records_held))[0]
                           for r in m.itertuples()])
    return np.where(np.isnan(own), calibrated, own)


def _policy(key: tuple):
    industry, data, records, product, plan, cset, liab, cost, limit, it = key
    if product == "jcci":
        return jcci(plan, cset, liability_limit=liab, cost_limit=cost, it_work=it)
    return aig(limit)


@lru_cache(maxsize=4096)
def _own_models(industry: str, data: str, records: int) -> tuple:
    """The member's own model and its ransomware and outage variants (one per model key)."""
    classes = data.split(";")
    rates = dict(_rate(industry, 1e9, records)[1])   # the mix depends on the industry only
    total = sum(rates.values())
    mix = {k: r / total for k, r in rates.items() if r > 0} if total > 0 else {"leak": 1.0}
    held = {"records_held": records} if records > 0 else {}
    base = calibrated_model(classes, "courts", incident_mix=mix, **held)
    ransomware = calibrated_model(classes, "courts", cause_mix={"cyber_attack": 1.0},
                                  incident_mix={"leak": RANSOM_LEAK_SHARE,
                                                "cyber_no_leak": 1 - RANSOM_LEAK_SHARE}, **held)
    outage = calibrated_model(classes, "courts", incident_mix={"cyber_no_leak": 1.0}, **held)
    return base, ransomware, outage


@lru_cache(maxsize=4096)
def _vendor_model(data: str, staff: int):
    """A leak, cause cyber_attack, of all ``staff`` employees' records (the vendor's copy)."""
    return calibrated_model(data.split(";"), "courts", incident_mix={"leak": 1.0},
                            cause_mix={"cyber_attack": 1.0}, records_held=staff,
                            whole_records={"cyber_attack": 1.0})


def _models(industry: str, data: str, records: int, kinds: tuple[str, ...], staff: int):
    base, ransomware, outage = _own_models(industry, data, records)
    made = {"vendor_leak": lambda: _vendor_model(data, staff), "ransomware": lambda: ransomware,
            "outage": lambda: outage}
    return base, tuple(made[k]() if k in kinds else None for k in INCIDENT_KINDS)


def employees(revenue: float) -> int:
    """Employees of a firm from its revenue: census sales per employee
    (:func:`sim.calibration.frequency.frequency_parameters`), to two significant digits (so
    templates of similar firms share one vendor-leak model)."""
    staff = max(revenue / float(frequency_parameters()["revenue_per_employee"]), 1.0)
    return max(int(float(f"{staff:.2g}")), 1)


def compile_book(book: Book, catalogue: Catalogue) -> CompiledBook:
    """Compile every template of ``book`` (models, terms) and the footprint groups."""
    rates = member_rates(book)
    kinds = tuple(sorted(set(catalogue.events["incident"]))) if len(catalogue) else ()
    templates = []
    m = book.members
    revenue = m["revenue"].to_numpy(float)
    for t, key in enumerate(book.template_keys):
        members = np.flatnonzero(book.template_of == t)
        # vendor leaks take the employees of the template's median member (a template shares one model)
        staff = employees(float(np.median(revenue[members]))) if "vendor_leak" in kinds else 0
        base, variants = _models(key[0], key[1], key[2], kinds, staff)
        models = [base] + [v for v in variants if v is not None]
        columns = tuple(dict.fromkeys(c for mod in models for c in mod.components))
        columns = tuple(c for c in _ORDER() if c in columns)
        terms = stack_policies([_policy(key).compiled], columns)
        templates.append(Template(key, stream_of(key + (staff,)), columns, base.compile(columns),
                                  tuple(None if v is None else v.compile(columns) for v in variants),
                                  terms, members, rates[members], *_rate_order(rates[members])))
    industries = m["industry"].to_numpy()
    order = np.argsort(np.array([INDUSTRIES.index(i) for i in industries]), kind="mergesort")
    counts = np.array([(industries == i).sum() for i in INDUSTRIES])
    group_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    per_member = catalogue.member_shares(np.array(INDUSTRIES)) if len(catalogue) else np.zeros((0, len(INDUSTRIES)))
    event_kind = np.array([INCIDENT_KINDS.index(k) for k in catalogue.events["incident"]], dtype=np.int64)
    tier, tiers = book.tier_of
    return CompiledBook(book, tuple(templates), rates, catalogue, group_start, order.astype(np.int64),
                        np.ascontiguousarray(per_member), event_kind, tier, tiers)


@lru_cache(maxsize=1)
def _ORDER():
    from ..components import COMPONENTS

    return COMPONENTS


def total_rate(compiled: CompiledBook) -> float:
    return float(compiled.rates.sum())


def expected_hits(compiled: CompiledBook, exact: bool = False) -> float:
    """Members hit by common-cause events a year, on average (``exact``: one occurrence of
    each event a year)."""
    if not len(compiled.catalogue):
        return 0.0
    sizes = np.diff(compiled.group_start)
    rates = 1.0 if exact else compiled.catalogue.events["rate"].to_numpy()
    return float((rates * (compiled.shares @ sizes)).sum())

