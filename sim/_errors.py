"""Input errors that name the offending field, so a user can find it in a file or a call."""
from __future__ import annotations

from collections.abc import Iterable
import math


class InputError(ValueError):
    """Bad input: ``field`` names where it is (``policies[2].coverage_set``), ``reason`` what is wrong."""

    def __init__(self, field: str, reason: str):
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")

    def within(self, prefix: str) -> "InputError":
        """The same error, located under ``prefix`` (e.g. a file name or a list entry)."""
        field = f"{prefix}.{self.field}" if self.field and not self.field.startswith("[") else f"{prefix}{self.field}"
        return InputError(field, self.reason)


def _fmt(values: Iterable[object]) -> str:
    return ", ".join(repr(v) for v in values)


def check_choice(field: str, value: object, allowed: Iterable[object]) -> None:
    """Raise unless ``value`` is one of ``allowed``."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise InputError(field, f"{value!r} is not allowed; allowed values: {_fmt(allowed)}")


def check_names(field: str, names: Iterable[str], allowed: Iterable[str]) -> None:
    """Raise on the first name that is not in ``allowed``."""
    allowed = tuple(allowed)
    for name in names:
        if name not in allowed:
            raise InputError(field, f"unknown name {name!r}; allowed values: {_fmt(allowed)}")


def check_amount(field: str, value: object, *, positive: bool = False, allow_inf: bool = False) -> float:
    """Return ``value`` as a float after checking it is a finite (or inf) non-negative number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(field, f"{value!r} is not a number; expected an amount in yen")
    x = float(value)
    if math.isnan(x) or (math.isinf(x) and not (allow_inf and x > 0)):
        raise InputError(field, f"{value!r} is not allowed; expected a finite amount in yen")
    if positive and x <= 0:
        raise InputError(field, f"{value!r} is not allowed; expected an amount > 0")
    if x < 0:
        raise InputError(field, f"{value!r} is not allowed; expected an amount >= 0")
    return x


def check_fraction(field: str, value: object) -> float:
    """Return ``value`` as a float in [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= float(value) <= 1.0:
        raise InputError(field, f"{value!r} is not allowed; expected a fraction between 0 and 1")
    return float(value)


def check_count(field: str, value: object) -> int:
    """Return ``value`` as a non-negative int."""
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or value < 0 or int(value) != value):
        raise InputError(field, f"{value!r} is not allowed; expected a whole number >= 0")
    return int(value)


def check_bool(field: str, value: object) -> bool:
    """Return ``value`` if it is a bool."""
    if not isinstance(value, bool):
        raise InputError(field, f"{value!r} is not allowed; allowed values: True, False")
    return value
