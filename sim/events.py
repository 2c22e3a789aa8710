"""Breach events as arrays: one row of loss components per event, plus its attributes.

The deterministic API, the scenario loader and the Monte Carlo samplers all hand events to the
policy engine in this one layout.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

from ._dtypes import FLOAT, INT
from ._errors import InputError, check_amount, check_bool, check_choice, check_count, check_names
from ._limits import MAX_PEOPLE, MAX_YEN
from .components import (CAUSE_INDEX, CAUSES, COMPONENT_INDEX, COMPONENTS, DEFAULT_INCIDENT,
                         INCIDENT_INDEX, INCIDENTS, N_COMPONENTS, UNSPECIFIED_CAUSE)

EVENT_KEYS = ("losses", "victims", "corporate_victims", "reported", "cause", "incident")
CYBER_INCIDENTS = ("cyber_no_leak", "cyber_minor")
"""Incident kinds that are cyber attacks by definition (their cause is ``"cyber_attack"``)."""


class EventArrays(NamedTuple):
    """Events in kernel layout.

    ``losses`` is ``(n_events, n_components)`` in :data:`~sim.components.COMPONENTS` order;
    the others are ``(n_events,)``: ``victims`` and ``corporate_victims`` (float), ``reported``
    (bool), ``cause`` and ``incident`` (int codes into ``CAUSES`` and ``INCIDENTS``), and
    ``claimants`` (float: people who claimed or sued; the policy engine does not read it).
    """

    losses: np.ndarray
    victims: np.ndarray
    corporate_victims: np.ndarray
    reported: np.ndarray
    cause: np.ndarray
    incident: np.ndarray
    claimants: np.ndarray

    @property
    def n_events(self) -> int:
        return self.losses.shape[0]


def empty_events(n: int, n_columns: int = N_COMPONENTS) -> EventArrays:
    """``n`` events with zero losses, no victims, not reported, cause unspecified, incident
    ``"leak"``, no claimants; ``n_columns`` loss columns (the simulation keeps only the components its loss
    model makes)."""
    return EventArrays(np.zeros((n, n_columns), dtype=FLOAT), np.zeros(n, dtype=FLOAT),
                       np.zeros(n, dtype=FLOAT), np.zeros(n, dtype=np.bool_),
                       np.full(n, UNSPECIFIED_CAUSE, dtype=INT),
                       np.full(n, INCIDENT_INDEX[DEFAULT_INCIDENT], dtype=INT),
                       np.zeros(n, dtype=FLOAT))


def loss_vector(losses: Mapping[str, object], field: str = "losses") -> np.ndarray:
    """Check a mapping component -> yen and return it as a row in component order."""
    if not isinstance(losses, Mapping):
        raise InputError(field, f"{losses!r} is not a mapping of component -> yen")
    check_names(field, losses, COMPONENTS)
    row = np.zeros(N_COMPONENTS, dtype=FLOAT)
    for name, amount in losses.items():
        row[COMPONENT_INDEX[name]] = x = check_amount(f"{field}.{name}", amount)
        if not x < MAX_YEN:
            raise InputError(f"{field}.{name}", f"{amount!r} is not allowed; expected less than "
                             "2**50 yen (about 1,126兆円), the engine's ceiling")
    total = sum(row.tolist())  # Python floats: inf without NumPy's overflow warning
    if not total < MAX_YEN:  # finite parts can add up to inf, and the tallies stop here
        raise InputError(field, f"the event's losses add up to {total:.4g} yen; expected "
                         "less than 2**50 yen (about 1,126兆円), the engine's ceiling")
    return row


def _people(field: str, value: object) -> int:
    n = check_count(field, value)
    if n > MAX_PEOPLE:
        raise InputError(field, f"{value!r} is not allowed; expected at most {MAX_PEOPLE:.0e} "
                         "people (more than live on Earth)")
    return n


def cause_code(cause: str | None, field: str = "cause") -> int:
    """Code of a cause name; ``None`` gives the unspecified cause."""
    if cause is None:
        return UNSPECIFIED_CAUSE
    check_choice(field, cause, CAUSES)
    return CAUSE_INDEX[cause]


def incident_code(incident: str | None, field: str = "incident") -> int:
    """Code of an incident kind; ``None`` gives the default, ``"leak"``."""
    if incident is None:
        incident = DEFAULT_INCIDENT
    check_choice(field, incident, INCIDENTS)
    return INCIDENT_INDEX[incident]


def events_to_arrays(events: Sequence[Mapping[str, object]], field: str = "events") -> EventArrays:
    """Check a list of event mappings and convert them to :class:`EventArrays`.

    Each event has ``losses`` (required) and optionally ``victims``, ``corporate_victims``,
    ``reported`` (default False), ``cause`` (default unspecified) and ``incident`` (default
    ``"leak"``; ``"cyber_no_leak"`` and ``"cyber_minor"`` are cyber attacks, so their cause is
    ``"cyber_attack"``).
    """
    if isinstance(events, Mapping) or not isinstance(events, Sequence):
        raise InputError(field, "expected a list of events (mappings with 'losses', 'victims', ...)")
    arrays = empty_events(len(events))
    for i, event in enumerate(events):
        _fill_row(arrays, i, event, f"{field}[{i}]")
    return arrays


def event_to_arrays(event: Mapping[str, object], field: str = "event") -> EventArrays:
    """Check one event mapping and convert it to :class:`EventArrays` with one row."""
    arrays = empty_events(1)
    _fill_row(arrays, 0, event, field)
    return arrays


def _fill_row(arrays: EventArrays, i: int, event: object, where: str) -> None:
    if not isinstance(event, Mapping):
        raise InputError(where, f"{event!r} is not a mapping with 'losses', 'victims', ...")
    check_names(where, event, EVENT_KEYS)
    if "losses" not in event:
        raise InputError(f"{where}.losses", "missing; every event needs its losses by component")
    arrays.losses[i] = loss_vector(event["losses"], f"{where}.losses")
    arrays.victims[i] = _people(f"{where}.victims", event.get("victims", 0))
    arrays.corporate_victims[i] = _people(f"{where}.corporate_victims",
                                          event.get("corporate_victims", 0))
    arrays.reported[i] = check_bool(f"{where}.reported", event.get("reported", False))
    arrays.cause[i] = cause_code(event.get("cause"), f"{where}.cause")
    arrays.incident[i] = incident_code(event.get("incident"), f"{where}.incident")
    if event.get("incident") in CYBER_INCIDENTS:
        # An attack that leaks nothing is a cyber attack by definition: fill the cause, refuse another.
        if event.get("cause") not in (None, "cyber_attack"):
            raise InputError(f"{where}.cause", f"{event.get('cause')!r} is not allowed with incident "
                             f"{event.get('incident')!r} (a cyber attack); allowed values: 'cyber_attack'")
        arrays.cause[i] = CAUSE_INDEX["cyber_attack"]
