"""Which terms of a volatile rule are needed, and the weakest safe rule
(``spte-verify terms``).

For a needs-atomic rule (the kernel version's own, or a user's expression) and a set of
scenarios, judged by their *consequences* only (lock-discipline follows the rule under
test, so it cannot judge it):

1. **Terms.** Each top-level disjunct is dropped in turn (the rule becomes weaker: fewer
   SPTEs are treated as volatile) and the scenarios are checked.  A term is *necessary*
   when dropping it breaks a consequence — reported with the shortest replayed,
   minimized trace — and *not needed on the modelled scenarios* otherwise.
2. **Weakest safe rule.** Over the atoms the rule reads, every combination of values that
   some reachable SPTE of the scenarios takes (under the original rule) is tried: if
   treating SPTEs of that combination as not volatile (``rule && !cube``) breaks no
   consequence, the relaxation is kept (greedy, each step checked from the current rule,
   so the result is safe by construction and no single further combination can be
   dropped).  The rule is then minimized with sympy's ``SOPform``, unreachable
   combinations as don't-cares, and the minimized formula is re-checked end to end; if
   it fails (the relaxed models reach new combinations) the exact form is kept.

The scope of every answer — which scenarios, which engine, PROVED (exhaustive) or up to a
bound — is part of the report.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from verify.engines.explore import reachable_states
from verify.errors import InputError
from verify.expr import CONCRETE
from verify.layouts import Layout, get_layout
from verify.model import Model
from verify.rules import (
    ONE,
    Node,
    Rule,
    Source,
    compile_rule,
    disjuncts,
    eval_atoms,
    from_sympy,
    show,
    without,
)

MAX_ATOMS = 8


@dataclass
class Check:
    """The consequences of one candidate rule over the scenarios."""

    rule: str
    safe: bool
    decided: bool
    violation: tuple[Any, Any] | None = None  # (job, result) of the first violation
    seconds: float = 0.0


@dataclass
class TermReport:
    text: str
    necessary: bool
    check: Check


@dataclass
class TermsReport:
    rule: str
    version: str
    mode: str
    scenarios: list[str]
    scope: str
    terms: list[TermReport] = field(default_factory=list)
    atoms: list[str] = field(default_factory=list)
    reachable: int = 0
    combos_tried: int = 0
    relaxed: list[dict[str, bool]] = field(default_factory=list)
    weakest: str = ""
    weakest_exact: str = ""
    weakest_check: Check | None = None
    seconds: float = 0.0
    checks: int = 0


Runner = Callable[[Any], list[Any]]


def _consequences(jobs: Sequence[Any]) -> tuple[bool, bool, tuple[Any, Any] | None]:
    from verify.variants_cli import property_kind
    decided = True
    for j in jobs:
        for r in j.results:
            if property_kind(r.property) != "consequence":
                continue
            if r.verdict.value == "VIOLATED":
                return False, True, (j, r)
            if r.verdict.value not in ("PROVED", "HOLDS"):
                decided = False
    return True, decided, None


def analyse(*, base: Any, rule_text: str | None, kernel: str | None, mode: str | None,
            scenarios: Sequence[str], run: Callable[[list[Any]], None], hw: Any,
            scope: str, include_large: bool = False,
            progress: Callable[[str], None] | None = None) -> TermsReport:
    """Run both analyses for ``rule_text`` (default: the version's own rule) on top of
    the variant ``base``.  ``run(jobs)`` checks jobs with the chosen engine."""
    from verify import checker
    from verify.layouts import kernel_rule_texts
    from verify.protocols import submodule

    t0 = time.monotonic()
    sc = submodule("scenarios")
    version = kernel or base.base or "V-NEW"
    mode_ = mode or (base.modes[0] if base.modes else "ept-ad")
    L = get_layout(version, mode_)
    if rule_text is None:
        rule = base.needs_atomic or compile_rule(kernel_rule_texts()[0][L.needs_atomic], ONE,
                                                 Source(f"<{version} rule>"))
    else:
        rule = compile_rule(rule_text, ONE, Source("--rule"))
    names = list(dict.fromkeys(scenarios)) if scenarios else [
        s.name for s in sc.SCENARIOS.values()
        if s.applies(L) and (include_large or not s.large)]
    report = TermsReport(show(rule.tree), version, mode_, names, scope)
    cache: dict[str, Check] = {}

    def variant_for(tree: Node, label: str) -> Any:
        r = Rule(show(tree), ONE, tree, Source(label))
        doc = dict(base.document or {"format": 1, "name": base.name})
        doc["name"] = "terms-candidate"
        doc["needs_atomic"] = r.text
        return replace(base, name="terms-candidate", race=None, needs_atomic=r,
                       source=label, document=doc)

    def check(tree: Node, label: str) -> Check:
        key = show(tree)
        if key in cache:
            return cache[key]
        t = time.monotonic()
        v = variant_for(tree, label)
        jobs = [j for s in names for j in checker.plan(
            kernel=version, mode=mode_, variant=v, scenarios=[s], hw=hw)]
        run(jobs)
        safe, decided, viol = _consequences(jobs)
        c = Check(key, safe, decided, viol, time.monotonic() - t)
        cache[key] = c
        report.checks += 1
        if progress is not None:
            progress(f"{'safe' if safe else 'unsafe'}: {key} ({c.seconds:.1f}s)")
        return c

    base_check = check(rule.tree, "the rule under test")
    if not base_check.safe:
        bj, br = base_check.violation or (None, None)
        where = f"{br.property} in {bj.scenario}" if bj is not None and br is not None else "?"
        raise InputError(f"the rule under test already breaks a consequence ({where}): "
                         "nothing to weaken")
    # 1. terms
    parts = disjuncts(rule.tree)
    if len(parts) > 1:
        for k, d in enumerate(parts):
            c = check(without(rule.tree, k), f"without term {k + 1}")
            report.terms.append(TermReport(show(d), not c.safe, c))
    # 2. weakest safe rule over the atoms
    atoms = sorted({n for p, n in rule.tree.atoms()})
    if len(atoms) > MAX_ATOMS:
        raise InputError(f"the rule reads {len(atoms)} atoms; the truth-table search takes at "
                         f"most {MAX_ATOMS}")
    report.atoms = atoms
    atom_rules = {a: compile_rule(a, ONE) for a in atoms}
    reach = _reachable_combos(names, sc, L, variant_for(rule.tree, "reachability"), hw,
                              atom_rules, atoms)
    report.reachable = len(reach)
    current = rule.tree
    for combo in sorted(reach, key=lambda c: (-sum(c), c)):
        env = dict(zip(atoms, combo, strict=True))
        if not eval_atoms(current, env):
            continue  # already not volatile there
        report.combos_tried += 1
        cand = Node("and", (current, Node("not", (_cube(env),))))
        if check(cand, "relaxation").safe:
            current = cand
            report.relaxed.append(env)
    report.weakest_exact = _minimized(current, atoms, [])
    dontcare = [c for c in itertools.product([False, True], repeat=len(atoms))
                if c not in reach]
    text = _minimized(current, atoms, dontcare)
    final = compile_rule(text, ONE, Source("weakest"))
    c = check(final.tree, "weakest rule (re-check)")
    if not c.safe:
        text = report.weakest_exact
        c = check(compile_rule(text, ONE).tree, "weakest rule, exact (re-check)")
    report.weakest = text
    report.weakest_check = c
    report.seconds = time.monotonic() - t0
    return report


def _cube(env: dict[str, bool]) -> Node:
    lits = [Node("ref", name=a) if v else Node("not", (Node("ref", name=a),))
            for a, v in env.items()]
    return Node("and", tuple(lits)) if len(lits) > 1 else lits[0]


def _minimized(tree: Node, atoms: list[str], dontcare: list[tuple[bool, ...]]) -> str:
    """``tree`` as a minimal sum of products (sympy SOPform) over ``atoms``."""
    import sympy
    syms = [sympy.Symbol(a) for a in atoms]
    minterms = [[int(b) for b in c] for c in itertools.product([False, True], repeat=len(atoms))
                if eval_atoms(tree, dict(zip(atoms, c, strict=True))) and c not in dontcare]
    if not minterms:
        return "false"
    dc = [[int(b) for b in c] for c in dontcare]
    expr = sympy.SOPform(syms, minterms, dc)
    return from_sympy(expr)


def _reachable_combos(names: Sequence[str], sc: Any, L: Layout, variant: Any, hw: Any,
                      atom_rules: dict[str, Rule], atoms: list[str],
                      limit: int = 2_000_000) -> set[tuple[bool, ...]]:
    """Atom combinations of every leaf SPTE value in every reachable state (breadth-first
    on the concrete MMU, no bound: the scenarios are finite)."""
    values: set[int] = set()
    for name in names:
        model: Model = sc.SCENARIOS[name].build(L, variant, hw)
        idx = [model.var_index[v.name] for v in model.vars
               if v.name.startswith("spte") and "." not in v.name and v.width == 64]
        try:
            states = reachable_states(model, limit)
        except ValueError:
            raise InputError(f"scenario {name}: more than {limit} states; give smaller "
                             "--scenario choices") from None
        values.update(s[i] for s in states for i in idx)
    return {tuple(bool(atom_rules[a].one(CONCRETE, L, v)) for a in atoms) for v in values}


def format_report(rep: TermsReport, trace: Callable[[Any, Any], str]) -> str:
    """The report as text; ``trace(job, result)`` renders a violation's trace."""
    out = [f"rule under test ({rep.version}/{rep.mode}): {rep.rule}",
           f"scope: consequences of {len(rep.scenarios)} scenario(s) "
           f"({', '.join(rep.scenarios)}), {rep.scope}", ""]
    if rep.terms:
        out.append("terms (each dropped in turn):")
        for n, t in enumerate(rep.terms, 1):
            if t.necessary:
                j, r = t.check.violation or (None, None)
                where = (f"{r.property} in {j.scenario}, depth {r.depth}"
                         if r is not None and j is not None else "?")
                out.append(f"  {n}. {t.text:44s} NECESSARY: dropping it breaks {where}")
            else:
                how = "" if t.check.decided else " (some checks UNDECIDED)"
                out.append(f"  {n}. {t.text:44s} not needed on the modelled scenarios{how}")
        for n, t in enumerate(rep.terms, 1):
            if t.necessary and t.check.violation is not None:
                j, r = t.check.violation
                out.append("")
                out.append(f"term {n} ({t.text}) dropped: {j.scenario} [{j.version}/{j.mode}]: "
                           f"{r.property}")
                out.append(trace(j, r))
        out.append("")
    else:
        out.append("terms: the rule is a single term (no disjunction to drop)")
        out.append("")
    out.append(f"atoms: {', '.join(rep.atoms)}; {rep.reachable} combination(s) reachable, "
               f"{rep.combos_tried} volatile one(s) tried, {len(rep.relaxed)} relaxed")
    for env in rep.relaxed:
        out.append("  not volatile is safe for: " + " ".join(
            f"{a}={int(v)}" for a, v in env.items()))
    c = rep.weakest_check
    verdict = ("re-checked end to end: no consequence breaks" if c is not None and c.safe
               else "re-check FAILED")
    out.append(f"weakest safe rule: {rep.weakest}")
    out.append(f"  ({verdict}; exact form without don't-cares: {rep.weakest_exact})")
    out.append(f"({rep.checks} checks in {rep.seconds:.1f}s)")
    return "\n".join(out)
