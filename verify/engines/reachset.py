"""The exhausted state space as an inductive invariant: a decision diagram over the
state variables, printed as an SMT-LIB formula.

When the explicit explorer exhausts a model, the set ``R`` of its reachable states (of
the reduced system both engines check, from every state of the initial set) is closed
under the transition relation and contains every initial state; if no state of ``R`` is
bad, ``R`` itself is an inductive invariant that proves the property.  This module turns
``R`` into a formula a second solver can check: a multi-valued decision diagram with the
variables in model order, equal sub-diagrams shared (hash-consed), each node an
``ite`` chain over the values of its variable.  The three implications
(:mod:`verify.proofs.recheck`) then show, independently of the explorer, that the set is
initial-complete, closed and safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import z3

from verify.engines.replay import State

TRUE = 0
FALSE = -1


@dataclass
class Diagram:
    """Node ``k`` (``k >= 1``) is ``(var index, ((value, child), ...))``; 0 is true and
    -1 false; ``root`` is the whole set."""

    nodes: dict[int, tuple[int, tuple[tuple[Any, int], ...]]]
    root: int
    states: int

    @property
    def size(self) -> int:
        return len(self.nodes)


def build(states: Iterable[State], width: int) -> Diagram:
    """The diagram of a set of state tuples of ``width`` variables."""
    unique: dict[tuple[int, tuple[tuple[Any, int], ...]], int] = {}
    nodes: dict[int, tuple[int, tuple[tuple[Any, int], ...]]] = {}
    memo: dict[tuple[int, frozenset[State]], int] = {}

    def node(i: int, suffixes: frozenset[State]) -> int:
        if i == width:
            return TRUE
        key = (i, suffixes)
        hit = memo.get(key)
        if hit is not None:
            return hit
        groups: dict[Any, set[State]] = {}
        for t in suffixes:
            groups.setdefault(t[0], set()).add(t[1:])
        kids = tuple(sorted(((v, node(i + 1, frozenset(g))) for v, g in groups.items()),
                            key=lambda e: (str(type(e[0])), e[0])))
        shape = (i, kids)
        k = unique.get(shape)
        if k is None:
            k = len(unique) + 1
            unique[shape] = k
            nodes[k] = shape
        memo[key] = k
        return k

    all_states = frozenset(states)
    root = node(0, all_states) if all_states else FALSE
    return Diagram(nodes, root, len(all_states))


def to_z3(d: Diagram, xs: list[Any]) -> z3.BoolRef:
    """The diagram as a z3 formula over the state constants ``xs`` (shared nodes stay
    shared in z3's DAG)."""
    ctx = xs[0].ctx
    made: dict[int, Any] = {TRUE: z3.BoolVal(True, ctx), FALSE: z3.BoolVal(False, ctx)}
    for k in sorted(d.nodes):  # children are numbered before parents
        i, kids = d.nodes[k]
        x = xs[i]
        body: Any = z3.BoolVal(False, ctx)
        for v, child in reversed(kids):
            lit = (x if v else z3.Not(x)) if z3.is_bool(x) else \
                (x == z3.BitVecVal(int(v), x.size(), ctx))
            body = z3.If(lit, made[child], body)
        made[k] = body
    out = made[d.root]
    assert isinstance(out, z3.BoolRef)
    return out
