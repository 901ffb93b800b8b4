"""Proof certificates: the SMT-LIB2 files under ``proofs/``.

A certificate proves one property of one model — scenario × kernel version × mode ×
variant × form × hardware — and names the SHA-256 of the transition system it was proved
for (:meth:`~verify.engines.ts.TransitionSystem.digest`).  The file is plain SMT-LIB2
with a comment header::

    ; spte-verify certificate v1
    ; scenario: aging-vs-fastpf
    ; kernel: V-NEW
    ; ...
    ; kind: inductive-invariant
    ; ts-sha256: 3f5c...
    (declare-fun spte0 () (_ BitVec 64))
    ...
    (assert <the invariant, over the state variables by their model names>)

Two kinds:

* ``inductive-invariant``: the assertion is an invariant ``Inv`` with
  ``Init ⇒ Inv``, ``Inv ∧ Trans ⇒ Inv'`` and ``Inv ∧ Bad ⇒ false`` (from IC3/Spacer, or
  the explicit engine's exhausted state space as a decision diagram, ``engine`` says);
* ``k-induction``: ``k`` says the depth: no bad state within ``k - 1`` steps of an
  initial one, and ``k`` bad-free steps along a simple path are never followed by a bad
  state.  No assertion, or — when ``prove --invariant`` strengthened the proof — one
  assertion ``U`` (header ``strengthening``) assumed of every state of the induction
  step; the certificate then also claims ``U`` is inductive (``Init ⇒ U``,
  ``U ∧ Trans ⇒ U'``), and the re-check checks that first
  (:mod:`verify.proofs.strengthen` explains why this is sound).

:mod:`verify.proofs.recheck` re-checks either kind with a second solver.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import z3

from verify.errors import InputError
from verify.inputs import read_text

MAGIC = "; spte-verify certificate v1"
KINDS = ("inductive-invariant", "k-induction")
REQUIRED = ("scenario", "kernel", "mode", "variant", "property", "form", "hardware",
            "engine", "kind", "ts-sha256")
MAX_BYTES = 64 << 20


@dataclass
class Certificate:
    meta: dict[str, str]
    body: str = ""
    path: str = "<certificate>"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.meta["kind"]

    def filename(self) -> str:
        m = self.meta
        form = m["form"].replace("+", "_") or "bounded"
        return (f"{m['scenario']}/{m['kernel']}_{m['mode']}_{m['variant']}_{form}_"
                f"{m['property']}.smt2")

    def render(self) -> str:
        lines = [MAGIC]
        lines += [f"; {k}: {v}" for k, v in self.meta.items()]
        return "\n".join(lines) + "\n" + self.body

    def body_digest(self) -> str:
        return hashlib.sha256(self.body.encode()).hexdigest()


def invariant_text(inv: z3.BoolRef, names: dict[str, Any]) -> str:
    """``inv`` (over the state constants ``names.values()``) as SMT-LIB declarations and
    one assertion, over the plain variable names."""
    ctx = inv.ctx
    pairs = [(c, z3.Const(n, c.sort())) for n, c in names.items()]
    plain = z3.substitute(inv, *pairs) if pairs else inv
    s = z3.Solver(ctx=ctx)
    s.add(plain)
    text = s.to_smt2()
    out = [ln for ln in text.splitlines()
           if not ln.startswith(("; benchmark", "(set-info", "(check-sat"))]
    return "\n".join(out) + "\n"


_DECLARED = re.compile(r"\(\s*declare-(?:fun|const)\s+(\|[^|]*\||[^\s()|]+)")
_Z3_ERROR = re.compile(r'^\(error "line (\d+) column (\d+): (.*)"\)$', re.S)


def parse_invariant(cert: Certificate, names: dict[str, Any]) -> z3.BoolRef:
    """The certificate's assertion over the state constants ``names`` (name → constant
    of the rebuilt transition system).  State variables the text does not declare are
    declared for it, with the model's sorts (so a hand-written invariant, ``prove
    --invariant FILE``, may leave the declarations out); a name that is neither is an
    :class:`InputError` naming the file, line and name."""
    ctx = next(iter(names.values())).ctx
    _check_declarations(cert, names)
    # the declarations are dropped (their lines kept, empty, for z3's line numbers) and
    # every name given as the model's own constant: no substitution over the parsed terms
    text = _drop_declarations(cert.body)
    stray = re.search(r"\(\s*declare-", text)
    if stray is not None:
        line = text.count("\n", 0, stray.start()) + 1 + int(cert.extra.get("body_line", 0))
        raise InputError(f"{cert.path}:{line}: a declaration must be alone on its line")
    try:
        vec = z3.parse_smt2_string(text, decls=dict(names), ctx=ctx)
    except z3.Z3Exception as e:
        msg = e.value.decode() if isinstance(e.value, bytes) else str(e.value)
        msg = " ".join(msg.split())
        m = _Z3_ERROR.match(msg)
        if m is None:
            raise InputError(f"{cert.path}: not valid SMT-LIB2: {msg[:200]}") from None
        line = int(m.group(1)) + int(cert.extra.get("body_line", 0))
        what = m.group(3)
        unknown = re.match(r"unknown constant (\S+)", what)
        if unknown is not None:
            what = (f"{unknown.group(1)!r} is not a state variable of the model (nor "
                    "declared)")
        raise InputError(f"{cert.path}:{line}: not valid SMT-LIB2: {what[:200]}") from None
    parts = list(vec)
    if not parts:
        raise InputError(f"{cert.path}: no (assert ...): an invariant needs one")
    inv = z3.And(*parts) if len(parts) > 1 else parts[0]
    assert isinstance(inv, z3.BoolRef)
    return inv


_DECLARED_CONST = re.compile(
    r"\(\s*declare-(?:fun\s+(\|[^|]*\||[^\s()|]+)\s*\(\s*\)|const\s+(\|[^|]*\||[^\s()|]+))"
    r"\s*(Bool|\(\s*_\s+BitVec\s+\d+\s*\))\s*\)")


def _drop_declarations(body: str) -> str:
    """``body`` with each line that is one whole ``declare-fun`` / ``declare-const``
    emptied (the line itself kept, so line numbers stay)."""
    out = []
    for ln in body.split("\n"):
        t = ln.strip()
        if _DECLARED.match(t) is not None and _closes_at_end(t):
            ln = ""
        out.append(ln)
    return "\n".join(out)


def _closes_at_end(t: str) -> bool:
    """The parenthesis that opens ``t`` closes at its last character (one s-expression)."""
    depth = 0
    for i, ch in enumerate(t):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return i == len(t) - 1
    return False


def _check_declarations(cert: Certificate, names: dict[str, Any]) -> None:
    """Each constant the text declares and uses is a state variable of the model, of the
    model's sort; read from the declarations, not by walking the parsed terms (an
    exhausted state space's invariant has tens of thousands of nodes)."""
    sorts = {(m.group(1) or m.group(2)).strip("|"): m.group(3)
             for m in _DECLARED_CONST.finditer(cert.body)}
    rest = _drop_declarations(cert.body)
    for n in {m.group(1).strip("|") for m in _DECLARED.finditer(cert.body)}:
        if n not in names:
            if re.search(r"(?:^|[\s()|])" + re.escape(n) + r"(?=[\s()|]|$)", rest):
                raise InputError(f"{cert.path}: the invariant uses {n!r}, which is not a "
                                 "state variable of the model")
            continue
        have = " ".join(sorts.get(n, "?").replace("(", " ( ").replace(")", " ) ").split())
        want = names[n].sort()
        if have != " ".join(want.sexpr().replace("(", " ( ").replace(")", " ) ").split()):
            raise InputError(f"{cert.path}: {n!r} is declared with another sort than the "
                             f"model's {want} (or with arguments)")


_HEADER = re.compile(r"^; ([a-z0-9-]+): (.*)$")


def read(path: str | Path) -> Certificate:
    p = Path(path)
    text = read_text(p, what="a certificate", max_bytes=MAX_BYTES)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\n") != MAGIC:
        raise InputError(f"{p}:1: not a spte-verify certificate (first line must be "
                         f"{MAGIC!r})")
    meta: dict[str, str] = {}
    n = 1
    while n < len(lines) and lines[n].startswith(";"):
        m = _HEADER.match(lines[n].rstrip("\n"))
        if m is None:
            raise InputError(f"{p}:{n + 1}: header line must be '; key: value'")
        meta[m.group(1)] = m.group(2)
        n += 1
    missing = [k for k in REQUIRED if k not in meta]
    if missing:
        raise InputError(f"{p}: header misses {', '.join(missing)}")
    if meta["kind"] not in KINDS:
        raise InputError(f"{p}: unknown kind {meta['kind']!r} (one of {', '.join(KINDS)})")
    if meta["kind"] == "k-induction":
        if not meta.get("k", "").isdigit() or int(meta["k"]) < 1:
            raise InputError(f"{p}: a k-induction certificate needs '; k: N' with N >= 1")
    return Certificate(meta, "".join(lines[n:]), str(p), {"body_line": n})
