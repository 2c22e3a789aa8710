"""Calibration tables shipped with the package, each with its source in the file's header."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
import io

import numpy as np
import pandas as pd


def read_table(name: str) -> pd.DataFrame:
    """A CSV table of ``sim/data`` (``#`` lines are its source notes)."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text), comment="#")


@lru_cache(maxsize=None)
def _fee_tiers() -> tuple[np.ndarray, float]:
    table = read_table("jfba_fee_tiers.csv")
    columns = ["lower", "upper", "retainer_rate", "retainer_fixed", "success_rate", "success_fixed"]
    return table[columns].to_numpy(dtype=np.float64), float(table["retainer_minimum"].iloc[0])


def jfba_fee_tiers() -> tuple[np.ndarray, float]:
    """Old JFBA fee tiers as an ``(n_tiers, 6)`` array and the minimum retainer (yen)."""
    tiers, minimum = _fee_tiers()
    return tiers.copy(), minimum
