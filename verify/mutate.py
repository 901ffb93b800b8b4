"""Protocol mutants: small, well-formed changes to a built :class:`~verify.model.Model`,
for checking that the two engines agree on models nobody wrote by hand.

Four mutation operators, each on one action (or two, for a swap), each a
:class:`Mutation` with a one-line description:

* ``drop-flush``: an action whose text is a ``kvm_flush_remote_tlbs`` call (and whose
  effect writes something) becomes a no-op step (same pc move, empty effect).
* ``atomic-to-plain``: an ``…xchg`` or ``…cmpxchg_ok`` action on SPTE ``i`` stops seeing
  the SPTE's current value: its guard and effect are evaluated on a view of the state in
  which ``spte<i>`` reads as the value the actor loaded from it earlier (the actor's
  private 64-bit variable that one of its other steps sets to ``spte<i>``).  A
  ``try_cmpxchg`` whose compare is ``spte<i> == spte`` therefore always "succeeds" (a
  plain store of the computed value), and an ``xchg`` decides its flush / A-D
  propagation from the stale read instead of the value it swapped out.
* ``weaken-guard``: an action whose guard is not trivially true gets the guard ``true``
  (the pc still has to be at its source label).
* ``swap-steps``: two consecutive steps ``A: x→y``, ``B: y→z`` of one actor, where ``A``
  is the only step into ``y`` and ``B`` the only step out of it, run in the other order
  (``B: x→y``, ``A: y→z``).

Every guard and effect still goes through the :class:`~verify.expr.Ops` backend it is
given, so a mutant runs on the concrete MMU and in the SMT encoding alike.  A mutant keeps
the action ids (= positions), labels, variables, actors and properties of its model, so it
is well-formed (:func:`check_well_formed`).  Mutated actions lose their ``local`` mark,
but a mutation can still make another actor's local step unsafe for the reduction (a
weakened guard may read anything): check mutants with ``reduction=False``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import z3

from verify.engines.reduction import symbolic_state
from verify.expr import Ops, Z3Ops
from verify.model import Action, Guard, Model, St

FLUSH_CALL = "kvm_flush_remote_tlbs"
KINDS = ("drop-flush", "atomic-to-plain", "weaken-guard", "swap-steps")

Rewrite = Callable[[list[Action]], bool]


@dataclass(frozen=True)
class Mutation:
    """One change to a model: ``kind`` (one of :data:`KINDS`), the ids of the actions it
    changes, a one-line description, and the rewrite of the action list (in place;
    returns False if it no longer applies to that list)."""

    kind: str
    actions: tuple[int, ...]
    description: str
    rewrite: Rewrite


class _Aliased(St):
    """A state view in which some variables read as others."""

    __slots__ = ("_alias", "_base")

    def __init__(self, base: St, alias: Mapping[str, str]) -> None:
        super().__init__({})
        self._base = base
        self._alias = alias

    def __getitem__(self, name: str) -> Any:
        return self._base[self._alias.get(name, name)]

    def get(self, name: str) -> Any:
        return self[name]


def _no_effect(o: Ops[Any, Any], st: St) -> dict[str, Any]:
    return {}


def _true_guard(o: Ops[Any, Any], st: St) -> Any:
    return o.true()


def _aliased_guard(guard: Guard, alias: dict[str, str]) -> Guard:
    return lambda o, st: guard(o, _Aliased(st, alias))


def _aliased_effect(effect: Callable[[Ops[Any, Any], St], dict[str, Any]],
                    alias: dict[str, str]) -> Callable[[Ops[Any, Any], St], dict[str, Any]]:
    return lambda o, st: effect(o, _Aliased(st, alias))


class _Symbolic:
    """The model's actions on a symbolic state, for deciding which mutations apply."""

    def __init__(self, model: Model) -> None:
        self.o = Z3Ops(z3.Context())
        self.sym = symbolic_state(model, self.o, "")
        self.st = St(self.sym)

    def guard_trivial(self, a: Action) -> bool:
        g = a.guard(self.o, self.st)
        if not isinstance(g, z3.ExprRef):
            return bool(g)
        return bool(z3.is_true(z3.simplify(g)))

    def writes(self, a: Action) -> dict[str, Any]:
        return a.effect(self.o, self.st)


def spte_var(model: Model, a: Action) -> str | None:
    """The state variable of the SPTE ``a`` reads or writes (``spte<i>``), if any."""
    if a.spte is None:
        return None
    name = f"spte{a.spte}"
    return name if name in model.var_index else None


def read_var(model: Model, a: Action, sym: _Symbolic | None = None) -> str | None:
    """The private 64-bit variable of ``a``'s actor that another of its steps loads from
    ``a``'s SPTE (``x = READ_ONCE(*sptep)``); of several, the one whose name shares the
    longest prefix with ``a``'s label (the read of the same sub-procedure)."""
    sv = spte_var(model, a)
    if sv is None:
        return None
    sym = sym if sym is not None else _Symbolic(model)
    target = sym.sym[sv]
    found: set[str] = set()
    for b in model.actions:
        if b.actor != a.actor or b.id == a.id:
            continue
        for name, val in sym.writes(b).items():
            v = model.vars[model.var_index[name]]
            if (v.owner == a.actor and v.width == 64 and isinstance(val, z3.ExprRef)
                    and val.eq(target)):
                found.add(name)
    if not found:
        return None

    def shared(name: str) -> int:
        n = 0
        for x, y in zip(name, a.label, strict=False):
            if x != y:
                break
            n += 1
        return n

    return max(sorted(found), key=shared)


# -- the operators --------------------------------------------------------------------------


def _drop_flush(a: Action) -> Mutation:
    def rw(acts: list[Action]) -> bool:
        acts[a.id] = replace(acts[a.id], effect=_no_effect, local=False)
        return True
    return Mutation("drop-flush", (a.id,), f"drop flush: {a.label} ({a.text}) does nothing",
                    rw)


def _atomic_to_plain(a: Action, spte: str, old: str) -> Mutation:
    alias = {spte: old}

    def rw(acts: list[Action]) -> bool:
        cur = acts[a.id]
        acts[a.id] = replace(cur, guard=_aliased_guard(cur.guard, alias),
                             effect=_aliased_effect(cur.effect, alias), local=False)
        return True
    return Mutation("atomic-to-plain", (a.id,),
                    f"atomic to plain: {a.label} acts on the earlier read {old} instead of "
                    f"{spte}", rw)


def _weaken_guard(a: Action) -> Mutation:
    def rw(acts: list[Action]) -> bool:
        acts[a.id] = replace(acts[a.id], guard=_true_guard, local=False)
        return True
    return Mutation("weaken-guard", (a.id,), f"weaken guard: {a.label} ({a.text}) always "
                    f"enabled at {a.actor}:{a.src}", rw)


def _swappable(acts: Sequence[Action], first: int, second: int) -> bool:
    a, b = acts[first], acts[second]
    if a.actor != b.actor or a.dst != b.src or a.src == a.dst or b.src == b.dst:
        return False
    mid = a.dst
    ins = [c.id for c in acts if c.actor == a.actor and c.dst == mid]
    outs = [c.id for c in acts if c.actor == a.actor and c.src == mid]
    return ins == [a.id] and outs == [b.id]


def _swap_steps(a: Action, b: Action) -> Mutation:
    def rw(acts: list[Action]) -> bool:
        if not _swappable(acts, a.id, b.id):
            return False
        x, y, z = acts[a.id].src, acts[a.id].dst, acts[b.id].dst
        acts[b.id] = replace(acts[b.id], src=x, dst=y, local=False)
        acts[a.id] = replace(acts[a.id], src=y, dst=z, local=False)
        return True
    return Mutation("swap-steps", (a.id, b.id),
                    f"swap steps: {b.label} ({b.text}) runs before {a.label} ({a.text})", rw)


def candidates(model: Model) -> list[Mutation]:
    """Every single mutation that applies to ``model`` (in action order, by kind)."""
    sym = _Symbolic(model)
    out: list[Mutation] = []
    for a in model.actions:
        if FLUSH_CALL in a.text and sym.writes(a):
            out.append(_drop_flush(a))
        if a.name.endswith("xchg") or a.name.endswith("cmpxchg_ok"):
            sv = spte_var(model, a)
            old = read_var(model, a, sym)
            if sv is not None and old is not None:
                out.append(_atomic_to_plain(a, sv, old))
        if not sym.guard_trivial(a):
            out.append(_weaken_guard(a))
    for a in model.actions:
        for b in model.actions:
            if _swappable(model.actions, a.id, b.id):
                out.append(_swap_steps(a, b))
    return out


def mutate(model: Model, mutations: Sequence[Mutation]) -> Model | None:
    """A new model with ``mutations`` applied in order (None if one no longer applies).
    The original model is not changed."""
    acts = list(model.actions)
    for m in mutations:
        if not m.rewrite(acts):
            return None
    name = f"{model.name}~" + "+".join(f"{m.kind}:{','.join(str(i) for i in m.actions)}"
                                       for m in mutations)
    summary = model.summary + " — mutant: " + "; ".join(m.description for m in mutations)
    out = Model(name, summary, list(model.vars), acts, list(model.properties),
                list(model.actors), dict(model.params))
    check_well_formed(out)
    return out


def check_well_formed(model: Model) -> None:
    """Raise ValueError unless action ids are positions, labels are unique and every pc
    label is one of its actor's."""
    labels: dict[str, tuple[str, ...]] = {a.name: a.labels for a in model.actors}
    seen: set[str] = set()
    for i, a in enumerate(model.actions):
        if a.id != i:
            raise ValueError(f"{model.name}: action {a.label} has id {a.id} at position {i}")
        if a.label in seen:
            raise ValueError(f"{model.name}: duplicate action label {a.label}")
        seen.add(a.label)
        if a.actor not in labels or a.src not in labels[a.actor] or \
                a.dst not in labels[a.actor]:
            raise ValueError(f"{model.name}: action {a.label} moves between unknown labels "
                             f"{a.src}->{a.dst}")


def random_mutants(model: Model, rng: random.Random, n: int, *,
                   max_mutations: int = 2) -> Iterator[tuple[str, Model]]:
    """Up to ``n`` distinct random mutants of ``model``, as (description, mutant).

    Each mutant applies 1 to ``max_mutations`` mutations to distinct actions; the kind of
    each is drawn uniformly among the kinds that apply (so the few flushes and atomics are
    not swamped by guards), then the mutation within the kind.  Stops early if no new
    mutant turns up (the space of small models is finite)."""
    cands = candidates(model)
    by_kind: dict[str, list[Mutation]] = {}
    for c in cands:
        by_kind.setdefault(c.kind, []).append(c)
    kinds = [k for k in KINDS if k in by_kind]
    if not kinds or n <= 0:
        return
    seen: set[tuple[str, ...]] = set()
    made = 0
    misses = 0
    while made < n and misses < 200:
        count = 1 if max_mutations <= 1 or rng.random() < 0.6 else \
            rng.randint(2, max_mutations)
        chosen: list[Mutation] = []
        used: set[int] = set()
        for _ in range(count):
            pool = [c for c in by_kind[rng.choice(kinds)] if not used & set(c.actions)]
            if not pool:
                continue
            c = rng.choice(pool)
            chosen.append(c)
            used.update(c.actions)
        key = tuple(sorted(c.description for c in chosen))
        if not chosen or key in seen:
            misses += 1
            continue
        seen.add(key)
        mutant = mutate(model, chosen)
        if mutant is None:
            misses += 1
            continue
        misses = 0
        made += 1
        yield "; ".join(c.description for c in chosen), mutant
