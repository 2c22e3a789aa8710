"""``sim run`` text output: the comparison table a risk manager reads first."""
from __future__ import annotations

from ._text import table
from .results import SimulationResult
from .yen import YenStyle, format_yen

COLUMNS = (("mean", "mean"), ("var_99", "VaR 99%"), ("var_99_5", "VaR 99.5%"),
           ("tvar_99", "TVaR 99%"), ("p_nonzero", "P(>0)"))


def run_report(res: SimulationResult, seconds: float, style: YenStyle = "ja") -> str:
    """Header, reference check and one table per measure (gross, paid, retained)."""
    scn = res.scenario
    lines = [f"# {scn.name}", f"  ({scn.source}) {res.n_years:,} years, seed {res.seed}, "
             f"{seconds:.1f} s ({res.n_years / max(seconds, 1e-9):,.0f} years/s)"]
    if scn.reference is not None:
        first = scn.policies[0].name
        pct = res.cdf(first, "gross", scn.reference.gross)
        lines.append(f"Reference {format_yen(scn.reference.gross, style)} ({scn.reference.source}) "
                     f"sits at the {pct:.1%} point of the simulated gross loss.")
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
    return format_yen(value, style, round_to=10_000 if style == "ja" else 1)  # 万円 in ja tables
