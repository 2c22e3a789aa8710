"""HTML pieces of the report: the page style, the inline font, figures as PNG data URIs, tables
whose cells may carry a confidence interval on a second line."""
from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
import html
import io
from pathlib import Path

from .._text import yen_text

STYLE = """
body { font-family: "sim-ipaexg", "Helvetica Neue", Arial, sans-serif;
       max-width: 1180px; margin: 1.5em auto; padding: 0 1em; color: #222; line-height: 1.5;
       box-sizing: border-box; overflow-wrap: anywhere; }
h1 { font-size: 1.5em; border-bottom: 2px solid #345; padding-bottom: .3em; }
h2 { font-size: 1.2em; margin-top: 2em; color: #345; }
h3 { font-size: 1.05em; color: #345; }
p.meta, p.note, ul.note { color: #555; font-size: .9em; }
div.answer { background: #f4f8fb; border-left: 4px solid #345; padding: .6em 1em; }
div.answer p { margin: .4em 0; }
p.pick { font-size: 1.15em; font-weight: bold; }
table { border-collapse: collapse; margin: 1em 0; font-size: .85em; max-width: 100%; }
th, td { border: 1px solid #ccc; padding: .25em .5em; }
td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td small { color: #666; }
th { background: #eef2f6; text-align: left; font-weight: normal; }
thead th { font-weight: bold; }
tr.pick td, tr.pick th { background: #fff4d6; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: .85em; }
"""


def e(text: object) -> str:
    """``text`` escaped for HTML."""
    return html.escape(str(text))


def font_face(text: str) -> str:
    """IPAex Gothic cut down to the document's non-ASCII characters, as an inline font for
    those characters only: the Japanese renders on machines without Japanese fonts too, in the
    figures' font. (The IPA Font License allows embedding the font in documents.)"""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    import matplotlib_fontja

    chars = "".join(sorted({c for c in text if ord(c) > 127}))
    if not chars:
        return ""
    font = TTFont(Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf")
    subsetter = subset.Subsetter(subset.Options(notdef_outline=True))
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return ("@font-face { font-family: \"sim-ipaexg\"; "
            f"src: url(data:font/ttf;base64,{data}) format(\"truetype\"); "
            "unicode-range: U+0080-10FFFF; }\n")


def figure(draw: Callable, caption: str, height: float = 4.2, width: float = 10.0) -> str:
    """A figure drawn by ``draw(ax)`` as an inline PNG (at most the page's width)."""
    from matplotlib.figure import Figure

    from .. import plot  # noqa: F401  (sets the Japanese font before the Axes exist)

    fig = Figure(figsize=(width, height), layout="constrained")
    draw(fig.subplots())
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"<figure><img alt=\"{e(caption)}\" src=\"data:image/png;base64,{data}\">"
            f"<figcaption>{e(caption)}</figcaption></figure>")


Cell = str | tuple[str, str]  # a figure, or a figure and its interval (second line)


def table(headers: Sequence[str], rows: Sequence[tuple[str, Sequence[Cell]]],
          picked: str | None = None) -> str:
    """A table: ``headers`` (the first over the row names), rows of ``(name, cells)``; the row
    named ``picked`` highlighted."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = []
    for name, cells in rows:
        tds = "".join(f"<td>{e(c[0])}<br><small>{e(c[1])}</small></td>" if isinstance(c, tuple)
                      else f"<td>{e(c)}</td>" for c in cells)
        cls = ' class="pick"' if picked is not None and name == picked else ""
        body.append(f"<tr{cls}><th>{e(name)}</th>{tds}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def amount(value: float, yen: str, lang: str, round_to: int = 10_000) -> str:
    """An amount for a table cell; NaN as a dash."""
    if value is None or value != value:
        return "-"
    return yen_text(value, yen, lang, round_to)


def interval(row, stat: str, yen: str, lang: str) -> Cell:
    """``row[stat]`` with ``[lo - hi]`` from ``row[stat_lo]``, ``row[stat_hi]`` when present."""
    value = amount(row[stat], yen, lang)
    if f"{stat}_lo" not in row or row[f"{stat}_lo"] != row[f"{stat}_lo"]:
        return value
    return value, f"[{amount(row[f'{stat}_lo'], yen, lang)} – {amount(row[f'{stat}_hi'], yen, lang)}]"


def share(value: float) -> str:
    """A probability as a percentage: ``0.12%``, ``12.3%``."""
    if value != value:
        return "-"
    return f"{value:.2%}" if value < 0.01 else f"{value:.1%}"


def summary_ci(res):
    """``res.summary(ci=0.95)``, or without intervals for a run too short to bound its tail
    quantiles (the cells then show bare figures)."""
    from .._errors import InputError

    try:
        return res.summary(ci=0.95)
    except InputError:
        return res.summary()
