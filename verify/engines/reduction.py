"""The local-step reduction shared by both engines, and the build-time check that makes it
sound for a given model.

The reduction
-------------
An action marked ``local=True`` touches only its actor's private variables.  In a state
where some local action is enabled, only the enabled local action with the lowest ``id``
is explored (:func:`reduce_enabled`); with the reduction off every enabled action is.
The explicit explorer applies exactly this rule to its successor lists and the SMT
encoding adds exactly this constraint on the scheduler choice, so both engines explore
the same reduced transition system and report the same depths.

Why it is sound (a persistent set of size one of invisible actions)
-------------------------------------------------------------------
:func:`check_reduction` verifies, for every local action ``a`` of actor ``A``:

1. *Private footprint*: every variable ``a`` reads (guard, effect, pc) or writes
   (effect + pc move) is owned by ``A``.
2. *Determinism at its label*: no other action of ``A`` leaves ``a.src``, so while ``A``
   sits at ``a.src`` its only possible move is ``a``.
3. *Independence*: no action of another actor writes a variable ``a`` reads or writes,
   or reads a variable ``a`` writes.  Hence ``a`` commutes with every other actor's
   action, other actors cannot enable or disable ``a``, and ``a`` cannot enable or
   disable them.
4. *Invisibility*: for every property ``p``, ``enabled(a, s) ⇒ (violated(p, s) ⇔
   violated(p, step(s, a)))`` is valid (proved with z3 over all states, including the
   quiescence condition of quiescent properties).  So ``a`` is a stuttering step for
   every property.
5. *No local cycle*: the local actions of each actor form an acyclic graph on its pc
   labels, so a run can take only finitely many local steps in a row and no other action
   is postponed forever (the "ignoring" problem cannot arise).

From 1–3, in any state where ``a`` is enabled, every run from that state either takes
``a`` or consists only of other actors' actions, all independent of ``a``: ``{a}`` is a
persistent set.  By 4, moving ``a`` earlier in a run only inserts/removes stuttering for
every property, so a state violating ``p`` is reachable in the full system iff one is
reachable in the reduced one; by 5 the reduced search is finite-branching without
starvation.  Verdicts over the whole reachable state space are therefore preserved.

Bounded depths: the reduced system may need more steps to reach an equivalent violating
state (a pending local step must be taken first), at most the number of pending local
steps more.  Both engines use the same reduced system, so their depths agree with each
other; a bounded HOLDS with the reduction on and off can differ near the bound, while a
PROVED (state space exhausted) or a VIOLATED verdict cannot change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import z3

from verify.errors import InputError
from verify.expr import Z3Ops
from verify.interrupt import check_unknown
from verify.model import Action, Model, St


@dataclass(frozen=True)
class Footprint:
    reads: frozenset[str]
    writes: frozenset[str]


def symbolic_state(model: Model, o: Z3Ops, suffix: str) -> dict[str, Any]:
    """z3 constants ``name<suffix>`` for every state variable."""
    out: dict[str, Any] = {}
    for v in model.vars:
        nm = f"{v.name}{suffix}"
        out[v.name] = (z3.Bool(nm, o.ctx) if v.is_bool else z3.BitVec(nm, v.width, o.ctx))
    return out


def term_vars(terms: Sequence[Any]) -> set[str]:
    """Names of the uninterpreted constants occurring in z3 ``terms``."""
    seen: set[int] = set()
    names: set[str] = set()
    stack = [t for t in terms if isinstance(t, z3.ExprRef)]
    while stack:
        t = stack.pop()
        k = t.get_id()
        if k in seen:
            continue
        seen.add(k)
        if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            names.add(t.decl().name())
            continue
        stack.extend(t.children())
    return names


def footprints(model: Model) -> dict[int, Footprint]:
    """Reads and writes of every action, from its symbolic guard and effect."""
    o = Z3Ops(z3.Context())
    sym = symbolic_state(model, o, "")
    st = St(sym)
    out: dict[int, Footprint] = {}
    for a in model.actions:
        upd = model.step(o, st, a)
        reads = term_vars([model.enabled(o, st, a), *upd.values()])
        out[a.id] = Footprint(frozenset(reads), frozenset(upd))
    return out


def reduce_enabled(enabled: Sequence[Action]) -> Sequence[Action]:
    """The reduction rule: if a local action is enabled, only the lowest-id one."""
    best: Action | None = None
    for a in enabled:
        if a.local and (best is None or a.id < best.id):
            best = a
    return enabled if best is None else (best,)


_CACHE: dict[int, tuple[Model, list[str]]] = {}


def check_reduction(model: Model, timeout_ms: int = 10000) -> list[str]:
    """Problems that make the local-step reduction unsound for ``model`` (empty = safe)."""
    hit = _CACHE.get(id(model))
    if hit is not None and hit[0] is model:
        return list(hit[1])
    problems: list[str] = []
    locals_ = [a for a in model.actions if a.local]
    if locals_:
        fps = footprints(model)
        owner = {v.name: v.owner for v in model.vars}
        for a in locals_:
            fa = fps[a.id]
            foreign = sorted(n for n in fa.reads | fa.writes if owner.get(n) != a.actor)
            if foreign:
                problems.append(f"local action {a.label} touches variables not private to "
                                f"{a.actor}: {', '.join(foreign)}")
            same = [b.label for b in model.actions
                    if b.id != a.id and b.actor == a.actor and b.src == a.src]
            if same:
                problems.append(f"local action {a.label} shares its label {a.actor}:{a.src} "
                                f"with {', '.join(same)}")
            for b in model.actions:
                if b.actor == a.actor:
                    continue
                fb = fps[b.id]
                clash = (fb.writes & (fa.reads | fa.writes)) | (fb.reads & fa.writes)
                if clash:
                    problems.append(f"local action {a.label} conflicts with {b.label} on "
                                    f"{', '.join(sorted(clash))}")
        problems.extend(_local_cycles(model, locals_))
        problems.extend(_visibility(model, locals_, timeout_ms))
    _CACHE[id(model)] = (model, problems)
    return list(problems)


_AMPLE: dict[int, tuple[Model, frozenset[tuple[str, str]]]] = {}


def ample_labels(model: Model, timeout_ms: int = 10000) -> frozenset[tuple[str, str]]:
    """The (actor, pc label) pairs where the fast engines' ample-set reduction may take
    only that actor's enabled actions: every action of the actor at that label has a
    private footprint (variables of its own that no other actor reads or writes, pc
    included), is invisible to every property (z3, as for local actions), and these
    labels' actions form no cycle in the actor's control graph.  This generalises the
    local-step rule: a local action's label qualifies; so does a label with several
    guarded private branches (a persistent set of all of them; no other actor can enable,
    disable or be affected by any of them)."""
    hit = _AMPLE.get(id(model))
    if hit is not None and hit[0] is model:
        return hit[1]
    fps = footprints(model)
    owner = {v.name: v.owner for v in model.vars}
    touched: dict[str, set[str]] = {}
    for a in model.actions:
        for n in fps[a.id].reads | fps[a.id].writes:
            touched.setdefault(n, set()).add(a.actor)
    at: dict[tuple[str, str], list[Action]] = {}
    for a in model.actions:
        at.setdefault((a.actor, a.src), []).append(a)

    def private(a: Action) -> bool:
        f = fps[a.id]
        return all(owner.get(n) == a.actor and touched.get(n, set()) <= {a.actor}
                   for n in f.reads | f.writes)

    good = {k for k, acts in at.items() if all(private(a) for a in acts)}
    acts = [a for k in good for a in at[k]]
    problems = _visibility(model, acts, timeout_ms)
    good = {k for k in good
            if not any(f"action {a.label} " in p for a in at[k] for p in problems)}
    # no cycle through qualifying labels (else a run could stay in them forever)
    while True:
        edges: dict[tuple[str, str], set[tuple[str, str]]] = {}
        for k in good:
            for a in at[k]:
                if (a.actor, a.dst) in good:
                    edges.setdefault(k, set()).add((a.actor, a.dst))
        on_cycle = _cyclic_nodes(edges)
        if not on_cycle:
            break
        good -= on_cycle
    out = frozenset(good)
    _AMPLE[id(model)] = (model, out)
    return out


def _cyclic_nodes(edges: dict[tuple[str, str], set[tuple[str, str]]]
                  ) -> set[tuple[str, str]]:
    """Nodes that lie on some cycle (Tarjan's strongly connected components)."""
    index: dict[tuple[str, str], int] = {}
    low: dict[tuple[str, str], int] = {}
    stack: list[tuple[str, str]] = []
    on: set[tuple[str, str]] = set()
    out: set[tuple[str, str]] = set()
    counter = [0]

    def visit(v: tuple[str, str]) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in edges.get(v, ()):
                out.update(comp)

    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def require_reduction_safe(model: Model) -> None:
    """Raise :class:`InputError` if the reduction is unsound for ``model``."""
    problems = check_reduction(model)
    if problems:
        raise InputError(f"model {model.name}: local-step reduction unsound: "
                         + "; ".join(problems) + " (fix the model or disable the reduction)")


def _local_cycles(model: Model, locals_: Sequence[Action]) -> list[str]:
    edges: dict[tuple[str, str], set[str]] = {}
    for a in locals_:
        edges.setdefault((a.actor, a.src), set()).add(a.dst)
    problems: list[str] = []
    state: dict[tuple[str, str], int] = {}  # 1 = on stack, 2 = done

    def dfs(node: tuple[str, str]) -> bool:
        state[node] = 1
        for dst in edges.get(node, ()):
            nxt = (node[0], dst)
            s = state.get(nxt, 0)
            if s == 1 or (s == 0 and dfs(nxt)):
                return True
        state[node] = 2
        return False

    for node in sorted(edges):
        if state.get(node, 0) == 0 and dfs(node):
            problems.append(f"actor {node[0]} has a cycle of local actions through {node[1]}")
    return problems


def _visibility(model: Model, locals_: Sequence[Action], timeout_ms: int) -> list[str]:
    o = Z3Ops(z3.Context())
    sym = symbolic_state(model, o, "")
    st = St(sym)
    problems: list[str] = []
    for a in locals_:
        after = dict(sym)
        after.update(model.step(o, st, a))
        st2 = St(after)
        en = model.enabled(o, st, a)
        for p in model.properties:
            s = z3.Solver(ctx=o.ctx)
            s.set("timeout", timeout_ms)
            s.add(en, z3.Xor(model.violated(o, st, p), model.violated(o, st2, p)))
            r = s.check()
            if r == z3.unknown:  # z3 answers Ctrl-C with unknown
                check_unknown(s.reason_unknown())
            if r == z3.sat:
                problems.append(f"local action {a.label} is visible to property {p.name}")
            elif r != z3.unsat:
                problems.append(f"could not show local action {a.label} invisible to "
                                f"property {p.name} ({r})")
    return problems
