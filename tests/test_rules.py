"""The rule language (verify/rules.py): each version's own volatile and flush rule,
written as text in encodings/layouts.toml, is proved equal by z3 to the built-in Ops code
on every layout; user rules agree between the concrete and the symbolic backend exactly
like built-in predicates; syntax errors name the line and column."""

from __future__ import annotations

import random

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as hs

from verify import spte as P
from verify.expr import CONCRETE, Z3Ops
from verify.layouts import all_layouts, kernel_rule_texts
from verify.rules import BITS, HELPERS, ONE, PAIR, RuleError, Source, compile_rule, parse, show

LAYOUTS = all_layouts()
NEEDS, FLUSH = kernel_rule_texts()


@pytest.mark.parametrize("L", LAYOUTS, ids=lambda L: L.name)
def test_kernel_volatile_rules_as_text_equal_the_builtin_code(L: object) -> None:
    o = Z3Ops()
    s = z3.BitVec("s", 64)
    assert set(NEEDS) == set(P.NEEDS_ATOMIC)
    for name, text in NEEDS.items():
        rule = compile_rule(text, ONE)
        solver = z3.Solver()
        solver.add(rule.one(o, L, s) != P.NEEDS_ATOMIC[name](o, L, s))  # type: ignore[arg-type]
        assert solver.check() == z3.unsat, (name, solver.model())


@pytest.mark.parametrize("L", LAYOUTS, ids=lambda L: L.name)
def test_kernel_flush_rules_as_text_equal_the_builtin_code(L: object) -> None:
    o = Z3Ops()
    a, b = z3.BitVec("old", 64), z3.BitVec("new", 64)
    assert set(FLUSH) == set(P.FLUSH_RULES)
    for name, text in FLUSH.items():
        rule = compile_rule(text, PAIR)
        solver = z3.Solver()
        solver.add(rule.pair(o, L, a, b) != P.FLUSH_RULES[name](o, L, a, b))  # type: ignore[arg-type]
        assert solver.check() == z3.unsat, (name, solver.model())


def test_a_wrong_rule_text_is_told_apart() -> None:
    """The equality proof can fail: V-MID's text without its A term is not V-MID's rule."""
    L = next(x for x in LAYOUTS if x.name == "V-MID/ept-ad")
    o = Z3Ops()
    s = z3.BitVec("s", 64)
    rule = compile_rule("(!W && MMUW) || acc_track || (ad_enabled && W && !D)", ONE)
    solver = z3.Solver()
    solver.add(rule.one(o, L, s) != P.NEEDS_ATOMIC["v_mid"](o, L, s))
    assert solver.check() == z3.sat


NAMES = list(BITS) + list(HELPERS)


def _random_rule(rnd: random.Random, depth: int) -> str:
    if depth == 0 or rnd.random() < 0.3:
        return rnd.choice([*NAMES, "true", "false"])
    k = rnd.randrange(6)
    a, b = _random_rule(rnd, depth - 1), _random_rule(rnd, depth - 1)
    if k == 0:
        return f"!{a}" if a.isidentifier() else f"!({a})"
    if k == 1:
        return f"({a} && {b})"
    if k == 2:
        return f"({a} || {b})"
    if k == 3:
        return f"({a} == {b})"
    if k == 4:
        return f"({a} != {b})"
    return f"({a} ? {b} : {_random_rule(rnd, depth - 1)})"


@settings(max_examples=60, deadline=None)
@given(seed=hs.integers(0, 2**32 - 1), values=hs.lists(hs.integers(0, 2**64 - 1), min_size=4,
                                                        max_size=4))
def test_user_rules_agree_concretely_and_symbolically(seed: int, values: list[int]) -> None:
    rnd = random.Random(seed)
    text = _random_rule(rnd, 4)
    rule = compile_rule(text, ONE)
    # printing and re-parsing gives the same rule
    again = compile_rule(show(rule.tree), ONE)
    o = Z3Ops()
    for L in rnd.sample(LAYOUTS, 3):
        for v in values:
            want = rule.one(CONCRETE, L, v)
            sym = z3.simplify(rule.one(o, L, o.lit(v)))
            assert z3.is_true(sym) == want and z3.is_false(sym) == (not want), (text, L.name)
            assert again.one(CONCRETE, L, v) == want


@pytest.mark.parametrize(("text", "kind", "where", "what"), [
    ("W &&", ONE, "f.toml:3:14", "unexpected end of rule"),
    ("W $ A", ONE, "f.toml:3:12", "unexpected character '$'"),
    ("Wx || A", ONE, "f.toml:3:10", "unknown field or predicate 'Wx' (did you mean W?)"),
    ("W ||\n  !Q", ONE, "f.toml:4:4", "unknown field or predicate 'Q'"),
    ("old.W", ONE, "f.toml:3:10", "this rule reads one SPTE"),
    ("W && !new.W", PAIR, "f.toml:3:10", "must say which value it reads"),
    ("old.kernel_flush", PAIR, "f.toml:3:10", "compares old and new itself"),
    ("", ONE, "f.toml:3:10", "empty rule"),
])
def test_rule_errors_name_file_line_and_column(text: str, kind: str, where: str,
                                               what: str) -> None:
    with pytest.raises(RuleError) as e:
        compile_rule(text, kind, Source("f.toml", 3, 10))
    msg = str(e.value)
    assert msg.startswith(where + ": "), msg
    assert what in msg, msg


def test_precedence_and_printing() -> None:
    t = parse("!W && MMUW || A ? D : W == X")
    assert t.op == "cond"
    assert show(parse("(!W && MMUW) || !ad_enabled || (W && !D)")) == \
        "(!W && MMUW) || !ad_enabled || (W && !D)"
