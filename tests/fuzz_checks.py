"""Sanity checks for the fuzz test's results: a result that is not an error must be finite, with
gross >= paid >= 0, retained = gross - paid, VaR increasing in the level and TVaR >= VaR.

Expected values come from the inputs (``math.fsum`` of an event's losses, a closed-form mean),
never from the code under test.
"""
from __future__ import annotations

from dataclasses import dataclass
import json
import math
import re

import numpy as np

# The histogram reads a quantile within one bin: 1,024 bins per power of two (README, "Monte
# Carlo design"). Two readings of measures ordered year by year may cross by two bins at most.
BIN = 2.0 ** (1 / 1024) - 1
LEVELS = ("90", "95", "99", "99_5", "99_9")


@dataclass(frozen=True)
class Applied:
    """A deterministic result and its gross computed independently (``math.fsum`` of the losses)."""

    result: object
    gross: float | None = None


@dataclass(frozen=True)
class Expected:
    """A simulation result whose gross mean per year is known in closed form."""

    result: object
    gross_mean: float


@dataclass(frozen=True)
class CliRun:
    """What ``sim.cli.main(argv)`` did: exit status, stdout, stderr and the files it left."""

    rc: int
    out: str
    err: str
    files: tuple[str, ...] = ()
    min_files: int = 0



def problems_of(obj: object) -> list[str]:
    """What is wrong with a result; empty if it passes every check."""
    from sim.policy import Policy
    from sim.engine.results import SimulationResult

    if isinstance(obj, (list, tuple)):
        return [p for item in obj for p in problems_of(item)]
    if isinstance(obj, Applied):
        return _event_problems(obj.result, obj.gross)
    if isinstance(obj, Expected):
        found = obj.result.summary()
        problems = summary_problems(found)
        mean = float(found.xs("gross", level="measure")["mean"].iloc[0])
        if not math.isclose(mean, obj.gross_mean, rel_tol=1e-9):
            problems.append(f"gross mean {mean!r}, closed form {obj.gross_mean!r}")
        return problems
    if isinstance(obj, SimulationResult):
        return summary_problems(obj.summary())
    if isinstance(obj, Policy):
        return _policy_problems(obj)
    if isinstance(obj, CliRun):
        return _cli_problems(obj)
    if isinstance(obj, str):
        return text_problems(obj)
    if hasattr(obj, "by_section"):
        return _event_problems(obj, None)
    return [f"unexpected result {type(obj).__name__}"]


def _policy_problems(policy) -> list[str]:
    """A policy that was built must price an ordinary event sanely."""
    losses = {"damages": 5e7, "litigation": 4e6, "letters": 1.2e7, "consolation": 6e6,
              "investigation": 3e6}
    out = policy.apply(losses, victims=10_000, reported=True, cause="cyber_attack")
    return _event_problems(out, math.fsum(losses.values()))


def _event_problems(out, gross: float | None) -> list[str]:
    values = {"gross": out.gross, "paid": out.paid, "retained": out.retained,
              **{f"by_section[{k}]": v for k, v in out.by_section.items()}}
    bad = [f"{k} = {v!r}" for k, v in values.items() if not (math.isfinite(v) and v >= 0)]
    if bad:
        return ["not finite or negative: " + ", ".join(bad)]
    problems = []
    if out.paid > out.gross * (1 + 1e-12):
        problems.append(f"paid {out.paid!r} > gross {out.gross!r}")
    if abs(out.retained - (out.gross - out.paid)) > 1e-9 * out.gross + 1e-6:
        problems.append(f"retained {out.retained!r} != gross - paid")
    if abs(math.fsum(out.by_section.values()) - out.paid) > 1e-9 * out.gross + 1e-6:
        problems.append(f"sections sum to {math.fsum(out.by_section.values())!r}, paid {out.paid!r}")
    if gross is not None and not math.isclose(out.gross, gross, rel_tol=1e-12):
        problems.append(f"gross {out.gross!r}, sum of the losses {gross!r}")
    return problems


def summary_problems(frame) -> list[str]:
    """Checks on ``SimulationResult.summary()`` (or the same table read back from JSON)."""
    values = frame.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        r, c = np.argwhere(~np.isfinite(values))[0]
        return [f"{frame.index[r]} {frame.columns[c]} = {values[r, c]!r}"]
    problems = []
    for key, row in frame.iterrows():
        problems += [f"{key}: {p}" for p in _row_problems(row)]
    for policy in frame.index.get_level_values(0).unique():
        rows = frame.loc[policy]
        problems += [f"{policy}: {p}" for p in _policy_rows_problems(rows)]
    return problems


def _row_problems(row) -> list[str]:
    problems = [f"{k} = {v!r} < 0" for k, v in row.items() if v < 0]
    if row["p_nonzero"] > 1:
        problems.append(f"p_nonzero = {row['p_nonzero']!r} > 1")
    var = [row[f"var_{lv}"] for lv in LEVELS]
    tvar = [row[f"tvar_{lv}"] for lv in LEVELS]
    for i in range(1, len(LEVELS)):
        if var[i] < var[i - 1] * (1 - 1e-12):
            problems.append(f"var_{LEVELS[i]} {var[i]!r} < var_{LEVELS[i - 1]} {var[i - 1]!r}")
        if tvar[i] < tvar[i - 1] * (1 - 1e-12):
            problems.append(f"tvar_{LEVELS[i]} {tvar[i]!r} < tvar_{LEVELS[i - 1]} {tvar[i - 1]!r}")
    for lv, v, t in zip(LEVELS, var, tvar):
        if t < v * (1 - 1e-9):
            problems.append(f"tvar_{lv} {t!r} < var_{lv} {v!r}")
    return problems


def _policy_rows_problems(rows) -> list[str]:
    for name in ("gross", "paid", "retained"):
        if name not in rows.index:
            return [f"no {name} row"]
    g, p, r = rows.loc["gross"], rows.loc["paid"], rows.loc["retained"]
    problems = []
    if p["mean"] > g["mean"] * (1 + 1e-9):
        problems.append(f"mean paid {p['mean']!r} > mean gross {g['mean']!r}")
    if abs(r["mean"] - (g["mean"] - p["mean"])) > 1e-9 * g["mean"] + 1:
        problems.append(f"mean retained {r['mean']!r} != gross - paid {g['mean'] - p['mean']!r}")
    sections = [m for m in rows.index if m.startswith("paid:")]
    if sections and abs(rows.loc[sections, "mean"].sum() - p["mean"]) > 1e-9 * g["mean"] + 1:
        problems.append(f"section means sum to {rows.loc[sections, 'mean'].sum()!r}, paid {p['mean']!r}")
    for stat in [f"{k}_{lv}" for k in ("var", "tvar") for lv in LEVELS]:
        for name, x in (("paid", p), ("retained", r)):  # each year: paid, retained <= gross
            if x[stat] > g[stat] * (1 + 2 * BIN) + 1:
                problems.append(f"{name} {stat} {x[stat]!r} > gross {stat} {g[stat]!r}")
    return problems


# "inf" is not searched for: an unlimited term prints as "limit inf" in a policy's default name.
_NONFINITE = re.compile(r"(?<![A-Za-z_])nan(?![A-Za-z_])", re.IGNORECASE)


def text_problems(text: str) -> list[str]:
    """Printed output must not show NaN amounts."""
    m = _NONFINITE.search(text)
    return [f"printed {m.group(0)!r}: ...{text[max(0, m.start() - 80):m.end() + 20]!r}"] if m else []


def _cli_problems(run: CliRun) -> list[str]:
    import pandas as pd

    if "Traceback" in run.err:
        return ["traceback on stderr with exit status 0"]
    problems = text_problems(run.out)
    for line in run.out.splitlines():
        if line.startswith("{"):
            doc = json.loads(line)
            frame = pd.DataFrame(doc["summary"]).set_index(["policy", "measure"])
            problems += summary_problems(frame)
    outputs = [f for f in run.files if f.endswith((".csv", ".html"))]
    if len(outputs) < run.min_files:
        problems.append(f"expected {run.min_files} result files, found {list(run.files)}")
    return problems
