"""The calibrated loss model against published facts, fitted and held out.

``python -m sim.calibration.validate`` prints the table (Markdown) that ``docs/model.md``
holds: one row per fact of ``sim/data/validation_facts.csv``, with the model's figure (from
:mod:`sim.calibration.validation_quantities`), the score (model / fact, or the fact's
percentile in the model's distribution), whether the fact was used to choose a parameter
("fitted") or only to check the model ("held out"), the band accepted, and whether the score
lies inside it. A fact the model cannot compute yet prints "not modelled".
"""
from __future__ import annotations

import math

import pandas as pd

from ..data import read_table
from .validation_quantities import QUANTITIES

FACTS_TABLE = "validation_facts.csv"
USES = ("fitted", "held_out")
MEASURES = ("ratio", "percentile", "probability")
INT_PARAMS = ("n",)
TEXT_PARAMS = ("base", "cause", "causes", "components", "data", "incident")


def parse_params(text: object) -> dict[str, object]:
    """``"lower=1;upper=10"`` -> ``{"lower": 1.0, "upper": 10.0}`` (``n`` a whole number;
    names, causes, data classes and incident kinds stay text)."""
    if not isinstance(text, str) or not text.strip():
        return {}
    params: dict[str, object] = {}
    for item in text.split(";"):
        key, _, value = item.partition("=")
        key = key.strip()
        if key in TEXT_PARAMS:
            params[key] = value.strip()
        elif key in INT_PARAMS:
            params[key] = int(value)
        else:
            params[key] = float(value)
    return params


def facts() -> pd.DataFrame:
    """The facts table, checked: known quantities, uses and measures, bands low <= high."""
    table = read_table(FACTS_TABLE)
    bad = {"quantity": set(table["quantity"]) - set(QUANTITIES),
           "use": set(table["use"]) - set(USES), "measure": set(table["measure"]) - set(MEASURES)}
    for column, values in bad.items():
        if values:
            raise ValueError(f"{FACTS_TABLE}: unknown {column} {sorted(values)}")
    if table["id"].duplicated().any():
        raise ValueError(f"{FACTS_TABLE}: duplicate ids {sorted(table['id'][table['id'].duplicated()])}")
    if not (table["band_low"] <= table["band_high"]).all():
        raise ValueError(f"{FACTS_TABLE}: a band with band_low > band_high")
    return table


def score(measure: str, fact: float, model: float, percentile: float) -> float:
    """What the band applies to: ``model / fact``, the fact's percentile, or the model's
    probability of the fact's outcome (e.g. of a suit where none was found)."""
    if measure == "ratio":
        return model / fact
    return percentile if measure == "percentile" else model


def validation_table() -> pd.DataFrame:
    """Every fact with the model's figure and its verdict.

    Returns
    -------
    DataFrame
        Indexed by fact ``id``: ``fact``, ``value``, ``unit``, ``source``, ``year``, ``url``,
        ``use``, ``measure``, ``model`` (the model's figure; nan: not modelled), ``se`` (its
        Monte Carlo standard error), ``percentile`` (the fact's, where computed), ``score``
        (model / fact, or the percentile), ``band_low``, ``band_high``, ``inside`` (bool;
        False when not modelled) and ``modelled``.
    """
    rows = []
    for row in facts().itertuples(index=False):
        fig = QUANTITIES[row.quantity](float(row.value), **parse_params(row.params))
        s = score(row.measure, float(row.value), fig.value, fig.percentile)
        modelled = not math.isnan(fig.value)
        rows.append(dict(id=row.id, fact=row.fact, value=float(row.value), unit=row.unit,
                         source=row.source, year=row.year, url=row.url, use=row.use,
                         measure=row.measure, model=fig.value, se=fig.se,
                         percentile=fig.percentile, score=s, band_low=float(row.band_low),
                         band_high=float(row.band_high), modelled=modelled,
                         inside=bool(modelled and row.band_low <= s <= row.band_high)))
    return pd.DataFrame(rows).set_index("id")


def _number(x: float) -> str:
    if math.isnan(x):
        return "not modelled"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


_PREFIX = {"percentile": "pct", "probability": "P"}


def _score_text(row) -> str:
    if not row.modelled:
        return "-"
    return f"{row.score:.2f}" if row.measure == "ratio" else f"{_PREFIX[row.measure]} {row.score:.2f}"


def _band_text(row) -> str:
    band = f"[{row.band_low:.2g}, {row.band_high:.2g}]"
    return band if row.measure == "ratio" else f"{_PREFIX[row.measure]} {band}"


def markdown(table: pd.DataFrame) -> str:
    """The table as Markdown: fact | source | model | ratio | use | band | inside?"""
    lines = ["| fact | source | model | ratio | use | band | inside? |",
             "|---|---|---|---|---|---|---|"]
    for row in table.itertuples():
        fact = f"{row.fact}: {_number(row.value)} {row.unit}"
        source = f"[{row.source}, {row.year}]({row.url})".replace("|", "/")
        model = _number(row.model)
        if row.modelled and row.measure == "ratio":
            model += f" (se {row.se:.2g})"
            if not math.isnan(row.percentile):
                model += f"; fact at pct {row.percentile:.2f}"
        elif row.modelled and row.measure == "percentile":  # the statistic's median
            model = f"median {model} (pct se {row.se:.2g})"
        elif row.modelled:
            model = f"P {model} (se {row.se:.2g})"
        inside = "yes" if row.inside else ("-" if not row.modelled else "NO")
        lines.append("| " + " | ".join([fact.replace("|", "/"), source, model, _score_text(row),
                                        row.use.replace("_", " "), _band_text(row), inside])
                     + " |")
    return "\n".join(lines)


def summary(table: pd.DataFrame) -> str:
    """How many held-out facts are modelled and inside their bands."""
    held = table[table["use"] == "held_out"]
    modelled = held[held["modelled"]]
    return (f"{len(table)} facts ({len(held)} held out, {len(table) - len(held)} fitted); "
            f"held out: {int(modelled['inside'].sum())} of {len(modelled)} modelled inside "
            f"their bands, {len(held) - len(modelled)} not modelled")


def main() -> None:
    """Print the validation table and the count of held-out facts inside their bands."""
    result = validation_table()
    print(markdown(result))
    print()
    print(summary(result))


if __name__ == "__main__":
    main()
