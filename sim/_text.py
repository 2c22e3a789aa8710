"""Plain-text tables that line up in a terminal even with Japanese (double-width) text."""
from __future__ import annotations

from collections.abc import Sequence
import numbers
import unicodedata


def display_width(text: str) -> int:
    """Terminal columns taken by ``text`` (wide and full-width characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, align: str = "<") -> str:
    """Pad ``text`` to ``width`` terminal columns, left (``<``) or right (``>``) aligned."""
    fill = " " * max(width - display_width(text), 0)
    return text + fill if align == "<" else fill + text


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], aligns: str | None = None) -> str:
    """Render rows under headers; ``aligns`` has one ``<`` or ``>`` per column."""
    aligns = aligns or "<" + ">" * (len(headers) - 1)
    widths = [max(display_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(pad(str(h), w, a) for h, w, a in zip(headers, widths, aligns))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(pad(str(c), w, a) for c, w, a in zip(r, widths, aligns)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def format_number(value: object) -> str:
    """A parameter value for people: ``14,000``, ``1,385,641``, ``0.05``, ``2.536``; text as is."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if float(value).is_integer() or abs(value) >= 1_000:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return str(value)
