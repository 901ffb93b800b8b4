"""The ``prove`` and ``recheck`` subcommands: unbounded proofs with certificates.

``prove`` builds each selected scenario in its proof form (by default every operation
repeating and every legal initial SPTE, :class:`verify.checker.Form`), runs the
portfolio (:mod:`verify.engines.portfolio`) and writes one certificate per PROVED
property under ``--out`` (default ``proofs/``).  ``recheck`` re-checks certificates with
a second solver (:mod:`verify.proofs.recheck`), ``--jobs N`` of them at once.

``prove --json`` prints one document (schema ``spte-verify/prove/1``,
``verify/reports/schema/prove-v1.json``) instead of the table: a result per scenario ×
version × mode × variant × property with the verdict, the deciding engine, the
certificate (path, SMT-LIB body, readable form, kind, k, transition-system digest) or
the replayed witness, and the ``status``/``exit_code`` of the run.  ``prove --invariant
FILE`` adds user strengthening invariants (:mod:`verify.proofs.strengthen`: confirmed
inductive first, then assumed by ic3 and kind and written into their certificates).

Exit codes, as for ``check``: 0 every property PROVED / every certificate ACCEPTED;
1 a VIOLATED property (replayed witness) or a REJECTED or STALE certificate; 2 usage
error; 3 UNKNOWN; 4 checker bug.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from verify.cli_types import Seconds
from verify.errors import InputError
from verify.layouts import MODES, VERSIONS

PROG = "spte-verify"
SCHEMA_PROVE = "spte-verify/prove/1"
PROVE_SCHEMA = Path(__file__).with_name("reports") / "schema" / "prove-v1.json"
"""The JSON Schema of ``prove --json`` (shipped in the package)."""


def _status(codes: list[int]) -> int:
    for c in (4, 1, 3):
        if c in codes:
            return c
    return 0


@click.command("prove", short_help="Prove properties for every initial SPTE and any number "
               "of operations; write certificates.")
@click.option("--kernel", "kernels", multiple=True, type=click.Choice(list(VERSIONS)),
              help="Kernel version (repeatable; default the newest).")
@click.option("--mode", "modes", multiple=True, type=click.Choice(list(MODES)),
              help="Mode (repeatable; default ept-ad, or the race's for --variant R<n>).")
@click.option("--variant", default=None, help="Built-in variant (default: fixed).")
@click.option("--scenario", "scenarios", multiple=True, help="Scenario (repeatable).")
@click.option("--property", "properties", multiple=True, help="Property (repeatable).")
@click.option("--form", "form", default="repeat+all-initial", show_default=True,
              help="Scenario form: repeat, all-initial, repeat+all-initial, or '' (bounded).")
@click.option("--engines", default="explicit,ic3,bmc", show_default=True,
              help="Portfolio engines, comma-separated: explicit, ic3, kind, bmc.")
@click.option("--time-limit", "time_limit", type=Seconds(1, 86400),
              default=300.0, show_default=True, help="Seconds per scenario.")
@click.option("--out", "out", default="proofs", show_default=True,
              type=click.Path(file_okay=False), help="Directory for certificates.")
@click.option("--no-write", is_flag=True, help="Do not write certificates.")
@click.option("--show-invariant", is_flag=True,
              help="Print each proved invariant in kernel terms (as far as it simplifies).")
@click.option("--invariant", "invariant_files", multiple=True, metavar="FILE",
              help="A strengthening invariant (repeatable): clauses in kernel terms, one "
                   "per line, as --show-invariant prints them (spte0.W => spte0.MmuW; "
                   "actor@label; boolean state variables), or SMT-LIB2 (assert ...) over "
                   "the state variables.  Refused unless inductive; ic3 and kind assume "
                   "it and their certificates include it.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (schema spte-verify/prove/1, verify/reports/schema/"
                   "prove-v1.json) instead of the table.")
def prove_cmd(kernels: tuple[str, ...], modes: tuple[str, ...], variant: str | None,
              scenarios: tuple[str, ...], properties: tuple[str, ...], form: str,
              engines: str, time_limit: float, out: str, no_write: bool,
              show_invariant: bool, invariant_files: tuple[str, ...] = (),
              as_json: bool = False) -> int:
    """Prove each property of each selected scenario unboundedly (PROVED with a
    certificate), or find its violation (a replayed witness), or say UNKNOWN and why."""
    from verify import checker
    from verify.engines.portfolio import ENGINES, prove
    from verify.engines.ts import TransitionSystem
    from verify.layouts import get_layout
    from verify.proofs import strengthen
    from verify.proofs.certificate import Certificate
    from verify.reports.invariant import readable
    from verify.reports.trace import kernel_table
    from verify.reports.witness import TOOL, dump

    chosen = [e.strip() for e in engines.split(",") if e.strip()]
    bad = [e for e in chosen if e not in ENGINES]
    if bad or not chosen:
        raise InputError(f"unknown engine {bad[0] if bad else engines!r} "
                         f"(choose from {', '.join(ENGINES)})")
    shape = checker.parse_form(form)
    user = [strengthen.load(f) for f in dict.fromkeys(invariant_files)]
    jobs: list[Any] = []
    for k in kernels or (None,):
        for m in modes or (None,):
            try:
                jobs += checker.plan(kernel=k, mode=m, variant=variant,
                                     scenarios=tuple(dict.fromkeys(scenarios)),
                                     properties=tuple(dict.fromkeys(properties)), form=shape)
            except InputError:
                if scenarios and (m is not None or k is not None):
                    continue  # the scenario does not apply to this mode or kernel
                raise
    if not jobs:
        raise InputError("nothing to prove: no scenario applies to that selection")
    # every --invariant is confirmed inductive for every model before anything runs
    strengthening: list[tuple[str | None, str]] = []
    for j in jobs:
        if not user:
            strengthening.append((None, ""))
            continue
        where = f"{j.scenario} [{j.version}/{j.mode}, variant {j.variant}]"
        strengthening.append(strengthen.confirm(TransitionSystem.of(j.model), user, where,
                                                int(time_limit * 1000)))
    used_by = ("ic3", "kind")
    outdir = Path(out)
    rows: list[tuple[str, ...]] = []
    codes: list[int] = []
    details: list[str] = []
    records: list[dict[str, Any]] = []
    shown: dict[tuple[int, str, str, str], str] = {}
    t_all = time.monotonic()
    for n, j in enumerate(jobs):
        click.echo(f"[{n + 1}/{len(jobs)}] {j.scenario} {j.version}/{j.mode} {j.variant} ...",
                   err=True)
        text, why = strengthening[n]
        t0 = time.monotonic()
        decisions = prove(j.model, j.properties, engines=chosen, time_limit=time_limit,
                          strengthen=text)
        secs = time.monotonic() - t0
        for d in decisions:
            if why:
                d.notes.append(why)
            cert_path = "-"
            rec: dict[str, Any] = {
                "scenario": j.scenario, "kernel": j.version, "mode": j.mode,
                "variant": j.variant, "form": str(shape), "property": d.property,
                "verdict": d.verdict, "engine": d.engine or None,
                "seconds": round(d.seconds, 3), "notes": list(d.notes), "certificate": None}
            if d.verdict == "PROVED" and d.certificate is not None:
                c = d.certificate
                strengthened = text is not None and d.engine in used_by
                meta = {"scenario": j.scenario, "kernel": j.version, "mode": j.mode,
                        "variant": j.variant, "property": d.property, "form": str(shape),
                        "hardware": ", ".join(f"{k}={v}" for k, v in
                                              j.model.params.items()
                                              if k in ("d_assist_recheck",
                                                       "paging_structure_cache",
                                                       "tlb_drops")),
                        "engine": {"explicit": "explicit (exhausted state space)",
                                   "ic3": "ic3 (z3 spacer)",
                                   "kind": "k-induction (z3)"}.get(d.engine, d.engine),
                        "kind": c["kind"], "ts-sha256": c["digest"]}
                if c["kind"] == "k-induction":
                    meta["k"] = str(c["k"])
                if "states" in c:
                    meta["states"] = str(c["states"])
                    meta["diagram-nodes"] = str(c["nodes"])
                if strengthened:
                    meta["strengthening"] = ", ".join(_header_safe(i.path) for i in user)
                cert = Certificate(meta, c["body"])
                if not no_write:
                    f = outdir / cert.filename()
                    try:
                        f.parent.mkdir(parents=True, exist_ok=True)
                        f.write_text(cert.render(), encoding="utf-8")
                    except OSError as e:
                        raise InputError(f"cannot write certificate {str(f)!r}: "
                                         f"{e.strerror or e}") from None
                    cert_path = str(f)
                    rec["certificate"] = cert_path
                text_inv = ""
                if show_invariant or as_json:
                    # one model's properties often share an invariant (the explicit
                    # engine's reachable set): compute its text once
                    key = (n, cert.kind, cert.body, meta.get("k", ""))
                    if key not in shown:
                        shown[key] = readable(j.model, cert)
                    text_inv = shown[key]
                if show_invariant:
                    details.append(f"{j.scenario} [{j.version}/{j.mode}] {d.property}: "
                                   f"invariant ({d.engine}):\n" + text_inv)
                rec.update({"kind": c["kind"], "invariant_smtlib": c["body"],
                            "invariant_readable": text_inv, "ts_sha256": c["digest"],
                            "strengthening": [i.path for i in user] if strengthened else []})
                if c["kind"] == "k-induction":
                    rec["k"] = c["k"]
                if "states" in c:
                    rec["states"] = c["states"]
                codes.append(0)
            elif d.verdict == "VIOLATED" and d.witness is not None:
                codes.append(1)
                from verify.engines.replay import replay
                layout = get_layout(j.version, j.mode)
                rep = replay(j.model, d.witness["schedule"],
                             [j.model.property(d.property)], start=d.witness["start"])
                details.append(f"{j.scenario} [{j.version}/{j.mode}, variant {j.variant}]: "
                               f"{d.property} VIOLATED ({d.engine}, "
                               f"{len(d.witness['schedule'])} steps)\n"
                               + kernel_table(j.model, layout, rep))
                if as_json:
                    rec["witness"] = _witness(j.model, layout, rep, d)
            elif d.verdict == "CHECKER_BUG":
                codes.append(4)
                details.append(f"{j.scenario}: {d.property}: CHECKER BUG: "
                               + "; ".join(d.notes))
            else:
                codes.append(3)
                details.append(f"{j.scenario} [{j.version}/{j.mode}]: {d.property}: UNKNOWN: "
                               + "; ".join(d.notes))
            records.append(rec)
            rows.append((j.scenario, f"{j.version}/{j.mode}", j.variant, d.property,
                         d.verdict, d.engine or "-", f"{d.seconds:.1f}s", cert_path))
        rows.append(("", "", "", "", "", "", f"({secs:.1f}s)", ""))
    code = _status(codes)
    status = {0: "PROVED", 1: "FAILED", 3: "UNKNOWN", 4: "CHECKER BUG"}[code]
    if as_json:
        doc = {"schema": SCHEMA_PROVE, "tool": TOOL, "status": status, "exit_code": code,
               "request": {"kernels": list(kernels), "modes": list(modes),
                           "variant": variant, "scenarios": list(scenarios),
                           "properties": list(properties), "form": str(shape),
                           "engines": chosen, "time_limit": time_limit,
                           "invariants": [i.path for i in user],
                           "write": not no_write, "out": out},
               "seconds": round(time.monotonic() - t_all, 3), "results": records}
        click.echo(dump(doc), nl=False)
        return code
    header = ("scenario", "kernel/mode", "variant", "property", "verdict", "engine",
              "time", "certificate")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    click.echo("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for r in rows:
        if r[0]:
            click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    for text_d in details:
        click.echo("")
        click.echo(text_d)
    click.echo(f"Status: {status}")
    return code


def _header_safe(text: str) -> str:
    """``text`` on one certificate header line."""
    return " ".join(text.split()).replace(",", "_")


def _witness(model: Any, layout: Any, rep: Any, d: Any) -> dict[str, Any]:
    """A VIOLATED decision's replayed witness for ``prove --json``."""
    from verify.reports.trace import explain, jvalue, spte_vars, step_records
    w = d.witness
    start = w.get("start")
    return {"depth": len(w["schedule"]), "schedule": list(w["schedule"]),
            "start": {k: jvalue(v) for k, v in start.items()} if start else None,
            "initial": {s: jvalue(rep.initial[s]) for s in spte_vars(model)},
            "steps": step_records(model, layout, rep),
            "explanation": explain(model, layout, rep, d.property)}


@click.command("recheck", short_help="Re-check proof certificates with a second solver.")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--solver", type=click.Choice(["bitwuzla", "cvc5", "z3"]), default="bitwuzla",
              show_default=True, help="The solver that re-checks (z3 only for comparison).")
@click.option("--timeout", type=Seconds(0.1, 86400), default=None,
              help="Seconds per query.")
@click.option("--jobs", "workers", type=click.IntRange(min=1), default=None,
              help="Certificates checked at once, in separate processes (those of one "
                   "model in one) [default: the cores].  The output is in input order.")
def recheck_cmd(paths: tuple[str, ...], solver: str, timeout: float | None,
                workers: int | None = None) -> int:
    """Re-check each certificate (default: every *.smt2 under proofs/) against the model
    rebuilt from its header: STALE if the model changed, REJECTED if an implication
    fails (with the counterexample to induction), ACCEPTED if all are unsat."""
    import os

    from verify.engines.solvers import available_solvers
    from verify.proofs.certificate import read
    from verify.proofs.recheck import ACCEPTED, recheck_parallel

    if solver not in available_solvers():
        raise InputError(f"solver {solver!r} is not installed (pip install "
                         "'spte-verify[solvers]')")
    files: list[Path] = []
    for p in paths or ("proofs",):
        q = Path(p)
        if q.is_dir():
            files += sorted(q.rglob("*.smt2"))
        elif q.exists():
            files.append(q)
        else:
            raise InputError(f"{p}: no such file or directory")
    if not files:
        raise InputError(f"no certificates (*.smt2) under {', '.join(paths or ('proofs',))}")
    certs = [read(f) for f in files]
    codes = []
    for o in recheck_parallel(certs, solver, timeout, workers or os.cpu_count() or 1):
        click.echo(f"{o.status:9} {o.path}  ({o.seconds:.1f}s) {o.detail}")
        if o.cti:
            click.echo(o.cti)
        codes.append(0 if o.status == ACCEPTED else 3 if o.status == "UNKNOWN" else 1)
    code = _status(codes)
    n_ok = codes.count(0)
    click.echo(f"{n_ok} of {len(codes)} certificates accepted by {solver}")
    click.echo(f"Status: {({0: 'ACCEPTED', 1: 'REJECTED', 3: 'UNKNOWN'})[code]}")
    return code
