"""Re-checking certificates with a second solver, and noticing stale ones.

For each certificate the model is rebuilt from its header (scenario, kernel, mode,
variant, form, hardware) and its transition system's digest compared with the one the
certificate names: a mismatch is STALE (the model changed since the proof), never a
pass.  Otherwise the certificate's claims are posed as SMT queries over the rebuilt
system and handed to an independent solver (bitwuzla or cvc5, through their own SMT-LIB
parsers, :mod:`verify.engines.solvers`); each must be unsat:

* inductive invariant: ``Init ∧ ¬Inv``, ``Inv ∧ Trans ∧ ¬Inv'``, ``Inv ∧ Bad``;
  the closure ``Inv ∧ Trans ∧ ¬Inv'`` (and ``U ∧ Trans ∧ ¬U'`` below) is asked as one
  parse with one case per step (``Inv ∧ Trans ∧ ¬Inv' ∧ sel = a`` for each action
  ``a``, then ``sel`` none of them): the cases cover every scheduler choice, so this is
  the same query, answered by its cases (:meth:`Rechecker._closure`; bitwuzla only,
  z3 and cvc5 ask it whole);
* k-induction (k): ``Init ∧ Trans^j ∧ Bad(X_j)`` for ``j < k``, and
  ``¬Bad(X_0..X_{k-1}) ∧ Trans^k ∧ distinct(X_0..X_k) ∧ Bad(X_k)``; with a
  strengthening ``U`` (``prove --invariant``) first ``Init ∧ ¬U`` and
  ``U ∧ Trans ∧ ¬U'``, then the step with ``U(X_0..X_k)`` added.

Any sat answer REJECTS the certificate (for the closure query the two states are shown,
decoded, as a counterexample to induction); a time-out is UNKNOWN.  The closure query of
an invariant shared by several certificates of one model is asked once, and so are its
parse and ``Init ⇒ Inv``; its ``Inv ∧ Bad`` is asked for every property of the model in
one solver instance (each ``Bad`` an assumption), the answers kept for the certificates.

:func:`recheck_parallel` (``recheck --jobs N``) spreads the certificates over forked
processes, those of one model in one process (so the model is rebuilt and a shared
closure query asked once, as in one process), and hands the outcomes back in input
order: the same outcomes as :class:`Rechecker` one by one, only the times differ.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import z3

from verify.engines.solvers import make_backend
from verify.engines.ts import TransitionSystem
from verify.errors import InputError
from verify.model import Model
from verify.proofs.certificate import Certificate, parse_invariant

ACCEPTED, REJECTED, STALE, UNKNOWN = "ACCEPTED", "REJECTED", "STALE", "UNKNOWN"


@dataclass
class Outcome:
    path: str
    status: str
    detail: str = ""
    seconds: float = 0.0
    cti: str = ""


def hardware_of(text: str) -> Any:
    from verify.protocols import submodule
    hw = submodule("world").HwParams
    vals: dict[str, bool] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        k, _, v = part.partition("=")
        if k not in hw.__dataclass_fields__ or v not in ("on", "off"):
            raise InputError(f"bad hardware setting {part!r} in certificate header")
        vals[k] = v == "on"
    return hw(**vals)


def model_of(cert: Certificate) -> Model:
    from verify import checker
    m = cert.meta
    try:
        jobs = checker.plan(kernel=m["kernel"], mode=m["mode"], variant=m["variant"],
                            scenarios=[m["scenario"]], properties=[m["property"]],
                            hw=hardware_of(m["hardware"]), form=checker.parse_form(m["form"]))
    except InputError as e:
        raise InputError(f"{cert.path}: {e}") from None
    return jobs[0].model


class Rechecker:
    """Re-checks certificates; keeps the rebuilt systems and answered closure queries."""

    def __init__(self, solver: str = "bitwuzla", timeout_s: float | None = None,
                 closure: bool = True) -> None:
        """``closure=False``: the bounded form (tests/test_proofs.py, for a folder whose
        closure queries cost more than CI has): every query but ``Inv ∧ Trans ⇒ Inv'``."""
        self.solver = solver
        self.closure = closure
        self.timeout_ms = int(timeout_s * 1000) if timeout_s else None
        self._ts: dict[tuple[str, ...], TransitionSystem] = {}
        self._closed: dict[tuple[int, str], Outcome] = {}
        self._parsed: dict[tuple[int, str], tuple[z3.BoolRef, str]] = {}
        self._bad: dict[tuple[int, str], dict[str, str]] = {}

    def _system(self, cert: Certificate) -> TransitionSystem:
        key = model_key(cert)
        ts = self._ts.get(key)
        if ts is None:
            ts = TransitionSystem.of(model_of(cert), reduction=True)
            self._ts[key] = ts
        return ts

    def _unsat(self, ts: TransitionSystem, facts: list[Any], query: Any,
               want: list[Any] | None = None) -> tuple[str, dict[str, int]]:
        b = make_backend(self.solver, ts.ctx, self.timeout_ms)
        for f in facts:
            b.add(f)
        ans = b.check(query, want or [])
        return ans.status, ans.values

    def _closure(self, ts: TransitionSystem, inv: Any) -> tuple[str, dict[str, int]]:
        """``Inv ∧ Trans ∧ ¬Inv'``, asked one step at a time (``ts.step_cases()``: the
        scheduler choice is each action's id in turn, then none of them) on one parse
        (:meth:`~verify.engines.solvers.Backend.check_cases`).  The cases' disjunction
        is valid, so the union of the models of ``Inv ∧ Trans ∧ ¬Inv' ∧ case_i`` is the
        set of models of ``Inv ∧ Trans ∧ ¬Inv'``: unsat iff every case is unsat, sat
        iff one is (its model the counterexample to induction, decoded as before),
        unknown otherwise; the time limit covers all the cases together.  With
        bitwuzla about 40 % less CPU than one check on the shipped decision-diagram
        invariants (README); z3 and cvc5 ask the query once."""
        b = make_backend(self.solver, ts.ctx, self.timeout_ms)
        b.add(inv)
        b.add(ts.trans)
        want = [*ts.state_vars(), ts.sel, *ts.next_vars()]
        ans = b.check_cases(z3.Not(ts.primed(inv)), ts.step_cases(), want)
        return ans.status, ans.values

    def check(self, cert: Certificate) -> Outcome:
        t0 = time.monotonic()
        ts = self._system(cert)
        prop = ts.model.property(cert.meta["property"])
        if ts.digest(prop) != cert.meta["ts-sha256"]:
            return Outcome(cert.path, STALE, "the model changed since this proof (its "
                           "transition system no longer has the digest the certificate "
                           "names); re-run spte-verify prove", time.monotonic() - t0)
        if cert.kind == "k-induction":
            out = self._check_kind(ts, cert, prop)
        else:
            out = self._check_invariant(ts, cert, prop)
        out.seconds = time.monotonic() - t0
        return out

    def _check_invariant(self, ts: TransitionSystem, cert: Certificate, prop: Any) -> Outcome:
        key = (id(ts), hashlib.sha256(cert.body.encode()).hexdigest())
        known = self._parsed.get(key)
        if known is None:
            # parsed, and ``Init ⇒ Inv`` asked, once per invariant text and system
            inv = parse_invariant(cert, dict(ts.cur))
            known = self._parsed[key] = (inv, self._unsat(ts, [ts.init], z3.Not(inv))[0])
        inv, st = known
        if st != "unsat":
            return self._fail(cert, st, "Init ⇒ Inv")
        closed = self._closed.get(key)
        if closed is None and not self.closure:
            closed = Outcome(cert.path, ACCEPTED)
        if closed is None:
            st, vals = self._closure(ts, inv)
            closed = Outcome(cert.path, ACCEPTED)
            if st != "unsat":
                closed = self._fail(cert, st, "Inv ∧ Trans ⇒ Inv'")
                if st == "sat":
                    closed.cti = cti_text(ts, vals)
            self._closed[key] = closed
        if closed.status != ACCEPTED:
            return Outcome(cert.path, closed.status, closed.detail, cti=closed.cti)
        st = self._bad_status(ts, key, inv, prop)
        if st != "unsat":
            return self._fail(cert, st, "Inv ⇒ ¬Bad")
        if not self.closure:
            return Outcome(cert.path, ACCEPTED, f"Init ⇒ Inv and Inv ⇒ ¬Bad re-checked by "
                           f"{self.solver} (the closure not asked: bounded form)")
        return Outcome(cert.path, ACCEPTED, f"inductive invariant re-checked by {self.solver}")

    def _bad_status(self, ts: TransitionSystem, key: tuple[int, str], inv: Any,
                    prop: Any) -> str:
        """``Inv ∧ Bad`` for ``prop``.  The model's certificates usually share one
        invariant, so the first asks it for every property of the model at once (one
        parse and bit-blasting of ``Inv``, each ``Bad`` an assumption) and keeps the
        statuses."""
        known = self._bad.get(key)
        if known is None:
            props = list(ts.model.properties)
            b = make_backend(self.solver, ts.ctx, self.timeout_ms)
            b.add(inv)
            known = dict(zip([p.name for p in props],
                             b.check_each([ts.bad(p) for p in props]), strict=True))
            self._bad[key] = known
        st = known.get(prop.name)
        return st if st is not None else self._unsat(ts, [inv], ts.bad(prop))[0]

    def _check_kind(self, ts: TransitionSystem, cert: Certificate, prop: Any) -> Outcome:
        k = int(cert.meta["k"])
        user: list[Any] = []
        if cert.body.strip():
            # a strengthening: it must be inductive on its own before the step assumes it
            u = parse_invariant(cert, dict(ts.cur))
            st, _ = self._unsat(ts, [ts.init], z3.Not(u))
            if st != "unsat":
                return self._fail(cert, st, "Init ⇒ U (the strengthening)")
            st, vals = self._closure(ts, u)
            if st != "unsat":
                out = self._fail(cert, st, "U ∧ Trans ⇒ U' (the strengthening)")
                if st == "sat":
                    out.cti = cti_text(ts, vals)
                return out
            user = [u]
        # base: no bad state within k-1 steps of the initial set
        chain = KChain(ts)
        for j in range(k):
            st, _ = self._unsat(ts, [chain.state_init(), *chain.trans(j)], chain.bad(prop, j))
            if st != "unsat":
                return self._fail(cert, st, f"base case at depth {j}")
        step = KChain(ts)
        facts = [*step.trans(k), *[z3.Not(step.bad(prop, j)) for j in range(k)],
                 *step.distinct(k), *[ts.at(u, step.state(j)) for u in user
                                      for j in range(k + 1)]]
        st, _ = self._unsat(ts, facts, step.bad(prop, k))
        if st != "unsat":
            return self._fail(cert, st, f"induction step at k={k}")
        how = " (strengthened)" if user else ""
        return Outcome(cert.path, ACCEPTED, f"{k}-induction{how} re-checked by {self.solver}")

    def _fail(self, cert: Certificate, status: str, what: str) -> Outcome:
        if status == "sat":
            return Outcome(cert.path, REJECTED, f"{what} does not hold ({self.solver}: sat)")
        return Outcome(cert.path, UNKNOWN, f"{what}: {self.solver} gave up ({status})")


class KChain:
    """States ``X_0 … X_n`` of a transition system joined by its transition relation
    (fresh constants ``<var>#j``), for k-induction and its re-check."""

    def __init__(self, ts: TransitionSystem, tag: str = "#") -> None:
        self.ts = ts
        self.tag = tag
        self.states: list[dict[str, Any]] = [ts.fresh_state(f"{tag}0")]
        self.sels: list[Any] = []

    def state(self, j: int) -> dict[str, Any]:
        while len(self.states) <= j:
            self.states.append(self.ts.fresh_state(f"{self.tag}{len(self.states)}"))
        return self.states[j]

    def state_init(self) -> Any:
        return self.ts.at(self.ts.init, self.state(0))

    def step(self, j: int) -> Any:
        """Trans(X_j, sel_j, X_{j+1})."""
        ts = self.ts
        while len(self.sels) <= j:
            self.sels.append(z3.BitVec(f"sel{self.tag}{len(self.sels)}", ts.sel.size(),
                                       ts.ctx))
        a, b = self.state(j), self.state(j + 1)
        pairs = [(ts.cur[v.name], a[v.name]) for v in ts.model.vars]
        pairs += [(ts.nxt[v.name], b[v.name]) for v in ts.model.vars]
        pairs.append((ts.sel, self.sels[j]))
        return z3.substitute(ts.trans, *pairs)

    def trans(self, n: int) -> list[Any]:
        return [self.step(j) for j in range(n)]

    def bad(self, prop: Any, j: int) -> Any:
        return self.ts.bad(prop, self.state(j))

    def differ(self, i: int, j: int) -> Any:
        a, b = self.state(i), self.state(j)
        return z3.Or(*[a[v.name] != b[v.name] for v in self.ts.model.vars])

    def distinct(self, n: int) -> list[Any]:
        return [self.differ(i, j) for j in range(n + 1) for i in range(j)]


def cti_text(ts: TransitionSystem, vals: dict[str, int]) -> str:
    """A counterexample to induction: the state, the step, the next state (decoded)."""
    from verify.reports.cti import describe_step
    return describe_step(ts.model, vals)


def recheck_all(certs: list[Certificate], solver: str, timeout_s: float | None,
                progress: Callable[[Certificate], None] | None = None) -> list[Outcome]:
    r = Rechecker(solver, timeout_s)
    out = []
    for c in certs:
        if progress is not None:
            progress(c)
        out.append(r.check(c))
    return out


def model_key(cert: Certificate) -> tuple[str, ...]:
    """What names the model a certificate is about (certificates with one key share a
    rebuilt transition system)."""
    m = cert.meta
    return (m["scenario"], m["kernel"], m["mode"], m["variant"], m["form"], m["hardware"])


Checked = tuple[int, Outcome | str]
"""A certificate's index and its outcome, or the one-line input error it raised."""

_PENDING: list[Certificate] = []


def _check_group(args: tuple[str, float | None, list[int]]) -> list[Checked]:
    solver, timeout_s, indices = args
    r = Rechecker(solver, timeout_s)
    out: list[Checked] = []
    for i in indices:
        try:
            out.append((i, r.check(_PENDING[i])))
        except InputError as e:  # reported in input order by the parent
            out.append((i, str(e)))
    return out


def recheck_parallel(certs: list[Certificate], solver: str, timeout_s: float | None,
                     jobs: int) -> Iterator[Outcome]:
    """The outcomes of :meth:`Rechecker.check` for ``certs``, in input order, computed by
    up to ``jobs`` forked processes (one model's certificates in one process); each is
    yielded as soon as it and all before it are known.  An :class:`InputError` a
    certificate raises is raised when its turn comes, as one process would."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, c in enumerate(certs):
        groups.setdefault(model_key(c), []).append(i)
    if jobs <= 1 or len(groups) <= 1:
        r = Rechecker(solver, timeout_s)
        for c in certs:
            yield r.check(c)
        return
    from verify.forkpool import fork_pool

    global _PENDING
    _PENDING = certs
    work = list(groups.values())   # in input order, so that the output streams
    try:
        with fork_pool(min(jobs, len(work))) as pool:
            done: dict[int, Outcome | str] = {}
            nxt = 0
            for batch in pool.imap_unordered(_check_group,
                                             [(solver, timeout_s, g) for g in work]):
                done.update(batch)
                while nxt in done:
                    o = done.pop(nxt)
                    if isinstance(o, str):
                        raise InputError(o)
                    yield o
                    nxt += 1
    finally:
        _PENDING = []
