"""Coverage comparison: every policy of a run side by side, on the same simulated years.

Every policy of a scenario is applied to the same simulated events in one kernel pass (common
random numbers), so differences between rows are differences between covers, not noise between
separate simulations.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
import math

import numpy as np
import pandas as pd

from ._errors import InputError, check_amount, check_choice, check_fraction

CRITERIA = ("capital", "cheapest_under")
COC_RATE = 0.10  # cost of capital for ranking (a modelling choice)


def compare(res, premiums: Mapping[str, float] | None = None, rank_by: str | None = None,
            coc_rate: float = COC_RATE, max_retained_var_99: float | None = None) -> pd.DataFrame:
    """One row per policy: what it pays, what is left, its tail, its price and its value.

    Parameters
    ----------
    res : SimulationResult
    premiums : mapping policy -> annual premium (yen), optional
        Default: the scenario's own premiums (``premium`` in its ``[[policies]]``).
    rank_by : {"capital", "cheapest_under"}, optional
        ``"capital"``: rank by premium + ``coc_rate`` x retained TVaR 99% (the cost of holding
        capital against what the insured keeps; lowest first). ``"cheapest_under"``: the
        cheapest policies whose retained VaR 99% is at most ``max_retained_var_99``, by
        premium; the others are not ranked.
    coc_rate : float
        Cost of capital for ``"capital"`` (10% by default, a modelling choice).
    max_retained_var_99 : float, optional
        The 1-in-100 retained loss the insured can bear, for ``"cheapest_under"``.

    Returns
    -------
    DataFrame
        Indexed by policy (in the scenario's order): ``expected_paid``, ``expected_retained``,
        ``retained_var_99``, ``retained_var_99_5``, ``retained_tvar_99``, ``retained_tvar_99_5``,
        ``p_limit_exhausted`` (the largest probability that one of its limits runs out in a
        year; ``res.limits()`` has each one), and with premiums ``premium``,
        ``var_99_reduction_per_man`` and ``tvar_99_reduction_per_man`` (retained 1-in-100
        loss, and retained TVaR 99% for rare losses the 1-in-100 loss misses, removed per extra
        1万円 of premium against the next cheaper policy) and, when ranked, ``score`` and
        ``rank``.

    Examples
    --------
    >>> import sim
    >>> res = sim.simulate(sim.load_scenario("scenarios/jcci_restaurant_5000man_A.toml"), 20_000, 1)
    >>> compare(res, rank_by="capital").columns[-2:].tolist()
    ['score', 'rank']
    """
    summary = res.summary()
    names = [p.name for p in res.scenario.policies]
    frame = pd.DataFrame(index=pd.Index(names, name="policy"))
    paid = summary.xs("paid", level="measure")
    retained = summary.xs("retained", level="measure")
    frame["expected_paid"] = paid.loc[names, "mean"]
    frame["expected_retained"] = retained.loc[names, "mean"]
    for col in ("var_99", "var_99_5", "tvar_99", "tvar_99_5"):
        frame[f"retained_{col}"] = retained.loc[names, col]
    exhausted = res.limits()["p_aggregate_exhausted"].groupby(level="policy").max()
    frame["p_limit_exhausted"] = exhausted.loc[names]
    premiums = dict(res.scenario.premiums if premiums is None else premiums)
    if premiums:
        _add_premiums(frame, premiums)
    if rank_by is not None:
        _rank(frame, rank_by, coc_rate, max_retained_var_99)
    return frame


def check_premiums(policies: Sequence[str], premiums: Mapping[str, float]) -> list[float]:
    """One premium per policy (yen, >= 0), in the order of ``policies``."""
    missing = [p for p in policies if p not in premiums]
    unknown = [p for p in premiums if p not in policies]
    if missing or unknown:
        raise InputError("premiums", f"need one premium per policy; missing {missing}, "
                         f"unknown {unknown}")
    return [check_amount(f"premiums[{p!r}]", premiums[p]) for p in policies]


def _add_premiums(frame: pd.DataFrame, premiums: Mapping[str, float]) -> None:
    frame["premium"] = check_premiums(list(frame.index), premiums)
    order = frame.sort_values(["premium", "retained_var_99"], ascending=[True, False]).index
    for stat in ("var_99", "tvar_99"):
        value = pd.Series(0.0, index=frame.index)
        for cheaper, dearer in zip(order[:-1], order[1:]):
            extra = (frame.at[dearer, "premium"] - frame.at[cheaper, "premium"]) / 10_000
            removed = frame.at[cheaper, f"retained_{stat}"] - frame.at[dearer, f"retained_{stat}"]
            value[dearer] = removed / extra if extra > 0 else (math.inf if removed > 0 else 0.0)
        frame[f"{stat}_reduction_per_man"] = value


def _rank(frame: pd.DataFrame, rank_by: str, coc_rate: float,
          max_retained_var_99: float | None) -> None:
    check_choice("rank_by", rank_by, CRITERIA)
    if "premium" not in frame:
        raise InputError("premiums", "ranking needs a premium per policy")
    if rank_by == "capital":
        check_fraction("coc_rate", coc_rate)
        frame["score"] = frame["premium"] + coc_rate * frame["retained_tvar_99"]
        frame["rank"] = frame["score"].rank(method="min").astype(int)
        return
    if max_retained_var_99 is None:
        raise InputError("max_retained_var_99", "missing; 'cheapest_under' needs the bearable "
                         "retained 1-in-100 loss")
    bearable = check_amount("max_retained_var_99", max_retained_var_99)
    ok = frame["retained_var_99"] <= bearable
    frame["score"] = frame["premium"]
    ranks = frame.loc[ok, "premium"].rank(method="min")
    frame["rank"] = pd.array([int(ranks[p]) if p in ranks else pd.NA for p in frame.index],
                             dtype="Int64")


def best(frame: pd.DataFrame) -> str | None:
    """The policy ranked first by :func:`compare` (None if none qualifies)."""
    ranked = frame["rank"].dropna()
    return None if ranked.empty else str(ranked.astype(np.int64).idxmin())
