"""State invariants in the rule language: ``prove --invariant FILE`` written in kernel terms.

The clauses ``prove --show-invariant`` prints can be written back as a strengthening
invariant, one clause per line (their conjunction is the invariant)::

    # spte0 is MMU-writable whenever it is writable, and the TLB never caches W without D
    spte0.W ⇒ spte0.MmuW
    tlb.v0.s0.w && tlb.v0.s0.valid => tlb.v0.s0.d
    fastpf0@read || !fastpf0.go
    tlb.v0.s0.pfn == 0x100

Atoms:

* ``<var>.<field>`` for a 64-bit state variable (an SPTE, or a local copy of one): a
  named bit of the layout as ``show-invariant`` prints it (``W``, ``MmuW``, ``HostW``,
  ``Present``, …), a bit name of the rule language (``MMUW``, ``HOSTW``, …) or one of its
  kernel predicates (``present``, ``writable``, ``volatile``, …; ``spte-verify list`` has
  the vocabulary);
* a boolean state variable by its name (``lock.w``, ``tlb.v0.s0.valid``);
* ``<actor>@<label>``: the actor's program counter is at that label;
* ``<var> == N`` / ``<var> != N`` for a bitvector state variable and a number.

Operators, loosest first: ``=>`` (also ``⇒``, ``->``; right-associative), ``||`` (``∨``),
``&&`` (``∧``), ``==`` / ``!=``, ``!`` (``¬``); parentheses; ``true`` / ``false``;
``#`` starts a comment.  The compiled invariant is a function over any
:class:`~verify.expr.Ops` backend and a state, so it runs on the concrete MMU and on z3
terms alike.  Errors are :class:`~verify.rules.RuleError` (exit 2) naming the file, line
and column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import lark

from verify import rules as R
from verify.expr import Ops
from verify.layouts import Layout, get_layout
from verify.model import Model, St

GRAMMAR = r"""
?start: expr
?expr: or_expr
     | or_expr IMP expr                      -> implies
?or_expr: and_expr
        | or_expr OR and_expr                -> or_
?and_expr: cmp_expr
         | and_expr AND cmp_expr             -> and_
?cmp_expr: unary
         | unary CMP unary                   -> cmp
?unary: atom
      | NOT unary                            -> not_
?atom: "(" expr ")"
     | PATH "@" LABEL                        -> at
     | PATH                                  -> ref
     | NUMBER                                -> num
IMP: "=>" | "⇒" | "->"
OR: "||" | "∨"
AND: "&&" | "∧"
NOT: "!" | "¬"
CMP: "==" | "!="
PATH: /[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*/
LABEL: /[A-Za-z0-9_][A-Za-z0-9_.]*/
NUMBER.2: /0x[0-9a-fA-F]+|[0-9]+/
%import common.WS_INLINE
%ignore WS_INLINE
"""

StateFn = Callable[[Ops[Any, Any], St], Any]


@cache
def _parser() -> lark.Lark:
    return lark.Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def layout_of(model: Model) -> Layout:
    """The layout a built-in scenario's model was built for (from its parameters)."""
    kernel = str(model.params.get("kernel", "")).split()[0]
    return get_layout(kernel, str(model.params.get("mode")))


_SMTLIB_COMMANDS = ("assert", "check-sat", "check-sat-assuming", "push", "pop", "reset",
                    "exit", "echo")


def looks_like_rules(text: str) -> bool:
    """Whether an ``--invariant`` file is in the rule language rather than SMT-LIB2 (whose
    first command opens with a parenthesis and a command name, or starts with ``;``)."""
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if s.startswith(";"):
            return False
        if s.startswith("("):
            head = s[1:].lstrip().split(None, 1)
            word = head[0].rstrip(")") if head else ""
            return not (word in _SMTLIB_COMMANDS or word.startswith(("declare-", "define-",
                                                                      "set-", "get-")))
        return True
    return False


@dataclass(frozen=True)
class _Val:
    """A compiled sub-expression: ``bool`` or a bitvector of ``width`` (or a number
    literal: ``width`` 0 and ``number`` set)."""

    fn: Callable[[Ops[Any, Any], St], Any]
    kind: str          # "bool", "bv", "num"
    width: int = 0
    number: int = 0


def _mask_test(mask: int) -> Callable[[Ops[Any, Any], Layout, Any], Any]:
    def test(o: Ops[Any, Any], L: Layout, s: Any) -> Any:
        return o.test(s, mask)
    return test


class _Compiler:
    def __init__(self, model: Model, L: Layout, src: R.Source) -> None:
        self.model = model
        self.L = L
        self.src = src
        self.vars = {v.name: v for v in model.vars}
        self.fields: dict[str, Callable[[Ops[Any, Any], Layout, Any], Any]] = {}
        for _key, short, mask in L.named_bits():
            self.fields[short] = _mask_test(mask)
        for name, (attr, _d) in R.BITS.items():
            self.fields.setdefault(name, _mask_test(getattr(L, attr)))
        for name, (fn, _d) in R.HELPERS.items():
            self.fields.setdefault(name, fn)

    def err(self, t: Any, what: str) -> R.RuleError:
        return R.RuleError(f"{self.src.at(*R._pos(t))}: {what}")

    def boolean(self, t: Any) -> StateFn:
        v = self.build(t)
        if v.kind != "bool":
            raise self.err(t, "a value is not a condition: compare it (== N)")
        return v.fn

    def build(self, t: Any) -> _Val:
        if isinstance(t, lark.Token):
            if t.type == "NUMBER":
                return _Val(lambda o, st: None, "num", number=int(str(t), 0))
            raise self.err(t, f"unexpected {str(t)!r}")
        kids = list(t.children)
        if t.data == "num":
            return self.build(kids[0])
        if t.data == "ref":
            return self.ref(kids[0])
        if t.data == "at":
            return self.at(kids[0], kids[1])
        if t.data == "not_":
            a = self.boolean(kids[-1])
            return _Val(lambda o, st: o.not_(a(o, st)), "bool")
        if t.data in ("and_", "or_"):
            a, b = self.boolean(kids[0]), self.boolean(kids[-1])
            if t.data == "and_":
                return _Val(lambda o, st: o.and_(a(o, st), b(o, st)), "bool")
            return _Val(lambda o, st: o.or_(a(o, st), b(o, st)), "bool")
        if t.data == "implies":
            a, b = self.boolean(kids[0]), self.boolean(kids[-1])
            return _Val(lambda o, st: o.implies(a(o, st), b(o, st)), "bool")
        if t.data == "cmp":
            return self.cmp(t, kids[0], str(kids[1]), kids[2])
        raise self.err(t, f"unexpected {t.data}")

    def ref(self, tok: Any) -> _Val:
        path = str(tok)
        if path in R.CONSTANTS:
            c = R.CONSTANTS[path]
            return _Val(lambda o, st: o.boolean(c), "bool")
        v = self.vars.get(path)
        if v is not None:
            if v.is_bool:
                return _Val(lambda o, st: st[path], "bool")
            return _Val(lambda o, st: st[path], "bv", width=v.width)
        head, _, field = path.rpartition(".")
        base = self.vars.get(head)
        if base is None or base.is_bool or base.width != 64:
            raise self.err(tok, f"{path!r} is not a state variable of {self.model.name}, nor "
                           "a field of one of its 64-bit SPTE values")
        fn = self.fields.get(field)
        if fn is None:
            import difflib
            near = difflib.get_close_matches(field, list(self.fields), n=3)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            raise self.err(tok, f"{field!r} is not an SPTE field or predicate{hint}")
        L = self.L
        return _Val(lambda o, st: fn(o, L, st[head]), "bool")

    def at(self, actor_tok: Any, label_tok: Any) -> _Val:
        actor, label = str(actor_tok), str(label_tok)
        codes = self.model.pc_codes.get(actor)
        if codes is None:
            raise self.err(actor_tok, f"{actor!r} is not an actor of {self.model.name}")
        if label not in codes:
            raise self.err(label_tok, f"{label!r} is not a label of {actor} (its labels: "
                           f"{', '.join(sorted(codes))})")
        pc, code = self.model.pc_var(actor), codes[label]
        width = self.vars[pc].width
        return _Val(lambda o, st: o.eq(st[pc], o.lit(code, width)), "bool")

    def cmp(self, t: Any, a_t: Any, op: str, b_t: Any) -> _Val:
        a, b = self.build(a_t), self.build(b_t)
        if a.kind == "num":
            a, b = b, a
        if a.kind == "bool" and b.kind == "bool":
            fa, fb = a.fn, b.fn

            def eq(o: Ops[Any, Any], st: St) -> Any:
                return o.beq(fa(o, st), fb(o, st))
        elif a.kind == "bv" and b.kind == "num":
            if b.number >> a.width:
                raise self.err(b_t, f"{b.number:#x} does not fit in {a.width} bits")
            fa, n, w = a.fn, b.number, a.width

            def eq(o: Ops[Any, Any], st: St) -> Any:
                return o.eq(fa(o, st), o.lit(n, w))
        elif a.kind == "bv" and b.kind == "bv" and a.width == b.width:
            fa, fb = a.fn, b.fn

            def eq(o: Ops[Any, Any], st: St) -> Any:
                return o.eq(fa(o, st), fb(o, st))
        else:
            raise self.err(t, "these two sides cannot be compared (a condition with a "
                           "condition, a value with a number or a value of its width)")
        if op == "==":
            return _Val(eq, "bool")
        return _Val(lambda o, st: o.not_(eq(o, st)), "bool")


def compile_invariant(text: str, name: str, model: Model,
                      layout: Layout | None = None) -> StateFn:
    """The conjunction of the clauses of ``text`` (one per line) as a function of a state
    of ``model``; errors name ``name``, the line and the column."""
    L = layout or layout_of(model)
    clauses: list[StateFn] = []
    for n, line in enumerate(text.splitlines(), start=1):
        body = line.split("#", 1)[0]
        if not body.strip():
            continue
        src = R.Source(name, n, 1)
        try:
            tree = _parser().parse(body)
        except lark.exceptions.UnexpectedInput as e:
            col = getattr(e, "column", None)
            col = col if isinstance(col, int) and col > 0 else len(body.rstrip()) + 1
            tok = getattr(e, "token", None)
            if isinstance(e, lark.exceptions.UnexpectedCharacters):
                what = f"unexpected character {body[col - 1]!r}"
            elif tok is None or getattr(tok, "type", "") == "$END":
                what, col = "unexpected end of the clause", len(body.rstrip()) + 1
            else:
                what = f"unexpected {str(tok)!r}"
            raise R.RuleError(f"{src.at(1, col)}: {what}") from None
        clauses.append(_Compiler(model, L, src).boolean(tree))
    if not clauses:
        raise R.RuleError(f"{name}: no clause (one condition per line)")
    return lambda o, st: o.and_(*[c(o, st) for c in clauses]) if len(clauses) > 1 \
        else clauses[0](o, st)


__all__ = ["GRAMMAR", "compile_invariant", "layout_of", "looks_like_rules"]
