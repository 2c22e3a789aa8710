"""Annual event rates backed out of quoted premiums.

No firm-level frequency of data breaches is published. A quoted premium bounds it: with a loss
ratio ``LR`` (the share of premium expected to be paid out; a modelling choice, 50% by default,
``sim/data/defaults.csv``), ``rate x E[paid per event] = LR x premium``. ``E[paid per event]``
is simulated with exactly one event a year; with a Poisson frequency and annual aggregate limits
the relation is first order in the rate, which is exact enough for rates of a few percent.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
import math

from .._errors import InputError, check_amount, check_choice, check_fraction
from ..losses import Frequency
from .model import default


@dataclass(frozen=True)
class ImpliedRate:
    """An event rate backed out of a premium.

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
    ``premium``.

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
    """
    from ..pricing import implied_event_rate
    from ..runner import simulate
    from ..scenario import Scenario

    if not isinstance(scenario, Scenario):
        raise InputError("scenario", f"a {type(scenario).__name__} is not a Scenario; expected "
                         "sim.load_scenario(path)")
    check_choice("policy", policy, [p.name for p in scenario.policies])
    if premium is None and policy not in scenario.premiums:
        raise InputError("premium", f"missing; {scenario.source} gives no premium for {policy!r}")
    premium = scenario.premiums[policy] if premium is None else premium
    check_amount("premium", premium, positive=True)
    loss_ratio = float(default("target_loss_ratio")) if loss_ratio is None else loss_ratio
    check_fraction("loss_ratio", loss_ratio)
    one_a_year = replace(scenario, frequency=Frequency.one())
    row = simulate(one_a_year, n_years=n_events, seed=seed).summary().loc[(policy, "paid")]
    paid = float(row["mean"])
    rate = math.inf if paid == 0 else implied_event_rate(paid, premium, loss_ratio)
    rel_se = float(row["sem"] / paid) if paid else math.inf
    return ImpliedRate(policy, premium, loss_ratio, paid, rate, rel_se)
