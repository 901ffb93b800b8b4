"""The native explicit engine: the model's actions compiled to C and searched there.

:func:`verify.engines.ccode.program` writes the search for one model (its guards,
effects and properties emitted through the ``Ops`` API, the same functions every other
engine runs); this module compiles it with the system C compiler (``$CC``, else ``cc``
or ``gcc``; ``-O2``), caches the binary by the hash of its source under
``$SPTE_VERIFY_CACHE`` (default ``~/.cache/spte-verify``), runs it as a child process
(so a time limit or Ctrl-C stops it at once) and turns its report into results: the
witness schedule is replayed on the reference semantics before it is reported, as every
engine's is.  :func:`available` says whether a compiler is there; ``--engine fast``
falls back to the numpy engine (:mod:`verify.engines.fast`) when none is.

Semantics, reductions and store are those of :mod:`verify.engines.fast` (BFS by levels,
the local-step reduction, dead-variable resets, the vCPU symmetry proved by
:mod:`verify.engines.symmetry`; a 96-bit fingerprint table, 12 bytes a slot: for n states
the chance that any state was wrongly taken as seen is below n²/2^97, 10^-14 at 3·10^7);
with symmetry and dead resets off its state counts are the reference explorer's, which a
test checks.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from verify.engines.explore import settle
from verify.engines.preflight import preflight
from verify.engines.replay import Frame
from verify.errors import InputError
from verify.interrupt import checkpoint
from verify.model import Model
from verify.reports.results import CheckResult, ProgressFn, Verdict

ENGINE = "native"
STORE_NOTE = "{}states, 96-bit fingerprinted store"
CFLAGS = ("-O2", "-std=c11", "-w", "-pthread")


def compiler() -> str | None:
    """The C compiler to use, or None."""
    cc = os.environ.get("CC")
    if cc:
        return shutil.which(cc)
    return shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")


def available() -> bool:
    return compiler() is not None


def _cache_dir() -> Path:
    base = os.environ.get("SPTE_VERIFY_CACHE")
    p = Path(base) if base else Path.home() / ".cache" / "spte-verify"
    return p / "native"


def build(source: str) -> Path:
    """Compile ``source`` (cached by its hash); returns the executable."""
    cc = compiler()
    if cc is None:
        raise InputError("native engine: no C compiler found (set CC, or use "
                         "--engine vector)")
    digest = hashlib.sha256((source + " ".join(CFLAGS) + cc).encode()).hexdigest()[:24]
    d = _cache_dir()
    exe = d / f"search-{digest}"
    if exe.exists():
        return exe
    d.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=d) as tmp:
        src = Path(tmp) / "search.c"
        src.write_text(source)
        out = Path(tmp) / "search"
        r = subprocess.run([cc, *CFLAGS, "-o", str(out), str(src)], capture_output=True,
                           text=True)
        if r.returncode != 0:
            checkpoint()   # the compiler got the same Ctrl-C
            first = (r.stderr.strip().splitlines() or ["(no message)"])[0]
            raise RuntimeError(f"native engine: the C compiler failed: {first}")
        os.replace(out, exe)
    return exe


def explore_native(model: Model, bound: int, properties: Sequence[Any] | None = None, *,
                   reduction: bool = True, symmetry: bool = True, dead: bool = True,
                   max_states: int | None = None, time_limit: float | None = None,
                   memory_mb: float | None = None, threads: int = 1, por: bool = True,
                   progress: ProgressFn | None = None) -> list[CheckResult]:
    """Search ``model`` natively; results as :func:`verify.engines.explore.explore`'s.
    ``threads`` > 1 expands each level on that many threads (one shared lock-free table):
    verdicts, depths and state counts stay the same, but which of several equally short
    paths a witness takes may differ from run to run."""
    from verify.engines.ccode import program
    from verify.engines.liveness import dead_resets
    from verify.engines.symmetry import use_symmetry

    t0 = time.monotonic()
    props = preflight(model, bound, reduction, properties)
    sym = use_symmetry(model, symmetry)
    frame = Frame(model)
    try:
        roots = list(dict.fromkeys(frame.initial_states()))
    except ValueError as e:
        raise InputError(f"native engine: {e}") from None
    resets = dead_resets(model) if dead else {}
    checkpoint()
    from verify.engines.reduction import ample_labels
    ample = ample_labels(model) if reduction and por else frozenset()
    checkpoint()
    exe = build(program(model, props, roots, reduction=reduction, resets=resets,
                        symmetry=sym, ample=ample))
    checkpoint()
    args = [str(exe), str(min(bound, 2**31 - 1)), str(max_states or 0),
            str(time_limit or 0), str(memory_mb or 0), str(max(1, threads))]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            checkpoint()
            parts = line.split()
            if parts[:1] == ["LEVEL"] and progress is not None:
                progress(int(parts[1]), int(parts[2]), None)
        out = proc.stdout.read() if proc.stdout is not None else ""
        proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    if proc.returncode != 0:
        checkpoint()   # the search got the same Ctrl-C
        raise RuntimeError(f"native engine: the search exited with {proc.returncode}")
    info: dict[str, str] = {}
    found: list[list[str]] = []
    for line in out.splitlines():
        key, _, rest = line.partition(" ")
        if key == "FOUND":
            found.append(rest.split())
        else:
            info[key] = rest
    states = int(info["STATES"])
    depth_reached = int(info["DEPTH"])
    exhausted = info["EXHAUSTED"] == "1"
    limit = info.get("LIMIT")
    elapsed = time.monotonic() - t0
    hits: dict[str, tuple[int, list[str], int]] = {}
    for f in found:
        pi, d = int(f[0]), int(f[1])
        r_at = f.index("ROOT")
        steps = [model.actions[int(x)].label for x in reversed(f[2:r_at])]
        hits[props[pi].name] = (d, steps, int(f[r_at + 1]))
    results: list[CheckResult] = []
    store = int(info.get("STORE", "0"))
    for p in props:
        r = CheckResult(model.name, p.name, ENGINE, None, bound, Verdict.HOLDS, elapsed,
                        states=states, reduction=reduction,
                        extra={"transitions": int(info["TRANSITIONS"]),
                               "depth_reached": depth_reached, "exhausted": exhausted,
                               "bytes_per_state": round(store / states, 1) if states else 0,
                               "peak_mb": round(int(info.get("PEAK", "0")) / 2**20, 1),
                               "symmetry": sym, "dead": dead, "ample": bool(ample)})
        h = hits.get(p.name)
        settle(model, frame, p, r, hit=(h[0], h[1], roots[h[2]]) if h else None, limit=limit,
               exhausted=exhausted, states=states, depth_reached=depth_reached, bound=bound,
               store=STORE_NOTE.format("orbits of " if sym else ""))
        results.append(r)
    return results


__all__ = ["ENGINE", "available", "build", "explore_native"]
