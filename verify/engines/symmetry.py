"""Symmetry between interchangeable vCPUs: the claim a scenario makes, proved before use.

A scenario may declare its vCPUs alike (:attr:`verify.model.Model.symmetry`: one block
of variables per vCPU, aligned).  For every transposition τ of vCPU 0 with vCPU v --
they generate every permutation -- this module proves with z3, on a symbolic state s:

* each action a of vCPU 0 or v has an image τa (the same action of the other vCPU),
  every other action is its own image, and ``enabled(τs, τa) = enabled(s, a)``,
  ``step(τs, τa) = τ step(s, a)`` on every variable;
* every property: ``violated(τs) = violated(s)``;
* the initial set is closed under τ (the initial values line up; a free initial set's
  masks and constraint too).

Then τ is an automorphism of the transition system and of the properties, and so is
every permutation of the vCPUs: a property holds in every reachable state iff it holds in
one state of every reachable orbit.  The fast engine uses that by giving all states of
an orbit one fingerprint (a multiset hash of the vCPU blocks, :mod:`verify.engines.fast`),
so it stores and expands one state per orbit; its witnesses are real paths and replay
as they are.  With the local-step reduction on as well, the quotient has no cycle of
local steps either (every local step moves one actor forward in its acyclic local
graph, a sum over all actors that no vCPU permutation changes), so the pair stays sound.
"""

from __future__ import annotations

from typing import Any

import z3

from verify.engines.reduction import symbolic_state
from verify.errors import InputError
from verify.expr import Z3Ops
from verify.interrupt import check_unknown
from verify.model import Action, Model, St

_CACHE: dict[int, tuple[Model, list[str]]] = {}


def _swap(model: Model, v: int) -> dict[str, str]:
    blocks = model.symmetry
    m: dict[str, str] = {}
    for x, y in zip(blocks[0], blocks[v], strict=True):
        m[x], m[y] = y, x
    return m


def _actor_swap(model: Model, tau: dict[str, str]) -> dict[str, str]:
    """Actors swap where their pcs do."""
    out: dict[str, str] = {}
    for info in model.actors:
        pc = model.pc_var(info.name)
        if pc in tau:
            out[info.name] = tau[pc][: -len(".pc")]
    return out


def check_symmetry(model: Model, timeout_ms: int = 10000) -> list[str]:
    """Problems with the model's declared vCPU symmetry (empty: proved)."""
    hit = _CACHE.get(id(model))
    if hit is not None and hit[0] is model:
        return list(hit[1])
    problems: list[str] = []
    blocks = model.symmetry
    if len(blocks) < 2:
        problems.append("no symmetry declared")
    elif any(len(b) != len(blocks[0]) for b in blocks):
        problems.append("vCPU blocks of different sizes")
    else:
        for v in range(1, len(blocks)):
            problems.extend(_check_tau(model, v, timeout_ms))
            if problems:
                break
    _CACHE[id(model)] = (model, problems)
    return list(problems)


def _check_tau(model: Model, v: int, timeout_ms: int) -> list[str]:
    tau = _swap(model, v)
    vars_ = {x.name: x for x in model.vars}
    for x, y in tau.items():
        if x not in vars_ or y not in vars_:
            return [f"symmetry names an unknown variable {x if x not in vars_ else y}"]
        vx, vy = vars_[x], vars_[y]
        if vx.width != vy.width or vx.init != vy.init or vx.ghost != vy.ghost:
            return [f"{x} and {y} differ in width, initial value or ghost flag"]
    if model.init_set is not None:
        free = model.init_set.free
        if any(free.get(x, 0) != free.get(y, 0) for x, y in tau.items()):
            return ["the initial set's free bits are not symmetric"]
    actors = _actor_swap(model, tau)
    by_label = {a.label: a for a in model.actions}

    def image(a: Action) -> Action | None:
        other = actors.get(a.actor)
        if other is None:
            return a
        return by_label.get(f"{other}.{a.name}")

    o = Z3Ops(z3.Context())
    sym = symbolic_state(model, o, "")
    st = St(sym)
    tst = St({n: sym[tau.get(n, n)] for n in sym})   # the state τs
    problems: list[str] = []

    def unsat(goal: Any, what: str) -> None:
        s = z3.Solver(ctx=o.ctx)
        s.set("timeout", timeout_ms)
        s.add(goal)
        r = s.check()
        if r == z3.unknown:  # z3 answers Ctrl-C with unknown
            check_unknown(s.reason_unknown())
        if r == z3.sat:
            problems.append(f"not symmetric: {what}")
        elif r != z3.unsat:
            problems.append(f"could not prove symmetric: {what} ({r})")

    if model.init_set is not None:
        unsat(z3.Xor(model.init_set.constraint(o, st), model.init_set.constraint(o, tst)),
              "the initial set's constraint")
    for p in model.properties:
        unsat(z3.Xor(model.violated(o, st, p), model.violated(o, tst, p)), f"property {p.name}")
    for a in model.actions:
        b = image(a)
        if b is None:
            problems.append(f"action {a.label} has no image for vCPU 0 <-> {v}")
            continue
        en_a = model.enabled(o, st, a)
        en_b = model.enabled(o, tst, b)
        after = dict(sym)
        after.update(model.step(o, st, a))
        tafter = {n: sym[tau.get(n, n)] for n in sym}
        tafter.update(model.step(o, tst, b))
        same = [tafter[n] == after[tau.get(n, n)] for n in sym]
        unsat(z3.Or(z3.Xor(en_a, en_b), z3.And(en_a, z3.Not(z3.And(*same)))),
              f"action {a.label} vs {b.label}")
        if problems:
            break
    return problems


def use_symmetry(model: Model, wanted: bool) -> bool:
    """Whether an engine asked for the reduction (``wanted``) may use the model's declared
    symmetry: False when none is declared; an :class:`InputError` when the claim does not
    hold (a declared symmetry is never silently dropped)."""
    if not wanted or len(model.symmetry) < 2:
        return False
    problems = check_symmetry(model)
    if problems:
        raise InputError(f"model {model.name}: declared vCPU symmetry not proved: "
                         + "; ".join(problems) + " (run with --no-symmetry)")
    return True


__all__ = ["check_symmetry", "use_symmetry"]
