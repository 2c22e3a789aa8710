"""Loss models declared as data (the ``[model]`` table of a scenario).

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

Or the calibrated defaults (``sim.calibration``, docs/model.md), with any key above on top:

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

from collections.abc import Mapping

from .._errors import (InputError, check_amount, check_choice, check_fraction, check_name_list,
                       check_names, short_repr, within)
from .distributions import severity_from_dict
from .model import Claimants, Cost, LossModel, Reporting

MODEL_KEYS = ("defaults", "data", "view", "jo", "cause_mix", "records_held", "size",
              "size_by_cause", "reporting", "claimants", "litigation", "court_days", "costs",
              "direct")
CALIBRATED_KEYS = ("data", "view", "jo")
CLAIMANT_KEYS = ("rate_mean", "rate_cv", "award", "per_claimant_sigma")
COST_KEYS = ("fixed", "per_record", "sigma", "probability", "min_victims", "causes")
COURT_KEYS = ("officer", "employee", "officer_rate", "employee_rate")


def model_from_dict(table: Mapping[str, object], field: str = "model") -> LossModel:
    """Build a :class:`LossModel` from a ``[model]`` table; errors name the field."""
    with within(field):
        t = _table(table, "")
        kwargs = _kwargs(t)
        if "defaults" not in t:
            for key in CALIBRATED_KEYS:
                if key in t:
                    raise InputError(key, 'needs defaults = "calibrated"')
            return LossModel(**kwargs)
        return _calibrated(t, kwargs)


def _table(value: object, field: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise InputError(field, f"{short_repr(value)} is not a table")
    return value


def _kwargs(t: Mapping[str, object]) -> dict:
    check_names("", t, MODEL_KEYS)
    kw: dict = {}
    if "cause_mix" in t:
        kw["cause_mix"] = dict(_table(t["cause_mix"], "cause_mix"))
    if "records_held" in t:
        kw["records_held"] = check_amount("records_held", t["records_held"], positive=True,
                                          allow_inf=True)
    if "size" in t:
        kw["size"] = severity_from_dict(t["size"], "size")
    if "size_by_cause" in t:
        kw["size_by_cause"] = {c: severity_from_dict(v, f"size_by_cause.{c}")
                               for c, v in _table(t["size_by_cause"], "size_by_cause").items()}
    if "reporting" in t:
        kw["reporting"] = _reporting(_table(t["reporting"], "reporting"))
    if "claimants" in t:
        kw["claimants"] = _claimants(_table(t["claimants"], "claimants"))
    if "litigation" in t:
        kw["litigation"], kw["litigation_factor"] = _litigation(_table(t["litigation"], "litigation"))
    if "court_days" in t:
        kw["court_days"], kw["court_rates"] = _court(_table(t["court_days"], "court_days"))
    for key, build in (("costs", _cost), ("direct", severity_from_dict)):
        if key in t:
            kw[key] = {c: build(v, f"{key}.{c}") for c, v in _table(t[key], key).items()}
    return kw


def _calibrated(t: Mapping[str, object], overrides: dict) -> LossModel:
    """The calibrated defaults (``sim.calibration``), with the table's own keys on top."""
    from ..calibration.damages import data_classes
    from ..calibration.model import calibrated_model

    if t["defaults"] != "calibrated":
        check_choice("defaults", t["defaults"], ("calibrated",))
    data = check_name_list("data", t.get("data", ["basic_contact"]), data_classes())
    jo = dict(_table(t["jo"], "jo")) if "jo" in t else None
    return calibrated_model(list(data), t.get("view", "courts"), jo, **overrides)


def _reporting(t: Mapping[str, object]) -> Reporting:
    if "probability" in t:
        check_names("reporting", t, ("probability",))
        p = check_fraction("reporting.probability", t["probability"])
        return Reporting(p, p)
    check_names("reporting", t, ("p_min", "p_max", "n50", "steepness"))
    with within("reporting"):
        return Reporting(**t)


def _claimants(t: Mapping[str, object]) -> Claimants:
    check_names("claimants", t, CLAIMANT_KEYS)
    for key in ("rate_mean", "award"):
        if key not in t:
            raise InputError(f"claimants.{key}", "missing; claimants need rate_mean and award")
    award = severity_from_dict(t["award"], "claimants.award")
    with within("claimants"):
        return Claimants(t["rate_mean"], t.get("rate_cv", 0.0), award, t.get("per_claimant_sigma", 0.0))


def _litigation(t: Mapping[str, object]) -> tuple[str, float]:
    method = t.get("method")
    if method == "ratio":
        check_names("litigation", t, ("method", "ratio"))
        return "ratio", check_amount("litigation.ratio", t.get("ratio"))
    if method == "jfba":
        check_names("litigation", t, ("method", "factor"))
        return method, check_amount("litigation.factor", t.get("factor", 1.0))
    if method == "none":
        check_names("litigation", t, ("method",))
        return method, 1.0
    raise InputError("litigation.method", f"{short_repr(method)} is not allowed; allowed values: "
                     "'jfba', 'ratio', 'none'")


def _court(t: Mapping[str, object]) -> tuple[tuple[float, float], tuple[float, float]]:
    check_names("court_days", t, COURT_KEYS)
    days = tuple(check_amount(f"court_days.{k}", t.get(k, 0.0)) for k in ("officer", "employee"))
    rates = tuple(check_amount(f"court_days.{k}_rate", t.get(f"{k}_rate", default))
                  for k, default in (("officer", 50_000.0), ("employee", 25_000.0)))
    return days, rates


def _cost(value: object, field: str) -> Cost:
    t = _table(value, field)
    check_names(field, t, COST_KEYS)
    if "fixed" not in t and "per_record" not in t:  # it would cost nothing, silently
        raise InputError(field, "a cost needs fixed and/or per_record (yen)")
    with within(field):
        return Cost(**t)
