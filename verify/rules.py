"""The rule language: SPTE predicates and rules written as text, compiled to ``Ops``.

A rule is a boolean expression over the named bits of the layout and the kernel's own
predicates (:mod:`verify.spte`).  One-value rules (a volatile / needs-atomic rule, a guard)
read one SPTE and use bare names; two-value rules (the ``mmu_spte_update`` flush rule) read
the old and the new value and use ``old.`` / ``new.`` prefixes::

    (!W && MMUW) || !ad_enabled || (W && !D)          # V-NEW spte_needs_atomic_update
    old.mmu_writable && !new.mmu_writable             # v6.13 flush rule

Operators, loosest first: ``c ? a : b``, ``||``, ``&&``, ``== !=`` (between booleans),
``!``; parentheses; ``true`` / ``false``.  A bit the layout does not have reads as 0, as the
kernel's mask variable is 0 there (``A`` in EPT without A/D bits).

The text is parsed by ``lark`` (LALR), checked (names, prefixes, kind) and compiled into a
:class:`Rule` whose :meth:`Rule.one` / :meth:`Rule.pair` evaluate through any
:class:`~verify.expr.Ops` backend, so a user's rule runs on ints and on z3 terms exactly
like a built-in predicate.  Errors are :class:`RuleError` (an ``InputError``: exit 2) and
name the file, line and column.  :func:`to_sympy` / :func:`from_sympy` convert a rule to
and from sympy boolean algebra (for the ``terms`` command's minimization).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import lark

from verify import spte as P
from verify.errors import InputError
from verify.expr import CONCRETE, Ops
from verify.layouts import Layout

GRAMMAR = r"""
?start: expr
?expr: or_expr
     | or_expr "?" expr ":" expr             -> cond
?or_expr: and_expr
        | or_expr "||" and_expr              -> or_
?and_expr: cmp_expr
         | and_expr "&&" cmp_expr            -> and_
?cmp_expr: unary
         | unary CMP unary                   -> cmp
?unary: atom
      | "!" unary                            -> not_
?atom: "(" expr ")"
     | PREFIX "." NAME                       -> ref
     | NAME                                  -> ref
PREFIX.2: /(old|new)(?=\.)/
CMP: "==" | "!="
NAME: /[A-Za-z_][A-Za-z0-9_]*/
%import common.WS
%ignore WS
%ignore /#[^\n]*/
"""

# -- the vocabulary ---------------------------------------------------------------------------

SpteFn = Callable[[Ops[Any, Any], Layout, Any], Any]


def _bit(attr: str) -> SpteFn:
    return lambda o, L, s: o.test(s, getattr(L, attr))


BITS: dict[str, tuple[str, str]] = {
    # rule name: (Layout attribute, what it is)
    "R": ("r", "bit 0: EPT readable"),
    "P": ("r", "bit 0: legacy present (PT_PRESENT_MASK)"),
    "W": ("w", "bit 1: writable (PT_WRITABLE_MASK / EPT W)"),
    "X": ("x", "EPT executable (bit 2); 0 in legacy mode"),
    "U": ("user", "legacy user bit (bit 2); EPT: same as R"),
    "A": ("accessed", "the Accessed bit (shadow_accessed_mask); 0 where the layout has none"),
    "D": ("dirty", "the Dirty bit (shadow_dirty_mask); 0 where the layout has none"),
    "HOSTW": ("host_writable", "host-writable (shadow_host_writable_mask)"),
    "MMUW": ("mmu_writable", "MMU-writable (shadow_mmu_writable_mask)"),
    "PRESENT": ("mmu_present", "the MMU-present bit 11 (V-MID+); 0 in V-OLD"),
    "NX": ("nx", "legacy no-execute (bit 63)"),
    "LARGE": ("page_size", "PT_PAGE_SIZE_MASK (bit 7): a huge-page leaf"),
}

HELPERS: dict[str, tuple[SpteFn, str]] = {
    "present": (P.is_shadow_present_pte, "is_shadow_present_pte()"),
    "ad_enabled": (P.spte_ad_enabled, "spte_ad_enabled()"),
    "ad_need_wp": (P.spte_ad_need_write_protect, "spte_ad_need_write_protect()"),
    "acc_track": (P.is_access_track_spte, "is_access_track_spte()"),
    "writable": (P.is_writable_pte, "is_writable_pte()"),
    "mmu_writable": (P.is_mmu_writable_spte, "is_mmu_writable_spte()"),
    "host_writable": (P.is_host_writable_spte, "is_host_writable_spte()"),
    "accessed": (P.is_accessed_spte, "is_accessed_spte()"),
    "dirty": (P.is_dirty_spte, "is_dirty_spte()"),
    "executable": (P.is_executable_pte, "is_executable_pte()"),
    "frozen": (P.is_frozen_spte, "is_frozen_spte() / is_removed_spte()"),
    "mmio": (P.is_mmio_spte, "is_mmio_spte()"),
    "large": (P.is_large_pte, "is_large_pte()"),
    "writable_invariant": (P.writable_invariant, "check_spte_writable_invariants() holds"),
    "well_formed": (P.well_formed_present, "a present SPTE as make_spte() builds it"),
    "volatile": (lambda o, L, s: P.needs_atomic(o, L, s),
                 "the kernel version's own spte_has_volatile_bits / spte_needs_atomic_update"),
}

PAIR_HELPERS: dict[str, tuple[Callable[[Ops[Any, Any], Layout, Any, Any], Any], str]] = {
    "kernel_flush": (lambda o, L, a, b: P.flush_needed(o, L, a, b),
                     "the kernel version's own mmu_spte_update flush rule"),
}

CONSTANTS = {"true": True, "false": False}


def vocabulary() -> list[tuple[str, str]]:
    """Every name a rule may use, with what it means (for ``list --rules`` and errors)."""
    out = [(n, d) for n, (_, d) in BITS.items()]
    out += [(n, d) for n, (_, d) in HELPERS.items()]
    out += [(n, d + " (two-value rules only, no prefix)") for n, (_, d) in PAIR_HELPERS.items()]
    return out


# -- syntax tree --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    op: str                       # "ref", "const", "not", "and", "or", "eq", "ne", "cond"
    args: tuple[Node, ...] = ()
    name: str = ""                # ref: the atom; const: "true"/"false"
    prefix: str = ""              # ref: "", "old" or "new"
    line: int = 1
    col: int = 1

    def atoms(self) -> set[tuple[str, str]]:
        if self.op == "ref":
            return {(self.prefix, self.name)}
        out: set[tuple[str, str]] = set()
        for a in self.args:
            out |= a.atoms()
        return out


class RuleError(InputError):
    """A rule that does not parse, names an unknown field, or has the wrong kind."""


@dataclass(frozen=True)
class Source:
    """Where a rule's text came from, for error positions: a file (or ``<--flag>``) and
    the line / column of the text's first character in it."""

    name: str = "<rule>"
    line: int = 1
    col: int = 1

    def at(self, line: int, col: int) -> str:
        if line == 1:
            return f"{self.name}:{self.line}:{self.col + col - 1}"
        return f"{self.name}:{self.line + line - 1}:{col}"


@cache
def _parser() -> lark.Lark:
    return lark.Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def _suggest(name: str) -> str:
    import difflib
    names = list(BITS) + list(HELPERS) + list(PAIR_HELPERS) + list(CONSTANTS)
    near = difflib.get_close_matches(name, names, n=3)
    return f" (did you mean {', '.join(near)}?)" if near else ""


def parse(text: str, src: Source | None = None) -> Node:
    """Parse ``text`` into a checked syntax tree (names resolved, booleans only)."""
    src = src or Source()
    if not text.strip():
        raise RuleError(f"{src.at(1, 1)}: empty rule")
    try:
        tree = _parser().parse(text)
    except lark.exceptions.UnexpectedInput as e:
        line, col = getattr(e, "line", 1), getattr(e, "column", 1)
        if isinstance(e, lark.exceptions.UnexpectedEOF) or line is None or line < 1:
            lines = text.splitlines() or [""]
            line, col = len(lines), len(lines[-1]) + 1
            what = "unexpected end of rule"
        elif isinstance(e, lark.exceptions.UnexpectedCharacters):
            what = f"unexpected character {text.splitlines()[line - 1][col - 1]!r}"
        else:
            tok = getattr(e, "token", None)
            if tok is not None and getattr(tok, "type", "") == "$END":
                lines = text.splitlines() or [""]
                line, col = len(lines), len(lines[-1]) + 1
                what = "unexpected end of rule"
            else:
                what = f"unexpected {str(tok)!r}" if tok is not None else "syntax error"
        raise RuleError(f"{src.at(line, col)}: {what}") from None
    return _build(tree, src)


def _pos(t: Any) -> tuple[int, int]:
    meta = getattr(t, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        return meta.line, meta.column
    line = getattr(t, "line", 1)
    col = getattr(t, "column", 1)
    return line or 1, col or 1


def _build(t: Any, src: Source) -> Node:
    if isinstance(t, lark.Token):
        raise RuleError(f"{src.at(*_pos(t))}: unexpected {str(t)!r}")
    line, col = _pos(t)
    kids = list(t.children)
    if t.data == "ref":
        if len(kids) == 2:
            prefix, name = str(kids[0]), kids[1]
        else:
            prefix, name = "", kids[0]
        line, col = _pos(kids[0])
        n = str(name)
        if n in CONSTANTS:
            if prefix:
                raise RuleError(f"{src.at(line, col)}: {prefix}.{n}: a constant takes no prefix")
            return Node("const", name=n, line=line, col=col)
        if n not in BITS and n not in HELPERS and n not in PAIR_HELPERS:
            raise RuleError(f"{src.at(*_pos(name))}: unknown field or predicate {n!r}"
                            f"{_suggest(n)}")
        if n in PAIR_HELPERS and prefix:
            raise RuleError(f"{src.at(line, col)}: {n} compares old and new itself: "
                            f"write it without {prefix}.")
        return Node("ref", name=n, prefix=prefix, line=line, col=col)
    if t.data == "not_":
        return Node("not", (_build(kids[0], src),), line=line, col=col)
    if t.data in ("and_", "or_"):
        op = "and" if t.data == "and_" else "or"
        parts: list[Node] = []
        for k in kids:
            b = _build(k, src)
            parts.extend(b.args if b.op == op else (b,))
        return Node(op, tuple(parts), line=line, col=col)
    if t.data == "cmp":
        a, op, b = kids
        return Node("eq" if str(op) == "==" else "ne", (_build(a, src), _build(b, src)),
                    line=line, col=col)
    if t.data == "cond":
        c, a, b = kids
        return Node("cond", (_build(c, src), _build(a, src), _build(b, src)), line=line, col=col)
    raise RuleError(f"{src.at(line, col)}: unexpected {t.data}")


# -- compiled rules -----------------------------------------------------------------------------

ONE = "one"    # reads one SPTE (volatile rule, guard)
PAIR = "pair"  # reads old and new (flush rule)


@dataclass(frozen=True)
class Rule:
    """A compiled rule: its text, where it came from, its kind and its syntax tree."""

    text: str
    kind: str
    tree: Node
    source: Source

    def one(self, o: Ops[Any, Any], L: Layout, s: Any) -> Any:
        assert self.kind == ONE
        return _eval(self.tree, o, lambda n: _ref(n, o, L, {"": s}))

    def pair(self, o: Ops[Any, Any], L: Layout, old: Any, new: Any) -> Any:
        assert self.kind == PAIR
        return _eval(self.tree, o, lambda n: _ref(n, o, L, {"old": old, "new": new}))

    def __str__(self) -> str:
        return self.text.strip()


def compile_rule(text: str, kind: str, src: Source | None = None) -> Rule:
    """Parse and check ``text`` as a rule of ``kind`` (:data:`ONE` or :data:`PAIR`)."""
    src = src or Source()
    tree = parse(text, src)
    _check_kind(tree, kind, src)
    return Rule(text, kind, tree, src)


def _check_kind(n: Node, kind: str, src: Source) -> None:
    if n.op == "ref":
        if kind == ONE and (n.prefix or n.name in PAIR_HELPERS):
            what = f"{n.prefix}.{n.name}" if n.prefix else n.name
            raise RuleError(f"{src.at(n.line, n.col)}: {what}: this rule reads one SPTE; "
                            "old./new. belong to two-value rules such as the flush rule")
        if kind == PAIR and not n.prefix and n.name not in PAIR_HELPERS:
            raise RuleError(f"{src.at(n.line, n.col)}: {n.name}: a two-value rule must say "
                            f"which value it reads (old.{n.name} or new.{n.name})")
    for a in n.args:
        _check_kind(a, kind, src)


def _ref(n: Node, o: Ops[Any, Any], L: Layout, env: Mapping[str, Any]) -> Any:
    """An atom's value on the SPTE value(s) in ``env`` ("" or "old"/"new")."""
    if n.name in PAIR_HELPERS:
        return PAIR_HELPERS[n.name][0](o, L, env["old"], env["new"])
    s = env[n.prefix]
    if n.name in BITS:
        return o.test(s, getattr(L, BITS[n.name][0]))
    return HELPERS[n.name][0](o, L, s)


def eval_atoms(n: Node, env: Mapping[str, bool]) -> bool:
    """The rule's truth value when each atom (by its text) has the value in ``env``."""
    return bool(_eval(n, CONCRETE, lambda m: env[atom_text(m.prefix, m.name)]))


def _eval(n: Node, o: Ops[Any, Any], ref: Callable[[Node], Any]) -> Any:
    if n.op == "ref":
        return ref(n)
    if n.op == "const":
        return o.boolean(CONSTANTS[n.name])
    vals = [_eval(a, o, ref) for a in n.args]
    if n.op == "not":
        return o.not_(vals[0])
    if n.op == "and":
        return o.and_(*vals)
    if n.op == "or":
        return o.or_(*vals)
    if n.op == "eq":
        return o.beq(vals[0], vals[1])
    if n.op == "ne":
        return o.not_(o.beq(vals[0], vals[1]))
    if n.op == "cond":
        return o.ite_b(vals[0], vals[1], vals[2])
    raise AssertionError(n.op)


# -- printing, decomposition and sympy ---------------------------------------------------------


def atom_text(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def show(n: Node) -> str:
    """The rule text of a tree (fully parenthesised where precedence needs it)."""
    prec = {"cond": 0, "or": 1, "and": 2, "eq": 3, "ne": 3, "not": 4, "ref": 5, "const": 5}

    def go(m: Node, outer: int) -> str:
        p = prec[m.op]
        if m.op == "ref":
            s = atom_text(m.prefix, m.name)
        elif m.op == "const":
            s = m.name
        elif m.op == "not":
            s = "!" + go(m.args[0], p)
        elif m.op in ("and", "or"):
            # an && inside || is parenthesised for the reader, as the kernel writes it
            s = (" && " if m.op == "and" else " || ").join(
                go(a, p + 2 if m.op == "or" else p + 1) for a in m.args)
        elif m.op in ("eq", "ne"):
            s = f"{go(m.args[0], p + 1)} {'==' if m.op == 'eq' else '!='} {go(m.args[1], p + 1)}"
        else:
            s = f"{go(m.args[0], 1)} ? {go(m.args[1], 0)} : {go(m.args[2], 0)}"
        return f"({s})" if p < outer else s

    return go(n, 0)


def disjuncts(n: Node) -> list[Node]:
    """The top-level disjuncts of a rule (one element if it is not a disjunction)."""
    return list(n.args) if n.op == "or" else [n]


def without(n: Node, k: int) -> Node:
    """The rule with its k-th top-level disjunct dropped (``false`` if none is left)."""
    parts = [d for i, d in enumerate(disjuncts(n)) if i != k]
    if not parts:
        return Node("const", name="false")
    return parts[0] if len(parts) == 1 else Node("or", tuple(parts))


def to_sympy(n: Node) -> Any:
    """The rule as a sympy boolean expression; atoms become symbols named by their text."""
    import sympy

    def go(m: Node) -> Any:
        if m.op == "ref":
            return sympy.Symbol(atom_text(m.prefix, m.name))
        if m.op == "const":
            return sympy.true if m.name == "true" else sympy.false
        xs = [go(a) for a in m.args]
        if m.op == "not":
            return sympy.Not(xs[0])
        if m.op == "and":
            return sympy.And(*xs)
        if m.op == "or":
            return sympy.Or(*xs)
        if m.op == "eq":
            return sympy.Equivalent(xs[0], xs[1])
        if m.op == "ne":
            return sympy.Xor(xs[0], xs[1])
        return sympy.ITE(xs[0], xs[1], xs[2])

    return go(n)


def from_sympy(e: Any) -> str:
    """Rule text for a sympy boolean expression over atom symbols (And/Or/Not/constants)."""
    import sympy

    if e is sympy.true or e == sympy.true:
        return "true"
    if e is sympy.false or e == sympy.false:
        return "false"
    if isinstance(e, sympy.Symbol):
        return str(e)
    if isinstance(e, sympy.Not):
        return "!" + from_sympy(e.args[0])
    if isinstance(e, sympy.And):
        parts = sorted(from_sympy(a) for a in e.args)
        return " && ".join(p if "||" not in p else f"({p})" for p in parts)
    if isinstance(e, sympy.Or):
        parts = sorted(from_sympy(a) for a in e.args)
        return " || ".join(f"({p})" if "&&" in p else p for p in parts)
    raise InputError(f"cannot print {e} as a rule")
