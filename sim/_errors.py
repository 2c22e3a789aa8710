"""Input errors that name the offending field, so a user can find it in a file or a call."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
import math
from numbers import Integral, Real

import numpy as np


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


@contextmanager
def within(prefix: str) -> Iterator[None]:
    """Re-raise any :class:`InputError` of the block located under ``prefix``.

    Examples
    --------
    >>> try:
    ...     with within("policies[2]"):
    ...         raise InputError("limit", "-1 is not allowed")
    ... except InputError as err:
    ...     print(err)
    policies[2].limit: -1 is not allowed
    """
    try:
        yield
    except InputError as err:
        raise err.within(prefix) from None


def _is_number(value: object) -> bool:
    """Python and NumPy ints and floats (``np.int64(5)``, ``np.float64(1e6)``); not bools,
    which are Integral too but are never meant as amounts."""
    return isinstance(value, Real) and not isinstance(value, (bool, np.bool_))


def _as_float(value: Real) -> float:
    """``float(value)``, with ints too large for a float (``10**400``) as +-inf."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def short_repr(value: object, width: int = 60) -> str:
    """``repr(value)``, cut to ``width`` characters (a message stays one readable line)."""
    text = repr(value)
    return text if len(text) <= width else text[:width] + " ..."


def _fmt(values: Iterable[object]) -> str:
    return ", ".join(repr(v) for v in values)


def check_choice(field: str, value: object, allowed: Iterable[object]) -> None:
    """Raise unless ``value`` is one of ``allowed``."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise InputError(field, f"{short_repr(value)} is not allowed; allowed values: {_fmt(allowed)}")


def check_names(field: str, names: Iterable[str], allowed: Iterable[str]) -> None:
    """Raise on the first name that is not in ``allowed``."""
    allowed = tuple(allowed)
    for name in names:
        if name not in allowed:
            raise InputError(field, f"unknown name {name!r}; allowed values: {_fmt(allowed)}")


def check_amount(field: str, value: object, *, positive: bool = False, allow_inf: bool = False) -> float:
    """Return ``value`` as a float after checking it is a finite (or inf) non-negative number."""
    if not _is_number(value):
        raise InputError(field, f"{short_repr(value)} is not a number; expected an amount in yen")
    x = _as_float(value)
    if math.isnan(x) or (math.isinf(x) and not (allow_inf and x > 0)):
        raise InputError(field, f"{short_repr(value)} is not allowed; expected a finite amount in yen")
    if positive and x <= 0:
        raise InputError(field, f"{short_repr(value)} is not allowed; expected an amount > 0")
    if x < 0:
        raise InputError(field, f"{short_repr(value)} is not allowed; expected an amount >= 0")
    return x


def check_fraction(field: str, value: object) -> float:
    """Return ``value`` as a float in [0, 1]."""
    if not _is_number(value) or not 0.0 <= _as_float(value) <= 1.0:
        raise InputError(field, f"{short_repr(value)} is not allowed; expected a fraction between 0 and 1")
    return float(value)


def check_count(field: str, value: object) -> int:
    """Return ``value`` as a non-negative int."""
    if (not _is_number(value) or not math.isfinite(_as_float(value)) or value < 0
            or (not isinstance(value, Integral) and int(value) != value)):
        raise InputError(field, f"{short_repr(value)} is not allowed; expected a whole number >= 0")
    return int(value)


def check_bool(field: str, value: object) -> bool:
    """Return ``value`` as a bool if it is one (``np.True_`` included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise InputError(field, f"{short_repr(value)} is not allowed; allowed values: True, False")
    return bool(value)


def check_text(field: str, value: object) -> str:
    """Return ``value`` if it is a string (a name, a description, a source)."""
    if not isinstance(value, str):
        raise InputError(field, f"{short_repr(value)} is not allowed; expected a string")
    return value


def check_table(field: str, value: object, what: str = "a table") -> Mapping:
    """Return ``value`` if it is a mapping (a TOML table)."""
    if not isinstance(value, Mapping):
        raise InputError(field, f"{short_repr(value)} is not {what}")
    return value


def check_name_list(field: str, value: object, allowed: Iterable[str], *,
                    non_empty: bool = True) -> tuple[str, ...]:
    """Return ``value``, a list (or tuple) of names each in ``allowed``, as a tuple.

    A single string is refused rather than read letter by letter (``covers="damages"``).
    """
    allowed = tuple(allowed)
    example = f"[{allowed[0]!r}]" if allowed else "[...]"
    if isinstance(value, str):
        raise InputError(field, f"{short_repr(value)} is a single name; expected a list, e.g. [{short_repr(value)}]")
    if not isinstance(value, (list, tuple)) or (non_empty and not value):
        raise InputError(field, f"{short_repr(value)} is not allowed; expected a {'non-empty ' * non_empty}"
                         f"list of names, e.g. {example}")
    for i, name in enumerate(value):
        if not isinstance(name, str):
            raise InputError(f"{field}[{i}]", f"{short_repr(name)} is not a name; allowed values: {_fmt(allowed)}")
        check_names(field, [name], allowed)
    return tuple(value)
