"""k-induction with simple-path constraints, incremental in k.

Two z3 solvers grow one step at a time over :class:`~verify.proofs.recheck.KChain`
copies of the transition system (the BMC encoding):

* base: ``Init(X_0) ∧ Trans^k ∧ ¬Bad(X_0..X_{k-1})`` — is ``Bad(X_k)`` satisfiable?  If
  so a bad state is reachable (this engine does not build the witness; BMC does);
* step: ``¬Bad(X_0..X_{k-1}) ∧ Trans^k ∧ X_i ≠ X_j (i < j ≤ k)`` — if ``Bad(X_k)`` is
  unsatisfiable, every reachable state is good: PROVED by ``k``-induction.

The certificate is ``k`` itself (no strengthening is needed); the re-check asks the
same ``k + 1`` queries of a second solver.  With ``strengthen=U`` (``prove --invariant``,
an invariant already confirmed inductive: :mod:`verify.proofs.strengthen` says why that
makes this sound) the step also assumes ``U(X_0) … U(X_k)``; the certificate then
carries ``U``, and the re-check checks that ``U`` is inductive before the step.

The simple-path constraint makes the method complete for finite systems (k up to the
longest loop-free path), but on these models that depth is often far past any useful
bound: measured, Spacer or the exhausted state space usually proves first (see
``bench/``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import z3

from verify import interrupt
from verify.engines.ts import TransitionSystem
from verify.model import Property


@dataclass
class KindAnswer:
    status: str        # "proved", "reachable" or "unknown"
    k: int
    seconds: float
    reason: str = ""


def _solver(ts: TransitionSystem, timeout_ms: int | None) -> z3.Solver:
    s = z3.Solver(ctx=ts.ctx)
    if timeout_ms is not None:
        s.set("timeout", int(timeout_ms))
    return s


def _check(s: z3.Solver, query: z3.BoolRef) -> z3.CheckSatResult:
    s.push()
    try:
        s.add(query)
        return s.check()
    finally:
        s.pop()


def kinduction(ts: TransitionSystem, p: Property, max_k: int = 40,
               timeout_ms: int | None = None, time_limit: float | None = None,
               strengthen: z3.BoolRef | None = None) -> KindAnswer:
    """``strengthen`` (over ``ts.cur``): an inductive invariant assumed of every state
    of the induction step (it must have been confirmed inductive:
    :func:`verify.proofs.strengthen.confirm`)."""
    from verify.proofs.recheck import KChain
    t0 = time.monotonic()
    base, step = _solver(ts, timeout_ms), _solver(ts, timeout_ms)
    cb, cs = KChain(ts, "#b"), KChain(ts, "#s")
    base.add(cb.state_init())
    if strengthen is not None:
        step.add(ts.at(strengthen, cs.state(0)))
    for k in range(max_k + 1):
        if time_limit is not None and time.monotonic() - t0 > time_limit:
            return KindAnswer("unknown", k, time.monotonic() - t0, "time limit")
        r = _check(base, cb.bad(p, k))
        if r == z3.sat:
            return KindAnswer("reachable", k, time.monotonic() - t0)
        if r != z3.unsat:
            return KindAnswer("unknown", k, time.monotonic() - t0, _reason(base))
        base.add(z3.Not(cb.bad(p, k)), cb.step(k))
        if k == 0:
            continue
        step.add(z3.Not(cs.bad(p, k - 1)), cs.step(k - 1))
        if strengthen is not None:
            step.add(ts.at(strengthen, cs.state(k)))
        for i in range(k):
            step.add(cs.differ(i, k))
        r = _check(step, cs.bad(p, k))
        if r == z3.unsat:
            return KindAnswer("proved", k, time.monotonic() - t0)
        if r != z3.sat:
            return KindAnswer("unknown", k, time.monotonic() - t0, _reason(step))
    return KindAnswer("unknown", max_k, time.monotonic() - t0,
                      f"not {max_k}-inductive (the simple-path depth is larger)")


def _reason(s: z3.Solver) -> str:
    """Why ``s`` answered unknown (a Ctrl-C is raised, not returned)."""
    reason = str(s.reason_unknown())
    interrupt.check_unknown(reason)
    return reason
