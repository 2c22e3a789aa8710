"""Loss models declared as data: the keys of the ``[model]`` table of a scenario.

```toml
[model]
cause_mix = { cyber_attack = 0.6, insider = 0.4 }
records_held = 300_000
size = { dist = "lognormal", median = 44, sigma = 3.41 }
whole_records = { cyber_attack = 0.1 }     # P(a leak of that cause takes every record held)
incident_mix = { leak = 0.8, cyber_no_leak = 0.2 }   # kinds of incident (sim.INCIDENTS); default: leaks
corporate_share = 0.0                      # share of a leak's records belonging to companies
corporate_victims = { dist = "lognormal", median = 3, sigma = 1.0 }   # companies per corporate leak / IT-work incident
reporting = { p_min = 0.3, p_max = 0.95, n50 = 1_000, steepness = 1.0 }   # or { probability = 1.0 }
# reporting = { rule = "2022", sensitive = false, financial = false, theft_share = 0.13 }  # the 2022 duty
claimants = { rate_mean = 0.1, rate_cv = 0.3, award = { dist = "lognormal", median = 10_000, sigma = 0.4 } }
# claimants = { suit = { p_max = 0.05, n50 = 1e6 }, share = { dist = "lognormal", median = 1e-4, sigma = 2 },
#               award = { ... }, claimed = { ... } }                    # two stages: P(suit), then plaintiffs
litigation = { method = "jfba", factor = 1.3, basis = "claimed" }       # or { method = "ratio", ratio = 0.1 }
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

Costs also take ``min_victims`` and ``max_victims`` (only incidents of that size), ``causes`` and
``incidents`` (lists), ``if_reported``, ``per_corporate`` (yen per company affected) and an
alternative level ``alt_fixed``/``alt_per_record`` taken with ``alt_probability``.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields

from .._errors import (InputError, check_amount, check_choice, check_fraction, check_names,
                       short_repr, within)
from .distributions import severity_from_dict
from .model import COURT_RATES
from .parts import FEE_BASES, Claimants, Cost, Reporting, Suits

CLAIMANT_KEYS = tuple(f.name for f in fields(Claimants))
SUIT_KEYS = ("suit", *(f.name for f in fields(Suits) if f.name not in ("p_max", "n50", "steepness")))
SUIT_PROBABILITY_KEYS = ("p_max", "n50", "steepness")
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
    if "suit" in t:
        return _suits(t)
    check_names("claimants", t, CLAIMANT_KEYS)
    for key in ("rate_mean", "award"):
        if key not in t:
            raise InputError(f"claimants.{key}", "missing; claimants need rate_mean and award "
                             "(or suit, share and award for two stages)")
    severities = _severities(t, "claimants", ("award", "claimed"))
    with within("claimants"):
        return {"claimants": Claimants(**{"rate_cv": 0.0, **t, **severities})}


def _suits(t: Mapping[str, object]) -> dict:
    """Two stages: ``suit = { p_max, n50, steepness }``, then ``share``, ``award`` ..."""
    check_names("claimants", t, SUIT_KEYS)
    for key in ("share", "award"):
        if key not in t:
            raise InputError(f"claimants.{key}", "missing; two-stage claims (suit = {...}) need "
                             "share (of the people affected who sue) and award")
    suit = _table(t["suit"], "claimants.suit")
    check_names("claimants.suit", suit, SUIT_PROBABILITY_KEYS)
    for key in ("p_max", "n50"):
        if key not in suit:
            raise InputError(f"claimants.suit.{key}", "missing; suit needs p_max and n50")
    rest = {k: v for k, v in t.items() if k != "suit"}
    if "cause_factor" in rest:
        rest["cause_factor"] = dict(_table(rest["cause_factor"], "claimants.cause_factor"))
    severities = _severities(t, "claimants", ("share", "award", "claimed"))
    with within("claimants"):
        return {"claimants": Suits(**{**rest, **suit, **severities})}


def _severities(t: Mapping[str, object], field: str, keys: tuple[str, ...]) -> dict:
    return {k: severity_from_dict(t[k], f"{field}.{k}") for k in keys if k in t}


def _litigation(value: object) -> dict:
    t = _table(value, "litigation")
    method = t.get("method")
    if method == "ratio":
        check_names("litigation", t, ("method", "ratio"))
        factor = check_amount("litigation.ratio", t.get("ratio"))
    elif method == "jfba":
        check_names("litigation", t, ("method", "factor", "basis"))
        factor = check_amount("litigation.factor", t.get("factor", 1.0))
        basis = t.get("basis", "awarded")
        check_choice("litigation.basis", basis, FEE_BASES)
        return {"litigation": method, "litigation_factor": factor, "litigation_basis": basis}
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
    if not {"fixed", "per_record", "per_corporate"} & set(t):  # it would cost nothing, silently
        raise InputError(field, "a cost needs fixed, per_record and/or per_corporate (yen)")
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
    "incident_mix": lambda v: {"incident_mix": dict(_table(v, "incident_mix"))},
    "whole_records": lambda v: {"whole_records": dict(_table(v, "whole_records"))},
    "corporate_share": lambda v: {"corporate_share": check_fraction("corporate_share", v)},
    "corporate_victims": lambda v: {"corporate_victims": severity_from_dict(v, "corporate_victims")},
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
