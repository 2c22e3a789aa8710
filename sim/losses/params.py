"""The loss model as the samplers read it, each layout defined once and read by name.

- severity codes (a severity is a code and four floats, ``Severity.params``);
- :class:`Scalars`, the model's scalar parameters: a NamedTuple of floats, which the Numba
  samplers read by attribute (``s.records_held``);
- :class:`ClaimColumns`, the loss columns the claimants model writes;
- :data:`FREQUENCY_DTYPE`, the yearly event count; :data:`COST_DTYPE`, one record per response cost, and the JFBA fee tiers
  (:data:`sim.data.FEE_TIER_DTYPE`), read by field name (``cost.probability``).

Adding a loss-model parameter: a field of :class:`Scalars` (or of a dtype), the value in
:func:`sim.losses.model.compile_model` (a keyword argument, so a missing one is an error), and
its use in :mod:`sim.losses.sampling`. A leaf module: distributions, model and sampling read it.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._dtypes import FLOAT, INT
from ..data import FEE_TIER_DTYPE

# Severity codes understood by ``sampling.sample_severity``; params are (p0, p1, p2, p3).
FIXED, LOGNORMAL, GAMMA, PARETO, LOGNORMAL_PARETO, DISCRETE = range(6)
NO_SEVERITY = -1  # no personal records: no breach size
# DISCRETE is read from a table of (value, cumulative probability) rows beside the row (award only)
N_SEVERITY_PARAMS = 4

FREQUENCY_KINDS = ("one", "poisson", "negative_binomial")
ONE, POISSON, NEGATIVE_BINOMIAL = (FREQUENCY_KINDS.index(k) for k in FREQUENCY_KINDS)
FREQUENCY_DTYPE = np.dtype([("code", INT), ("p0", FLOAT), ("p1", FLOAT), ("p_zero", FLOAT)],
                           align=True)
"""A yearly event count (one record): ``code`` of its kind; Poisson ``p0`` = rate, negative
binomial ``(p0, p1)`` = numpy's ``(n, p)``; ``p_zero`` the probability of a year without events."""

LITIGATION_METHODS = ("jfba", "ratio", "none")
JFBA, RATIO, NO_LITIGATION = (LITIGATION_METHODS.index(m) for m in LITIGATION_METHODS)


class Scalars(NamedTuple):
    """Scalar parameters of a loss model (all floats: Numba stores them as one uniform tuple)."""

    records_held: float        # cap on the breach size (people); inf for none
    p_min: float               # reporting probability: p_min + (p_max - p_min) x^k / (1 + x^k)
    p_max: float
    n50: float                 # x = N / n50
    steepness: float           # k
    has_claimants: float       # 1.0 or 0.0
    beta_a: float              # claimant rate ~ Beta(a, b); b = 0: the fixed rate a
    beta_b: float
    per_claimant_sigma: float  # spread of individual awards (median-1 lognormal)
    litigation_method: float   # JFBA, RATIO or NO_LITIGATION
    litigation_factor: float   # x the JFBA fee, or the ratio to damages
    officer_days: float        # Poisson mean court days per event with claimants
    employee_days: float
    officer_rate: float        # yen a court day
    employee_rate: float
    min_retainer: float        # JFBA minimum retainer (yen)
    fee_on_claimed: float      # 1.0: JFBA retainer on the amount claimed, success fee on what was avoided
    two_stage: float           # 1.0: claims by Suits (P(suit), then plaintiffs); 0.0: a claimant rate
    suit_p_max: float          # P(suit | N) = suit_p_max N^k / (N^k + suit_n50^k) x cause factor
    suit_n50: float
    suit_steepness: float
    report_rule: float         # 0.0: the 2022 rule; 1.0: the probability curve
    report_threshold: float    # 2022 rule: more than this many people
    report_always: float       # 2022 rule: 1.0 if sensitive or financial data (every leak reported)
    malicious_mask: float      # 2022 rule: bit c set for malicious cause codes c
    theft_share: float         # 2022 rule: share of loss_theft events that are thefts
    corporate_share: float     # leaks: corporate victims ~ Binomial(N, share)
    incident_single: float     # code of the only incident kind, or -1.0 when drawn from incident_cdf


REPORT_RULE_2022, REPORT_RULE_PROBABILITY = 0.0, 1.0
SHARE, CLAIMED, CORPORATE = range(3)
"""Rows of ``LossModelArrays.extra_code`` / ``extra_params``: the plaintiff share, the amount
claimed, the corporate victims of a corporate leak or IT-work incident."""


class ClaimColumns(NamedTuple):
    """Loss column of each component the claimants model makes (-1: not written)."""

    damages: int
    litigation: int
    court_attendance: int


CLAIM_COMPONENTS = ClaimColumns._fields

COST_DTYPE = np.dtype([
    ("component", INT), ("fixed", FLOAT), ("per_record", FLOAT), ("sigma", FLOAT),
    ("probability", FLOAT), ("min_victims", FLOAT), ("max_victims", FLOAT), ("cause_mask", INT),
    ("incident_mask", INT), ("if_reported", INT), ("per_corporate", FLOAT), ("alt_fixed", FLOAT),
    ("alt_per_record", FLOAT), ("alt_probability", FLOAT), ("follows", INT),
], align=True)
"""One response cost (:class:`sim.losses.parts.Cost`, field by field): its loss column,
``(fixed + per_record x N + per_corporate x C) x noise`` with lognormal ``sigma`` (or the
``alt_`` values with probability ``alt_probability``), incurred with ``probability`` by events
of ``min_victims <= N < max_victims`` people whose cause code ``c`` has bit ``c`` of
``cause_mask`` set and incident code ``i`` bit ``i`` of ``incident_mask``, and that are reported
if ``if_reported``; ``follows`` is the row of an earlier cost whose decisions (incurred,
alternative level) it shares, or -1."""

__all__ = ["CLAIM_COMPONENTS", "COST_DTYPE", "ClaimColumns", "FEE_TIER_DTYPE", "FIXED",
           "DISCRETE", "FREQUENCY_DTYPE", "FREQUENCY_KINDS", "GAMMA", "JFBA", "NEGATIVE_BINOMIAL", "ONE",
           "POISSON", "LITIGATION_METHODS", "LOGNORMAL", "LOGNORMAL_PARETO", "NO_LITIGATION",
           "NO_SEVERITY", "N_SEVERITY_PARAMS", "PARETO", "RATIO", "REPORT_RULE_2022", "SHARE", "CLAIMED", "CORPORATE",
           "REPORT_RULE_PROBABILITY", "Scalars"]
