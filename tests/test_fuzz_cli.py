"""Fuzzing every subcommand with malformed options, values, witness files and
environment settings (hypothesis, plus a fixed corpus of inputs seen to break it once).

For every case: no traceback (the in-process runner re-raises anything that escapes),
an exit code in the documented set -- and never 4, which would mean spte-verify hit an
internal error on a user's input --, exactly one ``spte-verify: error:`` line on stderr
when it refuses, and no hang (each case runs under an alarm).  Each case keeps its
check small (explicit engine, small bound, one scenario) unless the fuzzed options say
otherwise, so that the bounded run in CI takes well under a minute:
``SPTE_VERIFY_FUZZ=N`` sets the number of generated cases per strategy (default 25).
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cli_runner import runner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify.cli import main

GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = int(os.environ.get("SPTE_VERIFY_FUZZ", "25"))
CASE_LIMIT = 90  # seconds: a case that takes longer is a hang
DOCUMENTED = {0, 1, 2, 3}  # 4 (internal error) and 130 (interrupt) must not come from input

NASTY = ["", " ", "nan", "inf", "-inf", "1e308", "-1", "0", "1", "3", "0x", "0x10", "١٢٣",
         "x" * 300, "--", "-", "V-9", "ept", "R99", "R1", "fixed", "../nope", "/dev/full",
         "/dev/zero", "/", "a b", "\t", "repeat", "repeat+repeat", "true", "W &&", "old.W",
         "8000000000000000", "2000000", "99999999999999999999", "é", "%s", "{}"]

KERNELS = ["V-OLD", "V-MID", "V-613", "V-NEW", "v-new"]
MODES = ["ept-ad", "ept-noad", "legacy"]
SCENARIOS = ["aging-vs-fastpf", "wrtrack-vs-fastpf", "zap-vs-writers", "remap-vs-fastpf"]
PROPS = ["no-stale-tlb", "host-dirty", "dirty-log", "lock-discipline", "accessed"]

# per subcommand: the prefix that keeps a valid run small, options taking a value (with
# good values to mix with the nasty ones) and flags
COMMANDS: dict[str, tuple[list[str], dict[str, list[str]], list[str]]] = {
    "check": (["--engine", "explicit", "--bound", "3", "--scenario", "aging-vs-fastpf",
               "--time-limit", "30"],
              {"--kernel": KERNELS, "--mode": MODES, "--variant": ["fixed", "R2", "R5"],
               "--scenario": SCENARIOS, "--property": PROPS, "--bound": ["0", "2", "4"],
               "--engine": ["explicit", "smt"], "--solver": ["z3", "bitwuzla", "cvc5"],
               "--timeout": ["5", "0.5"], "--time-limit": ["5", "10"],
               "--form": ["repeat", "all-initial"], "--against": ["fixed", "R2"],
               "--needs-atomic": ["W", "old.W && !new.W"], "--flush-rule": ["true"],
               "--variant-file": ["nope.toml"], "--save-witness": ["wit"],
               "--protocols": ["nope.py"]},
              ["--json", "--no-reduction", "--no-d-recheck", "--wide", "--kernel-refs"]),
    "decode": ([], {"--kernel": KERNELS, "--mode": MODES}, ["--json", "--decimal"]),
    "list": ([], {"--protocols": ["nope.py"]}, ["--sites", "--rules"]),
    "replay": ([], {}, ["--wide", "--kernel-refs"]),
    "terms": (["--scenario", "aging-vs-fastpf", "--bound", "5"],
              {"--kernel": KERNELS, "--mode": MODES, "--rule": ["W", "true", "W ||"],
               "--variant": ["fixed", "R2"], "--bound": ["3", "5"]}, []),
    "prove": (["--scenario", "aging-vs-fastpf", "--mode", "ept-ad", "--no-write",
               "--time-limit", "10", "--engines", "explicit"],
              {"--kernel": KERNELS, "--mode": MODES, "--form": ["repeat", "", "x"],
               "--engines": ["explicit", "ic3", "bogus"], "--time-limit": ["2", "5"],
               "--property": PROPS, "--scenario": SCENARIOS, "--invariant": ["nope.smt2"]},
              ["--show-invariant", "--json"]),
    "recheck": ([str(Path(__file__).parent.parent / "proofs" / "wrtrack-vs-fastpf"
                     / "V-NEW_ept-ad_fixed_repeat_all-initial_no-stale-tlb.smt2")],
                {"--solver": ["bitwuzla", "z3", "nope"], "--timeout": ["5"],
                 "--jobs": ["1", "2"]}, []),
}


class Hang(BaseException):
    """Not an Exception: spte-verify's own catch-all must not turn it into an exit code."""


@contextmanager
def limit(seconds: int) -> Iterator[None]:
    def fire(signum: int, frame: Any) -> None:
        raise Hang(f"no answer within {seconds}s")
    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def invoke(args: list[str], env: dict[str, str] | None = None, stdin: str = "") -> None:
    """Run one case and assert the contract."""
    with limit(CASE_LIMIT):
        r = runner().invoke(main, args, env=env, input=stdin, catch_exceptions=False)
    err = r.stderr
    assert r.exit_code in DOCUMENTED, (args, r.exit_code, err[-2000:])
    assert "Traceback" not in err and "Traceback" not in r.stdout, args
    if r.exit_code == 2:
        lines = err.splitlines()
        errors = [x for x in lines if x.startswith("spte-verify: error: ")]
        assert len(errors) == 1, (args, err)
        assert lines[-1] == errors[0], (args, err)  # the error is the last word


def _in(tmp: Path, args: list[str]) -> list[str]:
    """Relative file names (witness dirs, outputs) land in the case's temporary folder."""
    return [str(tmp / a) if a in ("wit", "nope.toml", "nope.py", "nope.smt2") else a
            for a in args]


@st.composite
def command_line(draw: st.DrawFn) -> list[str]:
    cmd = draw(st.sampled_from(sorted(COMMANDS)))
    prefix, opts, flags = COMMANDS[cmd]
    args = [cmd, *prefix]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 3))
        if kind == 0 and flags:
            args.append(draw(st.sampled_from(flags)))
        elif kind in (1, 2) and opts:
            opt = draw(st.sampled_from(sorted(opts)))
            pool = opts[opt] + NASTY if kind == 1 else NASTY
            args += [opt, draw(st.sampled_from(pool))]
        else:  # a stray argument, or an option that does not exist
            args.append(draw(st.sampled_from([*NASTY, "--nope", "-x", "--bound=", "-h"])))
    if cmd == "recheck" and not any(a.endswith(".smt2") for a in args):
        args.append(prefix[0])
    if cmd in ("decode", "replay", "recheck") and draw(st.booleans()):
        args.append(draw(st.sampled_from(NASTY)))
    if cmd == "recheck":  # "/" would re-check every *.smt2 on the machine: real work
        args = [a for a in args if a != "/"]
    return args


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(command_line())
def test_fuzz_command_lines(tmp_path: Path, args: list[str]) -> None:
    invoke(_in(tmp_path, args))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                              max_size=4),
    max_leaves=12)


@st.composite
def tampered_witness(draw: st.DrawFn) -> str:
    w: dict[str, Any] = json.loads((GOLDEN / draw(st.sampled_from(
        ["R1.json", "R2.json", "R4.json"]))).read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        node: Any = w
        path = []
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(node)) if isinstance(node, dict)
                       else st.integers(0, len(node) - 1))
            path.append(key)
            if not isinstance(node[key], (dict, list)):
                break
            node = node[key]
        if not path:
            key = draw(st.sampled_from(sorted(w)))
            node, path = w, [key]
        parent: Any = w
        for k in path[:-1]:
            parent = parent[k]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSON)
    return json.dumps(w)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(tampered_witness())
def test_fuzz_witness_files(tmp_path: Path, text: str) -> None:
    f = tmp_path / "w.json"
    f.write_text(text, encoding="utf-8")
    invoke(["replay", str(f)])


ENV_VALUES = ["", "/", "/dev/null", "/proc/forbidden", "relative/dir", "x" * 300,
              "/dev/full"]


@settings(max_examples=max(5, EXAMPLES // 3), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(st.sampled_from(ENV_VALUES), st.sampled_from(["explicit", "smt"]))
def test_fuzz_environment(tmp_path: Path, value: str, engine: str) -> None:
    invoke(["check", "--engine", engine, "--variant", "R2", "--bound", "16"],
           env={"SPTE_VERIFY_WITNESS_DIR": value, "COLUMNS": "7", "TERM": "dumb"})


# --- the fixed corpus: inputs that once produced a traceback or a silent wrong answer ---------

CORPUS: list[tuple[list[str], str]] = [
    (["check", "--timeout", "nan"], ""),
    (["check", "--timeout", "inf"], ""),
    (["check", "--timeout", "1e308", "--scenario", "aging-vs-fastpf"], ""),
    (["check", "--time-limit", "nan"], ""),
    (["check", "--variant", ""], ""),
    (["check", "--save-witness", ""], ""),
    (["check", "--bound", "-1"], ""),
    (["check", "--form", "repeat+repeat"], ""),
    (["check", "--engine", "explicit", "--bound", "1", "--variant", "R2"], ""),
    (["check", "--engine", "explicit", "--variant", "R1", "--mode", "ept-ad", "--bound", "3"],
     ""),
    (["check", "--engine", "explicit", "--needs-atomic", "W &&", "--bound", "3"], ""),
    (["decode", "8000000000000000"], ""),
    (["decode", "١٢٣"], ""),
    (["decode", "0x1 2"], ""),
    (["decode", "-"], "kvm_mmu_set_spte: gfn 10 spte zz level 1\n"),
    (["decode", "-"], ""),
    (["decode", "--decimal", "0x10", "16"], ""),
    (["replay", "/dev/zero"], ""),
    (["replay", "/"], ""),
    (["recheck", "/dev/zero"], ""),
    (["recheck", "/nonexistent.smt2"], ""),
    (["prove", "--time-limit", "nan"], ""),
    (["prove", "--engines", "bogus", "--scenario", "aging-vs-fastpf"], ""),
    (["prove", "--invariant", "/dev/zero", "--scenario", "aging-vs-fastpf", "--no-write"], ""),
    (["prove", "--invariant", "/", "--scenario", "aging-vs-fastpf", "--no-write"], ""),
    (["recheck", "--jobs", "0", "/nonexistent.smt2"], ""),
    (["recheck", "--jobs", "nan", "/nonexistent.smt2"], ""),
    (["list", "--protocols", "/dev/zero"], ""),
    (["terms", "--rule", "W ||", "--scenario", "aging-vs-fastpf"], ""),
    (["nope"], ""),
    ([], ""),
]


@pytest.mark.parametrize(("args", "stdin"), CORPUS, ids=[" ".join(a) or "(none)"
                                                         for a, _ in CORPUS])
def test_corpus(args: list[str], stdin: str) -> None:
    invoke(args, stdin=stdin)
