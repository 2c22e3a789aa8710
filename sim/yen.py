"""Yen amounts written for people: ``1億1,470万円`` for Japanese readers, ``114,700,000`` for others."""
from __future__ import annotations

import math
from typing import Literal

YenStyle = Literal["ja", "plain"]
_UNITS = ((10**12, "兆"), (10**8, "億"), (10**4, "万"))


def format_yen(amount: float, style: YenStyle = "ja", round_to: int = 1) -> str:
    """Write a yen amount, rounded to ``round_to`` yen (1 by default; 10_000 rounds to 万).

    Parameters
    ----------
    amount : float
        Amount in yen. May be negative or infinite (``無制限`` / ``unlimited``).
    style : {"ja", "plain"}
        ``"ja"``: 兆/億/万 units with thousands separators, ending in 円.
        ``"plain"``: digits with thousands separators.
    round_to : int
        Round to a multiple of this many yen first (e.g. ``10_000`` for tables in 万円).

    Examples
    --------
    >>> format_yen(114_700_000)
    '1億1,470万円'
    >>> format_yen(173_700_000, style="plain")
    '173,700,000'
    >>> format_yen(45_454_545.45)
    '4,545万4,545円'
    >>> format_yen(45_454_545.45, round_to=10_000)
    '4,545万円'
    """
    if style not in ("ja", "plain"):
        raise ValueError(f"style: {style!r} is not allowed; allowed values: 'ja', 'plain'")
    if math.isnan(amount):
        raise ValueError("amount: NaN is not an amount")
    if math.isinf(amount):
        return ("無制限" if style == "ja" else "unlimited") if amount > 0 else "-inf"
    sign = "-" if amount < 0 else ""
    yen = int(round(abs(amount) / round_to)) * round_to
    if style == "plain":
        return f"{sign}{yen:,}"
    parts = []
    for size, unit in _UNITS:
        count, yen = divmod(yen, size)
        if count:
            parts.append(f"{count:,}{unit}")
    if yen or not parts:
        parts.append(f"{yen:,}")
    return f"{sign}{''.join(parts)}円"


def table_yen(amount: float, style: YenStyle = "ja", round_to: int = 10_000) -> str:
    """An amount in a table: rounded to ``round_to`` (万円 by default) in ``"ja"``, whole yen
    in ``"plain"``.

    >>> table_yen(173_704_321), table_yen(173_704_321, "plain")
    ('1億7,370万円', '173,704,321')
    """
    return format_yen(amount, style, round_to=round_to if style == "ja" else 1)
