"""``sim run`` text output: the comparison table a risk manager reads first."""
from __future__ import annotations

from collections.abc import Sequence
import math

from ._text import table
from .engine.results import SimulationResult
from .yen import YenStyle, format_yen, table_yen

COLUMNS = (("mean", "mean"), ("var_99", "VaR 99%"), ("var_99_5", "VaR 99.5%"),
           ("tvar_99", "TVaR 99%"), ("p_nonzero", "P(>0)"))


def run_report(res: SimulationResult, seconds: float, style: YenStyle = "ja") -> str:
    """Header, reference check and one table per measure (gross, paid, retained)."""
    scn = res.scenario
    lines = [f"# {scn.name}", f"  ({scn.source}) {res.n_years:,} years, seed {res.seed}, "
             f"{seconds:.1f} s ({res.n_years / max(seconds, 1e-9):,.0f} years/s)"]
    for ref in scn.references:
        lines.append(f"Reference {format_yen(ref.gross, style)} ({ref.source}) sits at the "
                     f"{percentile_text(res, ref.gross)} point of the simulated gross loss.")
    summary = res.summary()
    for measure in ("gross", "paid", "retained"):
        part = summary.xs(measure, level="measure")
        if measure == "gross":
            part = part.iloc[:1].rename(index=lambda _: "(all policies)")
        rows = [[name, *[_cell(row[c], c, style) for c, _ in COLUMNS]] for name, row in part.iterrows()]
        lines += ["", f"## {measure} loss per policy year",
                  table(("policy", *[h for _, h in COLUMNS]), rows)]
    return "\n".join(lines) + "\n"


def _cell(value: float, column: str, style: YenStyle) -> str:
    if column == "p_nonzero":
        return f"{value:.1%}"
    return table_yen(value, style)


def percentile_text(res: SimulationResult, amount: float) -> str:
    """Where ``amount`` falls in the simulated gross loss, e.g. ``51.8%``, ``>99.999%``."""
    p = res.cdf(res.scenario.policies[0].name, "gross", amount)
    floor = 1 / res.n_years
    if p >= 1 - floor / 2:
        return f">{1 - floor:.{_digits(floor)}%}"
    if p <= floor / 2:
        return f"<{floor:.{_digits(floor)}%}"
    return f"{p:.3%}" if min(p, 1 - p) < 0.001 else f"{p:.1%}"


def _digits(floor: float) -> int:
    return max(1, round(-math.log10(floor)) - 2)


SIDE_ROWS = (("mean", "mean"), ("var_50", "median"), ("var_90", "VaR 90%"), ("var_99", "VaR 99%"),
             ("tvar_99", "TVaR 99%"))


def side_by_side(results: Sequence[SimulationResult], style: YenStyle = "ja") -> str:
    """Several views of the same leak next to each other: gross loss statistics, where every
    published reference total falls under each view, and the paid and retained means of the
    policies they share."""
    heads = ["", *[_short(r.scenario.name) for r in results]]
    summaries = [r.summary() for r in results]
    rows = []
    for key, label in SIDE_ROWS:
        rows.append([f"gross {label}", *[_cell(_gross(r, s, key), key, style)
                                         for r, s in zip(results, summaries)]])
    for gross in sorted({ref.gross for r in results for ref in r.scenario.references}):
        rows.append([f"{format_yen(gross, style)} at", *[percentile_text(r, gross) for r in results]])
    for name in _shared_policies(results):
        for measure in ("paid", "retained"):
            rows.append([f"{name} {measure} mean", *[
                _cell(s.loc[(name, measure), "mean"], "mean", style) if name in s.index else "-"
                for s in summaries]])
    legend = [f"  {h}: {r.scenario.source}" for h, r in zip(heads[1:], results)]
    return "\n".join(["## Side by side (gross loss per policy year; same seed and years)",
                      table(heads, rows), *legend]) + "\n"


def _shared_policies(results: Sequence[SimulationResult]) -> list[str]:
    """Policy names found in two or more of the results, in first-seen order."""
    names = [p.name for r in results for p in r.scenario.policies]
    return [n for n in dict.fromkeys(names) if names.count(n) > 1]


def _gross(res: SimulationResult, summary, key: str) -> float:
    if key == "var_50":
        return res.quantile(res.scenario.policies[0].name, "gross", 0.5)
    return summary.iloc[0][key]


def _short(name: str) -> str:
    return name.split(":")[0]
