"""Results that travel: a :class:`~sim.engine.results.SimulationResult` saved to one file and
read back, and the metadata (scenario, seed, years, version) that every export carries.

The file is a NumPy ``.npz`` (a zip of ``.npy`` arrays): the tallies' non-empty histogram bins,
the kept top values, the per-block sums, the limit counts and (when kept) the years, plus a
``metadata`` member holding UTF-8 JSON (the run's metadata and what the result needs of its
scenario: policy, section and limit names). It is read with ``allow_pickle=False``, so loading
runs no code from the file; every number is stored in its own dtype, so the round trip is
exact. Parquet was the first choice, but pyarrow is not a dependency of breach-sim (the CLI only
writes a ``.parquet`` summary when it happens to be installed), and the tallies are arrays, not
one table.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .._errors import InputError
from .._output import file_sha256, package_version, write_atomic
from .layout import Measure
from .tally import TOP_K, Tally

FORMAT = "breach-sim result"
FORMAT_VERSION = 1


def scenario_content_sha256(scenario) -> str:
    """SHA-256 of a scenario's content: every field of its dataclasses (nested policies, loss
    model, frequency, references, premiums), floats written exactly, dict keys sorted; not
    where it was read from (``source``), nor what is derived from the fields (fields that
    are not shown in a dataclass's repr, such as a policy's compiled arrays). Two scenarios
    with the same hash simulate the same years."""
    text = json.dumps(_canonical(scenario, top=True), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value, top: bool = False):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return {"float": float(value).hex()}
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        return {"array": str(data.dtype), "shape": list(data.shape),
                "sha256": hashlib.sha256(data.tobytes()).hexdigest()}
    if isinstance(value, (tuple, list)):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {"dict": sorted([str(k), _canonical(v)] for k, v in value.items())}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)
                  if f.repr and not (top and f.name == "source")}
        return {"type": type(value).__qualname__, "fields": fields}
    if isinstance(value, (set, frozenset)):
        return {"set": sorted(json.dumps(_canonical(v), sort_keys=True) for v in value)}
    return {"type": type(value).__qualname__, "repr": repr(value)}  # no such field today


def result_metadata(res) -> dict[str, object]:
    """The metadata of ``res`` (see :meth:`SimulationResult.metadata`); a loaded result keeps
    the metadata it was saved with."""
    scenario = res.scenario
    if isinstance(scenario, SavedScenario):
        return dict(scenario.metadata)
    cached = getattr(res, "_metadata", None)
    if cached is None:
        source, content = str(scenario.source), scenario_content_sha256(scenario)
        cached = {"scenario": scenario.name, "scenario_path": source,
                  "scenario_sha256": _file_sha256_if_same(source, content),
                  "scenario_content_sha256": content,
                  "seed": int(res.seed), "n_years": int(res.n_years), "view": res.view,
                  "unit": res.unit, "version": package_version()}
        res._metadata = cached
    return dict(cached)


def _file_sha256_if_same(source: str, content: str) -> str:
    """sha256 of the scenario file at ``source`` if it still holds this content (not changed
    on disk, nor in Python, e.g. by ``with_policies``), else ``""``."""
    from ..scenario import load_scenario

    if not os.path.isfile(source):
        return ""
    try:
        same = scenario_content_sha256(load_scenario(source)) == content
    except (InputError, OSError):
        return ""
    return file_sha256(source) if same else ""


# What a loaded result knows of its scenario, for the result's own methods (summary, limits,
# ep_curve): names, sections and limits, the premiums and the published references.
class SavedNode(NamedTuple):
    name: str
    kind: str
    event_limit: float
    aggregate_limit: float


class SavedTerms(NamedTuple):
    nodes: tuple[SavedNode, ...]


class SavedPolicy(NamedTuple):
    name: str
    section_names: tuple[str, ...]
    compiled: SavedTerms


class SavedReference(NamedTuple):
    gross: float
    source: str
    note: str


@dataclasses.dataclass(frozen=True, eq=False)
class SavedScenario:
    """The part of a scenario that a saved result holds (its loss model and policy terms are
    not saved: pass the scenario to :func:`load_result` to get it back)."""

    name: str
    source: str
    policies: tuple[SavedPolicy, ...]
    premiums: dict
    references: tuple[SavedReference, ...]
    metadata: dict

    @property
    def reference(self) -> SavedReference | None:
        return self.references[0] if self.references else None


def _number(x: float) -> float | str:
    return float(x) if math.isfinite(x) else repr(float(x))   # JSON has no inf: "inf"


def _scenario_doc(scenario) -> dict:
    policies = [{"name": p.name, "sections": list(p.section_names),
                 "nodes": [[str(n.name), str(n.kind), _number(n.event_limit),
                            _number(n.aggregate_limit)] for n in p.compiled.nodes]}
                for p in scenario.policies]
    return {"policies": policies, "premiums": {k: float(v) for k, v in scenario.premiums.items()},
            "references": [[float(r.gross), r.source, r.note] for r in scenario.references]}


def save_result(res, path: str | os.PathLike) -> Path:
    """Write ``res`` to ``path`` (see the module notes); an existing file is replaced whole."""
    if not isinstance(path, (str, os.PathLike)):
        raise InputError("path", f"{path!r} is not a file name; expected e.g. 'run.npz'")
    path = Path(path)
    if path.suffix != ".npz":
        raise InputError("path", f"{str(path)!r}: expected a name ending in .npz")
    t = res.tally
    rows, bins = np.nonzero(t.count)
    doc = {"format": FORMAT, "format_version": FORMAT_VERSION, "metadata": res.metadata(),
           "scenario": _scenario_doc(res.scenario),
           "measures": [[m.policy, m.name, m.kind, list(m.slots)] for m in res.layout],
           "components": list(res.components)}
    arrays = {
        "metadata": np.frombuffer(json.dumps(doc, ensure_ascii=False).encode("utf-8"), np.uint8),
        "hist_rows": rows, "hist_bins": bins, "hist": t.hist[rows, bins], "carry": t.carry[rows, bins],
        "nonzero": t.nonzero, "top_size": t.top_size,
        "top": np.concatenate([t.top[i, :t.top_size[i]] for i in range(len(t.top_size))]),
        "block_moments": res._block_moments, "block_years": res._block_years,
        "limit_hits": res.limit_hits, "node_origin": res.node_origin, "year_values": res._year_values,
    }
    if res._component_moments is not None:
        arrays["component_moments"] = res._component_moments

    def write(tmp: Path) -> None:
        with tmp.open("wb") as fh:
            np.savez_compressed(fh, **arrays)

    return write_atomic(path, write)


def read_result(path: str | os.PathLike, scenario=None) -> tuple[dict, dict]:
    """What :func:`sim.engine.load.load_result` needs to rebuild a saved result: the fields of
    its ``RunOutput`` and its metadata (see there for ``scenario`` and the errors)."""
    from ..scenario import Scenario, load_scenario

    try:
        with np.load(path, allow_pickle=False) as z:
            data = {k: z[k] for k in z.files}
        doc = json.loads(data["metadata"].tobytes().decode("utf-8"))
        if doc.get("format") != FORMAT:
            raise KeyError("format")
    except (OSError, ValueError, KeyError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise InputError("path", f"{str(path)!r} is not a saved breach-sim result ({err})") from None
    if doc["format_version"] > FORMAT_VERSION:
        raise InputError("path", f"{str(path)!r} was written by a newer breach-sim "
                                 f"({doc['metadata']['version']}); upgrade to read it")
    meta = doc["metadata"]
    if scenario is None:
        scenario = _saved_scenario(doc, meta)
    else:
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        if scenario_content_sha256(scenario) != meta["scenario_content_sha256"]:
            raise InputError("scenario", f"{scenario.source} is not the scenario the result was "
                             f"run from ({meta['scenario']!r}, {meta['scenario_path']})")
    measures = [Measure(p, n, k, tuple(s)) for p, n, k, s in doc["measures"]]
    fields = dict(scenario=scenario, n_years=int(meta["n_years"]), seed=int(meta["seed"]),
                  measures=measures, tally=_tally(data, len(measures)),
                  block_moments=data["block_moments"], block_years=data["block_years"],
                  limit_hits=data["limit_hits"], node_origin=data["node_origin"],
                  year_values=data["year_values"], view=meta.get("view", "annual"),
                  component_moments=data.get("component_moments"),
                  components=tuple(doc.get("components", ())))
    return fields, dict(meta)


def _tally(data: dict, n_measures: int) -> Tally:
    from .block_kernel import N_BINS, N_FIELDS

    hist = np.zeros((n_measures, N_BINS, N_FIELDS), np.int64)
    carry = np.zeros((n_measures, N_BINS), np.int64)
    rows, bins = data["hist_rows"], data["hist_bins"]
    hist[rows, bins], carry[rows, bins] = data["hist"], data["carry"]
    top = np.zeros((n_measures, TOP_K))
    sizes = data["top_size"]
    for i, start in enumerate(np.concatenate([[0], np.cumsum(sizes)[:-1]])):
        top[i, :sizes[i]] = data["top"][start:start + sizes[i]]
    return Tally(hist, carry, np.zeros(n_measures), data["nonzero"], top, sizes)


def _saved_scenario(doc: dict, meta: dict) -> SavedScenario:
    s = doc["scenario"]
    policies = tuple(SavedPolicy(p["name"], tuple(p["sections"]), SavedTerms(tuple(
        SavedNode(n, k, float(e), float(a)) for n, k, e, a in p["nodes"]))) for p in s["policies"])
    return SavedScenario(meta["scenario"], meta["scenario_path"], policies, dict(s["premiums"]),
                         tuple(SavedReference(*r) for r in s["references"]), dict(meta))
