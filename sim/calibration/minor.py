"""Minor cyber incidents of SMEs: their annual rate and cost, a tier below the publicised leaks
and the police-reported ransomware.

The counts of :mod:`sim.calibration.frequency` are publicised leaks (TSR, JNSA) and ransomware
reported to the police: about 1,500 events a year in the whole economy. SMEs report many more
incidents to IPA's surveys: a quarter of them were damaged by a cyber incident in one fiscal year
(IPA 2024: 975 of 4,191), at an average damage of 73万 yen, recovered in about six days. Those
are the infections, intrusions and threats of a leak that JCCI covers as 情報の漏えいのおそれ and,
in its Premium plan, サイバー攻撃のおそれ. They are the ``cyber_minor`` incident kind.

Figures and roles are in ``sim/data/minor_incidents.csv``. Fitted:

- incidents per SME and year: negative binomial with mean :math:`m` and size :math:`n`, fitted
  to the share of SMEs with an incident in one year, :math:`1 - (1 + m/n)^{-n} = 975/4191`, and
  the share with 10 or more over three years, :math:`P(\\mathrm{NB}(n, 3m) \\ge 10) = 1.7\\%`
  (a firm's rate persists over the three years: the gamma-mixed Poisson reading);
- the cost of one incident: lognormal with mean 73万 and :math:`P(\\ge 100万) = 9.4\\%` (the
  root with the wider spread; the narrow one gives nothing near the reported maximum of 1億).

Held out (:func:`held_out_checks`): the largest damage (1億), the most incidents of one firm
(40 in three years), the 2021 edition's share damaged in a year (5.7%, a different question),
the General Insurance Association's share of damaged SMEs with 1,000万-1億 (7.4%), and Tokyo
CCI's large/SME ratio of firms ever attacked (21.9% / 10.7%).

Modelling choices: the survey rate belongs to a firm of the SMEs' average revenue and scales
with revenue like the other kinds (:mod:`sim.calibration.frequency`); ``claim_share`` of the
incidents are claims (1: an upper bound, no source); the survey's damage per firm is read as
the cost of one incident; the cost is put in the ``forensics`` component (the investigation and
response the policies pay; Premium's サイバー攻撃調査費用), with a cost entry of its own so that
the ransomware fit of the other cyber incidents is untouched.
"""
from __future__ import annotations

from functools import lru_cache
import math

import pandas as pd
from scipy import optimize, stats

from .. import data as _data
from ..losses.model import Cost

TABLE = "minor_incidents.csv"
SURVEY_YEARS = 3      # IPA asks about the past three fiscal years (直近過去3期)
MANY_INCIDENTS = 10   # 「10回以上の被害」
DAMAGE_THRESHOLD = 1e6  # 「100万円以上の被害額」
COST_KEY = "forensics_minor"
"""Key of the minor incidents' cost in the calibrated model's ``costs`` (component forensics)."""


def _value(quantity: str, roles: tuple[str, ...] = ("fitted", "choice")) -> float:
    t = _data.read_table(TABLE)
    rows = t[(t["quantity"] == quantity) & t["role"].isin(roles)]
    if len(rows) != 1:
        raise LookupError(f"{TABLE}: expected one {'/'.join(roles)} row for {quantity}, found {len(rows)}")
    return float(rows["value"].iloc[0])


def count_parameters(p_any: float, p_many: float, years: int = SURVEY_YEARS,
                     many: int = MANY_INCIDENTS) -> tuple[float, float]:
    """Mean ``m`` (a year) and size ``n`` of the negative binomial with P(at least one in a
    year) = ``p_any`` and P(at least ``many`` in ``years`` years) = ``p_many``."""
    def gaps(t):
        m, n = math.exp(t[0]), math.exp(t[1])
        return [-n * math.log1p(m / n) - math.log1p(-p_any),
                float(stats.nbinom.sf(many - 1, n, n / (n + years * m))) - p_many]

    t, _, solved, message = optimize.fsolve(gaps, [math.log(-math.log1p(-p_any)), 0.0],
                                            xtol=1e-12, full_output=True)
    if solved != 1:
        raise ValueError(f"no negative binomial fits P(>=1) = {p_any}, P(>={many}) = {p_many}: {message}")
    return math.exp(t[0]), math.exp(t[1])


def cost_parameters(mean: float, p_above: float, threshold: float = DAMAGE_THRESHOLD) -> tuple[float, float]:
    """Median and sigma of the lognormal with this ``mean`` and P(cost >= ``threshold``) =
    ``p_above`` (the wider of the two roots)."""
    z = stats.norm.isf(p_above)
    gap = math.log(threshold) - math.log(mean)  # ln t - ln mean = z s - s^2 / 2
    if z * z < 2.0 * gap:
        raise ValueError(f"no lognormal has mean {mean} and P(>= {threshold}) = {p_above}")
    sigma = z + math.sqrt(z * z - 2.0 * gap)
    return math.exp(math.log(threshold) - z * sigma), sigma


@lru_cache(maxsize=1)
def minor_fit() -> dict[str, float]:
    """The fitted tier: ``rate`` (incidents a year of an SME of average revenue, before the
    claim share), ``dispersion`` (negative-binomial size), ``var_ln_rate`` (Poisson error of the
    two counts), ``claim_share``, and the cost's ``median`` and ``sigma``."""
    respondents = _value("respondents")
    damaged = _value("firms_with_incident")
    p_many = _value("share_10plus_incidents")
    rate, dispersion = count_parameters(damaged / respondents, p_many)
    median, sigma = cost_parameters(_value("mean_damage"), _value("share_damage_ge_1m"))
    return dict(rate=rate, dispersion=dispersion,
                var_ln_rate=1.0 / damaged + 1.0 / (p_many * respondents),
                claim_share=_value("claim_share"), median=median, sigma=sigma)


def minor_cost() -> Cost:
    """The cost of one minor incident (in the ``forensics`` component, its own entry)."""
    fit = minor_fit()
    return Cost(fixed=fit["median"], sigma=fit["sigma"], causes=("cyber_attack",),
                incidents=("cyber_minor",), component="forensics")


def yearly_share(mean: float) -> float:
    """P(at least one minor incident in a year) at this mean, with the fitted dispersion."""
    n = minor_fit()["dispersion"]
    return 1.0 - (1.0 + mean / n) ** -n


def held_out_checks() -> pd.DataFrame:
    """The held-out figures of ``minor_incidents.csv`` beside the fitted tier.

    Returns
    -------
    DataFrame
        One row per figure: ``published``, ``model`` and ``quantile`` (where the published
        maximum falls in the model's distribution of the maximum over the survey's firms; for
        others, the model's value only: a share of one year or of one incident's cost. The
        large/SME check needs the revenue scaling:
        :func:`sim.calibration.frequency.minor_held_out_checks`).
    """
    fit = minor_fit()
    t = _data.read_table(TABLE).set_index("quantity")
    respondents, damaged = _value("respondents"), _value("firms_with_incident")
    cost = stats.lognorm(fit["sigma"], scale=fit["median"])
    counts = stats.nbinom(fit["dispersion"], fit["dispersion"] / (fit["dispersion"] + SURVEY_YEARS * fit["rate"]))
    max_damage, max_incidents = float(t.loc["max_damage", "value"]), float(t.loc["max_incidents", "value"])
    rows = {
        "max_damage": dict(published=max_damage, model=float(cost.isf(1.0 / damaged)),
                           quantile=float(cost.cdf(max_damage) ** damaged)),
        "max_incidents": dict(published=max_incidents, model=float(counts.isf(1.0 / respondents)),
                              quantile=float(counts.cdf(max_incidents - 1) ** respondents)),
        "share_damaged_2020": dict(published=float(t.loc["share_damaged_2020", "value"]),
                                   model=damaged / respondents, quantile=math.nan),
        "damage_10m_100m": dict(published=float(t.loc["damage_10m_100m", "value"]),
                                model=float(cost.cdf(1e8) - cost.cdf(1e7)), quantile=math.nan),
    }
    return pd.DataFrame.from_dict(rows, orient="index")


__all__ = ["COST_KEY", "count_parameters", "cost_parameters", "held_out_checks", "minor_cost", "minor_fit",
           "yearly_share"]
