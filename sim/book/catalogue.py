"""Accumulation: common-cause events that hit many members at once, and the dependence switch
on the members' own (independent) events.

A catalogue (``sim/data/accumulation_catalogue.csv``, or any table with its columns) lists
events with a yearly rate and a footprint: per group of members (``all`` or an industry) the
share one occurrence hits. Each hit member suffers one incident of the catalogue's kind drawn
from its own calibrated incident model (:data:`INCIDENT_KINDS`), through its own terms and
aggregate, in the same policy year as its own events (after them).

Dependence of the members' own events (:data:`DEPENDENCE`):

- ``"none"``: every member's yearly count is Poisson(rate), independent of the others.
- ``"default"``: a yearly frailty ``G ~ Gamma(shape 1/v, scale v)`` (mean 1, variance ``v``)
  multiplies every member's rate that year; given ``G`` the counts are independent Poisson
  (a common shock: a bad year for cyber crime is bad for everyone). ``v`` =
  :data:`DEFAULT_FRAILTY_VARIANCE` is a modelling choice (no public series separates a common
  yearly factor in Japanese breach counts); pass ``frailty_variance=`` to change it.
- ``"comonotone"``: one uniform ``U`` a year shared by all members; each member's count is its
  own Poisson quantile at ``U`` (the upper bound of positive dependence for given marginals:
  every member keeps its Poisson(rate) count, and the years with events coincide). Losses of
  the events stay independent draws.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._errors import InputError, check_amount, check_choice, check_fraction
from ..calibration.frequency import INDUSTRIES

DEPENDENCE = ("none", "default", "comonotone")
DEFAULT_FRAILTY_VARIANCE = 0.25   # modelling choice: sd of the yearly factor 0.5
INCIDENT_KINDS = ("vendor_leak", "ransomware", "outage")
GROUPS = ("all",) + INDUSTRIES
CATALOGUE_TABLE = "accumulation_catalogue.csv"
COLUMNS = ("event_id", "name", "incident", "rate", "group", "share")
RANSOM_LEAK_SHARE = 82 / 97   # NPA 2021: double extortion in 82 of 97 cases (ransomware_npa.csv)


@dataclass(frozen=True)
class Catalogue:
    """Common-cause events: ``events`` (one row per event: ``event_id``, ``name``,
    ``incident``, ``rate``) and ``shares`` (``(n_events, len(GROUPS))``: share hit per group;
    a member of industry ``i`` is hit with its industry's share plus the ``all`` share)."""

    events: pd.DataFrame
    shares: np.ndarray

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, source: str = "catalogue") -> "Catalogue":
        """Check a catalogue table (errors name ``<source> row <n>, <column>``)."""
        missing = [c for c in COLUMNS if c not in frame.columns]
        if missing:
            raise InputError(source, f"missing columns {', '.join(missing)}; expected {', '.join(COLUMNS)}")
        events: dict[int, dict] = {}
        shares: dict[tuple[int, str], float] = {}
        for n, r in enumerate(frame[list(COLUMNS)].to_dict("records"), start=1):
            where = f"{source} row {n}"
            try:
                eid = int(r["event_id"])
                assert eid == r["event_id"] and eid > 0
            except (TypeError, ValueError, AssertionError):
                raise InputError(f"{where}, event_id", f"{r['event_id']!r} is not allowed; expected a whole number > 0") from None
            check_choice(f"{where}, incident", r["incident"], INCIDENT_KINDS)
            check_choice(f"{where}, group", r["group"], GROUPS)
            check_amount(f"{where}, rate", r["rate"])
            check_fraction(f"{where}, share", r["share"])
            row = {"event_id": eid, "name": str(r["name"]), "incident": r["incident"], "rate": float(r["rate"])}
            if eid in events and events[eid] != row:
                raise InputError(f"{where}, event_id", f"{eid} is listed before with another name, incident or rate")
            if (eid, r["group"]) in shares:
                raise InputError(f"{where}, group", f"{r['group']!r} is listed twice for event {eid}")
            events[eid] = row
            shares[(eid, r["group"])] = float(r["share"])
        ids = list(events)
        table = np.zeros((len(ids), len(GROUPS)))
        for (eid, g), s in shares.items():
            table[ids.index(eid), GROUPS.index(g)] = s
        return cls(pd.DataFrame(list(events.values())), table)

    @classmethod
    def default(cls) -> "Catalogue":
        """The bundled catalogue (rates and shares are modelling choices; see the CSV's notes)."""
        from ..data import read_table

        return cls.from_frame(read_table(CATALOGUE_TABLE), CATALOGUE_TABLE)

    @classmethod
    def empty(cls) -> "Catalogue":
        return cls(pd.DataFrame(columns=["event_id", "name", "incident", "rate"]), np.zeros((0, len(GROUPS))))

    def only(self, names, rate: float | None = None) -> "Catalogue":
        """The events named (``rate``: the same yearly rate for each, e.g. for a test)."""
        names = [names] if isinstance(names, str) else list(names)
        unknown = [n for n in names if n not in set(self.events["name"])]
        if unknown:
            raise InputError("event", f"{unknown[0]!r} is not in the catalogue; allowed values: "
                             f"{', '.join(self.events['name'])}")
        keep = self.events["name"].isin(names).to_numpy()
        events = self.events[keep].reset_index(drop=True)
        if rate is not None:
            events["rate"] = float(rate)
        return Catalogue(events, self.shares[keep])

    def __len__(self) -> int:
        return len(self.events)

    def member_shares(self, industries: np.ndarray) -> np.ndarray:
        """``(n_events, n_members)``: the probability an occurrence hits each member (its
        industry's share and the ``all`` share combined as independent draws)."""
        idx = np.array([GROUPS.index(i) for i in industries])
        s_all = self.shares[:, :1]
        return 1.0 - (1.0 - s_all) * (1.0 - self.shares[:, idx])


def check_dependence(dependence: object, frailty_variance: object) -> tuple[str, float]:
    check_choice("dependence", dependence, DEPENDENCE)
    v = check_amount("frailty_variance",
                     DEFAULT_FRAILTY_VARIANCE if frailty_variance is None else frailty_variance)
    return str(dependence), float(v) if dependence == "default" else 0.0
