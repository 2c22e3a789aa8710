"""Loss models declared as data: the keys of the ``[model]`` table of a scenario.

```toml
[model]
cause_mix = { cyber_attack = 0.6, insider = 0.4 }
records_held = 300_000
size = { dist = "lognormal", median = 44, sigma = 3.41 }
reporting = { p_min = 0.3, p_max = 0.95, n50 = 1_000, steepness = 1.0 }   # or { probability = 1.0 }
claimants = { rate_mean = 0.1, rate_cv = 0.3, award = { dist = "lognormal", median = 10_000, sigma = 0.4 } }
litigation = { method = "jfba", factor = 1.3 }                          # or { method = "ratio", ratio = 0.1 }
court_days = { officer = 1.0, employee = 2.0 }                          # mean days per event with claimants

[model.costs]
letters = { per_record = 120, sigma = 0.2 }
call_center = { fixed = 8_500_000, sigma = 0.3, probability = 0.8 }

[model.direct]
corporate_info = { dist = "lognormal", median = 5e6, sigma = 1.0 }
```

Or the calibrated defaults (``sim.calibration``, docs/model.md), with any key above on top
(read by :func:`sim.scenario.model_from_dict`, which sits above calibration):

```toml
[model]
defaults = "calibrated"
view = "courts"                 # or "jnsa"
data = ["basic_contact"]        # data_classes.csv
jo = { identifiability = "easy", social_responsibility = "normal", handling = "appropriate" }  # jnsa view
```

Costs also take ``min_victims`` (only incidents at least that large) and ``causes`` (a list).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields

from .._errors import InputError, check_amount, check_fraction, check_names, short_repr, within
from .distributions import severity_from_dict
from .model import COURT_RATES, Claimants, Cost, Reporting

CLAIMANT_KEYS = tuple(f.name for f in fields(Claimants))
COST_KEYS = tuple(f.name for f in fields(Cost))
REPORTING_KEYS = tuple(f.name for f in fields(Reporting))
COURT_ROLES = ("officer", "employee")  # in the order of LossModel.court_days and court_rates
COURT_KEYS = (*COURT_ROLES, *(f"{role}_rate" for role in COURT_ROLES))


def _table(value: object, field: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise InputError(field, f"{short_repr(value)} is not a table")
    return value


def _reporting(value: object) -> dict:
    t = _table(value, "reporting")
    if "probability" in t:
        check_names("reporting", t, ("probability",))
        p = check_fraction("reporting.probability", t["probability"])
        return {"reporting": Reporting(p, p)}
    check_names("reporting", t, REPORTING_KEYS)
    with within("reporting"):
        return {"reporting": Reporting(**t)}


def _claimants(value: object) -> dict:
    t = _table(value, "claimants")
    check_names("claimants", t, CLAIMANT_KEYS)
    for key in ("rate_mean", "award"):
        if key not in t:
            raise InputError(f"claimants.{key}", "missing; claimants need rate_mean and award")
    award = severity_from_dict(t["award"], "claimants.award")
    with within("claimants"):
        return {"claimants": Claimants(**{"rate_cv": 0.0, **t, "award": award})}


def _litigation(value: object) -> dict:
    t = _table(value, "litigation")
    method = t.get("method")
    if method == "ratio":
        check_names("litigation", t, ("method", "ratio"))
        factor = check_amount("litigation.ratio", t.get("ratio"))
    elif method == "jfba":
        check_names("litigation", t, ("method", "factor"))
        factor = check_amount("litigation.factor", t.get("factor", 1.0))
    elif method == "none":
        check_names("litigation", t, ("method",))
        factor = 1.0
    else:
        raise InputError("litigation.method", f"{short_repr(method)} is not allowed; allowed values: "
                         "'jfba', 'ratio', 'none'")
    return {"litigation": method, "litigation_factor": factor}


def _court(value: object) -> dict:
    t = _table(value, "court_days")
    check_names("court_days", t, COURT_KEYS)
    days = tuple(check_amount(f"court_days.{k}", t.get(k, 0.0)) for k in COURT_ROLES)
    rates = tuple(check_amount(f"court_days.{k}_rate", t.get(f"{k}_rate", default))
                  for k, default in zip(COURT_ROLES, COURT_RATES))
    return {"court_days": days, "court_rates": rates}


def _cost(value: object, field: str) -> Cost:
    t = _table(value, field)
    check_names(field, t, COST_KEYS)
    if "fixed" not in t and "per_record" not in t:  # it would cost nothing, silently
        raise InputError(field, "a cost needs fixed and/or per_record (yen)")
    with within(field):
        return Cost(**t)


def _by_component(key: str, build: Callable[[object, str], object]) -> Callable[[object], dict]:
    return lambda value: {key: {c: build(v, f"{key}.{c}") for c, v in _table(value, key).items()}}


MODEL_FIELDS: dict[str, Callable[[object], dict]] = {
    "cause_mix": lambda v: {"cause_mix": dict(_table(v, "cause_mix"))},
    "records_held": lambda v: {"records_held": check_amount("records_held", v, positive=True,
                                                            allow_inf=True)},
    "size": lambda v: {"size": severity_from_dict(v, "size")},
    "size_by_cause": _by_component("size_by_cause", severity_from_dict),
    "reporting": _reporting,
    "claimants": _claimants,
    "litigation": _litigation,
    "court_days": _court,
    "costs": _by_component("costs", _cost),
    "direct": _by_component("direct", severity_from_dict),
}
"""The keys of a ``[model]`` table that declare a loss model, each with its reader: a value in,
keyword arguments of :class:`~sim.losses.LossModel` out. Read in this order."""


def model_kwargs(t: Mapping[str, object]) -> dict:
    """Keyword arguments of :class:`~sim.losses.LossModel` from the keys of ``t`` that are in
    :data:`MODEL_FIELDS` (the caller has refused any other key)."""
    kw: dict = {}
    for key, read in MODEL_FIELDS.items():
        if key in t:
            kw.update(read(t[key]))
    return kw
