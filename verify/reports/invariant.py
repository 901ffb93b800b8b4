"""Proved invariants in kernel terms.

An IC3 invariant is printed as its top-level clauses, each with SPTE bit tests written
as named fields (``spte0.W``, ``spte0.MmuW``), pc tests as ``actor@label`` and booleans
by name, so a clause reads like ``spte0.W ⇒ spte0.MmuW``.  An exhausted-state-space
invariant is the exact reachable set (a decision diagram, not readable as such); for it
the printer lists the one- and two-literal facts over SPTE fields, TLB entries and the
dirty log that hold in every reachable state — true consequences of the invariant,
named as such.
"""

from __future__ import annotations

import itertools
from typing import Any

import z3

from verify.layouts import get_layout
from verify.model import Model
from verify.proofs.certificate import Certificate, parse_invariant
from verify.reports.trace import spte_vars


class _Names:
    def __init__(self, model: Model) -> None:
        kernel = str(model.params.get("kernel", "")).split()[0]
        self.L = get_layout(kernel, str(model.params.get("mode")))
        self.model = model
        self.sptes = set(spte_vars(model))
        self.bits = {mask: short for _k, short, mask in self.L.named_bits()}

    def show(self, e: Any) -> str:
        if z3.is_true(e):
            return "true"
        if z3.is_false(e):
            return "false"
        if z3.is_not(e):
            return "¬" + self.show(e.arg(0))
        if z3.is_and(e):
            parts = [a for a in e.children() if not z3.is_true(a)]
            if len(parts) == 1:
                return self.show(parts[0])
            return "(" + " ∧ ".join(self.show(a) for a in parts) + ")" if parts else "true"
        if z3.is_or(e):
            parts = [a for a in e.children() if not z3.is_false(a)]
            if len(parts) == 1:
                return self.show(parts[0])
            return "(" + " ∨ ".join(self.show(a) for a in parts) + ")" if parts else "false"
        if z3.is_distinct(e) and e.num_args() == 2:
            bit = self._bit_test(e.arg(0), e.arg(1))
            if bit is not None:
                return bit
        if z3.is_implies(e):
            return f"({self.show(e.arg(0))} ⇒ {self.show(e.arg(1))})"
        if z3.is_eq(e):
            return self._eq(e.arg(0), e.arg(1))
        if z3.is_const(e) and z3.is_bool(e):
            return _plain(e)
        return " ".join(_plain_text(e.sexpr()).split())

    def _eq(self, a: Any, b: Any) -> str:
        if z3.is_bv_value(a):
            a, b = b, a
        # Extract(i, i, v) == 1 for an SPTE value v (the SPTE or a local copy of one)
        if z3.is_bv_value(b) and z3.is_app_of(a, z3.Z3_OP_EXTRACT):
            hi, lo = a.params()
            var = a.arg(0)
            if self._spte_value(var) and hi == lo:
                name = self.bits.get(1 << lo, f"bit{lo}")
                return f"{_plain(var)}.{name}" if b.as_long() else f"¬{_plain(var)}.{name}"
        if z3.is_bv_value(b) and z3.is_const(a) and _plain(a).endswith(".pc"):
            actor = _plain(a)[:-3]
            labels = {c: lab for lab, c in self.model.pc_codes.get(actor, {}).items()}
            return f"{actor}@{labels.get(b.as_long(), b.as_long())}"
        return f"{_plain_text(a.sexpr())} = {_plain_text(b.sexpr())}"


    def _spte_value(self, var: Any) -> bool:
        """An SPTE or a 64-bit local copy of one (fields are named on both)."""
        return bool(z3.is_const(var) and (_plain(var) in self.sptes
                                          or (z3.is_bv(var) and var.size() == 64)))

    def _bit_test(self, a: Any, b: Any) -> str | None:
        """``v & bit != 0`` (either way round) as ``v.Field``; None if it is not one."""
        if z3.is_bv_value(a):
            a, b = b, a
        if not (z3.is_bv_value(b) and b.as_long() == 0 and z3.is_app_of(a, z3.Z3_OP_BAND)
                and a.num_args() == 2):
            return None
        x, m = a.arg(0), a.arg(1)
        if z3.is_bv_value(x):
            x, m = m, x
        if not (z3.is_bv_value(m) and self._spte_value(x)):
            return None
        mask = m.as_long()
        if mask == 0 or mask & (mask - 1):
            return None
        return f"{_plain(x)}.{self.bits.get(mask, f'bit{mask.bit_length() - 1}')}"


def _plain(c: Any) -> str:
    n = str(c.decl().name())
    return n[:-2] if n.endswith("@0") else n


def _plain_text(s: str) -> str:
    return s.replace("@0", "")


def readable(model: Model, cert: Certificate, limit: int = 60) -> str:
    """The certificate's invariant, as far as it simplifies, in kernel terms."""
    if cert.kind == "k-induction" and not cert.body.strip():
        return f"  the property itself is {cert.meta.get('k')}-inductive (no strengthening)"
    from verify.engines.ts import TransitionSystem
    ts = TransitionSystem.of(model)
    names = _Names(model)
    if "states" in cert.meta:
        return _facts(model, names, cert, limit)
    head: list[str] = []
    if cert.kind == "k-induction":
        head = [f"  the property is {cert.meta.get('k')}-inductive assuming this inductive "
                "strengthening (--invariant):"]
    inv = parse_invariant(cert, dict(ts.cur))
    simp = z3.Tactic("ctx-solver-simplify", ts.ctx)(inv).as_expr()
    parts = list(simp.children()) if z3.is_and(simp) else [simp]
    lines = [*head, *[f"  {names.show(p)}" for p in parts[:limit]]]
    if len(parts) > limit:
        lines.append(f"  … and {len(parts) - limit} more clauses (--json has the SMT-LIB form)")
    return "\n".join(lines)


def _facts(model: Model, names: _Names, cert: Certificate, limit: int) -> str:
    from verify.engines.explore import reachable_states
    from verify.engines.replay import Frame
    from verify.expr import CONCRETE as C
    frame = Frame(model)
    states = reachable_states(model, reduction=True)
    atoms: list[tuple[str, Any]] = []
    for s in sorted(names.sptes):
        for _k, short, mask in names.L.named_bits():
            atoms.append((f"{s}.{short}", lambda d, s=s, m=mask: bool(C.test(d[s], m))))
    for v in model.vars:
        if v.is_bool and (v.name.startswith(("tlb.", "dlog.", "pfn_dirty.", "psc."))):
            atoms.append((v.name, lambda d, n=v.name: bool(d[n])))
    rows = [tuple(f(frame.as_dict(s)) for _n, f in atoms) for s in states]
    facts: list[str] = []
    for i, (n, _f) in enumerate(atoms):
        vals = {r[i] for r in rows}
        if len(vals) == 1:
            facts.append(n if True in vals else f"¬{n}")
    const = {i for i, _ in enumerate(atoms) if len({r[i] for r in rows}) == 1}
    for i, j in itertools.combinations([k for k in range(len(atoms)) if k not in const], 2):
        seen = {(r[i], r[j]) for r in rows}
        ni, nj = atoms[i][0], atoms[j][0]
        if (True, False) not in seen:
            facts.append(f"{ni} ⇒ {nj}")
        elif (False, True) not in seen:
            facts.append(f"{nj} ⇒ {ni}")
        elif (False, False) not in seen:
            facts.append(f"{ni} ∨ {nj}")
    head = (f"  the exact reachable set: {cert.meta['states']} states (a decision diagram "
            f"of {cert.meta.get('diagram-nodes', '?')} nodes); facts that hold in it:")
    body = [f"    {f}" for f in facts[:limit]]
    if len(facts) > limit:
        body.append(f"    … and {len(facts) - limit} more")
    return "\n".join([head, *body])
