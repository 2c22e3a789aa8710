"""The calibrated default loss model: every parameter read from ``sim/data`` tables.

A scenario asks for it with ``defaults = "calibrated"`` in its ``[model]`` table, names what was
leaked (``data = ["basic_contact", "credit_card"]``) and the view (``view = "courts"`` or
``"jnsa"``); any key it also gives (``size``, ``records_held``, ``costs.letters``, ...)
replaces the default.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
import math

from .._errors import check_names, check_table
from ..data import default  # default: also this module's public name
from ..losses.model import Claimants, Cost, LossModel
from .breach_size import default_breach_size, default_cause_mix, default_whole_records, size_fact
from .costs import cost_kwargs, response_costs  # response_costs: also this module's name
from .damages import Damages, consolation_handling, damages_for


def consolation_costs(damages: Damages) -> dict[str, Cost]:
    """Consolation to everyone affected and its handling, if the view pays any."""
    if damages.consolation <= 0:
        return {}
    sigma, p = float(default("per_record_sigma")), float(default("consolation_probability"))
    return {"consolation": Cost(per_record=damages.consolation, sigma=sigma, probability=p),
            "consolation_shipping": Cost(per_record=consolation_handling(), sigma=sigma,
                                         probability=p)}


def calibrated_kwargs(data: Sequence[str] = ("basic_contact",), view: str = "courts",
                      jo: Mapping[str, str] | None = None, uncertainty: bool = True,
                      regime: str = "2022") -> dict:
    """Keyword arguments of :class:`~sim.losses.LossModel` for the calibrated defaults:
    reporting under ``regime`` (:func:`~sim.calibration.costs.reporting_for`), response costs
    with (``uncertainty``) or without their alternative levels."""
    if jo is not None:
        check_table("jo", jo)
    damages = damages_for(data, view, **(jo or {}))
    rate_cv = 0.0 if damages.claimant_rate >= 1.0 else float(default("claimant_rate_cv"))
    side = cost_kwargs(data, regime, uncertainty)  # reporting, costs, size by cause
    costs = side.pop("costs")
    return dict(
        cause_mix=default_cause_mix(),
        size=default_breach_size(),
        records_held=size_fact("largest_on_record"),
        **side,
        claimants=Claimants(damages.claimant_rate, rate_cv, damages.award),
        litigation="jfba" if view == "courts" else "none",
        litigation_factor=float(default("litigation_factor")),
        costs={**costs, **consolation_costs(damages)},
    )


def calibrated_model(data: Sequence[str] = ("basic_contact",), view: str = "courts",
                     jo: Mapping[str, str] | None = None, **overrides) -> LossModel:
    """The calibrated loss model for leaked ``data`` in ``view``, with ``overrides``.

    Parameters
    ----------
    data : sequence of str
        What was leaked: names from ``sim/data/data_classes.csv`` (``basic_contact``,
        ``credit_card``, ``financial``, ``my_number``, ``health``, ``beliefs``).
    view : {"courts", "jnsa"}
        Actual litigation (few sue, court awards, customary consolation) or JNSA's
        "everyone claims" damage model.
    jo : mapping, optional
        JO-model factors for the JNSA view: ``identifiability`` (easy/with_cost/hard),
        ``social_responsibility`` (high/normal), ``handling`` (inappropriate/appropriate).
    **overrides
        Any :class:`~sim.losses.LossModel` field; ``costs`` entries replace single components.

    Examples
    --------
    >>> from sim.losses.distributions import Fixed
    >>> m = calibrated_model(["basic_contact"], size=Fixed(100_000))
    >>> round(m.claimants.rate_mean, 4), round(m.costs["consolation"].per_record)
    (0.0002, 500)
    """
    kwargs = calibrated_kwargs(data, view, jo)
    costs = {**kwargs["costs"], **overrides.pop("costs", {})}
    check_names("overrides", overrides, tuple(LossModel.__dataclass_fields__))
    if math.isinf(overrides.get("records_held", 0.0)):
        overrides.pop("records_held")  # no records limit given: keep the largest leak on record
    if "size" in overrides:  # the user's size replaces the size of every cause
        overrides.setdefault("size_by_cause", {})
    if not math.isinf(overrides.get("records_held", math.inf)):  # the insured's own records: whole-database leaks too
        overrides.setdefault("whole_records", default_whole_records())
    return LossModel(**{**kwargs, **overrides, "costs": costs})
