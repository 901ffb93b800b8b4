"""Variant files, sites, consequences vs rule checks, --against and the terms command
(issue 8).  The built-in R1–R5 variants are variant files (variants/*.toml); their golden
traces are checked in test_replay_cli.py and their verdicts in test_protocols.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_runner import run
from click.testing import Result

from verify import checker
from verify.engines.explore import explore
from verify.engines.replay import Frame, State
from verify.layouts import MODES, VERSIONS, get_layout, kernel_rule_texts
from verify.model import Model
from verify.protocols import submodule

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
va, S, sc, wo = (submodule("variants"), submodule("sites"), submodule("scenarios"),
                 submodule("world"))


def one_error(r: Result, *needles: str) -> str:
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    err = r.stderr
    assert err.count("\n") == 1 and err.startswith("spte-verify: error: "), err
    assert "Traceback" not in err
    for n in needles:
        assert n in err, (n, err)
    return err


def write(tmp: Path, text: str, name: str = "v.toml") -> str:
    f = tmp / name
    f.write_text(text, encoding="utf-8")
    return str(f)


HEAD = 'format = 1\nname = "mine"\nbase = "V-MID"\n'


@pytest.mark.parametrize(("body", "needles"), [
    ('needs_atomic = "W &&"\n', ("v.toml:4:", "unexpected end of rule")),
    ('needs_atomic = "W || Q"\n', ("v.toml:4:22", "unknown field or predicate 'Q'")),
    ('needs_atomic = "old.W"\n', ("v.toml:4:", "reads one SPTE")),
    ('flush_rule = "W"\n', ("v.toml:4:", "must say which value")),
    ('[sites]\n"nope.site" = "plain"\n', ("v.toml:5:", "unknown site 'nope.site'")),
    ('[sites]\n"mmu_spte_update.store" = "cmpxchg"\n',
     ("v.toml:5:", "has no alternative 'cmpxchg'", "plain-unless-volatile")),
    ('[sites]\n"mmu_spte_update.store" = { rule = "W" }\n', ("takes no rule expression",)),
    ('[sites]\n"spte_write_protect.skip" = { rule = "W &&" }\n', ("v.toml:5:", "end of rule")),
    ('colour = "red"\n', ("v.toml:4:", "unknown key 'colour'")),
    ('modes = ["npt"]\n', ("unknown mode 'npt'",)),
    ('needs_atomic = 3\n', ("'needs_atomic' must be a string",)),
    ('[shows]\nscenario = "nope"\nmode = "ept-ad"\nproperty = "dirty-log"\n',
     ("unknown scenario 'nope'",)),
    ('needs_atomic = "W\n', ("v.toml:4:", "not valid TOML")),
])
def test_bad_variant_files_give_one_line_with_file_and_line(tmp_path: Path, body: str,
                                                            needles: tuple[str, ...]) -> None:
    f = write(tmp_path, HEAD + body)
    one_error(run("check", "--variant-file", f, "--engine", "explicit", "--bound", "2"), *needles)


@pytest.mark.parametrize(("text", "needles"), [
    ('format = 1\nname = "x"\nbase = "V-9"\n', ("v.toml:3:", "unknown base kernel version")),
    ('format = 2\nname = "x"\n', ("v.toml:1:", "'format' must be 1")),
    ('name = "x"\n', ("'format' must be 1",)),
    ('format = 1\nname = "fixed"\n', ("'fixed' is the kernel's own code",)),
    ('format = 1\n', ("missing 'name'",)),
])
def test_bad_headers(tmp_path: Path, text: str, needles: tuple[str, ...]) -> None:
    one_error(run("check", "--variant-file", write(tmp_path, text), "--engine", "explicit"),
              *needles)


def test_missing_and_special_files(tmp_path: Path) -> None:
    one_error(run("check", "--variant-file", str(tmp_path / "none.toml")), "no such file")
    one_error(run("check", "--variant-file", str(tmp_path)), "not a regular file")
    one_error(run("check", "--needs-atomic", "W &&"), "--needs-atomic:1:5",
              "unexpected end of rule")
    one_error(run("check", "--flush-rule", "W"), "--flush-rule:1:1", "which value")
    one_error(run("check", "--variant", ""), "--variant needs a name")
    one_error(run("check", "--save-witness", ""), "--save-witness needs a directory")


def test_protocol_files_that_raise_say_where(tmp_path: Path) -> None:
    f = write(tmp_path, "x = 1\nraise RuntimeError('boom')\n", "p.py")
    one_error(run("check", "--protocols", f), "p.py:2: RuntimeError: boom")
    g = write(tmp_path, "def f(:\n", "q.py")
    one_error(run("list", "--protocols", g), "q.py:1:", "syntax error")
    one_error(run("check", "--protocols", str(tmp_path / "none.py")), "no such protocols")
    h = write(tmp_path, "from verify import api\napi.register_scenario(api.Scenario("
              "'wrtrack-vs-fastpf', '', api.MODES, None, None))\n", "dup.py")
    one_error(run("check", "--protocols", h), "dup.py:", "already defined")


def test_kernel_rules_given_as_expressions_change_nothing() -> None:
    """--needs-atomic / --flush-rule with the version's own rule text: same verdicts
    and depths as the kernel's code, on every scenario."""
    na, fl = kernel_rule_texts()
    L = get_layout("V-MID", "ept-ad")
    mine = va.variant_from_rules(va.FIXED, na[L.needs_atomic], fl[L.flush_rule])
    for s in sc.SCENARIOS.values():
        if s.large or "ept-ad" not in s.modes or L.version not in s.versions:
            continue
        a = explore(s.build(L, va.FIXED, wo.HwParams()), 40)
        b = explore(s.build(L, mine, wo.HwParams()), 40)
        assert [(r.verdict, r.depth, r.states) for r in a] == \
            [(r.verdict, r.depth, r.states) for r in b], s.name


def test_builtin_race_variants_are_variant_files() -> None:
    for rid, race in sc.RACES.items():
        v = va.get_variant(rid)
        assert v.source.startswith("variants/") and v.source.endswith(".toml")
        assert v.name == race.variant and v.document is not None


def _edges(model: Model, frame: Frame, st: State) -> frozenset[tuple[str, State]]:
    """The transitions enabled in ``st``: (action label and text, successor)."""
    view = frame.st(st)
    return frozenset((f"{a.label}:{a.text}", frame.successor(st, a, view))
                     for a in model.actions if frame.enabled(st, a, view))


def _graphs_differ(fixed: Model, other: Model,
                   memo: dict[State, frozenset[tuple[str, State]]]) -> bool:
    """Whether the reachable transition graphs (every reachable state, each enabled action
    by label and text, its successor) of ``fixed`` and ``other`` differ.  One search over
    the states both reach, comparing the initial sets and then each state's transitions:
    while nothing differs the two searches reach the same states, so the graphs are equal
    iff the search ends without a difference; it stops at the first one.  ``memo`` keeps
    ``fixed``'s transitions per state for the next model compared with it."""
    ff, fo = Frame(fixed), Frame(other)
    init = set(ff.initial_states())
    if init != set(fo.initial_states()):
        return True
    seen, todo = set(init), list(init)
    while todo:
        st = todo.pop()
        mine = memo.get(st)
        if mine is None:
            mine = memo[st] = _edges(fixed, ff, st)
        if _edges(other, fo, st) != mine:
            return True
        for _label, nxt in mine:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


INERT_ALTERNATIVES: set[tuple[str, str]] = {
    # the PML scenarios' SPTE is always dirty when clear-dirty reads it
    ("__rmap_clear_dirty.skip_clean", "absent"),
    # tdp-wrprot-vs-fault: the SPTE is writable when wrprot_gfn_range reads it
    ("wrprot_gfn_range.skip", "absent"),
    # zap-vs-writers: nothing makes the SPTE writable between the fault and the install
    ("direct_page_fault.spurious", "absent"),
    # zap-pt-vs-fastpf: the child stays present until handle_removed_pt freezes it
    ("handle_removed_pt.skip_nonpresent", "absent"),
}
"""Alternatives no built-in scenario can tell from the kernel's choice (a scenario gap,
listed so that closing it shows here)."""


def test_every_site_is_used_and_every_alternative_changes_the_model() -> None:
    """Building every scenario on every version and mode asks about every declared site;
    each alternative of each site changes the reachable transition graph of some model
    where the site is used (the protocol code honours it)."""
    where: dict[str, list[tuple[str, str, str]]] = {}
    for v in VERSIONS:
        for m in MODES:
            L = get_layout(v, m)
            for s in sc.SCENARIOS.values():
                if not s.applies(L) or s.large:
                    continue
                S.USED.clear()
                s.build(L, va.FIXED, wo.HwParams())
                for sid in S.USED:
                    where.setdefault(sid, []).append((s.name, v, m))
    assert set(S.SITES) == set(where), set(S.SITES) - set(where)
    inert = set()
    fixed: dict[tuple[str, str, str], Model] = {}
    memo: dict[tuple[str, str, str], dict[State, frozenset[tuple[str, State]]]] = {}
    for sid, site in S.SITES.items():
        for alt in site.alternatives:
            choice = wo.SiteChoice(alt, va.compile_rule("true", va.ONE) if alt == "rule"
                                   else None)
            var = wo.Variant("alt", None, "", sites=((sid, choice),))
            differs = False
            for scen, v, m in where[sid]:
                L = get_layout(v, m)
                if alt == site.kernel_default(L):
                    continue
                build = sc.SCENARIOS[scen].build
                if (scen, v, m) not in fixed:
                    fixed[scen, v, m] = build(L, va.FIXED, wo.HwParams())
                if _graphs_differ(fixed[scen, v, m], build(L, var, wo.HwParams()),
                                  memo.setdefault((scen, v, m), {})):
                    differs = True
                    break
            if all(alt == site.kernel_default(get_layout(v, m)) for _s, v, m in where[sid]):
                continue
            if not differs:
                inert.add((sid, alt))
    assert inert == INERT_ALTERNATIVES


def test_list_sites_and_rules() -> None:
    r = run("list", "--sites")
    assert r.exit_code == 0
    for sid in S.SITES:
        assert f"  {sid}\n" in r.stdout
    r = run("list", "--rules")
    assert r.exit_code == 0 and "acc_track" in r.stdout and "old.MMUW && !new.MMUW" in r.stdout
    r = run("list")
    assert re.search(r"lock-discipline\s+rule\s", r.stdout)


def test_against_prints_only_changed_verdicts_with_traces() -> None:
    r = run("check", "--variant-file", str(ROOT / "variants" / "R4-flush-on-w-only.toml"),
            "--against", "fixed", "--engine", "explicit")
    assert r.exit_code == 1, r.stdout + r.stderr
    changed = r.stdout.split("verdicts that changed")[1].split("\n\n")[0]
    rows = [ln for ln in changed.splitlines()[3:] if ln.strip()]
    # the stale writable TLB entry after write tracking breaks both consequences
    assert [ln.split()[2] for ln in rows] == ["no-stale-tlb", "write-tracking"]
    assert all("PROVED" in ln and "VIOLATED (depth 17)" in ln for ln in rows)
    assert r.stdout.count("| CPU (harvest)") == 2  # one trace per new violation
    assert "consequences [flush-on-w-only]: 2 of" in r.stdout


def test_a_relaxation_without_a_concurrent_writer_breaks_no_consequence(tmp_path: Path) -> None:
    """Everything plain (needs_atomic = false) on a scenario where only write tracking
    touches the SPTE: no consequence breaks and, as the rule check follows the variant's
    own rule, no rule check either.  The same relaxation with a concurrent fast page fault
    and guest writer loses a dirty bit (V-MID)."""
    proto = write(tmp_path, (
        "from verify import api\n"
        "def make(w):\n"
        "    api.host_ops.add_write_tracking(w, 0)\n"
        "api.register_scenario(api.Scenario('wrtrack-alone', 'write tracking, nobody else',\n"
        "    api.MODES, make, api.one_spte(api.wrprot_clean)))\n"), "alone.py")
    r = run("check", "--protocols", proto, "--scenario", "wrtrack-alone", "--kernel", "V-MID",
            "--needs-atomic", "false", "--engine", "explicit")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "consequences [custom]: all" in r.stdout and "safe on the modelled" in r.stdout
    r = run("check", "--scenario", "wrtrack-vs-fastpf", "--kernel", "V-MID",
            "--needs-atomic", "false", "--engine", "explicit")
    assert r.exit_code == 1
    assert "consequences [custom]:" in r.stdout and "VIOLATED (host-dirty" in r.stdout


def test_terms_reports_necessary_terms_with_traces_and_a_rechecked_weakest_rule() -> None:
    r = run("terms", "--kernel", "V-MID", "--scenario", "wrtrack-vs-fastpf",
            "--scenario", "harvest-vs-wrtrack")
    assert r.exit_code == 0, r.stdout + r.stderr
    out = r.stdout
    nec = re.findall(r"^\s+(\d)\. .* NECESSARY", out, re.M)
    assert nec, out
    for n in nec:  # each necessary term comes with its trace
        assert f"term {n} (" in out
    assert "weakest safe rule: " in out and "re-checked end to end: no consequence breaks" in out
    assert "scope: consequences of 2 scenario(s)" in out
    weakest = re.search(r"weakest safe rule: (.*)", out)
    assert weakest is not None
    # and the weakest rule indeed holds when checked on its own
    again = run("check", "--kernel", "V-MID", "--scenario", "wrtrack-vs-fastpf",
                "--scenario", "harvest-vs-wrtrack", "--needs-atomic", weakest.group(1),
                "--engine", "explicit", "--bound", "40")
    assert "VIOLATED (" not in again.stdout.split("consequences")[1].split("\n")[0]


def test_checker_plan_uses_the_variant_base() -> None:
    v, _ = va.load_variant_file(EXAMPLES / "variants" / "fastpf-no-mark.toml")
    jobs = checker.plan(variant=v, scenarios=["wrtrack-vs-fastpf"])
    assert jobs[0].version == "V-NEW" and jobs[0].variant == "fastpf-no-mark"
