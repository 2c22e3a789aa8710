"""Compile policies once into flat arrays (:class:`PolicyArrays`) that the kernels loop over.

Several policies compile into one set of arrays: their node forests are simply laid side by
side, so one pass over the events applies every policy (common random numbers for free).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple, Protocol

import numpy as np

from .._dtypes import FLOAT, INT, records
from .._errors import InputError
from ..components import (CAUSE_INDEX, COMPONENT_INDEX, INCIDENT_INDEX, INCIDENTS, UNSPECIFIED_CAUSE,
                          VICTIM_KIND)
from .terms import INF, Section, Share, SharedLimit

ANY_CAUSE_MASK = (1 << (UNSPECIFIED_CAUSE + 1)) - 1
ANY_INCIDENT_MASK = (1 << len(INCIDENTS)) - 1
MASK_FIELDS = ("deductible", "coinsurance", "needs_report", "cause_mask", "incident_mask")


NODE_DTYPE = np.dtype([
    ("parent", INT), ("group", INT), ("deductible", FLOAT), ("coinsurance", FLOAT),
    ("event_limit", FLOAT), ("aggregate_limit", FLOAT), ("needs_report", np.bool_),
    ("cause_mask", INT), ("incident_mask", INT),
], align=True)
"""Terms of one node; ``parent`` and ``group`` are -1 for none."""

INPUT_DTYPE = np.dtype([("component", INT), ("cap_victim", FLOAT), ("cap_corporate", FLOAT)],
                       align=True)
"""One covered component of an input group; ``cap_victim`` is inf for no per-victim cap."""

NODE_WORK_DTYPE = np.dtype([("left", FLOAT), ("inflow", FLOAT), ("out", FLOAT), ("paid", FLOAT),
                            ("limited", np.bool_)], align=True)
"""Per-node work space of the kernels: remaining aggregate, what reached the node, what it
would pay, what it paid after the limits above it, and whether its per-event limit has bound
in the current period."""


class PolicyArrays(NamedTuple):
    """Terms of one or more policies as flat arrays; nodes are ordered children first.

    ``nodes`` is ``(n_nodes,)`` of :data:`NODE_DTYPE`. A node's directly covered components form
    an *input group*; group ``g`` is ``inputs[group_start[g]:group_start[g + 1]]``. Identical
    groups of stacked policies are stored once. ``section_node`` is ``(n_sections,)``; the
    sections of policy ``i`` are ``policy_section_start[i]:policy_section_start[i + 1]``.
    """

    nodes: np.ndarray
    group_start: np.ndarray
    inputs: np.ndarray
    section_node: np.ndarray
    policy_section_start: np.ndarray
    node_origin: np.ndarray | None = None  # stacked node -> index among all the policies' nodes

    @property
    def n_nodes(self) -> int:
        return self.nodes.shape[0]

    @property
    def n_groups(self) -> int:
        return self.group_start.shape[0] - 1


class EngineState(NamedTuple):
    """Work arrays of the kernels for one set of terms (one per thread)."""

    work: np.ndarray        # (n_nodes,) of NODE_WORK_DTYPE
    group_work: np.ndarray  # (2, n_groups): capped and raw sums of each input group


def new_state(terms: PolicyArrays) -> EngineState:
    """Work arrays sized for ``terms``; aggregates start full."""
    work = np.zeros(terms.n_nodes, dtype=NODE_WORK_DTYPE)
    work["left"] = terms.nodes["aggregate_limit"]
    return EngineState(records(work), np.zeros((2, terms.n_groups), dtype=FLOAT))


class Declared(Protocol):
    """What the compiler reads of a policy (a :class:`~sim.policy.Policy`): its declared terms."""

    @property
    def sections(self) -> tuple[Section, ...]: ...

    @property
    def shared(self) -> tuple[SharedLimit, ...]: ...


Group = tuple[tuple[int, float, float], ...]  # (component index, cap per victim, per corporate)


@dataclass(frozen=True)
class Node:
    """What the compiler knows of one node, kept for reports (names, nesting)."""

    name: str
    label: str
    kind: str  # "section", "part" or "shared"
    depth: int
    parent: int
    event_limit: float
    aggregate_limit: float


@dataclass(frozen=True)
class CompiledPolicy:
    """One policy's nodes (for reports) and its arrays (for the kernels)."""

    nodes: tuple[Node, ...]
    arrays: PolicyArrays
    section_names: tuple[str, ...]
    groups: tuple[Group, ...]
    node_group: tuple[int, ...]


def _resolve_limits(policy: Declared) -> dict[tuple[str, str], float]:
    """Every node's (limit, aggregate) as numbers, following Share references."""
    declared: dict[tuple[str, str], object] = {}
    for node in _all_declared_nodes(policy):
        declared[(node.name, "limit")] = node.limit
        declared[(node.name, "aggregate")] = node.aggregate
    resolved: dict[tuple[str, str], float] = {}

    def resolve(key: tuple[str, str], chain: tuple[str, ...]) -> float:
        if key in resolved:
            return resolved[key]
        value = declared[key]
        if isinstance(value, Share):
            target = (value.of, value.basis)
            if target not in declared:
                names = sorted({name for name, _ in declared})
                raise InputError(f"{key[0]}.{key[1]}.of", f"{value.of!r} is not a section or shared "
                                 f"limit of this policy; allowed values: {', '.join(map(repr, names))}")
            if key[0] in chain:
                raise InputError(f"{key[0]}.{key[1]}", "derived limits refer to each other in a cycle: "
                                 + " -> ".join(chain + (key[0],)))
            value = min(value.at_most, value.share * resolve(target, chain + (key[0],)))
        resolved[key] = float(value)
        return resolved[key]

    for key in declared:
        resolve(key, ())
    return resolved


def _all_declared_nodes(policy: Declared) -> list[Section | SharedLimit]:
    nodes: list[Section | SharedLimit] = [s for section in policy.sections for s in section.walk()]
    return nodes + list(policy.shared)


def _cause_mask(causes: tuple[str, ...] | None) -> int:
    if causes is None:
        return ANY_CAUSE_MASK
    return sum(1 << CAUSE_INDEX[c] for c in causes)


def _incident_mask(incidents: tuple[str, ...] | None) -> int:
    if incidents is None:
        return ANY_INCIDENT_MASK
    return sum(1 << INCIDENT_INDEX[i] for i in incidents)


def _cap_row(component: str, cap) -> tuple[float, float]:
    """(yen per individual, yen per corporate victim) of a component's cap: money paid to one
    kind of victim counts only that kind (see :class:`~sim.policy.Cap`)."""
    if cap is None:
        return INF, INF
    kind = VICTIM_KIND.get(component)
    if kind == "individual":
        return cap.per_victim, 0.0
    if kind == "corporate":
        return 0.0, cap.corporate
    return cap.per_victim, cap.corporate


class _Builder:
    """Accumulates nodes and inputs of one policy in children-first order."""

    def __init__(self, limits: dict[tuple[str, str], float]):
        self.limits = limits
        self.nodes: list[Node] = []
        self.rows: list[tuple[float, float, int, int, int]] = []  # the MASK_FIELDS
        self.groups: list[Group] = []
        self.node_group: list[int] = []

    def add(self, decl: Section | SharedLimit, kind: str, depth: int) -> int:
        limit, aggregate = self.limits[(decl.name, "limit")], self.limits[(decl.name, "aggregate")]
        self.nodes.append(Node(decl.name, decl.label or decl.name, kind, depth, -1, limit, aggregate))
        if isinstance(decl, Section):
            self.rows.append((decl.deductible, decl.coinsurance, decl.trigger == "reported",
                              _cause_mask(decl.causes), _incident_mask(decl.incidents)))
        else:
            self.rows.append((0.0, 0.0, False, ANY_CAUSE_MASK, ANY_INCIDENT_MASK))
        self.node_group.append(-1)
        return len(self.nodes) - 1

    def add_section(self, section: Section, depth: int, kind: str = "section") -> int:
        children = [self.add_section(part, depth + 1, "part") for part in section.parts]
        j = self.add(section, kind, depth)
        for child in children:
            self.set_parent(child, j)
        group = []
        for comp in section.covers:
            group.append((COMPONENT_INDEX[comp], *_cap_row(comp, section.cap_for(comp))))
        if group:
            self.groups.append(tuple(sorted(group)))
            self.node_group[j] = len(self.groups) - 1
        return j

    def set_parent(self, child: int, parent: int) -> None:
        self.nodes[child] = replace(self.nodes[child], parent=parent)


def compile_policy(policy: Declared) -> CompiledPolicy:
    """Lay out one policy's nodes children first and convert its terms to arrays."""
    builder = _Builder(_resolve_limits(policy))
    shared_of = {name: sh for sh in policy.shared for name in sh.sections}
    section_index: dict[str, int] = {}
    depth0 = 1 if policy.shared else 0
    for section in policy.sections:  # sections under a shared limit are one level deeper
        section_index[section.name] = builder.add_section(
            section, depth0 if section.name in shared_of else 0)
    for shared in policy.shared:
        j = builder.add(shared, "shared", 0)
        for name in shared.sections:
            builder.set_parent(section_index[name], j)
    section_nodes = [section_index[s.name] for s in policy.sections]
    arrays = _to_arrays(builder.nodes, builder.rows, builder.groups, builder.node_group, section_nodes)
    return CompiledPolicy(tuple(builder.nodes), arrays, tuple(s.name for s in policy.sections),
                          tuple(builder.groups), tuple(builder.node_group))


def _to_arrays(nodes: list[Node], rows: list[tuple], groups: list[Group], node_group: list[int],
               section_nodes: list[int]) -> PolicyArrays:
    table = np.zeros(len(nodes), dtype=NODE_DTYPE)
    table["parent"] = [n.parent for n in nodes]
    table["group"] = node_group
    table["event_limit"] = [n.event_limit for n in nodes]
    table["aggregate_limit"] = [n.aggregate_limit for n in nodes]
    for i, field in enumerate(MASK_FIELDS):
        table[field] = [r[i] for r in rows]
    inputs = np.array([k for g in groups for k in g], dtype=INPUT_DTYPE)
    return PolicyArrays(
        nodes=records(table),
        group_start=np.cumsum([0] + [len(g) for g in groups]).astype(INT),
        inputs=records(inputs),
        section_node=np.array(section_nodes, dtype=INT),
        policy_section_start=np.array([0, len(section_nodes)], dtype=INT),
    )


def stack_policies(compiled: Sequence[CompiledPolicy],
                   components: Iterable[str] | None = None) -> PolicyArrays:
    """Lay several compiled policies side by side so that one kernel pass applies them all.

    Input groups that several policies share (e.g. JCCI sets A-D cover the same components) are
    stored, and summed per event, once. ``components``: the events' loss columns, when they hold
    only the components a loss model produces (the simulation's compact rows; default: every
    component in :data:`~sim.components.COMPONENTS` order). Inputs of the others are left out.
    """
    column = None if components is None else {COMPONENT_INDEX[c]: i for i, c in enumerate(components)}
    nodes: list[Node] = []
    rows: list[tuple] = []
    groups: dict[Group, int] = {}
    node_group: list[int] = []
    section_nodes: list[int] = []
    section_start = [0]
    for c in compiled:
        offset = len(nodes)
        nodes += [replace(n, parent=n.parent + offset if n.parent >= 0 else -1) for n in c.nodes]
        a = c.arrays
        rows += [tuple(r) for r in a.nodes[list(MASK_FIELDS)]]
        for g in c.node_group:
            group = () if g < 0 else _in_columns(c.groups[g], column)
            node_group.append(groups.setdefault(group, len(groups)) if group else -1)
        section_nodes += [int(j) + offset for j in a.section_node]
        section_start.append(len(section_nodes))
    keep = _reachable(nodes, node_group)
    new_index = np.cumsum(keep) - 1
    nodes = [replace(n, parent=int(new_index[n.parent]) if n.parent >= 0 else -1)
             for n, k in zip(nodes, keep) if k]
    rows = [r for r, k in zip(rows, keep) if k]
    node_group = [g for g, k in zip(node_group, keep) if k]
    arrays = _to_arrays(nodes, rows, list(groups), node_group, [int(new_index[j]) for j in section_nodes])
    return arrays._replace(policy_section_start=np.array(section_start, dtype=INT),
                           node_origin=np.flatnonzero(keep).astype(INT))


def _in_columns(group: Group, column: dict[int, int] | None) -> Group:
    """An input group with its components as loss columns (``None``: the full layout); inputs
    of components without a column are left out."""
    if column is None:
        return group
    return tuple(sorted((column[k[0]], *k[1:]) for k in group if k[0] in column))


def _reachable(nodes: list[Node], node_group: list[int]) -> np.ndarray:
    """Nodes that some event can reach: with inputs, or above one that has. Parts that no event
    can reach (e.g. court days the loss model never produces) are left out of the kernel pass;
    sections and shared limits always stay."""
    keep = np.array([g >= 0 or n.kind != "part" for n, g in zip(nodes, node_group)])
    has_input = np.array([g >= 0 for g in node_group])
    for j, n in enumerate(nodes):  # children come first
        if has_input[j] and n.parent >= 0:
            has_input[n.parent] = True
    return keep | has_input
