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
from ..losses.model import LossModel
from .breach_size import default_breach_size, default_cause_mix, default_whole_records, size_fact
from .costs import cost_kwargs, response_costs  # response_costs: also this module's name
from .damages import consolation_costs, damages_for  # consolation_costs: also this module's name
from .litigation import claims_kwargs


def calibrated_kwargs(data: Sequence[str] | None = None, view: str = "courts",
                      jo: Mapping[str, str] | None = None, uncertainty: bool = True,
                      regime: str = "2022") -> dict:
    """Keyword arguments of :class:`~sim.losses.LossModel` for the calibrated defaults: the
    claims side (:func:`~sim.calibration.litigation.claims_kwargs`), reporting under ``regime``
    and the cost side (:func:`~sim.calibration.costs.cost_kwargs`), with (``uncertainty``) or
    without the per-incident draws of uncertain choices."""
    if jo is not None:
        check_table("jo", jo)
    damages = damages_for(data, view, **(jo or {}))
    side = cost_kwargs(data, regime, uncertainty)  # reporting, costs, size by cause
    costs = side.pop("costs")
    return dict(
        cause_mix=default_cause_mix(),
        size=default_breach_size(),
        records_held=size_fact("largest_on_record"),
        **side,
        **claims_kwargs(data, view, jo, uncertainty),
        costs={**costs, **consolation_costs(damages, uncertainty)},
    )


def calibrated_model(data: Sequence[str] | None = None, view: str = "courts",
                     jo: Mapping[str, str] | None = None, uncertainty: bool = True,
                     regime: str = "2022", **overrides) -> LossModel:
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
    regime : {"2022", "pre2022"}
        Reporting to the regulator by the 2022 rule (sensitive or financial data, a malicious
        cause, more than 1,000 people), or as before 2022 (every simulated leak is publicised).
    **overrides
        Any :class:`~sim.losses.LossModel` field; ``costs`` entries replace single components.

    Examples
    --------
    >>> from sim.losses.distributions import Fixed
    >>> m = calibrated_model(["basic_contact"], size=Fixed(100_000))
    >>> round(m.claimants.probability(100_000), 5), round(m.costs["consolation"].per_record)
    (0.00092, 500)
    """
    kwargs = calibrated_kwargs(data, view, jo, uncertainty, regime)
    costs = {**kwargs["costs"], **overrides.pop("costs", {})}
    check_names("overrides", overrides, tuple(LossModel.__dataclass_fields__))
    if math.isinf(overrides.get("records_held", 0.0)):
        overrides.pop("records_held")  # no records limit given: keep the largest leak on record
    if "size" in overrides:  # the user's size replaces the size of every cause
        overrides.setdefault("size_by_cause", {})
    if not math.isinf(overrides.get("records_held", math.inf)):  # the insured's own records: whole-database leaks too
        overrides.setdefault("whole_records", default_whole_records())
    return LossModel(**{**kwargs, **overrides, "costs": costs})
