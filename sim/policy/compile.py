"""Compile policies once into flat arrays (:class:`PolicyArrays`) that the kernels loop over.

Several policies compile into one set of arrays: their node forests are simply laid side by
side, so one pass over the events applies every policy (common random numbers for free).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .._dtypes import FLOAT, INT
from .._errors import InputError
from ..components import CAUSE_INDEX, COMPONENT_INDEX, UNSPECIFIED_CAUSE
from .terms import INF, Section, Share, SharedLimit

if TYPE_CHECKING:
    from .policy import Policy

ANY_CAUSE_MASK = (1 << (UNSPECIFIED_CAUSE + 1)) - 1


class PolicyArrays(NamedTuple):
    """Terms of one or more policies as flat arrays; nodes are ordered children first.

    Node arrays have shape ``(n_nodes,)``, input arrays ``(n_inputs,)`` (one input per covered
    component), ``section_node`` ``(n_sections,)`` and ``policy_section_start``
    ``(n_policies + 1,)``: the sections of policy ``i`` are
    ``policy_section_start[i]:policy_section_start[i + 1]``.
    """

    parent: np.ndarray
    deductible: np.ndarray
    coinsurance: np.ndarray
    event_limit: np.ndarray
    aggregate_limit: np.ndarray
    needs_report: np.ndarray
    cause_mask: np.ndarray
    input_node: np.ndarray
    input_component: np.ndarray
    input_cap_victim: np.ndarray
    input_cap_corporate: np.ndarray
    section_node: np.ndarray
    policy_section_start: np.ndarray


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


def _resolve_limits(policy: "Policy") -> dict[tuple[str, str], float]:
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


def _all_declared_nodes(policy: "Policy") -> list[Section | SharedLimit]:
    nodes: list[Section | SharedLimit] = [s for section in policy.sections for s in section.walk()]
    return nodes + list(policy.shared)


def _cause_mask(causes: tuple[str, ...] | None) -> int:
    if causes is None:
        return ANY_CAUSE_MASK
    return sum(1 << CAUSE_INDEX[c] for c in causes)


class _Builder:
    """Accumulates nodes and inputs of one policy in children-first order."""

    def __init__(self, limits: dict[tuple[str, str], float]):
        self.limits = limits
        self.nodes: list[Node] = []
        self.rows: list[tuple[float, float, int, int]] = []  # deductible, coins, report, mask
        self.inputs: list[tuple[int, int, float, float]] = []

    def add(self, decl: Section | SharedLimit, kind: str, depth: int) -> int:
        limit, aggregate = self.limits[(decl.name, "limit")], self.limits[(decl.name, "aggregate")]
        self.nodes.append(Node(decl.name, decl.label or decl.name, kind, depth, -1, limit, aggregate))
        if isinstance(decl, Section):
            self.rows.append((decl.deductible, decl.coinsurance, decl.trigger == "reported",
                              _cause_mask(decl.causes)))
        else:
            self.rows.append((0.0, 0.0, False, ANY_CAUSE_MASK))
        return len(self.nodes) - 1

    def add_section(self, section: Section, depth: int, kind: str = "section") -> int:
        children = [self.add_section(part, depth + 1, "part") for part in section.parts]
        j = self.add(section, kind, depth)
        for child in children:
            self.set_parent(child, j)
        for comp in section.covers:
            cap = section.caps.get(comp)
            cap_v, cap_c = (cap.per_victim, cap.corporate) if cap else (INF, INF)
            self.inputs.append((j, COMPONENT_INDEX[comp], cap_v, cap_c))
        return j

    def set_parent(self, child: int, parent: int) -> None:
        node = self.nodes[child]
        self.nodes[child] = Node(node.name, node.label, node.kind, node.depth, parent,
                                 node.event_limit, node.aggregate_limit)


def compile_policy(policy: "Policy") -> CompiledPolicy:
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
    arrays = _to_arrays(builder, [section_index[s.name] for s in policy.sections])
    return CompiledPolicy(tuple(builder.nodes), arrays, tuple(s.name for s in policy.sections))


def _to_arrays(builder: _Builder, section_nodes: list[int]) -> PolicyArrays:
    rows = np.array(builder.rows, dtype=FLOAT).reshape(-1, 4)
    inputs = np.array(builder.inputs, dtype=FLOAT).reshape(-1, 4)
    nodes = builder.nodes
    return PolicyArrays(
        parent=np.array([n.parent for n in nodes], dtype=INT),
        deductible=rows[:, 0].copy(),
        coinsurance=rows[:, 1].copy(),
        event_limit=np.array([n.event_limit for n in nodes], dtype=FLOAT),
        aggregate_limit=np.array([n.aggregate_limit for n in nodes], dtype=FLOAT),
        needs_report=rows[:, 2].astype(np.bool_),
        cause_mask=np.array([r[3] for r in builder.rows], dtype=INT),
        input_node=inputs[:, 0].astype(INT),
        input_component=inputs[:, 1].astype(INT),
        input_cap_victim=inputs[:, 2].copy(),
        input_cap_corporate=inputs[:, 3].copy(),
        section_node=np.array(section_nodes, dtype=INT),
        policy_section_start=np.array([0, len(section_nodes)], dtype=INT),
    )


def stack_policies(compiled: Sequence[CompiledPolicy]) -> PolicyArrays:
    """Lay several compiled policies side by side so that one kernel pass applies them all."""
    node_offset = np.cumsum([0] + [c.arrays.parent.shape[0] for c in compiled])
    section_offset = np.cumsum([0] + [c.arrays.section_node.shape[0] for c in compiled])

    def cat(field: str, shift: np.ndarray | None = None) -> np.ndarray:
        parts = [getattr(c.arrays, field) for c in compiled]
        if shift is not None:
            parts = [np.where(p >= 0, p + off, p) for p, off in zip(parts, shift)]
        return np.ascontiguousarray(np.concatenate(parts))

    shifted = {"parent": node_offset, "input_node": node_offset, "section_node": node_offset}
    fields = {f: cat(f, shifted.get(f)) for f in PolicyArrays._fields if f != "policy_section_start"}
    return PolicyArrays(**fields, policy_section_start=section_offset.astype(INT))
