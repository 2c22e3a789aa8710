"""Incident kinds other than a plain leak: the cost of a cyber attack fitted to the police's
ransomware cost bands, the labelled losses of corporate-information and IT-work incidents, and a
default mix of incident kinds.

The National Police Agency asks ransomware victims what investigation and recovery cost in all
(調査・復旧費用の総額) and publishes shares in five bands. The bands of 2021 and 2022
(``ransomware_npa.csv``) are fitted by grouped maximum likelihood with a two-part cost: a
forensic investigation and initial response that every attack incurs,
``forensics ~ lognormal(mu_f, sigma)``, plus, with probability ``p``, system recovery
``~ lognormal(mu_r, sigma)``. A single lognormal misses the bands (about a quarter of victims
spend under 100万, a third 1,000-5,000万); the two parts match them. The shares of 1,000万 or more
of 2023 and 2024 are held out: :func:`held_out_cyber_checks` sets them against the fit.

The fit is stored in ``ransomware_cost_fit.csv`` (like the breach-size fit) so that results do
not depend on the optimiser's last digits; ``python -m sim.calibration.incidents --write``
refits it.
"""
from __future__ import annotations

from functools import lru_cache
import math

import numpy as np
from scipy import optimize, special, stats

from .._errors import check_fraction
from ..components import INCIDENTS
from ..data import read_table
from ..losses.distributions import LogNormal
from ..losses.model import Cost
from .minor import COST_KEY, minor_cost

BAND_EDGES = (1e6, 5e6, 1e7, 5e7)  # 100万, 500万, 1,000万, 5,000万 yen
BANDS = ("cost_lt_1m", "cost_1m_5m", "cost_5m_10m", "cost_10m_50m", "cost_ge_50m")
FITTED_YEARS = ("2021", "2022")
FIT_TABLE = "ransomware_cost_fit.csv"
_NODES, _WEIGHTS = special.roots_hermite(80)  # E[f(Z)], Z standard normal: sum w f(sqrt2 x)/sqrt pi


def npa_band_counts(period: str) -> tuple[np.ndarray, float]:
    """Respondents per cost band in ``period`` (shares x respondents) and the respondents."""
    t = read_table("ransomware_npa.csv")
    rows = t[(t["period"].astype(str) == period) & t["quantity"].isin(BANDS)].set_index("quantity")
    n = float(rows["n_answering"].iloc[0])
    return np.array([float(rows.loc[b, "value"]) for b in BANDS]) * n, n


def total_cost_cdf(x: float, mu_f: float, mu_r: float, sigma: float, p: float) -> float:
    """P(forensics + recovery <= x) for the two-part cyber-attack cost (Gauss-Hermite over the
    forensics part)."""
    z = math.sqrt(2.0) * _NODES
    f = np.exp(mu_f + sigma * z)
    rest = np.where(f < x, stats.norm.cdf((np.log(np.maximum(x - f, 1e-300)) - mu_r) / sigma), 0.0)
    alone = stats.norm.cdf((math.log(x) - mu_f) / sigma)
    return float((1.0 - p) * alone + p * (_WEIGHTS @ rest) / math.sqrt(math.pi))


def band_probabilities(mu_f: float, mu_r: float, sigma: float, p: float) -> np.ndarray:
    """P(the total cost falls in each NPA band)."""
    inner = [total_cost_cdf(b, mu_f, mu_r, sigma, p) for b in BAND_EDGES]
    return np.diff(np.concatenate([[0.0], inner, [1.0]]))


def fit_cyber_costs() -> dict[str, float]:
    """Fit the two-part cost to the 2021 and 2022 NPA bands (grouped maximum likelihood).

    Returns
    -------
    dict
        ``mu_forensics``, ``mu_recovery``, ``sigma``, ``p_recovery``, and ``chi2`` (Pearson,
        both years) with ``dof`` (2 x 4 bands - 4 parameters).
    """
    counts = [npa_band_counts(y)[0] for y in FITTED_YEARS]
    pooled = np.sum(counts, axis=0)

    def unpack(t):
        return t[0], t[1], math.exp(t[2]), 1.0 / (1.0 + math.exp(-t[3]))

    def neg_log_likelihood(t):
        return -float(pooled @ np.log(np.maximum(band_probabilities(*unpack(t)), 1e-300)))

    best = min((optimize.minimize(neg_log_likelihood, start, method="Nelder-Mead",
                                  options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 20000})
                for start in ([13.0, 16.5, 0.0, 0.0], [13.5, 17.0, -0.5, 0.5])),
               key=lambda r: r.fun)
    mu_f, mu_r, sigma, p = unpack(best.x)
    probs = band_probabilities(mu_f, mu_r, sigma, p)
    chi2 = sum(float(((c - probs * c.sum()) ** 2 / (probs * c.sum())).sum()) for c in counts)
    return dict(mu_forensics=mu_f, mu_recovery=mu_r, sigma=sigma, p_recovery=p, chi2=chi2,
                dof=2 * (len(BANDS) - 1) - 4)


@lru_cache(maxsize=1)
def stored_cyber_fit() -> dict[str, float]:
    """The fit as stored in ``ransomware_cost_fit.csv``."""
    row = read_table(FIT_TABLE).iloc[0]
    return {k: float(row[k]) for k in ("mu_forensics", "mu_recovery", "sigma", "p_recovery")}


def cyber_cost_fit() -> dict[str, dict[str, float]]:
    """The stored fit as cost levels: component -> ``median``, ``sigma``, ``probability``."""
    f = stored_cyber_fit()
    return {"forensics": dict(median=math.exp(f["mu_forensics"]), sigma=f["sigma"], probability=1.0),
            "system_recovery": dict(median=math.exp(f["mu_recovery"]), sigma=f["sigma"],
                                    probability=f["p_recovery"])}


def held_out_cyber_checks() -> list[tuple[str, float, float]]:
    """(period, published share of 1,000万 or more, the fit's share) for the held-out years."""
    t = read_table("ransomware_npa.csv")
    rows = t[t["quantity"] == "cost_ge_10m_share"]
    model = float(band_probabilities(*stored_cyber_fit().values())[3:].sum())
    return [(str(r.period), float(r.value), model) for r in rows.itertuples()]


def _range(low: float, high: float) -> tuple[float, float]:
    spread = LogNormal.from_interval90(low, high)
    return float(spread.median()), float(spread.sigma)


def incident_costs() -> dict[str, Cost]:
    """The labelled losses of the other incident kinds (``incident_kinds.csv``): others'
    business disrupted by a cyber attack, corporate-information damages and defence costs, and
    IT-work damages, as costs filtered by incident kind, and the response to a minor cyber
    incident (:func:`sim.calibration.minor.minor_cost`, under the key ``forensics_minor``)."""
    costs = {}
    for row in read_table("incident_kinds.csv").itertuples():
        if row.component == "corporate_victims":
            continue
        per_company = row.per_corporate_low > 0
        level, sigma = _range(*((row.per_corporate_low, row.per_corporate_high) if per_company
                                else (row.low, row.high)))
        follows = DEFENCE_OF.get(row.component)
        costs[row.component] = Cost(
            fixed=0.0 if per_company else level, per_corporate=level if per_company else 0.0,
            sigma=sigma, probability=1.0 if follows else float(row.probability),
            causes=None if row.causes == "all" else tuple(row.causes.split(";")),
            incidents=tuple(row.incidents.split(";")), follows=follows)
    costs[COST_KEY] = minor_cost()  # minor cyber incidents: forensics, an entry of their own
    return costs


DEFENCE_OF = {"corporate_info_litigation": "corporate_info"}
"""Defence costs incurred exactly when their claim is (``Cost.follows``)."""


def corporate_victims() -> LogNormal:
    """Companies affected by a corporate-information leak or an IT-work incident (labelled)."""
    row = read_table("incident_kinds.csv").set_index("component").loc["corporate_victims"]
    return LogNormal.from_interval90(float(row["low"]), float(row["high"]))


def default_incident_mix(corporate_leak: float = 0.0, it_work: float = 0.0) -> dict[str, float]:
    """A firm's mix of incident kinds: leaks against ransomware that leaks nothing, from counts
    (``incident_mix.csv``: JNSA's publicised leaks a year, the police's SME ransomware reports
    times the share without double extortion), with ``corporate_leak`` and ``it_work`` shares
    given by the caller (no count found; 0 by default).

    Examples
    --------
    >>> mix = default_incident_mix()
    >>> round(mix["leak"], 3), round(mix["cyber_no_leak"], 3)
    (0.949, 0.051)
    """
    check_fraction("corporate_leak", corporate_leak)
    check_fraction("it_work", it_work)
    rest = 1.0 - corporate_leak - it_work
    if rest < 0:
        check_fraction("corporate_leak + it_work", corporate_leak + it_work)
    t = read_table("incident_mix.csv").set_index("quantity")["value"].astype(float)
    no_leak = t["ransomware_reports_sme"] * (1.0 - t["double_extortion_count"]
                                                / t["ransom_demand_confirmed"])
    leak = t["incidents_per_year"]
    mix = {"leak": rest * leak / (leak + no_leak), "corporate_leak": corporate_leak,
           "cyber_no_leak": rest * no_leak / (leak + no_leak), "it_work": it_work}
    return {k: float(v) for k, v in mix.items() if k in INCIDENTS and v > 0}


_HEADER_LINES = 3


def fit_table_text(fit: dict[str, float]) -> str:
    """The contents of ``ransomware_cost_fit.csv`` for a fit."""
    from importlib import resources

    text = resources.files("sim.data").joinpath(FIT_TABLE).read_text(encoding="utf-8")
    header = "\n".join(text.splitlines()[:_HEADER_LINES + 1])
    keys = ("mu_forensics", "mu_recovery", "sigma", "p_recovery")
    return header + "\n" + ",".join(repr(float(fit[k])) for k in keys) + "\n"


__all__ = ["BANDS", "BAND_EDGES", "band_probabilities", "corporate_victims", "cyber_cost_fit",
           "default_incident_mix", "fit_cyber_costs", "held_out_cyber_checks", "incident_costs",
           "npa_band_counts", "stored_cyber_fit", "total_cost_cdf"]


if __name__ == "__main__":
    import sys
    from importlib import resources

    text = fit_table_text(fit_cyber_costs())
    if "--write" in sys.argv[1:]:
        resources.files("sim.data").joinpath(FIT_TABLE).write_text(text, encoding="utf-8")
    print(text, end="")
