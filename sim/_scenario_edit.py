"""``Scenario.replace``: a changed copy of a scenario, checked as a loaded file is.

Each change is given as the object (a :class:`~sim.losses.Frequency`, a
:class:`~sim.losses.LossModel`, :class:`~sim.policy.Policy` objects) or as the table a scenario
file would hold (``{"kind": "poisson", "rate": 0.2}``, a ``[model]`` table, ``[[policies]]``
tables), so that a notebook can change what it would otherwise edit in the TOML file.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ._errors import InputError, check_amount, check_names, check_text, short_repr
from .events import event_to_arrays
from .losses import Frequency, LossModel, frequency_from_dict

CHANGEABLE = ("name", "description", "event", "frequency", "model", "policies", "premiums")


def replace_scenario(scenario, changes: Mapping[str, object], checks: Mapping[str, object]):
    """``scenario`` with ``changes`` (see :meth:`sim.scenario.Scenario.replace`); ``checks``:
    the loader's own checks and builders, by name (handed over by ``sim.scenario``, which
    imports this module)."""
    from .policy.declare import policy_from_dict

    ScenarioError, calibrated_frequency_from_dict = checks["ScenarioError"], checks["calibrated"]
    model_from_dict, _policy_objects = checks["model_from_dict"], checks["policy_objects"]
    _check_unique, _check_caps_have_sizes = checks["check_unique"], checks["check_caps"]

    try:
        check_names("replace", changes, CHANGEABLE)
        fields = {}
        for key in ("name", "description"):
            if key in changes:
                fields[key] = check_text(key, changes[key])
        if "event" in changes:
            event = changes["event"]
            if event is not None:
                event_to_arrays(event, field="event")
                event = dict(event)
            fields["event"] = event
        if "frequency" in changes:
            fields.update(_frequency(changes["frequency"], calibrated_frequency_from_dict))
        if "model" in changes:
            model = changes["model"]
            fields["model"] = (model if model is None or isinstance(model, LossModel)
                               else model_from_dict(model))
        table_premiums = {}
        if "policies" in changes:
            given = changes["policies"]
            if isinstance(given, (list, tuple)):
                given = [_policy(p, i, policy_from_dict, table_premiums) for i, p in enumerate(given)]
            fields["policies"] = _policy_objects(given)
            _check_unique(fields["policies"])
        new = replace(scenario, **fields)
        if (new.model is None) != (new.frequency is None):
            raise InputError("frequency" if new.frequency is None else "model",
                             "missing; [model] and [frequency] go together (change both)")
        if new.model is None and new.event is None:
            raise InputError("event", "missing; a scenario needs an event, or a model and frequency")
        new = replace(new, premiums={**_premiums(new, changes), **table_premiums})
        _check_caps_have_sizes(new.model, new.policies)
        for p in new.policies if new.event else ():
            p.apply_year([new.event])
    except InputError as err:
        raise ScenarioError(scenario.source, err) from None
    return new


def _policy(value: object, i: int, policy_from_dict, premiums: dict):
    """A policy given as an object, or as a ``[[policies]]`` table whose ``premium`` (if any)
    goes into ``premiums`` under the policy's name."""
    if not isinstance(value, Mapping):
        return value
    premium = (check_amount(f"policies[{i}].premium", value["premium"], positive=True)
               if "premium" in value else None)
    policy = policy_from_dict({k: v for k, v in value.items() if k != "premium"}, f"policies[{i}]")
    if premium is not None:
        premiums[policy.name] = premium
    return policy


def _frequency(value: object, calibrated) -> dict:
    """The ``frequency`` and ``firm_frequency`` fields for a new frequency."""
    if value is None or isinstance(value, Frequency):
        return {"frequency": value, "firm_frequency": None}
    if isinstance(value, Mapping) and "defaults" in value:
        frequency, firm = calibrated(value)
        return {"frequency": frequency, "firm_frequency": firm}
    if isinstance(value, Mapping):
        return {"frequency": frequency_from_dict(value), "firm_frequency": None}
    raise InputError("frequency", f"{short_repr(value)} is not a Frequency or a [frequency] table "
                     "(e.g. sim.losses.Frequency.poisson(0.2) or {'kind': 'poisson', 'rate': 0.2})")


def _premiums(scenario, changes: Mapping[str, object]) -> dict:
    """The premiums given, or the old ones of the policies that stay."""
    names = [p.name for p in scenario.policies]
    if "premiums" not in changes:
        return {k: v for k, v in scenario.premiums.items() if k in names}
    given = changes["premiums"]
    if not isinstance(given, Mapping):
        raise InputError("premiums", f"{short_repr(given)} is not a mapping policy name -> yen")
    check_names("premiums", given, names)
    return {k: check_amount(f"premiums.{k}", v, positive=True) for k, v in given.items()}
