"""Counterexample traces: valid reStructuredText grid tables (parsed with docutils), SPTE
diffs, explanations, minimal witnesses, and ``check --json`` against its JSON Schema.

The R1-R5 traces themselves (their steps and order) are pinned by the golden files in
``tests/golden`` (``test_replay_cli.py``); here every one of those tables, and fresh ones,
must parse as a grid table with one column per actor plus "After the step".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_runner import run

from verify import checker
from verify.engines.replay import replay
from verify.layouts import get_layout
from verify.protocols import submodule
from verify.reports.minimize import context_switches, minimize, violating_prefix
from verify.reports.trace import explain, grid_table, kernel_table, spte_diff
from verify.reports.witness import load_schema, schema_path

GOLDEN = Path(__file__).parent / "golden"
RACES = submodule("scenarios").RACES




# --- docutils: the table is a valid grid table ---------------------------------------------


def rst_rows(text: str) -> tuple[list[str], list[list[str]]]:
    """Parse the grid table in ``text`` with docutils; header cells and body rows (cell
    texts, whitespace-normalised).  Fails on any docutils error (level >= 3); warnings
    about unbalanced inline markup (C's ``*sptep``) are allowed, as in plain-text use."""
    from docutils import nodes
    from docutils.core import publish_doctree

    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("+"))
    end = max(i for i, line in enumerate(lines) if line.startswith("+"))
    table_text = "\n".join(lines[start:end + 1]) + "\n"
    doc = publish_doctree(table_text, settings_overrides={
        "report_level": 5, "halt_level": 5, "warning_stream": False})
    errors = [m for m in doc.findall(nodes.system_message) if m["level"] >= 3]
    assert not errors, [m.astext() for m in errors]
    for m in list(doc.findall(nodes.system_message)):  # inline-markup warnings ("*sptep")
        m.parent.remove(m)
    tables = list(doc.findall(nodes.table))
    assert len(tables) == 1, "expected exactly one table"

    def cells(row: Any) -> list[str]:
        return [" ".join(e.astext().split()) for e in row.findall(nodes.entry)]

    head = [cells(r) for r in tables[0].findall(nodes.row)
            if isinstance(r.parent, nodes.thead)]
    body = [cells(r) for r in tables[0].findall(nodes.row)
            if isinstance(r.parent, nodes.tbody)]
    assert len(head) == 1
    return head[0], body


def test_grid_table_parses_with_spanning_preamble() -> None:
    t = grid_table(["a", "b"], [["x | y", ""], ["", "*p"]], [12, 12], ["At the beginning: q|r"])
    head, body = rst_rows(t)
    assert head == ["a", "b"]
    assert body[0] == ["At the beginning: q¦r"]
    assert body[1][0] == "x ¦ y"  # a literal | would read as a column rule


def test_every_golden_table_is_a_valid_grid_table() -> None:
    tables = sorted(GOLDEN.glob("R*.txt"))
    assert len(tables) == len(RACES)
    for f in tables:
        text = f.read_text(encoding="utf-8")
        table = text[:text.index("\nkernel references:")] if "kernel references:" in text \
            else text
        assert max(len(line) for line in table.splitlines()) <= 100, f.name
        head, body = rst_rows(table)
        assert head[0] == "#" and head[-1] == "After the step"
        assert body[0][0].startswith("At the beginning:")
        wit = json.loads(f.with_suffix(".json").read_text(encoding="utf-8"))
        steps = body[1:]
        assert len(steps) == wit["length"] == len(wit["steps"])
        titles = head[1:-1]
        for n, (row, step) in enumerate(zip(steps, wit["steps"], strict=True), 1):
            assert len(row) == len(head) and row[0] == str(n)
            filled = [k for k, c in enumerate(row[1:-1]) if c]
            assert filled == [titles.index(step["actor_title"])], (f.name, row)
            # cells wrap (a long identifier breaks inside): compare without the spaces
            assert _squash(row[filled[0] + 1]) == _squash(step["text"])
            assert _squash(row[-1]) == _squash("; ".join(step["changes"]))
            assert "|" not in row[filled[0] + 1] + row[-1]


def _squash(text: str) -> str:
    return "".join(text.replace("|", "¦").split())


@pytest.mark.parametrize("args", [
    ("--variant", "R4", "--property", "no-stale-tlb", "--engine", "explicit"),
    ("--variant", "fixed", "--kernel", "V-MID", "--no-d-recheck", "--scenario",
     "zap-vs-writers", "--property", "host-dirty", "--engine", "explicit"),
])
def test_fresh_tables_parse(args: tuple[str, ...]) -> None:
    r = run("check", *args)
    assert r.exit_code == 1, r.stdout + r.stderr
    blocks = r.stdout.split("\n\n")[1:]
    assert blocks
    for b in blocks:
        if "+---" in b:
            head, body = rst_rows(b)
            assert len(head) >= 2 and len(body) >= 2


# --- SPTE diffs ----------------------------------------------------------------------------


def test_spte_diff_names_changed_bits() -> None:
    L = get_layout("V-MID", "ept-ad")
    s = L.r | L.x | L.accessed | L.dirty | L.mmu_writable | L.host_writable | L.mmu_present
    assert spte_diff(L, s, s | L.w) == "W 0→1"
    assert spte_diff(L, s | L.w, s & ~L.dirty) == "W 1→0, D 1→0"
    assert spte_diff(L, s, L.nonpresent_value) == "zapped (non-present)"
    assert spte_diff(L, s, s) == "unchanged"
    if L.has_frozen:
        assert spte_diff(L, s, L.frozen_value) == "frozen"


# --- minimization --------------------------------------------------------------------------


def _race_job(rid: str) -> tuple[Any, str, list[str]]:
    race = RACES[rid]
    jobs = checker.plan(variant=rid, properties=[race.property])
    checker.run(jobs, engine="explicit", bound=20)
    r = jobs[0].results[0]
    assert r.verdict.value == "VIOLATED" and r.witness is not None
    return jobs[0].model, race.property, list(r.witness)


def test_minimize_drops_steps_that_do_not_matter() -> None:
    model, prop, sched = _race_job("R5")
    cpu = next(a for a in model.actors if a.kind == "cpu").name
    pad = [f"{cpu}.read.s1", f"{cpu}.tlb_drop.s1"]  # a guest read whose TLB entry is dropped
    assert all(lab in model.by_label for lab in pad)
    padded = pad + sched
    assert violating_prefix(model, padded, prop) == padded  # a valid, longer witness
    m = minimize(model, padded, prop)
    assert m.length == len(sched) and m.dropped == 2
    assert m.replay.violated_at_depth(prop, m.length)
    assert m.switches <= context_switches(model, sched)


@pytest.mark.parametrize("rid", sorted(RACES))
def test_minimized_witness_replays_and_has_fewer_or_equal_switches(rid: str) -> None:
    model, prop, sched = _race_job(rid)
    m = minimize(model, sched, prop)
    assert m.length <= len(sched)
    assert m.switches <= m.original_switches == context_switches(model, sched)
    rep = replay(model, m.schedule, [prop])
    assert rep.first_violation[prop] == m.length
    assert sorted(m.schedule) == sorted(sched) or m.length < len(sched)


def test_explanations_name_the_culprit() -> None:
    for rid, needles in {
        "R1": ["dirty-log broken", "gfn 0x2", "gfn 0x1 instead"],
        "R2": ["host-dirty broken", "pfn 0x100", "WRITE_ONCE(*spte0, new_spte)"],
        "R3": ["no-stale-tlb broken", "CPU (wrtrack) returned", "vCPU0 still holds"],
        "R5": ["host-dirty broken", "REMOVED_SPTE"],
    }.items():
        model, prop, sched = _race_job(rid)
        race = RACES[rid]
        L = get_layout(race.version, race.mode)
        m = minimize(model, sched, prop)
        text = explain(model, L, m.replay, prop)
        for n in needles:
            assert n in text, (rid, text)
        assert "\n" not in text and text.endswith(".")
        assert kernel_table(model, L, m.replay).startswith("+")


# --- JSON ----------------------------------------------------------------------------------


def _validator() -> Any:
    import jsonschema

    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_ships_in_the_package() -> None:
    assert schema_path().is_file()
    assert schema_path().parent.parent.parent.name == "verify"
    assert load_schema()["$defs"]["check"]["properties"]["schema"]["const"] == \
        "spte-verify/check/1"


def test_check_json_validates_against_schema(tmp_path: Path) -> None:
    v = _validator()
    r = run("check", "--variant", "R4", "--property", "no-stale-tlb", "--engine", "explicit",
            "--json", "--save-witness", str(tmp_path))
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    v.validate(doc)
    assert doc["schema"] == "spte-verify/check/1" and doc["status"] == "FAILED"
    res = doc["jobs"][0]["results"][0]
    w = res["witness"]
    assert res["verdict"] == "VIOLATED" and w["depth"] == res["depth"]
    assert w["length"] <= w["depth"] and w["original"]["length"] == w["depth"]
    assert w["context_switches"] <= w["original"]["context_switches"]
    assert doc["hardware"] == w["hardware"]
    step = w["steps"][0]
    assert {"actor", "action", "kernel", "text", "diff", "changes"} <= set(step)
    saved = list(tmp_path.glob("*.json"))
    assert len(saved) == 1
    standalone = json.loads(saved[0].read_text(encoding="utf-8"))
    v.validate(standalone)
    assert standalone["schema"] == "spte-verify/witness/1"
    assert {k: standalone[k] for k in w} == w


def test_check_json_of_a_passing_run_validates() -> None:
    v = _validator()
    r = run("check", "--kernel", "V-NEW", "--scenario", "harvest-vs-wrtrack", "--engine",
            "explicit", "--bound", "6", "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    v.validate(doc)
    assert all(res["witness"] is None for j in doc["jobs"] for res in j["results"])
