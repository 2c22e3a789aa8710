"""Event rates implied by quoted premiums: ``rate x E[paid per event] = loss ratio x premium``.

A diagnostic only (issue 16 replaces premium-backed rates with an independent frequency): the
rate that would make a quoted premium fit, given the simulated insured loss of one event and a
target loss ratio (``target_loss_ratio`` in ``sim/data/defaults.csv``, a modelling choice).
:mod:`sim.pricing` re-exports every name here.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import math

import pandas as pd

from ._errors import InputError, check_amount, check_choice, check_fraction, within
from .data import default
from .engine.runner import simulate_events
from .scenario import Scenario

LOSS_RATIO = float(default("target_loss_ratio"))  # sim/data/defaults.csv


def implied_event_rate(expected_paid_per_event: float, premium: float,
                       loss_ratio: float = LOSS_RATIO) -> float:
    """Events a year at which the expected paid loss is ``loss_ratio`` of the premium,
    :math:`\\lambda = LR \\cdot P / E[Y]`, with ``E[Y]`` the expected paid loss of one event
    (a scenario with frequency ``"one"``).

    With Poisson(λ) events and aggregate limits the expected annual paid loss is
    :math:`\\lambda E[Y] - O(\\lambda^2)`: the formula is first order in λ, exact for small
    rates, and understates the rate a little where aggregates often run out. The 50% loss
    ratio is a modelling choice.

    >>> implied_event_rate(2e7, premium=1e5, loss_ratio=0.5)
    0.0025
    """
    return (check_fraction("loss_ratio", loss_ratio) * check_amount("premium", premium)
            / check_amount("expected_paid_per_event", expected_paid_per_event, positive=True))


def implied_event_rates(res, premiums: Mapping[str, float], loss_ratio: float = LOSS_RATIO) -> pd.DataFrame:
    """:func:`implied_event_rate` for each policy, from a run with exactly one event a year.

    ``premiums`` are the premiums actually charged (e.g. the brochure figures as quoted).

    Returns
    -------
    DataFrame
        Indexed by ``policy``; columns ``premium``, ``expected_paid_per_event``, ``loss_ratio``,
        ``implied_rate`` (events a year) and ``implied_return_period_years`` (1 / rate).
    """
    freq = res.scenario.frequency
    if res.view != "per_event" and (freq is None or freq.kind != "one"):
        raise InputError("frequency", f"{getattr(freq, 'kind', None)!r} is not allowed; the "
                         "expected paid loss per event needs sim.simulate_events or kind = 'one'")
    rows = []
    for policy, premium in premiums.items():
        per_event = res.mean(policy, "paid")
        with within(f"premiums[{policy!r}]"):
            rate = implied_event_rate(per_event, premium, loss_ratio)
        rows.append({"policy": policy, "premium": float(premium), "expected_paid_per_event": per_event,
                     "loss_ratio": loss_ratio, "implied_rate": rate,
                     "implied_return_period_years": 1 / rate if rate else math.inf})
    return pd.DataFrame(rows).set_index("policy")


@dataclass(frozen=True)
class ImpliedRate:
    """An event rate backed out of a premium (:func:`event_rate_from_premium`).

    Attributes
    ----------
    policy : str
    premium, loss_ratio : float
    paid_per_event : float
        Mean insured loss of one event (simulated).
    rate : float
        Events per year.
    rel_se : float
        Relative standard error of ``rate`` from the simulation.
    """

    policy: str
    premium: float
    loss_ratio: float
    paid_per_event: float
    rate: float
    rel_se: float

    @property
    def return_period(self) -> float:
        """Years between events on average."""
        return math.inf if self.rate == 0 else 1 / self.rate


def event_rate_from_premium(scenario, policy: str, premium: float | None = None,
                            loss_ratio: float | None = None, n_events: int = 200_000,
                            seed: int = 1) -> ImpliedRate:
    """The annual event rate at which ``policy``'s expected insured loss is ``loss_ratio`` of
    ``premium``: :func:`implied_event_rates` on a run of ``scenario`` with exactly one event a
    year (also ``sim.calibration.event_rate_from_premium``).

    Parameters
    ----------
    scenario : Scenario
        With a loss model; its frequency is replaced by exactly one event a year.
    policy : str
        A policy of the scenario.
    premium : float, optional
        Annual premium (default: the scenario's premium for that policy).
    loss_ratio : float, optional
        Default: ``target_loss_ratio`` in ``sim/data/defaults.csv`` (a modelling choice).
    n_events, seed : int
        Simulated events (the result is reproducible for a given seed).

    Returns
    -------
    ImpliedRate
        ``rate`` is inf where the policy pays nothing per event.
    """
    if not isinstance(scenario, Scenario):
        raise InputError("scenario", f"a {type(scenario).__name__} is not a Scenario; expected "
                         "sim.load_scenario(path)")
    check_choice("policy", policy, [p.name for p in scenario.policies])
    if premium is None and policy not in scenario.premiums:
        raise InputError("premium", f"missing; {scenario.source} gives no premium for {policy!r}")
    premium = scenario.premiums[policy] if premium is None else premium
    check_amount("premium", premium, positive=True)
    loss_ratio = LOSS_RATIO if loss_ratio is None else loss_ratio
    check_fraction("loss_ratio", loss_ratio)
    res = simulate_events(scenario, n_events, seed)
    row = res.summary().loc[(policy, "paid")]
    paid = float(row["mean"])
    if paid == 0:
        return ImpliedRate(policy, premium, loss_ratio, paid, math.inf, math.inf)
    rate = float(implied_event_rates(res, {policy: premium}, loss_ratio).loc[policy, "implied_rate"])
    return ImpliedRate(policy, premium, loss_ratio, paid, rate, float(row["sem"] / paid))


def rate_comparison(scenario, loss_ratios=(0.3, 0.5, 0.7), n_events: int = 200_000,
                    seed: int = 1) -> pd.DataFrame:
    """The independent rate beside the rates the scenario's premiums would imply (a diagnostic:
    nothing is fitted to them).

    Parameters
    ----------
    scenario : Scenario
        With ``[frequency] defaults = "calibrated"`` and premiums for some policies.
    loss_ratios : sequence of float
        Expected loss as a share of premium, each in (0, 1]; 30-70% spans what a non-life
        insurer's line may run at (the 50% middle is a modelling choice).
    n_events, seed : int
        The run of single events that gives each policy's expected paid loss per event.

    Returns
    -------
    DataFrame
        Indexed by ``policy`` (those with a premium): ``premium``, ``paid_per_event``, the
        independent ``rate`` with its 90% interval (``rate_low``, ``rate_high``), and one
        column ``implied_<lr>`` per loss ratio, the premium-implied rate, with
        ``implied_<lr>_over_rate``.
    """
    if not isinstance(scenario, Scenario):
        raise InputError("scenario", f"a {type(scenario).__name__} is not a Scenario; expected "
                         "sim.load_scenario(path)")
    firm = scenario.firm_frequency
    if firm is None:
        raise InputError("frequency", f'{scenario.source} has no [frequency] defaults = "calibrated"; '
                         "the comparison needs the independent rate")
    if not scenario.premiums:
        raise InputError("premium", f"missing; {scenario.source} gives no premium to compare with")
    for i, lr in enumerate(loss_ratios):
        with within(f"loss_ratios[{i}]"):
            if check_fraction("", lr) == 0:
                raise InputError("", "0 is not allowed; expected a loss ratio > 0")
    res = simulate_events(scenario, n_events, seed)
    low, high = firm.rate_interval(0.9)
    rows = {}
    for policy, premium in scenario.premiums.items():
        per_event = res.mean(policy, "paid")
        row = {"premium": premium, "paid_per_event": per_event, "rate": firm.total,
               "rate_low": low, "rate_high": high}
        for lr in loss_ratios:
            implied = implied_event_rate(per_event, premium, lr) if per_event > 0 else math.inf
            row[f"implied_{lr:g}"] = implied
            row[f"implied_{lr:g}_over_rate"] = implied / firm.total
        rows[policy] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("policy")
