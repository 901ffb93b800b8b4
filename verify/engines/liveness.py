"""Dead-variable reduction: forget what an actor will never read again.

An actor's private variable ``x`` is *dead* at a pc label ``l`` when every path of that
actor from ``l`` writes ``x`` before it reads it (or never reads it again).  Two states
that differ only in dead variables have the same future, step for step: the same actions
are enabled, they compute the same values, and -- because only variables that no other
actor and no property reads are candidates -- the same properties hold.  So an engine
may store every state with its dead variables set back to their initial values.  SPIN
does the same by default (its dead-variable elimination); here the analysis is
syntactic, from each action's read and write sets (:func:`~verify.engines.reduction.
footprints`, which read the very z3 terms of the guard and effect):

    live(l, x)  ⇔  ∃ action a of the actor from l:
                   x ∈ reads(a)  ∨  (x ∉ writes(a) ∧ live(a.dst, x))

as a least fixpoint.  :func:`dead_resets` gives, per action, the variables that are dead
where it lands; the fast engine adds those resets to the action's effect.  The witness is
still a real schedule: the forgotten values are never read, so replay from the real
initial state takes the same steps and reaches the same violation.
"""

from __future__ import annotations

import z3

from verify.engines.reduction import footprints, symbolic_state, term_vars
from verify.expr import Z3Ops
from verify.model import Model, St

_CACHE: dict[int, tuple[Model, dict[int, list[str]]]] = {}


def dead_resets(model: Model) -> dict[int, list[str]]:
    """Action id → the variables of its actor that are dead at its destination label."""
    hit = _CACHE.get(id(model))
    if hit is not None and hit[0] is model:
        return hit[1]
    fps = footprints(model)
    o = Z3Ops(z3.Context())
    st = St(symbolic_state(model, o, ""))
    seen_by_props = term_vars([model.violated(o, st, p) for p in model.properties])
    if model.init_set is not None:
        seen_by_props |= term_vars([model.init_set.constraint(o, st)])
    touched_by: dict[str, set[str]] = {}
    for a in model.actions:
        for n in fps[a.id].reads | fps[a.id].writes:
            touched_by.setdefault(n, set()).add(a.actor)
    out: dict[int, list[str]] = {a.id: [] for a in model.actions}
    for info in model.actors:
        pc = model.pc_var(info.name)
        cands = [v.name for v in model.vars
                 if v.owner == info.name and not v.ghost and v.name != pc
                 and v.name not in seen_by_props
                 and touched_by.get(v.name, {info.name}) <= {info.name}]
        acts = [a for a in model.actions if a.actor == info.name]
        for x in cands:
            live: set[str] = set()
            changed = True
            while changed:
                changed = False
                for a in acts:
                    if a.src in live:
                        continue
                    fp = fps[a.id]
                    if x in fp.reads or (x not in fp.writes and a.dst in live):
                        live.add(a.src)
                        changed = True
            for a in acts:
                if a.dst not in live:
                    out[a.id].append(x)
    _CACHE[id(model)] = (model, out)
    return out


__all__ = ["dead_resets"]
