"""The rate table (issue 16): technical premiums of the JCCI scheme for every industry x revenue
band x coverage set x plan, from the independent frequency (:mod:`sim.calibration.frequency`),
never from a premium.

Frequency-severity: annual rates are 1e-4..1e-1, so simulating policy years would spend almost
every year on nothing. Instead one run of single events (frequency ``"one"``, every policy on the
same events: common random numbers) per distinct loss model gives each policy's insured loss per
event ``X``; then, for ``N`` events a year at rate :math:`\\lambda`,

.. math:: E[S] = \\lambda E[X], \\qquad \\operatorname{var} S = \\lambda E[X^2] \\;(+\\, \\lambda^2 E[X]^2 / n_{NB})

exact for a Poisson count and a policy without aggregate limits. JCCI's limits are also
aggregate per period, so a second event in a year can be cut: the true mean lies between
:math:`(1 - e^{-\\lambda}) E[X]` and :math:`\\lambda E[X]` (a relative error below
:math:`\\lambda / 2`, under 0.1% for the brochure's firms; ``tests/test_rate_table.py`` checks
one cell against a direct annual simulation).

Loadings (:data:`LOADINGS`, each with its source or labelled a modelling choice): the risk load
is the cost of the policy's capital in the insurer's book, :func:`book_capital`; the standalone
cost of capital on TVaR is kept beside it for comparison. Technical premium
:math:`P = (E[S] + r \\, C) / (1 - e)`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
import math

import numpy as np
import pandas as pd
from scipy import stats

from ._errors import InputError, check_bool, check_choice, check_count, check_fraction
from .calibration.frequency import INDUSTRIES, REVENUE_BANDS, calibrated_frequency
from .calibration.model import calibrated_model
from .engine.runner import simulate
from .losses import Frequency
from .pricing import JCCI_PREMIUM_EXAMPLES, apply_jcci_discounts, jcci_discount, loss_support
from .products import jcci
from .products.jcci import PLANS
from .scenario import Scenario

# name -> (value, basis). Sourced figures name their source; the others say why they were chosen.
LOADINGS = {
    "expense_ratio": (0.326, "日本損害保険協会 加盟会社 2019年度決算概況: 事業費率 32.6% (all lines; "
                      "FY2010 34.6%), 保険ニュース http://hokennews.com/?p=4391 and "
                      "http://www.sonpo.or.jp/news/release/2011/1106_07.html"),
    "coc_rate": (0.06, "Solvency II risk-margin cost-of-capital rate, Commission Delegated "
                 "Regulation (EU) 2015/35 Art. 39 (not re-read in this repository's sources)"),
    "capital_level": (0.995, "Solvency II SCR: one-year VaR at 99.5% (Directive 2009/138/EC "
                      "Art. 101(3)); z = 2.576 under the normal approximation"),
    "book_size": (1_000, "modelling choice: JCCI's scheme has thousands of members (no count "
                  "published); 1,000 is the low end, which errs toward a larger load"),
    "standalone_q": (0.99, "modelling choice: the standalone TVaR level of sim.pricing's coc method"),
}
COVERAGE_SETS = ("A", "B", "C", "D")  # E is the free set: no limits to put in a table
# The firm behind each cell (modelling choices, no public source): records held per 億 of
# revenue and the data held, chosen to give the four brochure firms their scenario files'
# records (wholesale 20億 -> 20,000; manufacturing 10億 -> 5,000; internet 3億 -> 300,000 with
# card data; restaurant 5,000万 -> 3,000); medical_welfare holds health data, finance_insurance
# financial data; 100 records at least, the largest leak on record (28.95 million) at most.
FIRMS = {
    "manufacturing": (500, ("basic_contact",)),
    "wholesale_retail": (1_000, ("basic_contact",)),
    "medical_welfare": (5_000, ("basic_contact", "health")),
    "information_communications": (100_000, ("basic_contact", "credit_card")),
    "finance_insurance": (10_000, ("basic_contact", "financial")),
    "services": (2_000, ("basic_contact",)),
    "accommodation_food": (6_000, ("basic_contact",)),
    "other": (1_000, ("basic_contact",)),
}
IT_OPTION_INDUSTRIES = ("information_communications",)  # the brochure's IT業務特約 example
RECORDS_RANGE = (100, 28_950_000)
BROCHURE_CELLS = {"wholesale": ("wholesale_retail", "D"), "manufacturing": ("manufacturing", "C"),
                  "internet_services": ("information_communications", "B"),
                  "restaurants": ("accommodation_food", "A")}
"""Each brochure example's industry in :data:`~sim.calibration.frequency.INDUSTRIES` (JSIC major
groups: 卸売業 -> I 卸売業，小売業; 製造業 -> E; インターネットサービス業 -> G 情報通信業;
飲食業 -> M 宿泊業，飲食サービス業) and its coverage set."""
RATE_TABLE_COLUMNS = [
    "industry", "revenue", "set", "plan", "it_option", "records_held", "rate", "rate_low",
    "rate_high", "paid_per_event", "expected_loss", "sd", "capital", "risk_load", "expense_load",
    "technical_premium", "technical_low", "technical_high", "loss_ratio", "standalone_capital",
    "standalone_premium", "mc_rel_se"]


def loading(name: str) -> float:
    """The value of a loading parameter in :data:`LOADINGS`."""
    check_choice("name", name, tuple(LOADINGS))
    return float(LOADINGS[name][0])


def book_capital(variance, book_size: float | None = None, level: float | None = None,
                 book_variance=None):
    """One policy's Euler share of the capital of the insurer's book, normal approximation.

    Parameters
    ----------
    variance : float or ndarray
        Variance of the policy's annual insured loss.
    book_size : float, optional
        Independent members like this one in the book (default ``LOADINGS["book_size"]``).
    level : float, optional
        Capital level (default 99.5%, Solvency II).
    book_variance : float or ndarray, optional
        The whole book's variance, for a book of unlike members (replaces ``book_size``).

    Returns
    -------
    float or ndarray
        :math:`C_i = z \\, \\sigma_i^2 / \\sigma_{book}`, :math:`z = \\Phi^{-1}(level)`.

    Notes
    -----
    The book's capital at a normal approximation is :math:`z \\sigma_{book}` with
    :math:`\\sigma_{book}^2 = \\sum_j \\sigma_j^2` for independent members; its Euler (gradient)
    allocation gives member :math:`i` :math:`z \\sigma_i^2 / \\sigma_{book}`, and the shares add
    up to the book's capital. For :math:`n` similar members that is :math:`z \\sigma_i/\\sqrt n`.
    This rule is used because it is the marginal capital of a policy in a large book of
    independent risks, which is what an insurer holds; a standalone TVaR of one policy treats
    the insurer as holding the policy alone. It ignores accumulation (one event hitting many
    members: a later issue) and the skew of a book of a few dozen events a year, so it is a
    lower bound on the marginal capital.

    >>> round(book_capital(4e12, book_size=100, level=0.975) / 1e5, 4)   # z 1.96 x 2e6 / 10
    3.9199
    """
    z = stats.norm.ppf(check_fraction("level", loading("capital_level") if level is None else level))
    variance = np.asarray(variance, float)
    if book_variance is None:
        n = loading("book_size") if book_size is None else book_size
        if isinstance(n, bool) or not isinstance(n, (int, float)) or not n >= 1:
            raise InputError("book_size", f"{n!r} is not allowed; expected a number of members >= 1")
        book_variance = n * variance
    book_sd = np.sqrt(np.asarray(book_variance, float))
    out = np.divide(z * variance, book_sd, out=np.zeros(np.broadcast(variance, book_sd).shape),
                    where=book_sd > 0)
    return float(out) if out.ndim == 0 else out


def single_event_tvar(values: np.ndarray, probabilities: np.ndarray, rate: float, q: float) -> float:
    """TVaR at ``q`` of the annual loss when a year has at most one event (probability
    :math:`1 - e^{-\\lambda}`), from the atoms of the per-event loss; a year with two events is
    left out (a relative error of order :math:`\\lambda / 2` on the tail)."""
    p_event = -math.expm1(-rate)
    order = np.argsort(values)[::-1]
    mass = np.asarray(probabilities, float)[order] * p_event
    v = np.asarray(values, float)[order]
    tail = 1.0 - q
    taken = np.minimum(mass, np.maximum(tail - (np.cumsum(mass) - mass), 0.0))
    return float(np.sum(taken * v) / tail)


def firm(industry: str, revenue: float) -> tuple[int, tuple[str, ...]]:
    """Records held and data classes of the firm in a cell (:data:`FIRMS`, modelling choices)."""
    check_choice("industry", industry, INDUSTRIES)
    per_oku, data = FIRMS[industry]
    return int(min(max(round(per_oku * revenue / 1e8), RECORDS_RANGE[0]), RECORDS_RANGE[1])), data


def cell_scenario(industry: str, revenue: float, coverage_sets: Sequence[str] = COVERAGE_SETS,
                  plans: Sequence[str] = PLANS, kinds: Sequence[str] | None = None,
                  minor: bool = False) -> Scenario:
    """The per-event scenario of one cell: the calibrated loss model of the firm (records held,
    data, incident mix from its rates, restricted to ``kinds`` if given) with every (set, plan)
    policy, one event a year."""
    records, data = firm(industry, revenue)
    rates = calibrated_frequency(industry, revenue=revenue, minor=minor).rates
    rates = {k: r for k, r in rates.items() if r > 0 and (kinds is None or k in kinds)}
    total = sum(rates.values())
    mix = {kind: r / total for kind, r in rates.items()}
    model = calibrated_model(list(data), "courts", records_held=records, incident_mix=mix)
    it = industry in IT_OPTION_INDUSTRIES
    policies = tuple(jcci(plan=plan, coverage_set=s, it_work=it) for s in coverage_sets for plan in plans)
    return Scenario(f"rate table cell {industry} {revenue:g}", None, policies, model=model,
                    frequency=Frequency.one(), source="<rate table>")


STRATA = (("cyber_minor",),)
"""Incident kinds run apart from the others: minor incidents are hundreds of times more frequent
than the rest, so one mixed run would leave the rare, costly events a few dozen draws."""


def strata(industry: str, revenue: float, minor: bool = False) -> list[tuple[tuple[str, ...], float]]:
    """(kinds, share of the cell's events) of each per-event run: the kinds of :data:`STRATA`
    apart, all the other kinds together; kinds with rate 0 left out."""
    rates = calibrated_frequency(industry, revenue=revenue, minor=minor).rates
    apart = {k for group in STRATA for k in group}
    groups = [tuple(k for k in rates if k not in apart), *STRATA]
    total = sum(rates.values())
    out = [(tuple(k for k in g if rates[k] > 0), sum(rates[k] for k in g) / total) for g in groups]
    return [(kinds, share) for kinds, share in out if share > 0]


@dataclass(frozen=True)
class EventStats:
    """Per-event insured loss of each policy of a cell: mean, second moment and the mean's
    standard error, and the atoms of its distribution (for the standalone TVaR)."""

    mean: np.ndarray
    second_moment: np.ndarray
    sem: np.ndarray
    support: tuple


@lru_cache(maxsize=64)
def event_stats(industry: str, revenue: float, coverage_sets: tuple[str, ...], plans: tuple[str, ...],
                n_events: int, seed: int, minor: bool = False) -> tuple[Scenario, EventStats]:
    """The per-event runs of a cell, one per stratum (:func:`strata`), combined by their shares
    of the cell's events (cached: the same arguments give the same runs)."""
    parts = []
    for kinds, share in strata(industry, revenue, minor):
        scn = cell_scenario(industry, revenue, coverage_sets, plans, kinds, minor)
        res = simulate(scn, n_years=n_events, seed=seed)
        paid = res.summary().xs("paid", level="measure").loc[[p.name for p in scn.policies]]
        mean, sd = paid["mean"].to_numpy(float), paid["std"].to_numpy(float)
        support = tuple(loss_support(res, p.name) for p in scn.policies)
        parts.append((share, scn, EventStats(mean, sd ** 2 + mean ** 2, paid["sem"].to_numpy(float), support)))
    if len(parts) == 1:
        return parts[0][1], parts[0][2]

    def mixed(j):
        values = np.concatenate([st.support[j][0] for _, _, st in parts])
        probabilities = np.concatenate([w * st.support[j][1] for w, _, st in parts])
        order = np.argsort(values, kind="stable")
        return values[order], probabilities[order]

    n_policies = len(parts[0][1].policies)
    combined = EventStats(sum(w * st.mean for w, _, st in parts),
                          sum(w * st.second_moment for w, _, st in parts),
                          np.sqrt(sum((w * st.sem) ** 2 for w, _, st in parts)),
                          tuple(mixed(j) for j in range(n_policies)))
    return parts[0][1], combined


def price_cells(rate, stats_: EventStats, dispersion: float | None = None) -> dict[str, np.ndarray]:
    """Expected loss, sd, book capital, loads and technical premium at annual ``rate`` from the
    per-event moments (``dispersion``: the negative-binomial size, None for Poisson)."""
    rate = np.asarray(rate, float)
    expected = rate * stats_.mean
    variance = rate * stats_.second_moment
    if dispersion is not None:
        variance = variance + rate ** 2 / dispersion * stats_.mean ** 2
    capital = book_capital(variance)
    risk = loading("coc_rate") * capital
    e = loading("expense_ratio")
    technical = (expected + risk) / (1.0 - e)
    return {"expected_loss": expected, "sd": np.sqrt(variance), "capital": capital,
            "risk_load": risk, "expense_load": technical * e, "technical_premium": technical}


def rate_table(industries: Sequence[str] = INDUSTRIES, revenue_bands: Sequence[float] = REVENUE_BANDS,
               coverage_sets: Sequence[str] = COVERAGE_SETS, plans: Sequence[str] = PLANS,
               n_events: int = 100_000, seed: int = 1, kind: str = "poisson",
               security: float = 0.0, minor: bool = False) -> pd.DataFrame:
    """Technical premiums for every industry x revenue band x coverage set x plan.

    Parameters
    ----------
    industries : industries of :data:`sim.calibration.frequency.INDUSTRIES`
    revenue_bands : annual revenues in yen (> 0)
    coverage_sets : JCCI sets among A-D (E is the free set)
    plans : ``"standard"`` and/or ``"premium"``
    n_events, seed : the per-event run of each cell (the same seed in every cell)
    kind : ``"poisson"`` or ``"negative_binomial"`` (adds :math:`\\lambda^2 E[X]^2 / n`)
    security : JCCI's security discount (0 to 0.6), read by the frequency module as the same cut
        of every rate (a modelling choice); the quoted premiums (no security discount) are
        placed only at 0
    minor : also count minor cyber incidents (``cyber_minor``: IPA's SME survey, every survey
        incident taken as a claim: an upper bound on small claims); default: the publicised-scale
        events only, a floor

    Returns
    -------
    DataFrame
        One row per cell and policy: :data:`RATE_TABLE_COLUMNS` plus the brochure's
        ``quoted_premium`` (group discount applied) where it gives one, the technical premium
        after the same 20% group discount (``technical_group``) and ``quoted_over_technical``;
        ``jcci_discounted``: what JCCI's discounts (group 20% and ``security``,
        :func:`sim.pricing.jcci_discount`) would leave of the technical premium without
        security, to set beside ``technical_group`` at the security's lower rate.
        ``rate_low``/``rate_high`` and ``technical_low``/``technical_high`` are the 90% interval
        from the rate's uncertainty; ``mc_rel_se`` the Monte Carlo relative error of the
        expected loss. No premium is read to make any column but the quoted ones.
    """
    _check_table_args(industries, revenue_bands, coverage_sets, plans, kind)
    check_bool("minor", minor)
    jcci_discount(0.20, security)    # checks security (0 to 0.6) before any work
    n_events = check_count("n_events", n_events)
    if n_events < 2:
        raise InputError("n_events", f"{n_events} is not allowed; expected at least 2")
    rows = []
    for industry in industries:
        for revenue in revenue_bands:
            rows.extend(_cell_rows(industry, float(revenue), tuple(coverage_sets), tuple(plans),
                                   n_events, check_count("seed", seed), kind, security, minor))
    table = pd.DataFrame(rows, columns=RATE_TABLE_COLUMNS + ["technical_no_security"])
    table["jcci_discounted"] = apply_jcci_discounts(table.pop("technical_no_security").to_numpy(),
                                                    group=0.20, security=security)
    return _with_quotes(table, placed=security == 0)


def _check_table_args(industries, revenue_bands, coverage_sets, plans, kind) -> None:
    for field, values, allowed in (("industries", industries, INDUSTRIES),
                                   ("coverage_sets", coverage_sets, COVERAGE_SETS),
                                   ("plans", plans, PLANS)):
        if isinstance(values, str) or not len(values):
            raise InputError(field, f"{values!r} is not allowed; expected a non-empty list of "
                             f"{', '.join(allowed)}")
        for i, v in enumerate(values):
            check_choice(f"{field}[{i}]", v, allowed)
    if isinstance(revenue_bands, str) or not len(revenue_bands):
        raise InputError("revenue_bands", "expected a non-empty list of revenues in yen")
    for i, r in enumerate(revenue_bands):
        if isinstance(r, bool) or not isinstance(r, (int, float)) or not math.isfinite(r) or r <= 0:
            raise InputError(f"revenue_bands[{i}]", f"{r!r} is not allowed; expected yen > 0")
    check_choice("kind", kind, ("poisson", "negative_binomial"))


def _cell_rows(industry, revenue, coverage_sets, plans, n_events, seed, kind, security,
               minor) -> list[dict]:
    scn, st = event_stats(industry, revenue, coverage_sets, plans, n_events, seed, minor)
    f = calibrated_frequency(industry, revenue=revenue, security=security or None, minor=minor)
    plain = calibrated_frequency(industry, revenue=revenue, minor=minor).total
    low, high = f.rate_interval(0.9)
    dispersion = f.dispersion if kind == "negative_binomial" else None
    point = price_cells(f.total, st, dispersion)
    at_low, at_high = (price_cells(r, st, dispersion)["technical_premium"] for r in (low, high))
    q, r, e = loading("standalone_q"), loading("coc_rate"), loading("expense_ratio")
    records = firm(industry, revenue)[0]
    no_security = price_cells(plain, st, dispersion)["technical_premium"]
    rows = []
    for j, policy in enumerate(scn.policies):
        tvar = single_event_tvar(*st.support[j], f.total, q)
        standalone = max(tvar - point["expected_loss"][j], 0.0)
        o = policy.options
        rows.append({"industry": industry, "revenue": revenue, "set": o["coverage_set"],
                     "plan": o["plan"], "it_option": o["it_work"], "records_held": records,
                     "rate": f.total, "rate_low": low, "rate_high": high,
                     "paid_per_event": st.mean[j], **{k: v[j] for k, v in point.items()},
                     "technical_low": at_low[j], "technical_high": at_high[j],
                     "loss_ratio": point["expected_loss"][j] / point["technical_premium"][j]
                     if point["technical_premium"][j] > 0 else 0.0,
                     "standalone_capital": standalone,
                     "standalone_premium": (point["expected_loss"][j] + r * standalone) / (1 - e),
                     "mc_rel_se": st.sem[j] / st.mean[j] if st.mean[j] > 0 else 0.0,
                     "technical_no_security": no_security[j]})
    return rows


def _with_quotes(table: pd.DataFrame, placed: bool = True) -> pd.DataFrame:
    """The brochure's quoted premiums placed in their cells, beside the technical premium after
    the same 20% group discount."""
    quoted = np.full(len(table), np.nan)
    for example, ex in JCCI_PREMIUM_EXAMPLES.items() if placed else ():
        industry, coverage_set = BROCHURE_CELLS[example]
        for plan in PLANS:
            hit = ((table["industry"] == industry) & (table["revenue"] == ex["revenue"])
                   & (table["set"] == coverage_set) & (table["plan"] == plan))
            quoted[hit.to_numpy()] = ex[plan]
    table["technical_group"] = apply_jcci_discounts(table["technical_premium"].to_numpy(), group=0.20)
    table["quoted_premium"] = quoted
    table["quoted_over_technical"] = quoted / table["technical_group"].to_numpy()
    return table


def brochure_rows(n_events: int = 100_000, seed: int = 1, kind: str = "poisson",
                  minor: bool = False) -> pd.DataFrame:
    """The brochure's 8 quoted premiums (4 examples x 2 plans) beside the technical premiums of
    their cells: the rate table restricted to those cells, indexed by (example, plan);
    ``minor`` as in :func:`rate_table` (False: the floor; True: the upper bound)."""
    frames = []
    for example, ex in JCCI_PREMIUM_EXAMPLES.items():
        industry, coverage_set = BROCHURE_CELLS[example]
        part = rate_table([industry], [ex["revenue"]], [coverage_set], PLANS, n_events, seed, kind,
                          minor=minor)
        frames.append(part.assign(example=example))
    out = pd.concat(frames).set_index(["example", "plan"])
    return out[["industry", "revenue", "set", "it_option", "rate", "rate_low", "rate_high",
                "expected_loss", "technical_premium", "technical_group", "technical_low",
                "technical_high", "standalone_premium", "quoted_premium", "quoted_over_technical"]]
