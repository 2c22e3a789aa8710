"""Premiums from simulated loss distributions: risk loadings, expenses, JCCI discounts, AIG
option grids, and the event rates that published premiums imply.

Every loading works on ``X``, the insured (paid) loss of a policy year, as tallied by
:func:`sim.simulate`; nothing needs the per-year values (``keep_years``). The default parameters
(``k``, ``q``, ``coc_rate``, ``lam``, ``expense_ratio``, ``loss_ratio``) are modelling choices,
not market data: change them to the book's own. The rate table (:mod:`sim.rate_table`, also
``sim.pricing.rate_table``) prices from the independent frequency with sourced loadings
(``LOADINGS``: expense ratio 32.6%, cost of capital 6%, a book's Euler capital at 99.5%).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
import importlib
import itertools
import math
from typing import Literal

import numpy as np
import pandas as pd
from scipy import special

from ._errors import InputError, check_amount, check_choice, check_fraction, check_names
from .engine.block_kernel import AT_MAX, COUNT, MAX, N_BINS, hist_bins
from .engine.tally import Tally, bin_sums, tail_value_at_risk
from .implied_rates import (LOSS_RATIO, ImpliedRate, event_rate_from_premium,  # noqa: F401
                            implied_event_rate, implied_event_rates)  # (kept here by name)

Method = Literal["sd", "coc", "wang"]
# Modelling choices, not data: loading parameters per method and the expense/loss ratios.
METHOD_PARAMS = {"sd": {"k": 0.20}, "coc": {"q": 0.99, "coc_rate": 0.10}, "wang": {"lam": 0.25}}
EXPENSE_RATIO = 0.35
COLUMNS = ["expected_loss", "risk_loading", "risk_premium", "technical_premium"]

JCCI_GROUP_DISCOUNTS = (0.0, 0.20)   # 団体割引20% (or none)
JCCI_SECURITY_MAX = 0.60             # 割引確認シート: up to 60%
# JCCI brochure 年間保険料例 (docs/products.md, "Premium examples"): annual premiums in yen,
# "約" (about), 団体割引20% applied and no other discount or surcharge; "premium"/"standard" = プレミアムプラン/スタンダードプラン.
JCCI_PREMIUM_EXAMPLES = {
    "wholesale": dict(industry_ja="卸売業", revenue=20e8, coverage_set="D", it_option=False,
                      premium=19e4, standard=14e4),
    "manufacturing": dict(industry_ja="製造業", revenue=10e8, coverage_set="C", it_option=False,
                          premium=9e4, standard=6e4),
    "internet_services": dict(industry_ja="インターネットサービス業", revenue=3e8, coverage_set="B",
                              it_option=True, premium=84e4, standard=81e4),
    "restaurants": dict(industry_ja="飲食業", revenue=5e7, coverage_set="A", it_option=False,
                        premium=3e4, standard=3e4),
}


# --- the loss distribution from the tallies ------------------------------------------------

def loss_support(res, policy: str, measure: str = "paid") -> tuple[np.ndarray, np.ndarray]:
    """The simulated distribution of ``measure`` (``"paid"``: the insured loss, ``"gross"``,
    ``"retained"``, ``"paid:<section>"``) per policy year, as atoms read from the tally.

    Zero years, the exact 4,096 largest years, and per histogram bin below them an atom at the
    bin's exact maximum (with its repeats) and one at the mean of its other years (a bin holding
    some top years keeps one atom: the mean of the rest). Each atom is within one bin width
    (< 0.07%) of the years it stands for, in order, and the mean is exact; so a premium that is
    monotone and scales with the loss (the Wang transform) is within 0.07% of the years' own.

    Returns
    -------
    values, probabilities : ndarray(float, ndim=1)
        Values ascending (possibly repeated); probabilities sum to 1.
    """
    i = res.measure_index(policy, measure, "aggregate")
    values, counts = _support_from_tally(res.tally, i, res.n_years)
    return values, counts / res.n_years


def _support_from_tally(tally: Tally, i: int, n_years: int) -> tuple[np.ndarray, np.ndarray]:
    """Atoms (values ascending, year counts summing to ``n_years``) of tally row ``i``."""
    top = tally.top[i, :tally.top_size[i]]
    hist = tally.hist[i]
    count, total = hist[:, COUNT].copy(), bin_sums(tally, i)  # float: may pass the int64 range
    bins = hist_bins(np.ascontiguousarray(top, dtype=np.float64))
    np.subtract.at(count, bins, 1)
    np.subtract.at(total, bins, top)
    plain = np.ones(N_BINS, bool)
    plain[bins] = False                               # bins untouched by the top years
    at_max = np.where(plain & (count > 0), hist[:, AT_MAX], 0)
    rest, rest_sum = count - at_max, total - at_max * hist[:, MAX].astype(float)
    keep = rest > 0
    values = np.concatenate([[0.0], hist[at_max > 0, MAX].astype(float), rest_sum[keep] / rest[keep], top])
    counts = np.concatenate([[n_years - tally.nonzero[i]], at_max[at_max > 0], rest[keep],
                             np.ones(len(top))]).astype(float)
    order = np.argsort(values, kind="stable")
    order = order[counts[order] > 0]                  # e.g. no zero years
    return values[order], counts[order]


# --- premium principles --------------------------------------------------------------------

def sd_premium(mean: float, std: float, k: float = METHOD_PARAMS["sd"]["k"]) -> float:
    """Standard-deviation principle, :math:`P = E[X] + k \\, \\mathrm{sd}(X)` (``k = 0.20``
    by default: a modelling choice).

    >>> sd_premium(1e6, 4e6, k=0.2)
    1800000.0
    """
    return float(mean + check_amount("k", k) * std)


def coc_premium(mean: float, tvar: float, coc_rate: float = METHOD_PARAMS["coc"]["coc_rate"]) -> float:
    """Cost of capital on TVaR: capital :math:`C = \\max(\\mathrm{TVaR}_q(X) - E[X], 0)`,
    :math:`P = E[X] + r \\, C` (``r = 10%``, ``q = 99%``: modelling choices).

    >>> coc_premium(1e6, 5.1e7, coc_rate=0.10)
    6000000.0
    """
    return float(mean + check_fraction("coc_rate", coc_rate) * max(tvar - mean, 0.0))


def wang_premium(values: np.ndarray, probabilities: np.ndarray,
                 lam: float = METHOD_PARAMS["wang"]["lam"]) -> float:
    """Wang-transform premium of a discrete distribution of non-negative losses.

    Parameters
    ----------
    values, probabilities : ndarray(float, ndim=1)
        Loss values >= 0, ascending (repeats allowed), and their probabilities (sum 1).
    lam : float
        Market price of risk; 0 gives the mean, larger loads more (0.25 by default: a
        modelling choice).

    Notes
    -----
    .. math:: E^*[X] = \\int_0^\\infty g(S(x)) \\, dx, \\qquad g(s) = \\Phi(\\Phi^{-1}(s) + \\lambda)

    For atoms :math:`v_0 \\le \\dots \\le v_m` (:math:`v_{-1} = 0`) the survival function is
    constant between atoms, :math:`S = P(X \\ge v_j)` on :math:`[v_{j-1}, v_j)`, so
    :math:`E^*[X] = \\sum_j (v_j - v_{j-1}) \\, g(P(X \\ge v_j))`.

    Examples
    --------
    Two points, 0 or 1億 with probability 10%: :math:`E^* = 10^8 \\, \\Phi(\\Phi^{-1}(0.1) + 0.25)`.

    >>> round(wang_premium(np.array([0.0, 1e8]), np.array([0.9, 0.1]), lam=0.25))
    15114112
    """
    if isinstance(lam, bool) or not isinstance(lam, (int, float)) or not math.isfinite(lam):
        raise InputError("lam", f"{lam!r} is not allowed; expected a finite number")
    values, p = np.asarray(values, float), np.asarray(probabilities, float)
    if np.any(np.diff(values) < 0) or np.any(values < 0):
        raise InputError("values", "expected loss values >= 0 in ascending order")
    at_least = np.minimum(np.cumsum(p[::-1])[::-1], 1.0)     # P(X >= v_j)
    distorted = special.ndtr(special.ndtri(at_least) + lam)
    return float(np.sum(np.diff(values, prepend=0.0) * distorted))


def gross_up(risk_premium: float, expense_ratio: float = EXPENSE_RATIO,
             fixed_expense: float = 0.0) -> float:
    """Technical premium, the risk premium grossed up for expenses:
    :math:`P_{tech} = (P_{risk} + F) / (1 - e)`, with ``e`` the expenses (acquisition,
    commission, administration) as a share of premium (35% by default: a modelling choice) and
    ``F`` a fixed expense per policy in yen.

    >>> round(gross_up(65_000, expense_ratio=0.35, fixed_expense=0))
    100000
    """
    e = check_fraction("expense_ratio", expense_ratio)
    if e >= 1:
        raise InputError("expense_ratio", f"{expense_ratio!r} is not allowed; expected 0 <= e < 1")
    return (risk_premium + check_amount("fixed_expense", fixed_expense)) / (1 - e)


def technical_premium(res, policy: str, method: Method = "coc", expense_ratio: float = EXPENSE_RATIO,
                      fixed_expense: float = 0.0, **params: float) -> pd.Series:
    """Technical premium of one policy from its simulated paid loss per policy year.

    Parameters
    ----------
    res : SimulationResult
    policy : str
    method : {"sd", "coc", "wang"}
        :func:`sd_premium` (param ``k``), :func:`coc_premium` (params ``q``, ``coc_rate``),
        :func:`wang_premium` on :func:`loss_support` (param ``lam``). Defaults in
        ``METHOD_PARAMS`` (modelling choices).
    expense_ratio, fixed_expense : float
        See :func:`gross_up`.

    Returns
    -------
    Series
        ``expected_loss`` (E[X]), ``risk_loading``, ``risk_premium`` (their sum) and
        ``technical_premium``, in yen per policy year; named after the policy.
    """
    check_choice("method", method, tuple(METHOD_PARAMS))
    check_names("params", params, tuple(METHOD_PARAMS[method]))
    p = {**METHOD_PARAMS[method], **params}
    i = res.measure_index(policy, "paid", "aggregate")
    mean = float(res.moments.mean[i])
    if method == "sd":
        risk = sd_premium(mean, float(res.moments.std[i]), p["k"])
    elif method == "coc":
        q = check_fraction("q", p["q"])
        risk = coc_premium(mean, tail_value_at_risk(res.tally, i, res.n_years, q), p["coc_rate"])
    else:
        risk = wang_premium(*loss_support(res, policy), lam=p["lam"])
    return pd.Series([mean, risk - mean, risk, gross_up(risk, expense_ratio, fixed_expense)],
                     index=COLUMNS, name=policy)


def technical_premiums(res, methods: Sequence[Method] = ("sd", "coc", "wang"),
                       expense_ratio: float = EXPENSE_RATIO, fixed_expense: float = 0.0,
                       policies: Sequence[str] | None = None, **params: float) -> pd.DataFrame:
    """:func:`technical_premium` of every policy by every method, as one tidy table.

    ``params`` go to the methods that take them (``k``, ``q``, ``coc_rate``, ``lam``).

    Returns
    -------
    DataFrame
        Indexed by (``policy``, ``method``), as ``res.summary()`` is by (policy, measure);
        columns ``expected_loss``, ``risk_loading``, ``risk_premium``, ``technical_premium``.
        ``frame["technical_premium"].unstack("method")`` gives one column per method.
    """
    for m in methods:
        check_choice("methods", m, tuple(METHOD_PARAMS))
    check_names("params", params, [k for m in methods for k in METHOD_PARAMS[m]])  # none ignored
    names = list(policies) if policies is not None else [p.name for p in res.scenario.policies]
    rows = {(name, m): technical_premium(res, name, m, expense_ratio, fixed_expense,
                                         **{k: v for k, v in params.items() if k in METHOD_PARAMS[m]})
            for name in names for m in methods}
    frame = pd.DataFrame(rows.values(), index=pd.MultiIndex.from_tuples(rows, names=["policy", "method"]))
    return frame[COLUMNS]


# --- JCCI discounts and the brochure premiums ----------------------------------------------

def jcci_discount(group: float = 0.20, security: float = 0.0) -> float:
    """Total JCCI discount, group and security posture multiplied:
    :math:`d = 1 - (1 - d_{group})(1 - d_{security})`, ``group`` 0 or 20% (団体割引),
    ``security`` 0 to 60% (割引確認シート), so at most 1 - 0.8 x 0.4 = 68% off.

    >>> round(jcci_discount(group=0.20, security=0.60), 10)
    0.68
    """
    if isinstance(group, bool):
        raise InputError("group", f"{group!r} is not allowed; allowed values: 0, 0.2")
    check_choice("group", group, JCCI_GROUP_DISCOUNTS)
    if (isinstance(security, bool) or not isinstance(security, (int, float))
            or not 0.0 <= security <= JCCI_SECURITY_MAX):
        raise InputError("security", f"{security!r} is not allowed; allowed values: 0 to "
                         f"{JCCI_SECURITY_MAX} (割引確認シート, at most 60%)")
    return 1.0 - (1.0 - group) * (1.0 - security)


def apply_jcci_discounts(premium_before_discount, group: float = 0.20, security: float = 0.0):
    """Premium after the JCCI discounts: ``premium_before_discount x (1 - d)`` (a number, an
    array or a Series), with ``d`` from :func:`jcci_discount`.

    >>> apply_jcci_discounts(100_000, group=0.20)
    80000.0
    """
    if np.ndim(premium_before_discount) == 0:
        premium_before_discount = check_amount("premium_before_discount", premium_before_discount)
    elif np.any(np.asarray(premium_before_discount, float) < 0):
        raise InputError("premium_before_discount", "expected amounts >= 0")
    return premium_before_discount * (1.0 - jcci_discount(group, security))


def jcci_brochure_premiums(examples: Mapping[str, Mapping] = JCCI_PREMIUM_EXAMPLES,
                           group: float = 0.20) -> pd.DataFrame:
    """The brochure's premium examples, quoted and before the group discount.

    Returns
    -------
    DataFrame
        Indexed by (``industry``, ``plan``); columns ``industry_ja``, ``revenue``,
        ``coverage_set``, ``it_option``, ``quoted_premium`` (the brochure figure, group discount
        applied) and ``premium_before_discount`` = quoted / (1 - group), the figure to compare
        with a technical premium.
    """
    d = jcci_discount(group)
    rows = {(industry, plan): {**{k: v for k, v in ex.items() if k not in ("premium", "standard")},
                               "quoted_premium": ex[plan], "premium_before_discount": ex[plan] / (1 - d)}
            for industry, ex in examples.items() for plan in ("premium", "standard")}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(["industry", "plan"])


# --- AIG contract options on common random numbers -----------------------------------------

def aig_option_grid(limits: Iterable[float], deductibles: Iterable[float] = (0.0,),
                    coinsurances: Iterable[float] = (0.0,), **riders) -> list:
    """AIG policies for every (limit, deductible, coinsurance), the same riders on all.

    Deductible (免責金額) and coinsurance (自己負担割合) are set at contract on the liability
    section; the brochure lists no menu of values, so any amounts may be asked for. Put the
    list in a scenario with :meth:`Scenario.with_policies` to price them all on the same simulated years.

    >>> [p.name for p in aig_option_grid([1e8], [0, 1e6], [0.1])]
    ['AIG 1億 ded 0 coins 10%', 'AIG 1億 ded 100万 coins 10%']
    """
    from .products import aig

    for key in set(riders) & {"limit", "deductible", "coinsurance", "name"}:
        raise InputError(key, "is set by the grid; pass it as limits, deductibles or coinsurances")
    grid = itertools.product(limits, deductibles, coinsurances)
    return [aig(limit, deductible=d, coinsurance=c, name=_aig_name(limit, d, c), **riders)
            for limit, d, c in grid]


def _aig_name(limit: float, deductible: float, coinsurance: float) -> str:
    from .yen import format_yen

    ded = format_yen(deductible).removesuffix("円") if deductible else "0"
    return f"AIG {format_yen(limit).removesuffix('円')} ded {ded} coins {coinsurance * 100:g}%"


# --- names kept here that live above this module -------------------------------------------

_ABOVE = {"rate_table": "sim.rate_table", "brochure_rows": "sim.rate_table",
          "book_capital": "sim.rate_table", "LOADINGS": "sim.rate_table",
          "rate_comparison": "sim.implied_rates", "rate_uncertainty": "sim.rate_uncertainty"}


def __getattr__(name: str):
    """``rate_table``, ``brochure_rows``, ``book_capital``, ``LOADINGS`` (:mod:`sim.rate_table`),
    ``rate_comparison`` (:mod:`sim.implied_rates`) and ``rate_uncertainty``
    (:mod:`sim.rate_uncertainty`): they build on this module, so they are looked up when first
    asked for rather than imported (as :mod:`sim.calibration` does for its simulating names)."""
    if name in _ABOVE:
        return getattr(importlib.import_module(_ABOVE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
