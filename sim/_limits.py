"""The engine's numeric ceilings, in one place: what a simulated year, an event or a breach may
reach before the tallies or the samplers would give wrong numbers (issue 13). Inputs that would
pass them are refused before any work; what only a draw can reveal stops the run with an error
naming the model's field."""
from __future__ import annotations

HIST_OCTAVES = 50
MAX_YEN = float(2 ** HIST_OCTAVES)
"""A year (or an event, or a component) at or above 2**50 yen (about 1,126兆円) is refused: the
histogram spans 1 yen to 2**50 yen, and whole-yen values stay exact in float64 below 2**53."""

MAX_PEOPLE = 1e10
"""Breach sizes and records held above 10 billion people (more than live on Earth) are refused:
the samplers count people in int64 and draw Binomial(N, r) claimants."""

RARE = 1e-6
"""A distribution is refused before any work when one draw in a million would pass a ceiling:
a run of a million years would almost surely stop on it."""
