"""Scenarios: a fixed breach event and/or a loss model with a frequency, and the policies to
compare, from TOML.

A scenario file is checked completely when it is loaded, before any work starts; an error names
the file, the field (``policies[2].coverage_set``) and the allowed values.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
import os
from pathlib import Path
import tomllib

from ._errors import (InputError, check_amount, check_bool, check_choice, check_name_list, check_names, check_table,
                      check_text, short_repr, within)
from .calibration.damages import data_classes
from .calibration.frequency import FirmFrequency, calibrated_frequency
from .calibration.model import calibrated_model
from .events import event_to_arrays
from .losses import Frequency, LossModel, frequency_from_dict
from .losses.declare import MODEL_FIELDS, model_kwargs
from .policy import Policy
from .policy.declare import policy_from_dict

# The schema: the keys of each table, defined here once (sub-tables: where they are read).
SCENARIO_KEYS = ("name", "description", "event", "reference", "frequency", "model", "policies")
REFERENCE_KEYS = ("gross", "source", "note")
DEFAULTS = ("calibrated",)  # [model] defaults = ...
CALIBRATED_KEYS = ("data", "view", "jo", "uncertainty", "regime")  # [model] keys that need defaults = "calibrated"
MODEL_KEYS = ("defaults", *CALIBRATED_KEYS, *MODEL_FIELDS)
# [frequency] defaults = "calibrated": the firm, and how its events a year are counted.
FREQUENCY_KEYS = ("defaults", "industry", "revenue", "employees", "records_held", "security", "kind",
                  "minor")
FREQUENCY_KINDS = ("poisson", "negative_binomial")


class ScenarioError(InputError):
    """A scenario that cannot be used; the message starts with the file and the field."""

    def __init__(self, source: str, err: InputError):
        self.source = source
        super().__init__(err.field, err.reason)
        self.args = (f"{source}: {err}" if err.field else f"{source}: {err.reason}",)

    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class Reference:
    """A published figure the scenario should reproduce (e.g. a brochure's worked example)."""

    gross: float
    source: str = ""
    note: str = ""


@dataclass(frozen=True, eq=False)
class Scenario:
    """A validated scenario.

    Attributes
    ----------
    name, description : str
    event : dict or None
        The fixed event (``losses``, ``victims``, ``corporate_victims``, ``reported``, ``cause``)
        that ``sim explain`` runs through every policy.
    reference : Reference or None
        The published total the event should reproduce (the first of ``references``).
    policies : tuple of Policy
        The policies to compare, each with a unique name.
    source : str
        Where the scenario was read from.
    model : LossModel or None
        The stochastic breach-event model that ``sim run`` simulates.
    frequency : Frequency or None
        Events per policy year.
    references : tuple of Reference
        Every published total to place in the simulated distribution (``[[reference]]``).
    premiums : dict
        Annual premium (yen) per policy name, where the scenario gives one (``premium`` in a
        ``[[policies]]`` table, e.g. a brochure's quoted premium).
    firm_frequency : FirmFrequency or None
        The firm's calibrated frequency (``[frequency] defaults = "calibrated"``): rates per
        incident kind, their uncertainty and sources; None for a frequency given outright.
    """

    name: str
    event: dict | None
    policies: tuple[Policy, ...]
    description: str = ""
    reference: Reference | None = None
    source: str = "<dict>"
    model: LossModel | None = None
    frequency: Frequency | None = None
    references: tuple[Reference, ...] = ()
    premiums: dict = field(default_factory=dict)
    firm_frequency: FirmFrequency | None = None

    def with_policies(self, policies) -> "Scenario":
        """A copy holding ``policies`` instead (checked as on loading; premiums kept for the
        policies that stay), e.g. an option grid to price on the same simulated years."""
        try:
            policies = _policy_objects(policies)
            _check_unique(policies)
            _check_caps_have_sizes(self.model, policies)
        except InputError as err:
            raise ScenarioError(self.source, err) from None
        kept = {p.name for p in policies}
        return replace(self, policies=policies,
                       premiums={k: v for k, v in self.premiums.items() if k in kept})

    def replace(self, **changes) -> "Scenario":
        """A copy with ``changes``, checked as a loaded scenario file is (the original is left
        as it was).

        Parameters
        ----------
        **changes
            ``name``, ``description``, ``event`` (a mapping, or None), ``frequency`` (a
            :class:`~sim.losses.Frequency` or a ``[frequency]`` table, calibrated ones
            included), ``model`` (a :class:`~sim.losses.LossModel` or a ``[model]`` table),
            ``policies`` (:class:`~sim.policy.Policy` objects or ``[[policies]]`` tables) and
            ``premiums`` (policy name -> yen; by default the old premiums of the policies that
            stay). A new frequency table does not rebuild the model's incident mix: pass
            ``model`` too to change both.

        Raises
        ------
        ScenarioError
            An unknown key, or a change the scenario file would not allow; names the field.

        Examples
        --------
        >>> scn = load_scenario("scenarios/peer_compound.toml")
        >>> busier = scn.replace(frequency={"kind": "poisson", "rate": 1.0})
        >>> busier.frequency.mean, scn.frequency.mean
        (1.0, 0.5)
        """
        from ._scenario_edit import replace_scenario

        return replace_scenario(self, changes, {
            "ScenarioError": ScenarioError, "calibrated": calibrated_frequency_from_dict,
            "model_from_dict": model_from_dict, "policy_objects": _policy_objects,
            "check_unique": _check_unique, "check_caps": _check_caps_have_sizes})

    def check_simulable(self) -> None:
        """Raise unless the scenario has a loss model and a frequency to simulate."""
        if self.model is None or self.frequency is None:
            raise InputError("model", f"{self.source} has no [model] and [frequency]; it can "
                             "be explained but not simulated")

    def policy(self, name: str) -> Policy:
        """The policy called ``name``."""
        for p in self.policies:
            if p.name == name:
                return p
        raise KeyError(f"no policy {name!r}; policies: {[p.name for p in self.policies]}")


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    path : str or Path
        A ``.toml`` scenario (see ``scenarios/``).

    Raises
    ------
    ScenarioError
        If any field is missing, unknown or out of range; the message names it.

    Examples
    --------
    >>> scn = load_scenario("scenarios/aig_brochure_100k.toml")
    >>> scn.reference.gross
    154000000.0
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InputError("path", f"{short_repr(path)} is not a file name; expected the path of a .toml scenario")
    path = Path(path)
    with path.open("rb") as fh:  # a missing file raises FileNotFoundError, naming it
        raw = fh.read()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise ScenarioError(str(path), InputError(
            "toml", f"not UTF-8 (line {line}, byte "
            f"{raw[err.start:err.start + 1]!r}); TOML files are UTF-8: save it as UTF-8")) from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(str(path), InputError("toml", str(err))) from None
    except RecursionError:
        raise ScenarioError(str(path), InputError(
            "toml", "arrays or tables nested too deeply to read")) from None
    return scenario_from_dict(data, source=str(path))


def scenario_from_dict(data: Mapping[str, object], source: str = "<dict>") -> Scenario:
    """Validate a scenario given as a mapping (the parsed TOML); see :func:`load_scenario`."""
    try:
        return _build(data, source)
    except InputError as err:
        raise ScenarioError(source, err) from None


def _build(data: Mapping[str, object], source: str) -> Scenario:
    check_table("", data, "a scenario table (name, policies, event or model and frequency)")
    check_names("", data, SCENARIO_KEYS)
    for key in ("name", "policies"):
        if key not in data:
            raise InputError(key, "missing; a scenario needs a name and policies")
    if "event" not in data and "model" not in data:
        raise InputError("event", "missing; a scenario needs an [event] to explain, a [model] "
                         "and [frequency] to simulate, or both")
    if ("model" in data) != ("frequency" in data):
        missing = "frequency" if "model" in data else "model"
        raise InputError(missing, "missing; [model] and [frequency] go together")
    event = data.get("event")
    if event is not None:
        event_to_arrays(event, field="event")  # checks every field of the event
    firm = None
    model_table = data.get("model")
    if isinstance(data.get("frequency"), Mapping) and "defaults" in data["frequency"]:
        frequency, firm = calibrated_frequency_from_dict(data["frequency"], model_table)
        if isinstance(model_table, Mapping) and "incident_mix" not in model_table:
            model_table = {**model_table, "incident_mix": incident_mix_from_rates(firm)}
    else:
        frequency = frequency_from_dict(data["frequency"]) if "frequency" in data else None
    model = model_from_dict(model_table) if "model" in data else None
    policies, premiums = _policies(data["policies"])
    references = _references(data.get("reference"))
    _check_caps_have_sizes(model, policies)
    scn = Scenario(check_text("name", data["name"]), dict(event) if event else None, policies,
                   check_text("description", data.get("description", "")),
                   references[0] if references else None,
                   source, model, frequency, references, premiums, firm)
    for p in policies if event else ():  # fail now, not mid-run, on e.g. victims missing for caps
        p.apply_year([event])
    return scn


def model_from_dict(table: Mapping[str, object], field: str = "model") -> LossModel:
    """Build a :class:`LossModel` from a ``[model]`` table (``sim/losses/declare.py`` lists its
    keys): declared outright, or the calibrated defaults with the table's keys on top. Errors
    name the field."""
    with within(field):
        if not isinstance(table, Mapping):
            raise InputError("", f"{short_repr(table)} is not a table")
        check_names("", table, MODEL_KEYS)
        kwargs = model_kwargs(table)
        if "defaults" not in table:
            for key in CALIBRATED_KEYS:
                if key in table:
                    raise InputError(key, 'needs defaults = "calibrated"')
            return LossModel(**kwargs)
        return _calibrated(table, kwargs)


def _calibrated(t: Mapping[str, object], overrides: dict) -> LossModel:
    """The calibrated defaults (``sim.calibration``), with the table's own keys on top."""
    check_choice("defaults", t["defaults"], DEFAULTS)
    data = list(check_name_list("data", t["data"], data_classes())) if "data" in t else None
    if "jo" in t and not isinstance(t["jo"], Mapping):
        raise InputError("jo", f"{short_repr(t['jo'])} is not a table")
    jo = dict(t["jo"]) if "jo" in t else None
    uncertainty = check_bool("uncertainty", t.get("uncertainty", True))
    return calibrated_model(data, t.get("view", "courts"), jo, uncertainty,
                            t.get("regime", "2022"), **overrides)


def calibrated_frequency_from_dict(table: Mapping[str, object], model: object = None,
                                   field: str = "frequency") -> tuple[Frequency, FirmFrequency]:
    """``[frequency] defaults = "calibrated"``: the firm's events a year from public counts
    (:func:`sim.calibration.frequency.calibrated_frequency`; no premium is read).

    Keys: ``industry`` (:data:`~sim.calibration.frequency.INDUSTRIES`), ``revenue`` (yen) or
    ``employees``, optional ``records_held`` (default: the ``[model]`` table's), ``security``
    (a discount in [0, 0.6]), ``minor`` (count minor cyber incidents, IPA's SME survey, every
    survey incident a claim: an upper bound; default false, the publicised-scale floor) and ``kind``: ``"poisson"`` (default) or ``"negative_binomial"``
    with the module's dispersion. Poisson is the default because the dispersion (size about
    0.14) was fitted across listed companies of very different sizes in one cross-section:
    most of it is between-firm heterogeneity, which the firm's own revenue and industry
    already take out (and whose remaining uncertainty is the rate's ``log_sd``), not one
    firm's year-to-year clustering; ``"negative_binomial"`` is the upper bound on clustering.
    """
    with within(field):
        for key in ("rate", "mean", "cv"):
            if key in table:
                raise InputError(key, 'not allowed with defaults = "calibrated" (the rate comes '
                                 f"from the firm); allowed: {', '.join(FREQUENCY_KEYS)}")
        check_names("", table, FREQUENCY_KEYS)
        check_choice("defaults", table["defaults"], DEFAULTS)
        kind = table.get("kind", "poisson")
        check_choice("kind", kind, FREQUENCY_KINDS)
        records = table.get("records_held")
        if records is None and isinstance(model, Mapping):
            records = model.get("records_held")
            records = records if _is_whole(records) else None  # [model] reports its own error
        industry = table.get("industry")
        if industry is None:
            raise InputError("industry", "missing; defaults = \"calibrated\" describes the firm "
                             "by industry and revenue (or employees)")
        firm = calibrated_frequency(industry, table.get("revenue"), table.get("employees"),
                                    records, table.get("security"), table.get("minor", False))
        if firm.total <= 0:
            raise InputError("records_held", "0 with no other incident kind: the firm has no "
                             "events to simulate")
        if kind == "poisson":
            return Frequency.poisson(firm.total), firm
        return Frequency.negative_binomial(firm.total, (1 / firm.total + 1 / firm.dispersion) ** 0.5), firm


def incident_mix_from_rates(firm: FirmFrequency) -> dict[str, float]:
    """Share of each incident kind in the firm's events (kinds with rate 0 left out)."""
    return {kind: rate / firm.total for kind, rate in firm.rates.items() if rate > 0}


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_caps_have_sizes(model: LossModel | None, policies: tuple[Policy, ...]) -> None:
    """Per-victim caps times zero victims would silently pay nothing."""
    if model is None or model.size is not None or model.size_by_cause:
        return
    for p in policies:
        capped = {c for s in p.sections for part in s.walk() for c in part.caps}
        for comp in sorted(capped & set(model.components)):
            raise InputError("model.size", f"missing; policy {p.name!r} caps {comp} per victim, "
                             "so the model needs breach sizes (victims)")


def _policies(tables: object) -> tuple[tuple[Policy, ...], dict[str, float]]:
    """The policies, and the premium of those that give one."""
    if not isinstance(tables, list) or not tables:
        raise InputError("policies", "expected a non-empty list of [[policies]] tables")
    given = {}
    for i, t in enumerate(tables):
        if isinstance(t, Mapping) and "premium" in t:
            given[i] = check_amount(f"policies[{i}].premium", t["premium"], positive=True)
    policies = tuple(policy_from_dict({k: v for k, v in t.items() if k != "premium"}
                                      if isinstance(t, Mapping) else t, f"policies[{i}]")
                     for i, t in enumerate(tables))
    _check_unique(policies)
    return policies, {policies[i].name: premium for i, premium in given.items()}


def _policy_objects(policies: object) -> tuple[Policy, ...]:
    """``policies`` as a non-empty tuple of :class:`Policy` (for :meth:`Scenario.with_policies`)."""
    if isinstance(policies, (Policy, str, Mapping)):
        raise InputError("policies", f"a {type(policies).__name__} is not a list; expected a "
                         "list of Policy")
    try:
        policies = tuple(policies)
    except TypeError:
        raise InputError("policies", f"{short_repr(policies)} is not a list; expected a list of "
                         "Policy") from None
    if not policies:
        raise InputError("policies", "[] is not allowed; expected at least one Policy")
    for i, p in enumerate(policies):
        if not isinstance(p, Policy):
            raise InputError(f"policies[{i}]", f"{short_repr(p)} is not a Policy (e.g. sim.products.jcci())")
    return policies


def _check_unique(policies: tuple[Policy, ...]) -> None:
    seen: dict[str, int] = {}
    for i, p in enumerate(policies):
        if p.name in seen:
            raise InputError(f"policies[{i}].name", f"{p.name!r} is already the name of "
                             f"policies[{seen[p.name]}]; policy names must be unique")
        seen[p.name] = i


def _references(tables: object) -> tuple[Reference, ...]:
    """``[reference]`` (one table) or ``[[reference]]`` (a list of them)."""
    if tables is None:
        return ()
    if isinstance(tables, list):
        return tuple(_reference(t, f"reference[{i}]") for i, t in enumerate(tables))
    return (_reference(tables, "reference"),)


def _reference(table: object, field: str) -> Reference:
    if not isinstance(table, Mapping) or "gross" not in table:
        raise InputError(field, "expected a table with gross (yen) and source")
    check_names(field, table, REFERENCE_KEYS)
    gross = check_amount(f"{field}.gross", table["gross"], positive=True)
    source, note = (check_text(f"{field}.{k}", table.get(k, "")) for k in ("source", "note"))
    return Reference(gross, source, note)
