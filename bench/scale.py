"""Scale benchmark (issue 11): the lost-dirty family, vCPUs 1-3 x ops 1-3, every engine.

Each cell -- (vCPUs, ops, engine) on ``lost-dirty`` at V-NEW / ept-ad with the kernel's
real code, all properties -- runs in a fresh process (``python bench/scale.py --cell
...``) so its peak memory (``ru_maxrss`` of the process and of the native search it
starts) and its wall time are its own.  Engines:

* ``native``  the generated-C explorer with every reduction (ample sets, vCPU symmetry,
  dead variables), two threads: ``--engine fast --threads 2`` where a C compiler is;
* ``native-plain`` the same with only the local-step reduction (the state
  count of the reference explorer; what the reductions save is the ratio to ``native``;
  ``--ablation`` switches each reduction off in turn, ``native-none`` all of them);
* ``vector``  the numpy explorer, every reduction;
* ``explicit`` the Python reference explorer (local-step reduction only);
* ``smt``     bounded model checking with z3 to bound 20 (HOLDS at best: BMC does not
  prove); ``ic3`` z3 Spacer (IC3/PDR) on the same model, per property, within the cap.

Writes ``bench/results/scale.md`` (the table), ``scale.csv`` and ``scale.png`` (if
matplotlib imports).  ``--cap S`` stops each cell after S seconds (UNKNOWN then);
``--quick`` runs vCPUs 1-2 x ops 1-2 only.

    python bench/scale.py                 # full grid, cap 300 s per cell
    python bench/scale.py --quick --cap 60
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ENGINES = ("native", "native-plain", "vector", "explicit", "smt", "ic3")
ABLATION = ("native", "native-nopor", "native-nosym", "native-nodead", "native-nolocal",
            "native-plain", "native-none")
"""``--ablation``: what each reduction saves, on the native engine."""
FIELDS = ["vcpus", "ops", "engine", "verdict", "states", "seconds", "states_per_s",
          "peak_mb", "bytes_per_state", "note"]


def run_cell(vcpus: int, ops: int, engine: str, cap: float) -> dict[str, Any]:
    """Inside the cell's own process."""
    from verify import checker

    job = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=["lost-dirty"],
                       form=checker.sized(checker.Form(), vcpus=vcpus, ops=ops))[0]
    t0 = time.monotonic()
    if engine == "smt":
        from verify.engines.bmc import bmc
        res = bmc(job.model, 20, job.properties, time_limit=cap)
    elif engine == "ic3":
        res = _ic3(job.model, job.properties, cap)
    else:
        name = "native" if engine.startswith("native") else engine
        plain = engine == "native-plain"
        res = checker.run_explicit(
            job.model, name, 10**6, job.properties,
            reduction=engine not in ("native-nolocal", "native-none"), time_limit=cap,
            progress=None,
            search=checker.Search(
                symmetry=not plain and engine not in ("native-nosym", "native-none"),
                dead=not plain and engine not in ("native-nodead", "native-none"),
                por=not plain and engine not in ("native-nopor", "native-none"), threads=2))
    secs = time.monotonic() - t0
    worst = max(res, key=lambda r: r.verdict.severity).verdict.value
    states = max((r.states or 0) for r in res)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"vcpus": vcpus, "ops": ops, "engine": engine, "verdict": worst,
            "states": states, "seconds": round(secs, 2),
            "states_per_s": round(states / secs) if states and secs else "",
            "peak_mb": round(max(own, kids) / 1024, 1),
            "bytes_per_state": res[0].extra.get("bytes_per_state", ""),
            "note": (res[0].message or "")[:80]}


def _ic3(model: Any, props: list[str], cap: float) -> list[Any]:
    """z3 Spacer per property on the same (bounded-calls) model: PROVED with an
    inductive invariant, else UNKNOWN."""
    from verify.engines.ic3 import spacer
    from verify.engines.ts import TransitionSystem
    from verify.reports.results import CheckResult, Verdict

    t0 = time.monotonic()
    ts = TransitionSystem.of(model)
    out = []
    for name in props:
        left = cap - (time.monotonic() - t0)
        a = spacer(ts, model.property(name), int(max(left, 0.001) * 1000))
        v = Verdict.PROVED if a.status == "proved" else \
            (Verdict.VIOLATED if a.status == "reachable" else Verdict.UNKNOWN)
        out.append(CheckResult(model.name, name, "ic3", "z3", 0, v, time.monotonic() - t0,
                               message=a.reason or a.status))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cap", type=float, default=300.0)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--out", default=str(HERE / "results"))
    ap.add_argument("--cell", nargs=3, metavar=("VCPUS", "OPS", "ENGINE"))
    ap.add_argument("--merge", action="store_true",
                    help="update these engines' rows in an existing scale.csv")
    ap.add_argument("--sizes", default=None, metavar="VxK,...",
                    help="only these cells, e.g. 1x1,2x2")
    ap.add_argument("--ablation", action="store_true",
                    help="each reduction off in turn (native engine), at 2x3 and 3x2")
    a = ap.parse_args()
    if a.cell:
        print(json.dumps(run_cell(int(a.cell[0]), int(a.cell[1]), a.cell[2], a.cap)))
        return 0
    if a.ablation:
        return _ablation(a)
    sizes = (1, 2) if a.quick else (1, 2, 3)
    cells = [(v, k) for v in sizes for k in sizes]
    if a.sizes:
        cells = [(int(x.split("x")[0]), int(x.split("x")[1])) for x in a.sizes.split(",")]
    rows: list[dict[str, Any]] = []
    for v, k in cells:
        for e in a.engines.split(","):
            cmd = [sys.executable, __file__, "--cell", str(v), str(k), e,
                   "--cap", str(a.cap)]
            try:
                r = subprocess.run(cmd, capture_output=True, text=True,
                                   timeout=a.cap * 2 + 120)
                row = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 \
                    else {"vcpus": v, "ops": k, "engine": e, "verdict": "ERROR",
                          "note": (r.stderr.strip().splitlines() or [""])[-1][:80]}
            except subprocess.TimeoutExpired:
                row = {"vcpus": v, "ops": k, "engine": e, "verdict": "UNKNOWN",
                       "note": "killed after the cap"}
            rows.append(row)
            print(f"{v}x{k} {e:13s} {row.get('verdict')} {row.get('states', '')} states "
                  f"{row.get('seconds', '')} s {row.get('peak_mb', '')} MB",
                  file=sys.stderr, flush=True)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if a.merge and (out / "scale.csv").exists():
        with open(out / "scale.csv") as f:
            old = list(csv.DictReader(f))
        new = {(str(r["vcpus"]), str(r["ops"]), r["engine"]): r for r in rows}
        merged = [new.pop((r["vcpus"], r["ops"], r["engine"]), r) for r in old]
        rows = merged + list(new.values())
        order = {e: i for i, e in enumerate(ENGINES)}
        rows.sort(key=lambda r: (int(r["vcpus"]), int(r["ops"]),
                                 order.get(r["engine"], 99)))
        for r in rows:
            for key in ("states", "seconds", "peak_mb"):
                if r.get(key) not in ("", None):
                    r[key] = float(r[key]) if key != "states" else int(float(r[key]))
    with open(out / "scale.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in FIELDS})
    lines = ["# lost-dirty family: vCPUs x ops, every engine", "",
             "V-NEW / ept-ad / fixed, all properties; `python bench/scale.py --cap 120` "
             "(ic3 cells: `--merge --engines ic3 --cap 30`); seconds are whole calls "
             "(z3 side proofs and, for a model not yet cached, the C compile included).",
             "",
             "| vCPUs x ops | engine | verdict | states | seconds | states/s | peak MB | "
             "B/state |", "|---|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['vcpus']} x {r['ops']} | {r['engine']} | {r.get('verdict', '')} | "
                     f"{r.get('states', '')} | {r.get('seconds', '')} | "
                     f"{r.get('states_per_s', '')} | {r.get('peak_mb', '')} | "
                     f"{r.get('bytes_per_state', '')} |")
    (out / "scale.md").write_text("\n".join(lines) + "\n")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return 0
    fig, ax = plt.subplots(1, 2, figsize=(11, 4))
    for e in a.engines.split(","):
        pts = [r for r in rows if r["engine"] == e and r.get("states")]
        xs = [f"{r['vcpus']}x{r['ops']}" for r in pts]
        ax[0].plot(xs, [r["seconds"] for r in pts], marker="o", label=e)
        ax[1].plot(xs, [r["states"] for r in pts], marker="o", label=e)
    ax[0].set_yscale("log")
    ax[0].set_ylabel("seconds")
    ax[1].set_yscale("log")
    ax[1].set_ylabel("states stored")
    for x in ax:
        x.set_xlabel("vCPUs x ops")
        x.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "scale.png", dpi=100)
    return 0


def _ablation(a: Any) -> int:
    rows = []
    for v, k in ((2, 3), (3, 2)):
        for e in ABLATION:
            r = subprocess.run([sys.executable, __file__, "--cell", str(v), str(k), e,
                                "--cap", str(a.cap)], capture_output=True, text=True)
            row = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else \
                {"vcpus": v, "ops": k, "engine": e, "verdict": "ERROR"}
            rows.append(row)
            print(f"{v}x{k} {e:15s} {row.get('verdict')} {row.get('states', '')} states "
                  f"{row.get('seconds', '')} s", file=sys.stderr, flush=True)
    lines = ["# What each reduction saves (native engine, 2 threads)", "",
             "`python bench/scale.py --ablation`; lost-dirty, V-NEW / ept-ad / fixed.", "",
             "| vCPUs x ops | reductions | verdict | states | seconds | peak MB |",
             "|---|---|---|---:|---:|---:|"]
    names = {"native": "ample sets + symmetry + dead variables",
             "native-nopor": "local steps + symmetry + dead variables",
             "native-nosym": "ample sets + dead variables", "native-nodead":
             "ample sets + symmetry", "native-nolocal": "symmetry + dead variables",
             "native-plain": "local steps", "native-none": "none"}
    for r in rows:
        lines.append(f"| {r['vcpus']} x {r['ops']} | {names[r['engine']]} | "
                     f"{r.get('verdict', '')} | {r.get('states', '')} | "
                     f"{r.get('seconds', '')} | {r.get('peak_mb', '')} |")
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "ablation.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
