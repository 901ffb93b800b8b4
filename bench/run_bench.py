#!/usr/bin/env python3
"""Benchmark: time to verdict of the SMT engine (verify.engines.bmc) vs the explicit explorer
(verify.engines.explore) on the shipped scenarios.

Three series:

* ``bound``  -- every shipped scenario (``checker.plan(kernel="V-MID", mode="ept-ad",
  variant="fixed")``) and every race variant in the scenario where it shows
  (``checker.plan(variant="R<n>")``), both engines, bounds 4, 8, 12, 16, 20.  Fixed rows
  check all of the scenario's properties; race rows check the race's property.
* ``vcpus``  -- ``zap-vs-writers`` (V-MID / ept-ad / fixed) rebuilt with 1, 2 and 3 vCPUs
  from the same protocol functions the scenario uses, both engines, bounds 8, 12, 16.
* ``solver`` -- the SMT engine with each solver of ``verify.engines.solvers.SOLVERS`` on the race
  rows at bound 16.

Every cell runs in a worker process with a hard cap (``--cap`` seconds, default 60): the
engine gets ``time_limit=cap`` (and a per-query solver time limit of ``cap``), and the
worker is killed if it overruns.  A cell that hits the cap is ``timeout``; the larger
bounds of the same series are then ``skipped``.  Times are engine time only: the model
build and the reduction soundness check (shared by both engines, proved once per model
with z3) are measured separately as ``setup``.

Outputs (``--out``, default ``bench/results``): ``results.csv`` (one row a cell),
``results.md`` (tables), ``results.png`` (if matplotlib imports).

    python bench/run_bench.py            # full (several minutes)
    python bench/run_bench.py --quick    # a few cells, under a minute
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BOUNDS = (4, 8, 12, 16, 20)
VCPU_COUNTS = (1, 2, 3)
VCPU_BOUNDS = (8, 12, 16)
VCPU_SCENARIO = "zap-vs-writers"
SOLVER_BOUND = 16
KERNEL, MODE = "V-MID", "ept-ad"
ENGINES = ("smt", "explicit")


# --- the worker side: build one model and time one engine run ----------------------------


def _zap_vs_writers_model(vcpus: int) -> Any:
    """``zap-vs-writers`` (V-MID / ept-ad / fixed) with ``vcpus`` writer vCPUs: the sized
    scenario itself (``--vcpus``), so it follows protocols/scenarios.py."""
    from verify import checker

    jobs = checker.plan(kernel=KERNEL, mode=MODE, variant="fixed", scenarios=[VCPU_SCENARIO],
                        form=checker.sized(checker.Form(), vcpus=vcpus, ops=None))
    return jobs[0].model


def _build(cell: dict[str, Any]) -> tuple[Any, list[str]]:
    from verify import checker

    if cell["section"] == "vcpus":
        model = _zap_vs_writers_model(cell["vcpus"])
        return model, [p.name for p in model.properties]
    if cell["variant"] == "fixed":
        jobs = checker.plan(kernel=KERNEL, mode=MODE, variant="fixed",
                            scenarios=[cell["scenario"]])
        return jobs[0].model, jobs[0].properties
    jobs = checker.plan(variant=cell["race"])
    return jobs[0].model, [cell["property"]]


def run_cell(cell: dict[str, Any]) -> dict[str, Any]:
    """Run one measurement in this process; returns the measured fields."""
    from verify.engines.reduction import check_reduction
    from verify.reports.results import Verdict, worst

    t0 = time.monotonic()
    model, props = _build(cell)
    problems = check_reduction(model)   # cached per model: both engines would pay it once
    setup = time.monotonic() - t0
    if problems:
        return {"status": "error", "message": "; ".join(problems), "setup": setup}
    cap = float(cell["cap"])
    t0 = time.monotonic()
    if cell["engine"] == "explicit":
        from verify.engines.explore import explore
        results = explore(model, cell["bound"], props, time_limit=cap)
    else:
        from verify.engines.bmc import bmc
        results = bmc(model, cell["bound"], props, solver=cell["solver"],
                      timeout_ms=int(cap * 1000), time_limit=cap)
    seconds = time.monotonic() - t0
    verdicts = ";".join(
        f"{r.property}={r.verdict.value}" + (f"@{r.depth}" if r.depth is not None else "")
        for r in results)
    w = worst(r.verdict for r in results)
    timed_out = w is Verdict.UNKNOWN and seconds >= cap * 0.95
    return {
        "status": "timeout" if timed_out else "ok",
        "seconds": seconds, "setup": setup, "verdicts": verdicts, "worst": w.value,
        "states": results[0].states if results and results[0].states is not None else "",
        "queries": results[0].extra.get("queries", "") if results else "",
        "vars": len(model.vars), "actions": len(model.actions),
    }


def worker_main() -> None:
    """Read one JSON cell a line on stdin, answer one JSON line on stdout."""
    for line in sys.stdin:
        cell = json.loads(line)
        try:
            out = run_cell(cell)
        except Exception as e:  # reported as an error cell, the benchmark goes on
            out = {"status": "error", "message": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


class Worker:
    """A long-lived worker process (imports paid once), killed and restarted on overrun."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--worker"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        return self.proc

    def run(self, cell: dict[str, Any], hard_limit: float) -> dict[str, Any]:
        import selectors

        p = self._start()
        assert p.stdin is not None and p.stdout is not None
        p.stdin.write(json.dumps(cell) + "\n")
        p.stdin.flush()
        sel = selectors.DefaultSelector()
        sel.register(p.stdout, selectors.EVENT_READ)
        t0 = time.monotonic()
        ready = sel.select(timeout=hard_limit)
        sel.close()
        if not ready:
            self.stop()
            return {"status": "timeout", "seconds": time.monotonic() - t0,
                    "message": f"killed after {hard_limit:.0f}s"}
        line = p.stdout.readline()
        if not line:
            self.stop()
            return {"status": "error", "message": "worker died"}
        out: dict[str, Any] = json.loads(line)
        return out

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


# --- the driver ---------------------------------------------------------------------------


@dataclass
class Row:
    """A benchmark row: one model (scenario x variant, or a vCPU count)."""

    section: str
    scenario: str
    variant: str
    race: str = ""
    property: str = ""
    kernel: str = KERNEL
    mode: str = MODE
    vcpus: int = 0
    cells: list[dict[str, Any]] = field(default_factory=list)


def rows(quick: bool) -> list[Row]:
    from verify import checker
    from verify.protocols import submodule

    sc = submodule("scenarios")
    out: list[Row] = []
    for job in checker.plan(kernel=KERNEL, mode=MODE, variant="fixed"):
        out.append(Row("bound", job.scenario, "fixed"))
    for race in sc.RACES.values():
        out.append(Row("bound", race.scenario, race.variant, race.race, race.property,
                       race.version, race.mode))
    if quick:
        out = [r for r in out if r.scenario == "zap-vs-writers" and r.variant == "fixed"] + \
              [r for r in out if r.race == "R2"]
    return out


CSV_FIELDS = ["section", "scenario", "variant", "race", "kernel", "mode", "vcpus", "engine",
              "solver", "bound", "status", "seconds", "setup", "worst", "verdicts", "states",
              "queries", "vars", "actions", "message"]


def plan_cells(quick: bool, cap: float, solvers: list[str]) -> list[dict[str, Any]]:
    bounds = (4, 8) if quick else BOUNDS
    vcounts = (1, 2) if quick else VCPU_COUNTS
    vbounds = (8,) if quick else VCPU_BOUNDS
    sbound = 8 if quick else SOLVER_BOUND
    cells: list[dict[str, Any]] = []
    all_rows = rows(quick)
    for r in all_rows:
        for engine in ENGINES:
            for b in bounds:
                cells.append({"section": "bound", "scenario": r.scenario, "variant": r.variant,
                              "race": r.race, "property": r.property, "kernel": r.kernel,
                              "mode": r.mode, "vcpus": "", "engine": engine,
                              "solver": "z3" if engine == "smt" else "", "bound": b,
                              "cap": cap})
    for n in vcounts:
        for engine in ENGINES:
            for b in vbounds:
                cells.append({"section": "vcpus", "scenario": VCPU_SCENARIO,
                              "variant": "fixed", "race": "", "property": "", "kernel": KERNEL,
                              "mode": MODE, "vcpus": n, "engine": engine,
                              "solver": "z3" if engine == "smt" else "", "bound": b,
                              "cap": cap})
    for r in all_rows:
        if not r.race:
            continue
        for s in solvers:
            cells.append({"section": "solver", "scenario": r.scenario, "variant": r.variant,
                          "race": r.race, "property": r.property, "kernel": r.kernel,
                          "mode": r.mode, "vcpus": "", "engine": "smt", "solver": s,
                          "bound": sbound, "cap": cap})
    return cells


def series_key(c: dict[str, Any]) -> tuple[Any, ...]:
    return (c["section"], c["scenario"], c["variant"], c["vcpus"], c["engine"], c["solver"])


def measure(cells: list[dict[str, Any]], cap: float, log: Any) -> list[dict[str, Any]]:
    worker = Worker()
    timed_out: dict[tuple[Any, ...], int] = {}
    out: list[dict[str, Any]] = []
    try:
        for n, c in enumerate(cells):
            key = series_key(c)
            row = {k: c.get(k, "") for k in CSV_FIELDS}
            if key in timed_out and c["section"] != "solver":
                row.update(status="skipped",
                           message=f"bound {timed_out[key]} already hit the {cap:.0f}s cap")
            else:
                res = worker.run(c, hard_limit=2 * cap + 30)
                row.update({k: v for k, v in res.items() if k in CSV_FIELDS})
                if row["status"] == "timeout":
                    timed_out[key] = c["bound"]
            out.append(row)
            secs = row.get("seconds")
            log(f"[{n + 1}/{len(cells)}] {c['section']:6s} {c['scenario']:22s} "
                f"{(c['race'] or c['variant']):8s} v{c['vcpus'] or '-'} {c['engine']:8s} "
                f"{c['solver'] or '-':8s} k={c['bound']:2d}  {row['status']:7s} "
                + (f"{float(secs):7.2f}s " if secs not in ("", None) else "         ")
                + str(row.get("worst", "")))
    finally:
        worker.stop()
    return out


# --- reports -------------------------------------------------------------------------------


def _t(row: dict[str, Any] | None) -> str:
    if row is None:
        return ""
    st = row["status"]
    if st == "ok":
        return f"{float(row['seconds']):.2f}"
    if st == "timeout":
        return "timeout"
    if st == "skipped":
        return "skip"
    return "error"


def _short(worst: str) -> str:
    return {"HOLDS": "H", "PROVED": "P", "VIOLATED": "V", "UNKNOWN": "?",
            "CHECKER_BUG": "BUG"}.get(worst, worst or "")


def _depth(row: dict[str, Any] | None) -> str:
    """``V@5`` for a violation, else the worst verdict's letter."""
    if row is None or row["status"] != "ok":
        return ""
    v = str(row.get("verdicts", ""))
    depths = [p.split("@")[1] for p in v.split(";") if "=VIOLATED@" in p]
    w = _short(str(row.get("worst", "")))
    return f"{w}@{min(depths, key=int)}" if depths else w


def _agree(a: dict[str, Any] | None, b: dict[str, Any] | None) -> str:
    """Engines agree: same verdict per property, PROVED counted as HOLDS."""
    if a is None or b is None or a["status"] != "ok" or b["status"] != "ok":
        return ""

    def norm(v: str) -> str:
        return v.replace("=PROVED", "=HOLDS")
    return "yes" if norm(str(a["verdicts"])) == norm(str(b["verdicts"])) else "**NO**"


def write_markdown(path: Path, results: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    idx = {(r["section"], r["scenario"], r["variant"], str(r["vcpus"]), r["engine"],
            r["solver"], int(r["bound"])): r for r in results}
    lines = [
        "# spte-verify benchmark results", "",
        f"Generated {meta['when']} by `bench/run_bench.py{' --quick' if meta['quick'] else ''}` "
        f"on {meta['machine']} (Python {meta['python']}, z3 {meta['z3']}); per-cell cap "
        f"{meta['cap']:.0f}s; total wall time {meta['wall']:.0f}s.", "",
        "Times are seconds of engine time to verdict (model build and the reduction check "
        "excluded: see `setup` in results.csv). `timeout` = hit the cap, `skip` = a smaller "
        "bound of the same series already hit it. Verdict letters: H HOLDS (to the bound), "
        "P PROVED (explorer exhausted the state space), V@d VIOLATED at depth d (replayed), "
        "? UNKNOWN.", "",
    ]
    bounds = sorted({int(r["bound"]) for r in results if r["section"] == "bound"})
    brows: list[tuple[str, str, str]] = []
    for r in results:
        if r["section"] == "bound":
            k = (r["scenario"], r["variant"], r["race"])
            if k not in brows:
                brows.append(k)
    if brows:
        lines += [f"## SMT (z3) vs explicit explorer as the bound grows ({KERNEL}/{MODE} "
                  "fixed; races in their own version/mode)", "",
                  "Each cell: `smt / explicit` seconds; last columns: verdicts at the largest "
                  "bound both finished and whether the engines agree there.", ""]
        head = ["scenario", "variant"] + [f"k={b}" for b in bounds] + \
            ["verdict smt / expl", "states", "agree"]
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for sc, var, race in brows:
            cells = []
            last: tuple[Any, Any] | None = None
            for b in bounds:
                s = idx.get(("bound", sc, var, "", "smt", "z3", b))
                e = idx.get(("bound", sc, var, "", "explicit", "", b))
                cells.append(f"{_t(s)} / {_t(e)}")
                if s and e and s["status"] == "ok" and e["status"] == "ok":
                    last = (s, e)
            vtxt = f"{_depth(last[0])} / {_depth(last[1])}" if last else ""
            states = str(last[1].get("states", "")) if last else ""
            agree = _agree(*last) if last else ""
            name = f"{var} ({race})" if race else var
            lines.append("| " + " | ".join([sc, name, *cells, vtxt, states, agree]) + " |")
        lines.append("")
    vrows = [r for r in results if r["section"] == "vcpus"]
    if vrows:
        vb = sorted({int(r["bound"]) for r in vrows})
        vn = sorted({int(r["vcpus"]) for r in vrows})
        lines += [f"## {VCPU_SCENARIO} as the vCPU count grows ({KERNEL}/{MODE} fixed)", "",
                  "Each cell: `smt / explicit` seconds (explicit: distinct states in "
                  "brackets).", ""]
        head = ["vCPUs", "vars", "actions"] + [f"k={b}" for b in vb] + ["verdict smt / expl"]
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for n in vn:
            cells = []
            meta_row: dict[str, Any] = {}
            last = None
            for b in vb:
                s = idx.get(("vcpus", VCPU_SCENARIO, "fixed", str(n), "smt", "z3", b))
                e = idx.get(("vcpus", VCPU_SCENARIO, "fixed", str(n), "explicit", "", b))
                est = f" [{e['states']}]" if e and e["status"] == "ok" else ""
                cells.append(f"{_t(s)} / {_t(e)}{est}")
                for x in (s, e):
                    if x and x.get("vars") not in ("", None):
                        meta_row = x
                if s and e and s["status"] == "ok" and e["status"] == "ok":
                    last = (s, e)
            vtxt = f"{_depth(last[0])} / {_depth(last[1])}" if last else ""
            lines.append("| " + " | ".join([str(n), str(meta_row.get("vars", "")),
                                            str(meta_row.get("actions", "")), *cells, vtxt])
                         + " |")
        lines.append("")
    srows = [r for r in results if r["section"] == "solver"]
    if srows:
        solvers: list[str] = []
        for r in srows:
            if r["solver"] not in solvers:
                solvers.append(r["solver"])
        sb = int(srows[0]["bound"])
        lines += [f"## SMT solvers on the race variants at bound {sb}", "",
                  "Seconds to verdict (race property only); verdict in brackets.", ""]
        head = ["race", "scenario", *solvers]
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        seen: list[tuple[str, str, str]] = []
        for r in srows:
            k = (r["race"], r["scenario"], r["variant"])
            if k not in seen:
                seen.append(k)
        for race, sc, var in seen:
            cells = []
            for sv in solvers:
                x = idx.get(("solver", sc, var, "", "smt", sv, sb))
                vd = _depth(x)
                cells.append(_t(x) + (f" [{vd}]" if vd else ""))
            lines.append("| " + " | ".join([race, sc, *cells]) + " |")
        lines.append("")
    path.write_text("\n".join(lines))


def write_plot(path: Path, results: list[dict[str, Any]]) -> bool:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception:
        return False
    fig, axes = plt.subplots(1, 3, figsize=(18, 5.5))
    ax = axes[0]
    series: dict[tuple[str, str, str], list[tuple[int, float]]] = {}
    for r in results:
        if r["section"] == "bound" and r["status"] == "ok":
            label = r["race"] or r["scenario"]
            series.setdefault((label, r["engine"], ""), []).append(
                (int(r["bound"]), max(float(r["seconds"]), 1e-3)))
    colors: dict[str, Any] = {}
    cmap = plt.get_cmap("tab20")
    for (label, engine, _), pts in sorted(series.items()):
        if label not in colors:
            colors[label] = cmap(len(colors) % 20)
        pts.sort()
        ax.plot([p[0] for p in pts], [p[1] for p in pts],
                "-o" if engine == "smt" else "--x", color=colors[label],
                label=f"{label} ({engine})", markersize=4)
    ax.set_yscale("log")
    ax.set_xlabel("bound (steps)")
    ax.set_ylabel("seconds to verdict (log)")
    ax.set_title("SMT/z3 (solid) vs explicit (dashed), by bound")
    ax.legend(fontsize=6, ncol=2)
    ax = axes[1]
    vser: dict[tuple[str, int], list[tuple[int, float]]] = {}
    for r in results:
        if r["section"] == "vcpus" and r["status"] == "ok":
            vser.setdefault((r["engine"], int(r["bound"])), []).append(
                (int(r["vcpus"]), max(float(r["seconds"]), 1e-3)))
    for (engine, b), pts in sorted(vser.items()):
        pts.sort()
        ax.plot([p[0] for p in pts], [p[1] for p in pts],
                "-o" if engine == "smt" else "--x", label=f"{engine} k={b}")
    ax.set_yscale("log")
    ax.set_xlabel("vCPUs")
    ax.set_xticks(sorted({p[0] for pts in vser.values() for p in pts}) or [1])
    ax.set_title(f"{VCPU_SCENARIO}: by vCPU count")
    ax.legend(fontsize=7)
    ax = axes[2]
    srows = [r for r in results if r["section"] == "solver"]
    races = sorted({r["race"] for r in srows})
    solvers: list[str] = []
    for r in srows:
        if r["solver"] not in solvers:
            solvers.append(r["solver"])
    width = 0.8 / max(1, len(solvers))
    for k, s in enumerate(solvers):
        ys = []
        for race in races:
            x = next((r for r in srows if r["race"] == race and r["solver"] == s), None)
            ys.append(float(x["seconds"]) if x and x["status"] == "ok" else 0.0)
        ax.bar([i + k * width for i in range(len(races))], ys, width, label=s)
    ax.set_xticks([i + width * (len(solvers) - 1) / 2 for i in range(len(races))])
    ax.set_xticklabels(races)
    ax.set_ylabel("seconds (0 = timeout/error)")
    ax.set_title("SMT solvers on the races" + (f" (k={srows[0]['bound']})" if srows else ""))
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a few cells (under a minute)")
    ap.add_argument("--cap", type=float, default=None,
                    help="seconds per cell before it is a timeout (default 60; 20 with --quick)")
    ap.add_argument("--out", type=Path, default=HERE / "results", help="output directory")
    ap.add_argument("--solvers", default=None,
                    help="comma-separated solvers for the solver series (default: z3 and "
                         "every other installed one)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker_main()
        return 0

    import z3

    from verify.engines.solvers import SOLVERS, available_solvers

    cap = args.cap if args.cap is not None else (20.0 if args.quick else 60.0)
    if args.solvers:
        solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
        bad = [s for s in solvers if s not in SOLVERS]
        if bad:
            ap.error(f"unknown solver {bad[0]!r} (choose from {', '.join(SOLVERS)})")
    else:
        have = available_solvers()
        solvers = [s for s in ("z3", "bitwuzla", "cvc5") if s in have]
        if args.quick:
            solvers = solvers[:2]
    t0 = time.monotonic()
    cells = plan_cells(args.quick, cap, solvers)
    print(f"{len(cells)} cells, cap {cap:.0f}s each, solvers: {', '.join(solvers)}",
          file=sys.stderr)
    results = measure(cells, cap, lambda s: print(s, file=sys.stderr, flush=True))
    wall = time.monotonic() - t0
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "results.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS, extrasaction="ignore")
        w.writeheader()
        for r in results:
            rr = dict(r)
            for k in ("seconds", "setup"):
                if rr.get(k) not in ("", None):
                    rr[k] = f"{float(rr[k]):.4f}"
            w.writerow(rr)
    meta = {"when": time.strftime("%Y-%m-%d %H:%M"), "quick": args.quick, "cap": cap,
            "wall": wall, "python": platform.python_version(),
            "z3": z3.get_version_string(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores"}
    write_markdown(args.out / "results.md", results, meta)
    plotted = write_plot(args.out / "results.png", results)
    print(f"wrote {args.out / 'results.md'}, {args.out / 'results.csv'}"
          + (f", {args.out / 'results.png'}" if plotted else "")
          + f" in {wall:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
