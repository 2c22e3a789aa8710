"""``res.to_excel``: a result as a workbook for people who read it in Excel, amounts in 万円,
with the run's metadata on a sheet of its own. Needs openpyxl (the optional ``excel`` extra)."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .._errors import InputError
from .._output import write_atomic
from .._styling import yen_columns

MAN = 10_000  # yen in one 万円
EXTRA_HINT = "pip install 'breach-sim[excel]' (or pip install openpyxl)"


def in_man_yen(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its yen columns (:func:`sim._styling.yen_columns`) divided by 10,000 and
    renamed ``<column> (万円)``."""
    out = frame.copy()
    yen = yen_columns(frame)
    for col in yen:
        out[col] = frame[col] / MAN
    return out.rename(columns={c: f"{c} (万円)" for c in yen})


def write_excel(res, path: str | os.PathLike, ci: float = 0.95) -> Path:
    """Write ``res`` to the ``.xlsx`` file ``path`` (see :meth:`SimulationResult.to_excel`)."""
    if not isinstance(path, (str, os.PathLike)) or Path(path).suffix.lower() != ".xlsx":
        raise InputError("path", f"{path!r}: expected a file name ending in .xlsx")
    try:
        import openpyxl  # noqa: F401  (pandas' engine for .xlsx)
    except ImportError:
        raise ImportError(f"res.to_excel needs openpyxl, the optional 'excel' extra of "
                          f"breach-sim: {EXTRA_HINT}") from None
    meta = res.metadata()
    sheets = {"summary": in_man_yen(res.summary(ci)),
              "by_section": in_man_yen(res.expected_by_section(ci))}
    if res.components:
        sheets["by_component"] = in_man_yen(res.expected_by_component(ci))
    for kind in ("aep", "oep"):
        sheets[kind] = in_man_yen(res.ep_curve(kind))
    sheets["metadata"] = pd.DataFrame({"value": [str(v) for v in {**meta, "ci": ci,
                                                                   "amounts": "万円"}.values()]},
                                      index=pd.Index([*meta, "ci", "amounts"], name="key"))

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                frame.to_excel(writer, sheet_name=name)

    return write_atomic(Path(path), write)
