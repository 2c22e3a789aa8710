"""Policies declared as data (a TOML table or a dict): a brochure product or custom terms.

```toml
[[policies]]                      # a brochure product
product = "jcci"
plan = "premium"
coverage_set = "C"

[[policies]]                      # the plain excess-of-loss cover, in one line each
product = "basic"
deductible = 1_000_000
limit = 100_000_000
aggregate = 100_000_000

[[policies]]                      # custom sections, a derived limit and a shared limit
product = "custom"
name = "my cover"

[[policies.sections]]
name = "liability"
covers = ["damages", "litigation"]
limit = 1e8
aggregate = 1e8

[[policies.sections]]
name = "costs"
covers = ["letters", "consolation"]
caps = { consolation = { per_victim = 500 } }  # also caps consolation_corporate if covered
limit = { of = "overall", share = 0.1 }       # 10% of the shared limit
trigger = "reported"
incidents = ["leak"]                          # not for corporate-only leaks, attacks or IT work

[[policies.shared]]
name = "overall"
sections = ["liability", "costs"]
limit = 1e8
aggregate = 1e8
```
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
import inspect

from .._errors import InputError, check_choice, check_names, within
from .contract import Policy, basic
from .terms import Cap, Section, Share, SharedLimit

SECTION_KEYS = ("name", "label", "covers", "parts", "deductible", "coinsurance", "limit",
                "aggregate", "caps", "trigger", "causes", "incidents")
SHARED_KEYS = ("name", "label", "sections", "limit", "aggregate")
SHARE_KEYS = ("of", "share", "at_most", "basis")
CAP_KEYS = ("per_victim", "per_corporate_victim")
CUSTOM_KEYS = ("product", "name", "sections", "shared")


def _templates() -> dict[str, Callable[..., Policy]]:
    from ..products import PRODUCTS

    return {**PRODUCTS, "basic": basic}


def policy_from_dict(table: Mapping[str, object], field: str = "policy") -> Policy:
    """Build a :class:`Policy` from a mapping (e.g. one ``[[policies]]`` table of a TOML file).

    Parameters
    ----------
    table : mapping
        ``product`` is one of ``"jcci"``, ``"aig"``, ``"basic"`` (keys are that function's
        arguments) or ``"custom"`` (keys ``name``, ``sections``, ``shared``).
    field : str
        Where the table is, for error messages (e.g. ``"policies[2]"``).

    Raises
    ------
    InputError
        Naming the bad field and the allowed values.
    """
    if not isinstance(table, Mapping):
        raise InputError(field, f"{table!r} is not a table of policy terms")
    templates = _templates()
    product = table.get("product")
    check_choice(f"{field}.product", product, (*templates, "custom"))
    with within(field):
        if product == "custom":
            return _custom(table)
        return _from_template(templates[product], table)


def _from_template(template: Callable[..., Policy], table: Mapping[str, object]) -> Policy:
    params = inspect.signature(template).parameters
    kwargs = {k: v for k, v in table.items() if k != "product"}
    check_names("", kwargs, tuple(params))
    for name, param in params.items():
        if param.default is inspect.Parameter.empty and name not in kwargs:
            raise InputError(name, f"missing; product {table['product']!r} needs it")
    return template(**kwargs)


def _custom(table: Mapping[str, object]) -> Policy:
    check_names("", table, CUSTOM_KEYS)
    if "name" not in table:
        raise InputError("name", "missing; a custom policy needs a name")
    sections = [_section(t, f"sections[{i}]") for i, t in enumerate(_list(table, "sections"))]
    shared = [_shared(t, f"shared[{i}]") for i, t in enumerate(_list(table, "shared", []))]
    return Policy(table["name"], sections, shared, product="custom")


def _list(table: Mapping[str, object], key: str, default: object = None) -> list:
    value = table.get(key, default)
    if value is None:
        raise InputError(key, "missing; expected a list of tables")
    if not isinstance(value, list):
        raise InputError(key, f"{value!r} is not a list of tables")
    return value


def _section(table: object, field: str) -> Section:
    if not isinstance(table, Mapping):
        raise InputError(field, f"{table!r} is not a table of section terms")
    with within(field):
        check_names("", table, SECTION_KEYS)
        kwargs = dict(table)
        if "parts" in kwargs:
            kwargs["parts"] = [_section(t, f"parts[{i}]") for i, t in enumerate(_list(table, "parts"))]
        for key in ("limit", "aggregate"):
            if key in kwargs:
                kwargs[key] = _limit(kwargs[key], key)
        if "caps" in kwargs:
            kwargs["caps"] = _caps(kwargs["caps"])
        if "name" not in kwargs:
            raise InputError("name", "missing; every section needs a name")
        return Section(**kwargs)


def _shared(table: object, field: str) -> SharedLimit:
    if not isinstance(table, Mapping):
        raise InputError(field, f"{table!r} is not a table of shared-limit terms")
    with within(field):
        check_names("", table, SHARED_KEYS)
        for key in ("name", "sections"):
            if key not in table:
                raise InputError(key, "missing")
        kwargs = {k: (_limit(v, k) if k in ("limit", "aggregate") else v) for k, v in table.items()}
        return SharedLimit(**kwargs)


def _limit(value: object, field: str) -> object:
    if not isinstance(value, Mapping):
        return value
    check_names(field, value, SHARE_KEYS)
    if "of" not in value or "share" not in value:
        raise InputError(field, "a derived limit needs 'of' (a section name) and 'share'")
    with within(field):
        return Share(**value)


def _caps(value: object) -> dict[str, Cap]:
    if not isinstance(value, Mapping):
        raise InputError("caps", f"{value!r} is not a table of component -> {{per_victim = ...}}")
    caps = {}
    for comp, cap in value.items():
        if not isinstance(cap, Mapping) or "per_victim" not in cap:
            raise InputError(f"caps.{comp}", "expected a table with per_victim (and optionally "
                             "per_corporate_victim)")
        check_names(f"caps.{comp}", cap, CAP_KEYS)
        with within(f"caps.{comp}"):
            caps[comp] = Cap(**cap)
    return caps
