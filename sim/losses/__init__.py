"""Breach-event loss model: severities and frequencies in the user's terms, Numba samplers."""
from .distributions import (Discrete, Fixed, Gamma, LogNormal, LogNormalPareto, Pareto, Severity,
                            severity_from_dict)
from .frequency import Frequency, frequency_from_dict
from .model import LossModel, LossModelArrays
from .parts import Claimants, Cost, Reporting, Suits

__all__ = [
    "Claimants", "Cost", "Discrete", "Fixed", "Frequency", "Gamma", "LogNormal", "LogNormalPareto",
    "LossModel", "LossModelArrays", "Pareto", "Reporting", "Severity", "Suits", "frequency_from_dict",
    "severity_from_dict",
]
