"""Annual breach frequency of a firm from public counts, never from a premium (issue 16).

The counts and their denominators are in ``sim/data/frequency_counts.csv`` and
``sim/data/frequency_industry.csv`` (each row with its source; ``role`` says whether it is fitted or
held out for the checks in ``tests/calibration/test_frequency.py``).

Notes
-----
For a firm with revenue :math:`R` (yen) in industry :math:`i`, the annual rate of incident kind
:math:`k` is

.. math::

    \\lambda_k = a_k \\, (R / R_L)^{\\beta} \\, g_{k,i} \\, (1 - s)

- :math:`R_L` = sales of large enterprises / number of large enterprises (about 579億 yen) and
  :math:`R_S` the same for SMEs (about 2.1億).
- :math:`\\beta` = ln(per-firm ransomware rate of large enterprises / that of SMEs) /
  ln(:math:`R_L / R_S`), from the National Police Agency's 2024 reports (61 large, 140 SME) over
  the 2021 census counts (10,364 large, 3.365 million SME): about 0.88. The same exponent is used
  for leaks (modelling choice: no leak count is split by firm size).
- :math:`a_{leak}` = publicised leaks of listed companies and their subsidiaries (Tokyo Shoko
  Research, 2022-2023) / 3,800 listed companies, about 0.045 a year, placed at :math:`R_L`
  (modelling choice: a listed group counts as a large enterprise of average size). It is split by
  cause with TSR's cause counts (cyber, misdelivery, theft/insider, other).
- :math:`a_{cyber\\_no\\_leak}` = large enterprises' ransomware rate x the share of ransomware without
  double extortion (NPA 2024: 23 of 134).
- ``corporate_leak`` and ``it_work`` have no public count: their rate is 0 (a visible choice;
  set them where they are wired in).
- ``cyber_minor`` (minor incidents: infections, intrusions, threats of a leak, as SMEs report
  them to IPA's surveys): :math:`a_{minor} (R / R_S)^{\beta} g_{cyber} (1 - s)` with
  :math:`a_{minor}` = the survey's mean incidents a year of an SME (about 0.41, placed at
  :math:`R_S`) x ``claim_share`` (:mod:`sim.calibration.minor`; ``minor=False`` leaves the tier out).
- :math:`g_{k,i}` = the industry's share of events / its share of sales (JNSA 2016 leaks, NPA
  2022-2023 ransomware, 2021 census sales); the cyber factor applies to cyber leaks and to
  ``cyber_no_leak``. An industry without a sales denominator gets 1 (not separable).
- :math:`s` = ``security``, a discount in [0, 0.6] (JCCI's security discount goes up to 60%):
  reading a premium discount as an equal cut of the rate is a modelling choice.

Over-dispersion: the number of events in a year is negative binomial with the mean above and
size :math:`n` fitted to TSR's companies with at least one leak vs its incidents (2021-2024):
:math:`(1 + m/n)^{-n} = P(0)`, :math:`n` about 0.14 (strong clustering: one firm's leaks come
together; the heterogeneity of firm sizes inside the listed group is part of it).

The rate's parameter uncertainty is lognormal: the variance of :math:`\\ln \\lambda` adds the
Poisson error of each count used (:math:`1/n` per count), the between-year spread of the leak
anchor beyond Poisson, and :math:`\\ln(R/R_L)^2 \\operatorname{var}(\\beta)`. It does not include
the error of the modelling choices above, so it is a lower bound; the largest of them is pairing
the white paper's sales by capital class with the census's counts by SME-law class (if a listed
group's revenue were 2 x :math:`R_L`, every rate below :math:`R_L` would fall by :math:`2^{0.88}`).

What an event is: a publicised-scale leak, as TSR and JNSA count them and as the breach-size
model is fitted to, a ransomware attack as the police count them, or a minor cyber incident as
SMEs report them to IPA. The PPC's mandatory reports (19,056 in FY2024, 88% of 1,000 people or
fewer, most of one person) are about 12 times the model's economy-wide count of publicised leaks
(about 1,500 a year); the small leaks among them that are not cyber incidents are still not
counted.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import math
from types import MappingProxyType
from typing import Mapping

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .. import data as _data
from .._errors import InputError, _as_float, _is_number, check_bool, check_choice, check_count, short_repr
from ..components import INCIDENTS
from .minor import held_out_checks, minor_fit, yearly_share

COUNTS_TABLE = "frequency_counts.csv"
INDUSTRY_TABLE = "frequency_industry.csv"

INDUSTRIES: tuple[str, ...] = ("manufacturing", "wholesale_retail", "medical_welfare",
                               "information_communications", "finance_insurance", "services",
                               "accommodation_food", "other")
"""Industries a firm can be described by; only those with a row in ``frequency_industry.csv``
have their own factor, the others share the economy's average (factor 1)."""

LEAK_CAUSES: tuple[str, ...] = ("cyber", "misdelivery", "theft_insider", "other")
"""Causes of a leak as TSR counts them: ウイルス感染・不正アクセス, 誤表示・誤送信,
不正持ち出し・盗難, and the rest (紛失・誤廃棄 and others)."""

MAX_SECURITY_DISCOUNT = 0.6
REVENUE_BANDS: tuple[float, ...] = (5e7, 3e8, 1e9, 2e9, 1e10, 1e11)


@dataclass(frozen=True)
class FirmFrequency:
    """The annual frequency of each incident kind for one firm.

    ``rates`` (events a year, one per kind of :data:`sim.components.INCIDENTS`), ``leak_by_cause``
    (the leak rate split by :data:`LEAK_CAUSES`), ``dispersion`` (the negative-binomial size n:
    variance = mean + mean^2 / n), ``log_sd`` (standard deviation of ln(total rate) from the counts'
    errors), ``sources`` and ``choices`` (what the data could not decide).
    """

    industry: str
    revenue: float
    rates: Mapping[str, float]
    leak_by_cause: Mapping[str, float]
    dispersion: float
    log_sd: float
    sources: tuple[str, ...]
    choices: tuple[str, ...]

    @property
    def total(self) -> float:
        """All kinds together (events a year)."""
        return float(sum(self.rates.values()))

    def count_distribution(self) -> "scipy.stats.rv_discrete_frozen":
        """The number of events in a year: ``scipy.stats.nbinom`` with size :attr:`dispersion` and
        mean :attr:`total` (variance ``total + total**2 / dispersion``)."""
        return stats.nbinom(self.dispersion, self.dispersion / (self.dispersion + self.total))

    def rate_interval(self, level: float = 0.9) -> tuple[float, float]:
        """Central ``level`` interval of the total rate under its lognormal parameter uncertainty
        (the point estimate is the median)."""
        if not _is_number(level) or not 0.0 < _as_float(level) < 1.0:
            raise InputError("level", f"{short_repr(level)} is not allowed; expected a number between 0 and 1")
        z = stats.norm.ppf(0.5 + level / 2.0)
        return self.total * math.exp(-z * self.log_sd), self.total * math.exp(z * self.log_sd)


@dataclass(frozen=True)
class _Fit:
    beta: float
    var_beta: float
    revenue_large: float
    revenue_sme: float
    revenue_per_employee: float
    leak_anchor: float
    var_ln_leak_anchor: float
    cause_shares: Mapping[str, float]
    cyber_no_leak_anchor: float
    var_ln_cyber_anchor: float
    minor_anchor: float
    var_ln_minor_anchor: float
    dispersion: float
    industry_factors: Mapping[tuple[str, str], tuple[float, float]]
    sources: tuple[str, ...]


def _rows(table: pd.DataFrame, series: str, role: str = "fitted") -> pd.DataFrame:
    rows = table[(table["series"] == series) & (table["role"] == role)]
    if rows.empty:
        raise LookupError(f"{COUNTS_TABLE}: no {role} row for {series}")
    return rows


def _value(table: pd.DataFrame, series: str) -> float:
    return float(_rows(table, series)["value"].sum())


def negative_binomial_size(mean: float, p_zero: float) -> float:
    """The size n of a negative binomial with this mean and probability of no event:
    :math:`(1 + m/n)^{-n} = P(0)`; needs :math:`e^{-m} < P(0) < 1`."""
    if not math.exp(-mean) < p_zero < 1.0:
        raise ValueError(f"P(0) = {p_zero} is not above the Poisson value {math.exp(-mean)}")
    return optimize.brentq(lambda n: -n * math.log1p(mean / n) - math.log(p_zero), 1e-9, 1e9, xtol=1e-12)


@lru_cache(maxsize=1)
def _fit() -> _Fit:
    counts = _data.read_table(COUNTS_TABLE)
    n_large, n_sme = _value(counts, "enterprises_large"), _value(counts, "enterprises_sme")
    revenue_large = _value(counts, "sales_large") / n_large
    revenue_sme = _value(counts, "sales_sme") / n_sme
    ransom_large, ransom_sme = _value(counts, "npa_ransomware_large"), _value(counts, "npa_ransomware_sme")
    log_size_ratio = math.log(revenue_large / revenue_sme)
    beta = math.log((ransom_large / n_large) / (ransom_sme / n_sme)) / log_size_ratio
    var_beta = (1.0 / ransom_large + 1.0 / ransom_sme) / log_size_ratio ** 2

    listed = _value(counts, "listed_companies")
    leaks = _rows(counts, "tsr_incidents")["value"].to_numpy(dtype=float)
    leak_anchor = leaks.sum() / (len(leaks) * listed)
    beyond_poisson = np.var(np.log(leaks), ddof=1) - np.mean(1.0 / leaks) if len(leaks) > 1 else 0.0
    var_ln_leak = 1.0 / leaks.sum() + max(0.0, float(beyond_poisson))
    named = {cause: _value(counts, f"tsr_cause_{cause}") for cause in LEAK_CAUSES[:-1]}
    shares = {cause: n / leaks.sum() for cause, n in named.items()}
    shares["other"] = 1.0 - sum(shares.values())

    extortion, confirmed = (_value(counts, "npa_ransomware_double_extortion"),
                            _value(counts, "npa_ransomware_demand_confirmed"))
    p_extortion = extortion / confirmed
    cyber_anchor = ransom_large / n_large * (1.0 - p_extortion)
    var_ln_cyber = 1.0 / ransom_large + p_extortion / ((1.0 - p_extortion) * confirmed)

    companies = _rows(counts, "tsr_companies")["value"].sum()
    incidents = _rows(counts, "tsr_incidents_for_dispersion")["value"].sum()
    firm_years = listed * len(_rows(counts, "tsr_companies"))
    dispersion = negative_binomial_size(incidents / firm_years, 1.0 - companies / firm_years)

    by_industry = _data.read_table(INDUSTRY_TABLE)
    factors = {(r.industry, r.kind): ((r.events / r.events_total) / (r.sales / r.sales_total),
                                      1.0 / r.events + 1.0 / r.events_total)
               for r in by_industry.itertuples()}
    used = counts[counts["role"] == "fitted"]
    sources = tuple(dict.fromkeys(f"{s} {u}" for s, u in zip(used["source"], used["url"])))
    sources += tuple(dict.fromkeys(f"{s} {u}" for s, u in zip(by_industry["source"], by_industry["url"])))
    minor = _data.read_table("minor_incidents.csv")
    minor = minor[minor["role"] == "fitted"]
    sources += tuple(dict.fromkeys(f"{s} {u}" for s, u in zip(minor["source"], minor["url"])))
    tier = minor_fit()
    return _Fit(beta, var_beta, revenue_large, revenue_sme,
                _value(counts, "sales_all") / _value(counts, "employees_all"),
                leak_anchor, var_ln_leak, MappingProxyType(shares), cyber_anchor, var_ln_cyber,
                tier["rate"] * tier["claim_share"], tier["var_ln_rate"],
                dispersion, MappingProxyType(factors), sources)


def frequency_parameters() -> pd.Series:
    """The fitted parameters of the formula in the module docstring, by name."""
    fit = _fit()
    return pd.Series({"beta": fit.beta, "sd_beta": math.sqrt(fit.var_beta),
                      "revenue_large": fit.revenue_large, "revenue_sme": fit.revenue_sme,
                      "revenue_per_employee": fit.revenue_per_employee, "leak_anchor": fit.leak_anchor,
                      "cyber_no_leak_anchor": fit.cyber_no_leak_anchor,
                      "cyber_minor_anchor": fit.minor_anchor, "dispersion": fit.dispersion,
                      **{f"leak_share_{c}": s for c, s in fit.cause_shares.items()}})


def minor_held_out_checks() -> pd.DataFrame:
    """:func:`sim.calibration.minor.held_out_checks` and Tokyo CCI's large/SME ratio of firms ever
    attacked beside the model's ratio of yearly shares (a firm at :math:`R_L` over one at
    :math:`R_S`, with the revenue scaling above)."""
    fit, tier = _fit(), minor_fit()
    t = _data.read_table("minor_incidents.csv").set_index("quantity")["value"]
    large = tier["rate"] * (fit.revenue_large / fit.revenue_sme) ** fit.beta
    ratio = dict(published=float(t["attacked_ever_large"] / t["attacked_ever_sme"]),
                 model=yearly_share(large) / yearly_share(tier["rate"]), quantile=math.nan)
    return pd.concat([held_out_checks(), pd.DataFrame({"attacked_large_over_sme": ratio}).T])


MAX_REVENUE = 1e15      # 1,000兆円: more than any firm earns (the largest, about 45兆 in Japan)
MAX_EMPLOYEES = 1e7     # more than any firm employs (the largest, about 2.3 million)


def _check_positive(field: str, value: object, unit: str, at_most: float) -> float:
    if (not _is_number(value) or not math.isfinite(_as_float(value)) or _as_float(value) <= 0
            or _as_float(value) > at_most):
        raise InputError(field, f"{short_repr(value)} is not allowed; "
                         f"expected a number of {unit} > 0 and at most {at_most:.0e}")
    return float(value)


def _firm_revenue(revenue: object, employees: object, choices: list[str]) -> float:
    if revenue is None and employees is None:
        raise InputError("revenue", "missing; give revenue (yen) or employees")
    if revenue is not None:
        if employees is not None:
            _check_positive("employees", employees, "employees", MAX_EMPLOYEES)
            choices.append("revenue and employees both given: the rate uses revenue")
        return _check_positive("revenue", revenue, "yen", MAX_REVENUE)
    per_employee = _fit().revenue_per_employee
    choices.append(f"revenue = employees x {per_employee:,.0f} yen (census sales per employee, all "
                   "industries: a modelling choice)")
    return _check_positive("employees", employees, "employees", MAX_EMPLOYEES) * per_employee


def calibrated_frequency(industry: str, revenue: float | None = None, employees: float | None = None,
                         records_held: int | None = None, security: float | None = None,
                         minor: bool = False) -> FirmFrequency:
    """The annual rate of each incident kind for a firm, from public counts (no premium is read).

    Parameters
    ----------
    industry : one of :data:`INDUSTRIES`
    revenue : annual revenue in yen (> 0); or
    employees : number of employees (> 0), turned into revenue with the census sales per employee
    records_held : people whose data the firm holds; 0 means nothing can leak (leak rate 0), any
        other number leaves the rate as it is (no public count separates it)
    security : a discount in [0, 0.6] taken off every rate (modelling choice), or None
    minor : count minor cyber incidents (``cyber_minor``, IPA's SME survey, every survey incident a
        claim: an upper bound on small claims); False (default): rate 0, the publicised-scale floor

    Returns
    -------
    FirmFrequency

    Examples
    --------
    >>> f = calibrated_frequency("manufacturing", revenue=10e8)
    >>> 0 < f.rates["leak"] < 0.01 and f.rates["it_work"] == 0.0
    True
    """
    check_choice("industry", industry, INDUSTRIES)
    check_bool("minor", minor)
    choices = ["leak rates scale with revenue like ransomware reports do (one exponent for all kinds)",
               "a listed group is placed at the large-enterprise average revenue",
               "corporate_leak and it_work: no public count, rate 0"]
    firm_revenue = _firm_revenue(revenue, employees, choices)
    if records_held is not None:
        check_count("records_held", records_held)
        choices.append("records_held changes the rate only when it is 0 (nothing to leak)")
    discount = 0.0
    if security is not None:
        if not _is_number(security) or not 0.0 <= _as_float(security) <= MAX_SECURITY_DISCOUNT:
            raise InputError("security", f"{short_repr(security)} is not allowed; expected a discount "
                             f"between 0 and {MAX_SECURITY_DISCOUNT}")
        discount = float(security)
        choices.append("security discount read as an equal cut of every rate")
    fit = _fit()
    log_size = math.log(firm_revenue / fit.revenue_large)
    scale = math.exp(fit.beta * log_size) * (1.0 - discount)

    def factor(kind: str) -> tuple[float, float]:
        if (industry, kind) not in fit.industry_factors:
            choices.append(f"{industry}: no {kind} factor (not separable), 1")
            return 1.0, 0.0
        return fit.industry_factors[(industry, kind)]

    (g_leak, v_leak), (g_cyber, v_cyber) = factor("leak"), factor("cyber")
    leak_level = fit.leak_anchor * scale * (records_held != 0)
    leak_by_cause = {cause: float(leak_level * share * (g_cyber if cause == "cyber" else g_leak))
                     for cause, share in fit.cause_shares.items()}
    rates = dict.fromkeys(INCIDENTS, 0.0)
    rates["leak"] = float(sum(leak_by_cause.values()))
    rates["cyber_no_leak"] = float(fit.cyber_no_leak_anchor * scale * g_cyber)
    sme_size = math.log(firm_revenue / fit.revenue_sme)
    if minor:
        rates["cyber_minor"] = float(fit.minor_anchor * math.exp(fit.beta * sme_size) * (1.0 - discount)
                                     * g_cyber)
        choices += ["cyber_minor: IPA's SME survey rate placed at the SMEs' average revenue, scaled "
                    "like the other kinds (revenue^beta and the cyber industry factor)",
                    "cyber_minor: every survey incident counted as a claim (claim_share, upper bound)"]
    total = sum(rates.values())
    cyber_share = fit.cause_shares["cyber"]
    var_leak = fit.var_ln_leak_anchor + v_cyber * cyber_share + v_leak * (1.0 - cyber_share)
    var_cyber = fit.var_ln_cyber_anchor + v_cyber
    w_leak, w_cyber, w_minor = ((rates["leak"] / total, rates["cyber_no_leak"] / total,
                                 rates["cyber_minor"] / total) if total > 0 else (0.0, 0.0, 0.0))
    anchor_distance = (1.0 - w_minor) * log_size + w_minor * sme_size  # from each kind's anchor
    log_var = (w_leak ** 2 * var_leak + w_cyber ** 2 * var_cyber
               + w_minor ** 2 * (fit.var_ln_minor_anchor + v_cyber) + anchor_distance ** 2 * fit.var_beta)
    return FirmFrequency(industry, firm_revenue, MappingProxyType(rates), MappingProxyType(leak_by_cause),
                         fit.dispersion, math.sqrt(log_var), fit.sources, tuple(dict.fromkeys(choices)))


def frequency_table(revenues: tuple[float, ...] = REVENUE_BANDS, industries: tuple[str, ...] = INDUSTRIES,
                    security: float | None = None, level: float = 0.9) -> pd.DataFrame:
    """Annual rates by industry and revenue: one row per (industry, revenue), columns the incident
    kinds, ``total``, and the ``level`` interval of the total (``low``, ``high``)."""
    rows = {}
    for industry in industries:
        for revenue in revenues:
            f = calibrated_frequency(industry, revenue=revenue, security=security)
            low, high = f.rate_interval(level)
            rows[(industry, float(revenue))] = {**f.rates, "total": f.total, "low": low, "high": high}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(["industry", "revenue"])
