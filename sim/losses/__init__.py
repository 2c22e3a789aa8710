"""Breach-event loss model: severities and frequencies in the user's terms, Numba samplers."""
from .distributions import (Fixed, Gamma, LogNormal, LogNormalPareto, Pareto, Severity,
                            severity_from_dict)
from .frequency import Frequency, frequency_from_dict
from .model import Claimants, Cost, LossModel, LossModelArrays, Reporting

__all__ = [
    "Claimants", "Cost", "Fixed", "Frequency", "Gamma", "LogNormal", "LogNormalPareto",
    "LossModel", "LossModelArrays", "Pareto", "Reporting", "Severity", "frequency_from_dict",
    "severity_from_dict",
]
