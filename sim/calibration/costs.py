"""Response costs by incident kind, cause, size and the reporting duty, and the reporting rule
itself, from ``sim/data`` tables.

``response_costs.csv`` holds one row per cost component: who incurs it (incident kinds, causes,
people affected, reported or not, kind of data) and at what level (a JNSA range read as a 90%
interval, or the cyber-attack fit of :mod:`sim.calibration.incidents`). A misdelivery to a few
dozen people is not reported unless the data are sensitive or financial, gets no outside
investigation, and costs little; a cyber attack gets the forensic and recovery costs fitted to
the police's ransomware cost bands, whatever it leaked.

The reporting rule (:func:`reporting_for`) follows the data classes: under the 2022 act a leak is
reported (and each person notified) when the data are sensitive or financial, the cause malicious
(theft: the JNSA share of thefts among losses and thefts), or more than the threshold of people
(1,000; 100 for My Number).
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .._errors import check_bool, check_choice, check_name_list
from ..data import default, read_table
from ..losses.distributions import LogNormal
from ..losses.model import Cost, Reporting

REGIMES = ("2022", "pre2022")


def _names(cell: str) -> tuple[str, ...] | None:
    return None if cell == "all" else tuple(cell.split(";"))


def _level(low: float, high: float) -> tuple[float, float]:
    """(median, sigma) of a cost known as a 90% range, or as one value (sigma: the default)."""
    if low < high:
        spread = LogNormal.from_interval90(low, high)
        return float(spread.median()), float(spread.sigma)
    return float(low), float(default("fixed_cost_sigma"))


@lru_cache(maxsize=1)
def _data_table():
    return read_table("data_classes.csv").set_index("data_class")


def _checked_data(data: Sequence[str]) -> tuple[str, ...]:
    return check_name_list("data", tuple(data), tuple(_data_table().index))


def data_flags(data: Sequence[str]) -> dict[str, float]:
    """What the leaked ``data`` imply for the 2022 reporting duty and corporate victims.

    Returns
    -------
    dict
        ``sensitive`` and ``financial`` (any class is), ``threshold`` (the lowest report
        threshold of the classes) and ``corporate_share`` (the largest).
    """
    rows = _data_table().loc[list(_checked_data(data))]
    return dict(sensitive=bool(rows["sensitive"].astype(int).any()),
                financial=bool(rows["financial"].astype(int).any()),
                threshold=float(rows["report_threshold"].min()),
                corporate_share=float(rows["corporate_share"].max()))


@lru_cache(maxsize=1)
def theft_share() -> float:
    """Share of thefts among losses and thefts (``loss_theft``), JNSA 2018: 盗難 17 of 133."""
    table = read_table("cause_mix_jnsa2018.csv")
    rows = table[table["cause"] == "loss_theft"].set_index("jnsa_cause")["incidents"]
    return float(rows["盗難"] / rows.sum())


def reporting_for(data: Sequence[str] = ("basic_contact",), regime: str = "2022") -> Reporting:
    """The reporting rule for leaks of ``data``.

    Parameters
    ----------
    data : sequence of str
        Leaked data classes (``data_classes.csv``).
    regime : {"2022", "pre2022"}
        The amended act's duty (report and notify when sensitive, financial, malicious or more
        than the threshold of people) or the old probability view (``reporting_probability``
        in ``defaults.csv``).

    Examples
    --------
    >>> r = reporting_for(["health"])
    >>> r.rule, r.sensitive, r.threshold, round(r.theft_share, 3)
    ('2022', True, 1000.0, 0.128)
    >>> reporting_for(["my_number"]).threshold
    100.0
    """
    check_choice("regime", regime, REGIMES)
    flags = data_flags(data)
    if regime == "pre2022":
        p = float(default("reporting_probability"))
        return Reporting(p, p)
    return Reporting(rule="2022", sensitive=flags["sensitive"], financial=flags["financial"],
                     threshold=flags["threshold"], theft_share=theft_share())


def cost_kwargs(data: Sequence[str] | None = None, regime: str = "2022",
                uncertainty: bool = True) -> dict:
    """The cost side of the calibrated model as :class:`~sim.losses.LossModel` keyword
    arguments: reporting, response costs and the other incident kinds' losses, breach size by
    cause, corporate victims.

    Parameters
    ----------
    data : sequence of str, optional
        Leaked data classes; ``None``: basic contact data (the JNSA view's mix of data is drawn
        per incident for damages only: its reporting and costs are those of contact data).
    regime : {"2022", "pre2022"}
    uncertainty : bool
        ``False``: the point view (no alternative cost levels).
    """
    from .breach_size import size_by_cause
    from .incidents import corporate_victims, incident_costs

    data = ("basic_contact",) if data is None else tuple(data)
    return dict(size_by_cause=dict(size_by_cause()),
                corporate_share=data_flags(data)["corporate_share"],
                corporate_victims=corporate_victims(),
                reporting=reporting_for(data, regime),
                costs={**response_costs(data, uncertainty), **incident_costs()})


def cost_table():
    """``response_costs.csv`` with its ``inf`` and ``fit`` cells read."""
    table = read_table("response_costs.csv")
    table["max_victims"] = table["max_victims"].astype(float)
    return table


def response_costs(data: Sequence[str] = ("basic_contact",), uncertainty: bool = True) -> dict[str, Cost]:
    """The calibrated response costs for leaks of ``data`` and for cyber attacks.

    Parameters
    ----------
    data : sequence of str
        Leaked data classes: rows with a ``data`` filter (credit monitoring) apply only when one
        of their classes is leaked.
    uncertainty : bool
        ``True``: the alternative levels (a national rather than a regional newspaper notice)
        are drawn with their probability; ``False``: the point view, without alternatives.

    Returns
    -------
    dict
        Component -> :class:`~sim.losses.model.Cost`.
    """
    from .incidents import cyber_cost_fit  # the fit reads its own table

    check_bool("uncertainty", uncertainty)
    leaked = set(_checked_data(data))
    fit = cyber_cost_fit()
    costs = {}
    for row in cost_table().itertuples():
        wanted = _names(row.data)
        if wanted is not None and not leaked & set(wanted):
            continue
        if row.per_record > 0:
            fixed, sigma = 0.0, float(default("per_record_sigma"))
        elif row.component in fit:
            fixed, sigma = fit[row.component]["median"], fit[row.component]["sigma"]
        else:
            fixed, sigma = _level(float(row.low), float(row.high))
        probability = (fit[row.component]["probability"] if row.component in fit
                       else float(row.probability))
        alt = {}
        if uncertainty and float(row.alt_probability) > 0:
            alt = dict(alt_fixed=_level(float(row.alt_low), float(row.alt_high))[0],
                       alt_per_record=0.0, alt_probability=float(row.alt_probability))
        costs[row.component] = Cost(
            fixed=fixed, per_record=float(row.per_record), sigma=sigma, probability=probability,
            min_victims=float(row.min_victims), max_victims=float(row.max_victims),
            causes=_names(row.causes), incidents=_names(row.incidents),
            if_reported=bool(int(row.if_reported)), **alt)
    return costs


__all__ = ["REGIMES", "cost_kwargs", "cost_table", "data_flags", "reporting_for", "response_costs", "theft_share"]
