"""``spte-verify decode``: output for the kinds of SPTE, --json, and clean user errors.

Values are built from the primer's bit positions (EPT: R/W/X bits 0-2, A 8, D 9, MMU-present
11, SPTE_TDP_AD 53:52, host-/MMU-writable 57/58), not taken from the code under test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest
from cli_runner import run, runner

from verify.cli import main

R, W, X = 1 << 0, 1 << 1, 1 << 2
A, D = 1 << 8, 1 << 9
PRESENT = 1 << 11
HOST_W, MMU_W = 1 << 57, 1 << 58
PFN = 0x1234 << 12

WRITABLE = R | W | X | A | D | PRESENT | HOST_W | MMU_W | PFN  # 0x0600000001234b07
FROZEN = 0x80000000000005A0
MMIO = W | X  # EPT misconfig, bit 63 clear
NONPRESENT = 1 << 63




def decode_json(*args: str) -> list[dict[str, Any]]:
    r = run("decode", "--json", *args)
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert isinstance(data, list)
    return data


def test_writable_spte_block() -> None:
    assert WRITABLE == 0x0600000001234B07
    r = run("decode", hex(WRITABLE))
    assert r.exit_code == 0
    out = r.stdout
    assert "0x0600000001234b07" in out and "present" in out
    assert "V-NEW" in out and "ept-ad" in out
    assert "pfn=0x1234" in out
    holds = next(line for line in out.splitlines() if line.strip().startswith("holds:"))
    for p in ("writable", "mmu_writable", "host_writable", "ad_enabled", "accessed", "dirty"):
        assert p in holds.split(":", 1)[1].replace(",", " ").split()
    assert "PROBLEM" not in out
    assert r.stderr == ""


def test_decimal_input_is_the_same_value() -> None:
    assert run("decode", "--decimal", str(WRITABLE)).stdout == \
        run("decode", hex(WRITABLE)).stdout


def test_bare_hex_is_read_as_kvm_prints_it() -> None:
    """Tracepoints print SPTEs as %llx: 8000000000000000 is bit 63, not a decimal."""
    assert run("decode", f"{WRITABLE:x}").stdout == run("decode", hex(WRITABLE)).stdout
    [d] = decode_json("8000000000000000")
    assert d["value"] == "0x8000000000000000" and not d["problems"]


TDP_LINE = ("CPU 0/KVM-4242 [003] ..... 1234.5678: kvm_tdp_mmu_spte_changed: as id 0 "
            f"gfn 1234 level 1 old_spte {WRITABLE:x} new_spte 8000000000000000")


def test_tracepoint_line_decodes_each_spte_field() -> None:
    docs = decode_json(TDP_LINE)
    assert [d["source"] for d in docs] == ["kvm_tdp_mmu_spte_changed old_spte",
                                           "kvm_tdp_mmu_spte_changed new_spte"]
    assert docs[0]["value"] == f"0x{WRITABLE:016x}" and docs[0]["kind"] == "present"
    assert docs[1]["value"] == "0x8000000000000000" and docs[1]["kind"] == "non-present"


def test_tracepoint_lines_from_stdin() -> None:
    line = ("fast_page_fault: vcpu 0 gva 1000 error_code P|W sptep 00000000deadbeef "
            f"old {WRITABLE & ~2:#x} new {WRITABLE:x} spurious 0 fixed 1")
    r = runner().invoke(main, ["decode", "--json", "-"], input=f"{TDP_LINE}\n\n{line}\n",
                        catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    docs = json.loads(r.stdout)
    assert [d["source"] for d in docs][2:] == ["fast_page_fault old", "fast_page_fault new"]
    assert docs[2]["value"] == f"0x{WRITABLE & ~2:016x}"


def test_frozen() -> None:
    r = run("decode", hex(FROZEN))
    assert r.exit_code == 0 and "FROZEN_SPTE" in r.stdout and "PROBLEM" not in r.stdout
    [d] = decode_json(hex(FROZEN))
    assert d["kind"] == "FROZEN_SPTE" and d["predicates"]["present"] is False
    assert d["predicates"]["frozen"] is True


def test_removed_spte_on_v_mid() -> None:
    [d] = decode_json("0x5a0", "--kernel", "V-MID")
    assert d["kind"] == "REMOVED_SPTE" and d["predicates"]["present"] is False
    assert "REMOVED_SPTE" in run("decode", "0x5a0", "--kernel", "v-mid").stdout


def test_mmio() -> None:
    r = run("decode", hex(MMIO))
    assert r.exit_code == 0 and "MMIO" in r.stdout
    [d] = decode_json(hex(MMIO))
    assert d["kind"] == "MMIO" and d["predicates"]["mmio"] and not d["predicates"]["present"]


def test_non_present() -> None:
    for v in (0, NONPRESENT):
        [d] = decode_json(hex(v))
        assert d["kind"] == "non-present" and d["legal"] and d["problems"] == []
    # stray bits on a non-present value
    [d] = decode_json(hex(NONPRESENT | R | W))
    assert d["kind"] == "non-present" and not d["legal"]
    assert any("stray" in p for p in d["problems"])


def test_writable_invariant_broken() -> None:
    bad = WRITABLE & ~MMU_W  # W without MMU-writable: triple 101
    r = run("decode", hex(bad))
    assert r.exit_code == 0
    assert "writable invariant broken" in r.stdout and "101" in r.stdout
    bad2 = (WRITABLE & ~HOST_W & ~W)  # MMU-writable without host-writable: 010
    [d] = decode_json(hex(bad2))
    assert not d["legal"] and any("010" in p for p in d["problems"])


def test_not_legal_spte() -> None:
    [d] = decode_json(hex(WRITABLE | 3 << 52))
    assert any("SPTE_TDP_AD = 3" in p for p in d["problems"])
    [d] = decode_json(hex(WRITABLE | 1 << 54))  # saved R on a non-tracked SPTE
    assert any("saved access-track bits" in p for p in d["problems"])
    # the same saved bit on an access-tracked SPTE (A/D disabled, RWX clear) is legal
    tracked = (WRITABLE & ~(R | W | X | A | D)) | 1 << 52 | 1 << 54 | 1 << 56
    [d] = decode_json(hex(tracked), "--mode", "ept-noad")
    assert d["predicates"]["access_tracked"] and d["legal"], d["problems"]


def test_several_values() -> None:
    vals = [hex(FROZEN), hex(WRITABLE), hex(MMIO)]
    r = run("decode", *vals)
    assert r.exit_code == 0
    headers = [line for line in r.stdout.splitlines() if line.startswith("0x")]
    assert len(headers) == 3
    assert "FROZEN_SPTE" in headers[0] and "present" in headers[1] and "MMIO" in headers[2]
    data = decode_json(*vals)
    assert [d["kind"] for d in data] == ["FROZEN_SPTE", "present", "MMIO"]


def test_json_fields() -> None:
    [d] = decode_json(hex(WRITABLE), "--mode", "ept-ad", "--kernel", "V-613")
    assert d["value"] == "0x0600000001234b07"
    assert d["kernel"] == "V-613" and d["mode"] == "ept-ad"
    f = d["fields"]
    assert (f["R"], f["W"], f["X"], f["A"], f["D"]) == (True, True, True, True, True)
    assert f["host_writable"] and f["mmu_writable"] and f["mmu_present"]
    assert f["pfn"] == 0x1234 and f["tdp_ad_mode"] == "AD_ENABLED"
    p = d["predicates"]
    for key in ("present", "writable", "mmu_writable", "host_writable", "ad_enabled",
                "ad_need_write_protect", "access_tracked", "executable", "accessed", "dirty",
                "needs_atomic"):
        assert key in p
    assert p["needs_atomic"] is False  # W with D set, A set, A/D enabled: not volatile


def test_modes_and_versions() -> None:
    # legacy: P=0 W=1 U=2 A=5 D=6, host/MMU-writable 9/10
    legacy = 1 | 1 << 1 | 1 << 2 | 1 << 5 | 1 << 6 | 1 << 9 | 1 << 10 | PRESENT | PFN
    [d] = decode_json(hex(legacy), "--mode", "legacy", "--kernel", "V-MID")
    assert d["legal"] and d["fields"]["P"] and d["fields"]["U"] and d["predicates"]["dirty"]
    # V-OLD: host/MMU-writable at 10/11 and no MMU-present bit
    old = R | W | X | A | D | 1 << 10 | 1 << 11 | PFN
    [d] = decode_json(hex(old), "--kernel", "V-OLD")
    assert d["kind"] == "present" and d["legal"]
    assert d["predicates"]["needs_atomic"] is True  # host- and MMU-writable: lockless W


BAD_INPUTS = [
    pytest.param(["decode"], id="missing-value"),
    pytest.param(["decode", "foo"], id="not-a-number"),
    pytest.param(["decode", "0x"], id="empty-hex"),
    pytest.param(["decode", "--decimal", "1b07"], id="hex-digits-with-decimal"),
    pytest.param(["decode", "\u0661\u0662\u0663"], id="non-ascii-digits"),
    pytest.param(["decode", "0x1 2"], id="embedded-space"),
    pytest.param(["decode", "kvm_mmu_set_spte: gfn 10 level 1"], id="tracepoint-no-spte"),
    pytest.param(["decode", "kvm_mmu_set_spte: gfn 10 spte zz level 1"],
                 id="tracepoint-bad-spte"),
    pytest.param(["decode", "0x12", "zz"], id="second-value-bad"),
    pytest.param(["decode", "-5"], id="negative"),
    pytest.param(["decode", "0x10000000000000000"], id="over-64-bits"),
    pytest.param(["decode", "1", "--mode", "ept"], id="unknown-mode"),
    pytest.param(["decode", "1", "--kernel", "V-9"], id="unknown-version"),
    pytest.param(["decode", "1", "--mode"], id="option-missing-argument"),
    pytest.param(["decode", "1", "--bogus"], id="unknown-option"),
    pytest.param(["frobnicate"], id="unknown-command"),
]


@pytest.mark.parametrize("args", BAD_INPUTS)
def test_bad_input_one_line_exit_2(args: list[str]) -> None:
    r = run(*args)
    assert r.exit_code == 2, (r.stdout, r.stderr)
    err = r.stderr.splitlines()
    assert len(err) == 1, r.stderr
    assert err[0].startswith("spte-verify: error: ")
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    assert r.stdout == ""


def test_help_exits_0() -> None:
    r = run("decode", "--help")
    assert r.exit_code == 0 and "VALUE" in r.stdout
    r = run("--help")
    assert r.exit_code == 0 and "decode" in r.stdout


EXE = shutil.which("spte-verify")


@pytest.mark.skipif(EXE is None, reason="spte-verify is not installed on PATH")
def test_installed_command() -> None:
    assert EXE is not None
    ok = subprocess.run([EXE, "decode", hex(FROZEN), hex(WRITABLE)], capture_output=True,
                        text=True, timeout=60, check=False)
    assert ok.returncode == 0, ok.stderr
    assert "FROZEN_SPTE" in ok.stdout and "0x0600000001234b07" in ok.stdout
    bad = subprocess.run([EXE, "decode", "nope", "--kernel", "V-NEW"], capture_output=True,
                         text=True, timeout=60, check=False)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("spte-verify: error: ")
    assert "Traceback" not in bad.stderr
    missing = subprocess.run([EXE, "decode"], capture_output=True, text=True, timeout=60,
                             check=False)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
