"""User strengthening invariants: ``spte-verify prove --invariant FILE``.

A file holds SMT-LIB2 ``(assert ...)`` commands over the model's state variables by
their names (``spte0``, ``vcpu0.pc``, ``tlb.v0``; parsed as certificates are,
:func:`verify.proofs.certificate.parse_invariant`, so the declarations may be left out
and every error names the file), or clauses in kernel terms, one per line, in the rule
language of :mod:`verify.state_rules` (``spte0.W ⇒ spte0.MmuW``: what
``--show-invariant`` prints can be written back).  Let ``U`` be the conjunction of every
file's assertions.  The files apply to every model ``prove`` selects, so a variable one of them
lacks is an error: select the scenario the invariant is about.

Design (the simplest sound one): ``U`` is never trusted and never only *assumed*.
Before any engine sees it, :func:`confirm` asks z3 whether ``U`` is inductive on its
own — ``Init ⇒ U_i`` for every file ``i`` and ``U ∧ Trans ⇒ U_i'`` (the files may
depend on each other, not on anything else) — and refuses the invariant otherwise (an
:class:`~verify.errors.InputError` naming the file and what fails: exit 2, before any
verdict).  An inductive ``U`` holds in every reachable state, so an engine may assume it:

* IC3 (:func:`verify.engines.ic3.spacer`, ``strengthen=U``) assumes ``U`` on the
  pre-state of every step; its certificate is ``Inv ∧ U``, an ordinary
  inductive-invariant certificate (``Init ⇒ Inv`` from Spacer and ``Init ⇒ U``;
  ``Inv ∧ U ∧ Trans ⇒ Inv'`` from Spacer and ``U ∧ Trans ⇒ U'``), so ``recheck``
  re-checks the user's claim with everything else;
* k-induction (:func:`verify.engines.kind.kinduction`) assumes ``U`` of every state
  ``X_0 … X_k`` of the induction step.  Sound: a shortest path from an initial to a bad
  state is simple, bad-free before its end and — ``U`` being inductive — inside ``U``,
  so its last ``k + 1`` states would satisfy the step query.  The certificate records
  ``U`` as its assertion (header ``strengthening``), and ``recheck`` first checks
  ``Init ⇒ U`` and ``U ∧ Trans ⇒ U'`` itself, then the base and the strengthened step;
* the explicit engine ignores it (its certificate is the exact reachable set).

An invariant false in some reachable state cannot be inductive, so it is always refused
at prove time; one that holds in every reachable state but is not inductive is refused
too (the message says so: add the facts that make it inductive).  When z3 cannot decide
within the time left, ``U`` is not used for that model and the results say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import z3

from verify.engines.solvers import make_backend
from verify.engines.ts import TransitionSystem
from verify.errors import InputError
from verify.inputs import read_text
from verify.model import St
from verify.proofs.certificate import MAX_BYTES, Certificate, invariant_text, parse_invariant


@dataclass(frozen=True)
class UserInvariant:
    """One ``--invariant`` file: its path (as given) and its text."""

    path: str
    text: str


def load(path: str) -> UserInvariant:
    """Read an ``--invariant`` file (errors name it)."""
    text = read_text(path, what="an invariant", max_bytes=MAX_BYTES)
    return UserInvariant(path, text)


def parse(inv: UserInvariant, ts: TransitionSystem) -> z3.BoolRef:
    """``inv`` over ``ts.cur`` (an InputError names the file, line and problem): SMT-LIB2,
    or the rule language's clauses in kernel terms (:mod:`verify.state_rules`)."""
    from verify.state_rules import compile_invariant, looks_like_rules
    if looks_like_rules(inv.text):
        fn = compile_invariant(inv.text, inv.path, ts.model)
        e = fn(ts.enc.o, St(ts.cur))
        return e if isinstance(e, z3.BoolRef) else z3.BoolVal(bool(e), ts.ctx)
    return parse_invariant(Certificate({}, inv.text, inv.path), dict(ts.cur))


def as_text(u: z3.BoolRef, ts: TransitionSystem) -> str:
    """``u`` (over ``ts.cur``) as SMT-LIB text over the plain variable names, as the
    engines and the certificates take it."""
    return invariant_text(u, dict(ts.cur))


def confirm(ts: TransitionSystem, invs: list[UserInvariant], where: str,
            timeout_ms: int | None = None) -> tuple[str | None, str]:
    """Check that the conjunction of ``invs`` is inductive for ``ts``.  Returns
    ``(text, "")`` with the conjunction as SMT-LIB text when it is; ``(None, why)`` when
    z3 gave up; raises :class:`InputError` (naming the file) when it is not.  ``where``
    names the model in messages."""
    parts = [(i, parse(i, ts)) for i in invs]
    u: Any = z3.And(*[e for _i, e in parts]) if len(parts) > 1 else parts[0][1]
    for inv, e in parts:
        b = make_backend("z3", ts.ctx, timeout_ms)
        b.add(ts.init)
        ans = b.check(z3.Not(e), [])
        if ans.status == "sat":
            raise InputError(f"{inv.path}: refused: false in an initial state of {where} "
                             "(Init ⇒ Inv fails), so not an invariant")
        if ans.status != "unsat":
            return None, (f"--invariant {inv.path}: z3 could not decide Init ⇒ Inv for "
                          f"{where} ({ans.reason or ans.status}); not used")
    want = [ts.sel]
    for inv, e in parts:
        b = make_backend("z3", ts.ctx, timeout_ms)
        b.add(u)
        b.add(ts.trans)
        ans = b.check(z3.Not(ts.primed(e)), want)
        if ans.status == "sat":
            sel = ans.values.get(ts.sel.decl().name(), -1)
            acts = ts.model.actions
            step = acts[sel].label if 0 <= sel < len(acts) else f"scheduler choice {sel}"
            raise InputError(f"{inv.path}: refused: not inductive for {where}: the step "
                             f"{step} leads from a state where every --invariant holds to "
                             "one where this one does not (Inv ∧ Trans ⇒ Inv' fails; it may "
                             "still hold in every reachable state: add the facts that make "
                             "it inductive)")
        if ans.status != "unsat":
            return None, (f"--invariant {inv.path}: z3 could not decide Inv ∧ Trans ⇒ "
                          f"Inv' for {where} ({ans.reason or ans.status}); not used")
    assert isinstance(u, z3.BoolRef)
    return as_text(u, ts), ""
