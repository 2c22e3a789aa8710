"""Calibrated defaults from public Japanese data (tables in ``sim/data``; docs/model.md).

- :func:`fit_breach_size`: the breach-size distribution fitted to the 1,540 publicised incidents
  of 2006 and JNSA's mean people per incident;
- :func:`damages_for`, :func:`jo_per_person`: per-person damages by kind of data leaked, in the
  JNSA "everyone claims" view or the "actual litigation" (courts) view;
- :func:`claims_kwargs`, :func:`consolation_costs`: the claims part of the model (two-stage
  suits, fees on the amount claimed, consolation; ``uncertainty=False`` for the point view);
- :func:`calibrated_model`: the whole default loss model (``defaults = "calibrated"`` in a
  scenario's ``[model]``);
- :func:`event_rate_from_premium`: an annual event rate backed out of a quoted premium (it
  simulates, so it lives in :mod:`sim.pricing` beside ``implied_event_rates``; this name is kept).
"""
import importlib

from .breach_size import BreachSizeFit, default_breach_size, fit_breach_size
from .damages import (Damages, consolation_costs, damages_for, data_classes, jnsa_mix_award,
                      jo_mean_per_person, jo_per_person)
from .litigation import claims_kwargs
from .model import calibrated_model

__all__ = ["BreachSizeFit", "Damages", "ImpliedRate", "calibrated_model", "claims_kwargs",
           "consolation_costs", "damages_for", "jnsa_mix_award",
           "data_classes", "default_breach_size", "fit_breach_size", "event_rate_from_premium",
           "jo_mean_per_person", "jo_per_person"]


def __getattr__(name: str):
    """``event_rate_from_premium`` and ``ImpliedRate``, kept here by name: both run a simulation,
    which sits above calibration, so they are looked up in :mod:`sim.pricing` when first asked
    for rather than imported (an import would make calibration depend on the engine above it)."""
    if name in ("ImpliedRate", "event_rate_from_premium"):
        return getattr(importlib.import_module("sim.pricing"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
