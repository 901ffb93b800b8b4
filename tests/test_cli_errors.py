"""Every user mistake gives one clear ``spte-verify: error: ...`` line and exit 2, never a
traceback: unknown names (scenario, property, kernel version, mode, variant, solver,
engine), bad numbers, a solver that is not installed, and missing or malformed witness
files for ``replay``.  Checked in-process with click's runner and in a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import run
from click.testing import Result

GOLDEN = Path(__file__).parent / "golden"




def one_error(r: Result, *needles: str) -> str:
    """Exit 2, nothing on stdout, exactly one error line on stderr containing needles."""
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    err = r.stderr
    assert err.count("\n") == 1 and err.startswith("spte-verify: error: "), err
    assert "Traceback" not in err and r.stdout == ""
    for n in needles:
        assert n in err, (n, err)
    return err


CHECK = ("check", "--engine", "explicit", "--bound", "2")


@pytest.mark.parametrize(("args", "needles"), [
    (("--scenario", "nope"), ("unknown scenario 'nope'", "wrtrack-vs-fastpf")),
    (("--property", "nope"), ("unknown property 'nope'", "no-stale-tlb")),
    (("--kernel", "V-9"), ("unknown kernel version 'V-9'", "V-NEW")),
    (("--mode", "npt"), ("unknown mode 'npt'", "ept-ad")),
    (("--variant", "R99"), ("unknown variant 'R99'", "R1")),
    (("--solver", "yices"), ("unknown solver 'yices'", "bitwuzla")),
    (("--engine", "bdd"), ("--engine", "bdd")),
    (("--bound", "-1"), ("--bound", "-1")),
    (("--bound", "many"), ("--bound", "many")),
    (("--timeout", "0"), ("--timeout",)),
    (("--mode", "ept-ad", "--scenario", "remap-vs-fastpf"),
     ("remap-vs-fastpf", "does not apply to mode 'ept-ad'")),
    (("--frobnicate",), ("no such option", "--frobnicate")),
])
def test_check_user_errors(args: tuple[str, ...], needles: tuple[str, ...]) -> None:
    one_error(run(*CHECK, *args), *needles)


def test_solver_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "bitwuzla", None)  # import bitwuzla -> ImportError
    one_error(run("check", "--variant", "R4", "--solver", "bitwuzla"),
              "solver 'bitwuzla' is not installed", "--solver z3")


def test_save_witness_into_a_file_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "afile"
    f.write_text("x", encoding="utf-8")
    one_error(run(*CHECK, "--save-witness", str(f)), "afile")


def test_replay_missing_file(tmp_path: Path) -> None:
    one_error(run("replay", str(tmp_path / "nope.json")), "nope.json", "not found")


def test_replay_no_argument() -> None:
    one_error(run("replay"), "FILE")


def test_replay_directory(tmp_path: Path) -> None:
    one_error(run("replay", str(tmp_path)), str(tmp_path), "directory")


def test_replay_malformed_json_names_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "broken.json"
    f.write_text('{\n  "schema": "spte-verify/witness/1",\n  "scenario": \n}\n',
                 encoding="utf-8")
    one_error(run("replay", str(f)), f"{f}:4:1: malformed JSON")


@pytest.mark.parametrize(("doc", "needles"), [
    ([1, 2], ("not a spte-verify witness",)),
    ({"schema": "something/else"}, ("not a spte-verify witness", "something/else")),
    ({"schema": "spte-verify/check/1", "jobs": []}, ("witness field", "'tool' is a required")),
])
def test_replay_not_a_witness(tmp_path: Path, doc: object,
                              needles: tuple[str, ...]) -> None:
    f = tmp_path / "w.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    one_error(run("replay", str(f)), str(f), *needles)


@pytest.mark.parametrize(("field", "value", "needles"), [
    ("schedule", None, ("'schedule' is a required property",)),
    ("schedule", [1, 2], ("'schedule[", "not of type 'string'")),
    ("scenario", "nope", ("unknown scenario 'nope'",)),
    ("kernel", "V-9", ("'kernel'", "'V-9' is not one of")),
    ("mode", "npt", ("'mode'", "'npt' is not one of")),
    ("variant", "nope", ("unknown variant 'nope'",)),
    ("property", "nope", ("'violation.property'", "'nope'")),
    ("hardware", {"warp_drive": True}, ("unknown hardware parameter 'warp_drive'",)),
    ("hardware", {"tlb_drops": "yes"}, ("'hardware.tlb_drops'", "not of type 'boolean'")),
    ("hardware", {}, ("'hardware'", "required property")),
    ("depth", -5, ("'depth'", "less than the minimum")),
    ("bound", "NaN", ("'bound'", "not of type 'integer'")),
])
def test_replay_bad_witness_fields(tmp_path: Path, field: str, value: object,
                                   needles: tuple[str, ...]) -> None:
    w = json.loads((GOLDEN / "R4.json").read_text(encoding="utf-8"))
    if value is None:
        del w[field]
    elif field == "hardware" and value:
        w[field] = {**w[field], **value}
    else:
        w[field] = value
    f = tmp_path / "w.json"
    f.write_text(json.dumps(w), encoding="utf-8")
    one_error(run("replay", str(f)), str(f), *needles)


def test_real_process_errors_are_one_line(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "verify.cli"]
    for args, needle in [(["replay", str(tmp_path / "gone.json")], "gone.json"),
                         (["check", "--scenario", "nope"], "unknown scenario 'nope'"),
                         (["check", "--bound", "x"], "--bound")]:
        p = subprocess.run(cmd + args, capture_output=True, text=True, timeout=120,
                           check=False)
        assert p.returncode == 2, (args, p.stderr)
        assert p.stderr.count("\n") == 1 and p.stderr.startswith("spte-verify: error: ")
        assert needle in p.stderr and "Traceback" not in p.stderr
