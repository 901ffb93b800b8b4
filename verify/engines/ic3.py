"""IC3/PDR through z3's Spacer: an inductive invariant, or "reachable".

The property is posed as three constrained Horn clauses over one unknown predicate
``Inv`` of the state variables, built from :class:`~verify.engines.ts.TransitionSystem`
(the BMC encoding, initial set and reduction constraint included):

* ``Init(X) ⇒ Inv(X)``
* ``Inv(X) ∧ Trans(X, sel, X') ⇒ Inv(X')``
* ``Inv(X) ∧ Bad(X) ⇒ false``

``sat`` gives a model of ``Inv``: an inductive invariant that excludes every bad state,
so the property is PROVED, and the invariant is the certificate, once z3 has
confirmed the three implications for it (an answer that fails them is UNKNOWN, never
PROVED).  ``unsat`` means a bad
state is reachable; Spacer's refutation is not a replayable witness, so this engine
never reports VIOLATED itself — the portfolio leaves that to BMC.  A time-out
(``unknown``, or the ``Z3Exception('canceled')`` Spacer raises when interrupted) is
UNKNOWN.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import z3

from verify import interrupt
from verify.engines.ts import TransitionSystem
from verify.model import Property


@dataclass
class Ic3Answer:
    status: str                    # "proved", "reachable" or "unknown"
    invariant: z3.BoolRef | None   # over ts.cur, when proved
    seconds: float
    reason: str = ""


def spacer(ts: TransitionSystem, p: Property, timeout_ms: int | None = None,
           strengthen: z3.BoolRef | None = None) -> Ic3Answer:
    """Run Spacer on ``p``; ``strengthen`` (over ``ts.cur``) is a user invariant assumed
    of every reachable state (it must itself be proved inductive first:
    :func:`verify.proofs.strengthen.confirm`); the invariant returned then includes it."""
    t0 = time.monotonic()
    ctx = ts.ctx
    xs = ts.state_vars()
    ys = ts.next_vars()
    sorts = [x.sort() for x in xs]
    # one predicate name per property: Spacer runs of several properties in one context
    # that share the name "Inv" were seen to return a non-inductive invariant (z3 5.4.1)
    inv = z3.Function(f"Inv_{p.name}", *sorts, z3.BoolSort(ctx))
    s = z3.SolverFor("HORN", ctx=ctx)
    if timeout_ms is not None:
        s.set("timeout", int(timeout_ms))
    extra: list[Any] = [strengthen] if strengthen is not None else []
    s.add(z3.ForAll(xs, z3.Implies(ts.init, inv(*xs))))
    s.add(z3.ForAll([*xs, ts.sel, *ys],
                    z3.Implies(z3.And(inv(*xs), ts.trans, *extra), inv(*ys))))
    s.add(z3.ForAll(xs, z3.Implies(z3.And(inv(*xs), ts.bad(p)), z3.BoolVal(False, ctx))))
    try:
        r = s.check()
    except z3.Z3Exception as e:  # 'canceled' on a timeout or an interrupt
        secs = time.monotonic() - t0
        early = timeout_ms is None or secs * 1000 < 0.9 * timeout_ms
        interrupt.check_unknown(str(e), own_timeout=not early)
        if early and "cancel" in str(e):  # z3 handled a Ctrl-C itself
            interrupt.note()
            raise KeyboardInterrupt from None
        return Ic3Answer("unknown", None, secs, str(e))
    secs = time.monotonic() - t0
    if r == z3.sat:
        body = _interpretation(s.model(), inv, xs)
        if extra:
            body = z3.And(body, *extra)
        bad = _not_inductive(ts, p, body, extra)
        secs = time.monotonic() - t0
        if bad:
            return Ic3Answer("unknown", None, secs,
                             f"Spacer's invariant fails {bad} (discarded: a solver bug)")
        return Ic3Answer("proved", body, secs)
    if r == z3.unsat:
        return Ic3Answer("reachable", None, secs)
    interrupt.check_unknown(s.reason_unknown())
    return Ic3Answer("unknown", None, secs, s.reason_unknown())


def _not_inductive(ts: TransitionSystem, p: Property, body: z3.BoolRef,
                   extra: list[Any]) -> str:
    """Check Spacer's answer before it is believed: the three implications, each asked
    of a fresh z3 solver (``recheck`` asks them again of a second solver).  Returns the
    first that fails, or ""."""
    nxt = z3.substitute(body, *zip(ts.state_vars(), ts.next_vars(), strict=True))
    queries = [("Init ⇒ Inv", [ts.init, z3.Not(body)]),
               ("Inv ∧ Trans ⇒ Inv'", [body, ts.trans, *extra, z3.Not(nxt)]),
               ("Inv ⇒ ¬Bad", [body, ts.bad(p)])]
    for name, fs in queries:
        q = z3.Solver(ctx=ts.ctx)
        q.add(*fs)
        if q.check() != z3.unsat:
            return name
    return ""


def _interpretation(m: z3.ModelRef, f: z3.FuncDeclRef, xs: list[Any]) -> z3.BoolRef:
    """Spacer's model of ``f`` as a formula over the constants ``xs`` (its ``Var(i)`` is
    argument ``i``)."""
    fi = m[f]
    if fi is None:
        return z3.BoolVal(True, f.ctx)
    assert isinstance(fi, z3.FuncInterp)
    body: Any = z3.substitute_vars(fi.else_value(), *xs)
    for i in range(fi.num_entries()):
        e = fi.entry(i)
        args = [e.arg_value(j) for j in range(e.num_args())]
        body = z3.If(z3.And(*[x == a for x, a in zip(xs, args, strict=True)]), e.value(), body)
    out = z3.simplify(body)
    assert isinstance(out, z3.BoolRef)
    return out
