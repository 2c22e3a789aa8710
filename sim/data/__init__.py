"""Calibration tables shipped with the package, each with its source in the file's header."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
import io

import numpy as np
import pandas as pd

from .._dtypes import records
from .._errors import check_choice


def read_table(name: str) -> pd.DataFrame:
    """A CSV table of ``sim/data`` (``#`` lines are its source notes)."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text), comment="#")


@lru_cache(maxsize=1)
def _defaults() -> pd.DataFrame:
    return read_table("defaults.csv").set_index("name")


def default(name: str) -> float | str:
    """A modelling-choice default of ``sim/data/defaults.csv`` (a number, or a level's name)."""
    check_choice("name", name, tuple(_defaults().index))
    value = _defaults().loc[name, "value"]
    try:
        return float(value)
    except ValueError:
        return str(value)


FEE_TIER_DTYPE = np.dtype([(name, np.float64) for name in (
    "lower", "upper", "retainer_rate", "retainer_fixed", "success_rate", "success_fixed")])
"""One tier of the old JFBA fees: on a benefit ``x`` up to ``upper`` yen, the retainer is
``retainer_rate x + retainer_fixed`` (at least the minimum) and the success fee
``success_rate x + success_fixed``."""


@lru_cache(maxsize=None)
def _fee_tiers() -> tuple[np.ndarray, float]:
    table = read_table("jfba_fee_tiers.csv")
    tiers = np.zeros(len(table), dtype=FEE_TIER_DTYPE)
    for name in FEE_TIER_DTYPE.names:
        tiers[name] = table[name].to_numpy(dtype=np.float64)
    return records(tiers), float(table["retainer_minimum"].iloc[0])


def jfba_fee_table() -> tuple[np.ndarray, float]:
    """Old JFBA fee tiers as ``(n_tiers,)`` records of :data:`FEE_TIER_DTYPE` and the minimum
    retainer (yen)."""
    tiers, minimum = _fee_tiers()
    return tiers.copy(), minimum


def jfba_fee_tiers() -> tuple[np.ndarray, float]:
    """Old JFBA fee tiers as an ``(n_tiers, 6)`` array, columns in the order of the fields of
    :data:`FEE_TIER_DTYPE`, and the minimum retainer (yen)."""
    tiers, minimum = _fee_tiers()
    return np.array(tiers.tolist(), dtype=np.float64).reshape(-1, len(FEE_TIER_DTYPE)), minimum
