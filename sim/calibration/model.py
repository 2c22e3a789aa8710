"""The calibrated default loss model: every parameter read from ``sim/data`` tables.

A scenario asks for it with ``defaults = "calibrated"`` in its ``[model]`` table, names what was
leaked (``data = ["basic_contact", "credit_card"]``) and the view (``view = "courts"`` or
``"jnsa"``); any key it also gives (``size``, ``records_held``, ``costs.letters``, ...)
replaces the default.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
import math

from .._errors import check_names, check_table
from ..components import CAUSES
from ..data import default, read_table  # default: also this module's public name
from ..losses.distributions import LogNormal
from ..losses.model import Claimants, Cost, LossModel, Reporting
from .breach_size import default_breach_size, size_fact
from .damages import consolation_costs, damages_for  # consolation_costs: also this module's name
from .litigation import claims_kwargs


@lru_cache(maxsize=1)
def default_cause_mix() -> dict[str, float]:
    """Share of incidents per cause: JNSA 2018's causes mapped onto :data:`sim.CAUSES`."""
    table = read_table("cause_mix_jnsa2018.csv")
    counts = table.groupby("cause")["incidents"].sum()
    return {c: float(counts.get(c, 0) / counts.sum()) for c in CAUSES if counts.get(c, 0) > 0}


def response_costs() -> dict[str, Cost]:
    """The calibrated response costs (``response_costs.csv``)."""
    costs = {}
    for row in read_table("response_costs.csv").itertuples():
        if row.per_record > 0:
            fixed, sigma = 0.0, float(default("per_record_sigma"))
        elif row.low < row.high:
            spread = LogNormal.from_interval90(row.low, row.high)
            fixed, sigma = float(spread.median()), float(spread.sigma)
        else:
            fixed, sigma = float(row.low), float(default("fixed_cost_sigma"))
        causes = None if row.causes == "all" else tuple(row.causes.split(";"))
        costs[row.component] = Cost(fixed=fixed, per_record=float(row.per_record), sigma=sigma,
                                    probability=float(row.probability),
                                    min_victims=float(row.min_victims), causes=causes)
    return costs


def calibrated_kwargs(data: Sequence[str] | None = None, view: str = "courts",
                      jo: Mapping[str, str] | None = None, uncertainty: bool = True) -> dict:
    """Keyword arguments of :class:`~sim.losses.LossModel` for the calibrated defaults."""
    if jo is not None:
        check_table("jo", jo)
    damages = damages_for(data, view, **(jo or {}))
    p = float(default("reporting_probability"))
    return dict(
        cause_mix=default_cause_mix(),
        size=default_breach_size(),
        records_held=size_fact("largest_on_record"),
        reporting=Reporting(p, p),
        **claims_kwargs(data, view, jo, uncertainty),
        costs={**response_costs(), **consolation_costs(damages, uncertainty)},
    )


def calibrated_model(data: Sequence[str] | None = None, view: str = "courts",
                     jo: Mapping[str, str] | None = None, uncertainty: bool = True,
                     **overrides) -> LossModel:
    """The calibrated loss model for leaked ``data`` in ``view``, with ``overrides``.

    Parameters
    ----------
    data : sequence of str, optional
        What was leaked: names from ``sim/data/data_classes.csv`` (``basic_contact``,
        ``credit_card``, ``financial``, ``my_number``, ``health``, ``beliefs``). Default: basic
        contact data in the courts view; JNSA's own mix of data types in the JNSA view.
    view : {"courts", "jnsa"}
        Actual litigation (few sue, court awards, customary consolation) or JNSA's
        "everyone claims" damage model.
    jo : mapping, optional
        JO-model factors for the JNSA view: ``identifiability`` (easy/with_cost/hard),
        ``social_responsibility`` (high/normal), ``handling`` (inappropriate/appropriate).
    uncertainty : bool
        Draw the uncertain choices per incident from their sourced ranges (consolation paid or
        not and its amount, the notice's scale, award and suit levels); ``False``: the point
        view, each at its central value.
    **overrides
        Any :class:`~sim.losses.LossModel` field; ``costs`` entries replace single components.

    Examples
    --------
    >>> from sim.losses.distributions import Fixed
    >>> m = calibrated_model(["basic_contact"], size=Fixed(100_000))
    >>> round(m.claimants.probability(100_000), 5), round(m.costs["consolation"].per_record)
    (0.00092, 500)
    """
    kwargs = calibrated_kwargs(data, view, jo, uncertainty)
    costs = {**kwargs["costs"], **overrides.pop("costs", {})}
    check_names("overrides", overrides, tuple(LossModel.__dataclass_fields__))
    if math.isinf(overrides.get("records_held", 0.0)):
        overrides.pop("records_held")  # no records limit given: keep the largest leak on record
    return LossModel(**{**kwargs, **overrides, "costs": costs})
