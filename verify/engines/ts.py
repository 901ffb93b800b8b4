"""The symbolic transition system of a model: Init(X), Trans(X, sel, X'), Bad_p(X).

The unbounded engines (:mod:`verify.engines.ic3`, :mod:`verify.engines.kind`) and the
certificate checker (:mod:`verify.proofs`) all take the model through this one object,
built from the same :class:`~verify.engines.bmc.Encoding` as bounded model checking —
the same initial-set constraint, the same scheduler choice with the same reduction
constraint, the same functional next state — so a proof and a bounded search are about
one transition system.

``digest(p)`` is the SHA-256 of the SMT-LIB text of ``Init``, ``Trans`` and ``Bad_p``: a
certificate names it, and a certificate whose model changed no longer matches (stale).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import z3

from verify.engines.bmc import Encoding
from verify.engines.reduction import symbolic_state
from verify.model import Model, Property, St


@dataclass
class TransitionSystem:
    """``cur``/``nxt``: the state constants ``<var>@0`` and ``<var>@1``; ``sel``: the
    scheduler choice of the step between them."""

    model: Model
    reduction: bool
    enc: Encoding
    init: z3.BoolRef
    trans: z3.BoolRef
    cur: dict[str, Any]
    nxt: dict[str, Any]
    sel: z3.BitVecRef

    @property
    def ctx(self) -> z3.Context:
        return self.enc.ctx

    @classmethod
    def of(cls, model: Model, reduction: bool = True) -> TransitionSystem:
        enc = Encoding(model, reduction)
        init = z3.And(*enc.init(), enc.ctx) if enc.init() else z3.BoolVal(True, enc.ctx)
        trans = z3.And(*enc.unroll(), enc.ctx)
        return cls(model, reduction, enc, init, trans, enc.states[0], enc.states[1],
                   enc.sels[0])

    def bad(self, p: Property, at: dict[str, Any] | None = None) -> z3.BoolRef:
        r = self.model.violated(self.enc.o, St(at if at is not None else self.cur), p)
        return r if isinstance(r, z3.BoolRef) else z3.BoolVal(bool(r), self.ctx)

    def state_vars(self) -> list[Any]:
        return [self.cur[v.name] for v in self.model.vars]

    def next_vars(self) -> list[Any]:
        return [self.nxt[v.name] for v in self.model.vars]

    def primed(self, f: z3.ExprRef) -> z3.ExprRef:
        """``f`` over the current state, moved to the next state."""
        return z3.substitute(f, *zip(self.state_vars(), self.next_vars(), strict=True))

    def step_cases(self) -> list[z3.BoolRef]:
        """The scheduler choice's cases: ``sel = a.id`` for each action ``a`` (the step
        that action takes), then the rest, ``sel`` none of the ids (no step: ``Trans``
        requires ``sel < len(actions)``, and the ids are ``0 … len(actions) - 1``).  The
        last case is the negation of the others' disjunction, so their disjunction is
        valid whatever the ids: a query over ``Trans`` is satisfiable iff it is with one
        of the cases added (``Backend.check_cases``)."""
        w = self.sel.size()
        out = [self.sel == z3.BitVecVal(a.id, w, self.ctx) for a in self.model.actions]
        out.append(z3.And(*[z3.Not(c) for c in out], self.ctx) if out
                   else z3.BoolVal(True, self.ctx))
        return out

    def fresh_state(self, suffix: str) -> dict[str, Any]:
        return symbolic_state(self.model, self.enc.o, suffix)

    def at(self, f: z3.ExprRef, state: dict[str, Any]) -> z3.ExprRef:
        """``f`` over the current state, moved to ``state``."""
        return z3.substitute(f, *[(self.cur[v.name], state[v.name]) for v in self.model.vars])

    def digest(self, p: Property) -> str:
        h = hashlib.sha256()
        for part in (self.init, self.trans, self.bad(p)):
            h.update(part.sexpr().encode())
            h.update(b"\n")
        return h.hexdigest()
