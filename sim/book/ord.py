"""The book's results as Open Results Data (ORD) style tables, the layout OasisLMF's users know.

Column names follow OasisLMF's output writers (``oasislmf/pytools``: ``EPT_output`` = SummaryId,
EPCalc, EPType, ReturnPeriod, Loss; ``MELT_output`` = EventId, SummaryId, SampleType, EventRate,
ChanceOfLoss, MeanLoss, SDLoss, MaxLoss, FootprintExposure, MeanImpactedExposure,
MaxImpactedExposure; the PLT's Period, PeriodWeight; the ALT's SummaryId, SampleType, MeanLoss,
SDLoss) and their codes (EPCalc 2 = full uncertainty; EPType 1 OEP, 2 OEP TVaR, 3 AEP, 4 AEP
TVaR). Perspectives as Oasis names its files: ``gul`` (ground up: the members' own losses),
``il`` (insured: what the policies pay, the book's gross) and ``ri`` (net of reinsurance).
SummaryId 1 is the whole book.

Differences from ORD, because the book streams its years into tallies: event-level tables (SELT,
and the PLT by event) need ``keep_events=True`` and cover the insured loss; without it the PLT
is one row per kept year (``keep_years=True``), the year's sum. An "event" is an occurrence: a
member's own incident (EventId 0) or one common-cause event over every member it hit (EventId =
the catalogue's ``event_id``). The MELT has one row per EventId. Exposure columns are left empty
(not tracked).
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import InputError

RETURN_PERIODS = (2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000)
FULL = 2                               # EPCalc: full uncertainty (every simulated year a sample)
OEP, OEP_TVAR, AEP, AEP_TVAR = 1, 2, 3, 4
SAMPLE = 2                             # SampleType of figures from the simulated years
PERSPECTIVES = {"gul": ("ground_up", "ground_up_occurrence"), "il": ("gross", "gross_occurrence"),
                "ri": ("net", None)}


def _periods(extra) -> list[float]:
    periods = set(RETURN_PERIODS)
    for t in extra or ():
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not t >= 1:
            raise InputError("return_periods", f"{t!r} is not allowed; expected return periods in years >= 1")
        periods.add(float(t))
    return sorted(periods)


def ept(result, perspective: str = "il", return_periods=None) -> pd.DataFrame:
    """EP table of a perspective: AEP and OEP losses and their TVaRs at the market-standard
    return periods 2 to 10,000 years plus ``return_periods``; periods longer than the run are
    left out (not readable from it). ``ri`` has no OEP (net occurrences are not tallied)."""
    if perspective not in PERSPECTIVES:
        raise InputError("perspective", f"{perspective!r} is not allowed; allowed values: {', '.join(PERSPECTIVES)}")
    periods = [t for t in _periods(return_periods) if t <= result.n_years]
    annual, occurrence = PERSPECTIVES[perspective]
    rows = []
    for measure, loss_type, tvar_type in ((occurrence, OEP, OEP_TVAR), (annual, AEP, AEP_TVAR)):
        if measure is None:
            continue
        loss, tail = result.exceedance(measure, periods), result.tail_mean(measure, periods)
        rows += [(1, FULL, loss_type, t, x) for t, x in zip(periods, loss)]
        rows += [(1, FULL, tvar_type, t, x) for t, x in zip(periods, tail)]
    frame = pd.DataFrame(rows, columns=["SummaryId", "EPCalc", "EPType", "ReturnPeriod", "Loss"])
    return frame.sort_values(["SummaryId", "EPCalc", "EPType", "ReturnPeriod"], ascending=[True, True, True, False],
                             ignore_index=True)


def alt(result, perspective: str = "il") -> pd.DataFrame:
    """Average loss table: the book's mean annual loss and its standard deviation."""
    mean, std = result.moments()
    from .block import SLOTS

    i = SLOTS.index(PERSPECTIVES[perspective][0])
    return pd.DataFrame({"SummaryId": [1], "SampleType": [SAMPLE], "MeanLoss": [mean[i]], "SDLoss": [std[i]]})


def melt(result) -> pd.DataFrame:
    """Moment event loss table of the insured loss (il): per common-cause event, its occurrences
    a year that hit a member, and the mean, sd and largest book loss of one occurrence; EventId 0:
    the members' own events, one row for all of them (rate = events a year)."""
    cat = result.compiled.catalogue
    ids = [0] + [int(x) for x in cat.events["event_id"]]
    count, total, square, largest = result.event_stats.T
    mean = np.divide(total, count, out=np.zeros_like(total), where=count > 0)
    var = np.divide(square - count * mean ** 2, count - 1, out=np.zeros_like(total), where=count > 1)
    positive = np.maximum(var, 0.0)
    return pd.DataFrame({"EventId": ids, "SummaryId": 1, "SampleType": SAMPLE,
                         "EventRate": count / result.n_years, "ChanceOfLoss": 1.0, "MeanLoss": mean,
                         "SDLoss": np.sqrt(positive), "MaxLoss": largest, "FootprintExposure": np.nan,
                         "MeanImpactedExposure": np.nan, "MaxImpactedExposure": np.nan})


def selt(result) -> pd.DataFrame:
    """Sample event loss table of the insured loss (``simulate_book(keep_events=True)``): one row
    per occurrence with a loss; every simulated year is a sample of the one event set, so
    ``SampleId`` is the year (1-based); EventId: the catalogue's ``event_id``, 0 for a member's own
    event; ImpactedExposure not tracked."""
    events = _events(result)
    return pd.DataFrame({"EventId": events[1].astype(np.int64), "SummaryId": 1,
                         "SampleId": events[0].astype(np.int64) + 1, "Loss": events[2],
                         "ImpactedExposure": np.nan})


def _events(result) -> np.ndarray:
    if result.events is None:
        raise InputError("keep_events", "the event tables need the events: simulate_book(..., keep_events=True)")
    return result.events


def plt(result, perspective: str = "il") -> pd.DataFrame:
    """Period loss table. With ``keep_events`` (insured loss only): ORD's sample PLT, one row per
    occurrence with a loss (Period = year, 1-based; EventId as in :func:`selt`). Else from the
    kept years (``keep_years``): one row per year with a loss, its sum."""
    if result.events is not None and perspective == "il":
        e = result.events
        return pd.DataFrame({"Period": e[0].astype(np.int64) + 1, "PeriodWeight": 1.0 / result.n_years,
                             "EventId": e[1].astype(np.int64), "SummaryId": 1, "SampleId": 1, "Loss": e[2]})
    if result.years is None:
        raise InputError("keep_years", "the period loss table needs the years: simulate_book(..., keep_years=True)")
    from .block import SLOTS

    loss = result.years[:, SLOTS.index(PERSPECTIVES[perspective][0])]
    years = np.flatnonzero(loss > 0)
    return pd.DataFrame({"Period": years + 1, "PeriodWeight": 1.0 / result.n_years, "SummaryId": 1,
                         "Loss": loss[years]})


def write_ord(result, directory: str | os.PathLike, return_periods=None, fmt: str = "csv") -> list[Path]:
    """Write ``<perspective>_S1_{ept,alt[,plt]}`` for gul, il and ri and ``il_S1_melt`` as CSV
    (``fmt="csv"``) or Parquet (``fmt="parquet"``, needs pyarrow); returns the paths."""
    if fmt not in ("csv", "parquet"):
        raise InputError("fmt", f"{fmt!r} is not allowed; allowed values: 'csv', 'parquet'")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError("fmt", "'parquet' needs pyarrow, which is not installed; use fmt='csv'") from None
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    tables = {"il_S1_melt": melt(result)}
    if result.events is not None:
        tables["il_S1_selt"] = selt(result)
    for p in PERSPECTIVES:
        tables[f"{p}_S1_ept"] = ept(result, p, return_periods)
        tables[f"{p}_S1_alt"] = alt(result, p)
        if result.years is not None or (p == "il" and result.events is not None):
            tables[f"{p}_S1_plt"] = plt(result, p)
    paths = []
    for name, frame in tables.items():
        path = out / f"{name}.{fmt}"
        frame.to_csv(path, index=False) if fmt == "csv" else frame.to_parquet(path, index=False)
        paths.append(path)
    return paths
