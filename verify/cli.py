"""The ``spte-verify`` command line: the click group :data:`main` and its subcommands.

This module owns argument parsing, output formatting and the mapping of errors to exit
codes.  The mapping lives in one place, :func:`run_guarded`, used by the group's
:meth:`GuardedGroup.main`, so every subcommand (``decode`` now; ``check``, ``list`` and
``replay`` later) gets the same behaviour for free:

* exit 0: done (a subcommand may return another int as its exit code);
* exit 2: a user error -- a bad value, an unknown name, a missing argument, a click usage
  error -- reported as exactly one line ``spte-verify: error: ...`` on stderr, no traceback;
* exit 4: spte-verify contradicted itself (:class:`verify.errors.CheckerBug`).

To add a subcommand, decorate it with ``@main.command(...)``, reuse :func:`kernel_option`
and :func:`mode_option`, and raise :class:`verify.errors.InputError` for bad input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

import click

from verify import __version__
from verify.decode import decode, format_text, parse_value
from verify.errors import CheckerBug, InputError
from verify.layouts import DEFAULT_MODE, DEFAULT_VERSION, MODES, VERSIONS, get_layout

PROG = "spte-verify"

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_BUG = 4
EXIT_INTERRUPTED = 130

F = TypeVar("F", bound=Callable[..., Any])


# --- error handling shared by every subcommand ----------------------------------------------


def error_line(message: str) -> None:
    """Print one ``spte-verify: error: ...`` line on stderr (newlines folded)."""
    text = " ".join(part.strip() for part in str(message).splitlines() if part.strip())
    click.echo(f"{PROG}: error: {text or 'unknown error'}", err=True)


def _usage_message(e: click.UsageError) -> str:
    msg = e.format_message().strip().rstrip(".")
    if msg[:1].isupper() and not msg[1:2].isupper():
        msg = msg[0].lower() + msg[1:]
    ctx = e.ctx
    if ctx is not None and ctx.command_path:
        msg += f" (see '{ctx.command_path} --help')"
    return msg


def run_guarded(fn: Callable[[], Any]) -> int:
    """Run ``fn`` (a click ``main`` with ``standalone_mode=False``) and turn every error
    into one line on stderr and an exit code.  Returns the exit code."""
    try:
        rv = fn()
    except click.exceptions.NoArgsIsHelpError as e:  # click >= 8.2: bare group or command
        click.echo(e.ctx.get_help() if e.ctx is not None else "")
        return EXIT_OK
    except click.UsageError as e:
        error_line(_usage_message(e))
        return EXIT_USAGE
    except click.exceptions.Exit as e:
        return int(e.exit_code)
    except click.Abort:
        error_line("aborted")
        return 1
    except click.ClickException as e:
        error_line(e.format_message())
        return EXIT_USAGE
    except InputError as e:
        error_line(str(e))
        return EXIT_USAGE
    except CheckerBug as e:
        error_line(f"internal inconsistency (please report): {e}")
        return EXIT_BUG
    except KeyboardInterrupt:
        error_line("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    if isinstance(rv, bool) or not isinstance(rv, int):
        return EXIT_OK
    return rv


class GuardedGroup(click.Group):
    """A click group whose :meth:`main` never lets an exception or click's multi-line
    usage output escape: see :func:`run_guarded`."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        def call() -> Any:
            return click.Group.main(self, args=args, prog_name=prog_name or PROG,
                                    complete_var=complete_var, standalone_mode=False, **extra)

        code = run_guarded(call)
        sys.stdout.flush()
        sys.exit(code)


# --- options shared by subcommands -----------------------------------------------------------


# click >= 8.2 makes ParamType generic and older releases do not: keep one spelling for both.
_ParamType: Any = click.ParamType


class NameChoice(_ParamType):  # type: ignore[misc]
    """One of a fixed set of names, matched case-insensitively, returned as spelled in
    ``choices`` (``v-new`` → ``V-NEW``)."""

    def __init__(self, what: str, choices: Sequence[str]) -> None:
        self.what = what
        self.choices = tuple(choices)
        self.name = what

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "|".join(self.choices)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        text = str(value)
        for c in self.choices:
            if c.lower() == text.lower():
                return c
        raise click.BadParameter(
            f"unknown {self.what} {text!r} (choose from {', '.join(self.choices)})",
            ctx=ctx, param=param)


def kernel_option(f: F) -> F:
    """``--kernel V-OLD|V-MID|V-613|V-NEW`` (default: the newest modelled version)."""
    opt = click.option(
        "--kernel", "kernel", type=NameChoice("kernel version", VERSIONS),
        default=DEFAULT_VERSION, show_default=True, help="Kernel version (primer table).")
    return opt(f)


def mode_option(f: F) -> F:
    """``--mode ept-ad|ept-noad|legacy`` (default: EPT with A/D bits)."""
    opt = click.option(
        "--mode", "mode", type=NameChoice("mode", MODES),
        default=DEFAULT_MODE, show_default=True, help="Paging mode.")
    return opt(f)


# --- the group -------------------------------------------------------------------------------


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name=PROG)
def main() -> None:
    """spte-verify: an SMT-backed verifier for Linux KVM x86 SPTE update protocols."""


# --- decode ----------------------------------------------------------------------------------


def _looks_like_option(text: str) -> bool:
    return text.startswith("-") and not text[1:2].isdigit() and text[1:2] != "0"


@main.command(
    "decode",
    context_settings={"ignore_unknown_options": True},
    short_help="Decode raw SPTE values into fields and predicates.",
)
@click.argument("values", metavar="VALUE...", nargs=-1, required=True)
@mode_option
@kernel_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object a value.")
def decode_cmd(values: tuple[str, ...], mode: str, kernel: str, as_json: bool) -> int:
    """Decode each VALUE (hex with 0x, or decimal, as KVM tracepoints print SPTEs) for the
    layout of --kernel and --mode: named fields, the predicates that hold, the class
    (present, non-present, FROZEN_SPTE/REMOVED_SPTE, MMIO) and any problem (a broken
    writable invariant, a value KVM never builds).  Exit 0 when every value was decoded,
    2 on bad input."""
    for v in values:
        if _looks_like_option(v):
            raise InputError(f"no such option: {v} (see '{PROG} decode --help')")
    nums = [parse_value(v) for v in values]
    layout = get_layout(kernel, mode)
    decoded = [decode(layout, n) for n in nums]
    if as_json:
        click.echo(json.dumps([d.to_json() for d in decoded], indent=2))
    else:
        click.echo("\n\n".join(format_text(d) for d in decoded))
    return EXIT_OK


# --- check ------------------------------------------------------------------------------------


def _summary_table(jobs: Sequence[Any]) -> str:
    rows = [("scenario", "kernel/mode", "variant", "property", "verdict", "depth", "engine",
             "time")]
    for j in jobs:
        for r in j.results:
            rows.append((j.scenario, f"{j.version}/{j.mode}", j.variant, r.property,
                         r.verdict.value, "-" if r.depth is None else str(r.depth),
                         r.engine if r.solver is None else f"{r.engine}:{r.solver}",
                         f"{r.seconds:.1f}s"))
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    out = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
           for r in rows]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


@main.command("check", short_help="Check the built-in protocols (SMT or explicit engine).")
@click.option("--kernel", "kernel", type=NameChoice("kernel version", VERSIONS), default=None,
              help=f"Kernel version [default: {DEFAULT_VERSION}, or the race's for R<n>].")
@click.option("--mode", "mode", type=NameChoice("mode", MODES), default=None,
              help=f"Paging mode [default: {DEFAULT_MODE}, or the race's for --variant R<n>].")
@click.option("--variant", default="fixed", show_default=True,
              help="The version's real code ('fixed') or a buggy variant, by name or race id.")
@click.option("--scenario", "scenarios", multiple=True, help="Scenario (repeatable; default all).")
@click.option("--property", "properties", multiple=True, help="Property (repeatable; default all).")
@click.option("--bound", default=20, show_default=True, type=click.IntRange(min=0),
              help="Maximum number of steps.")
@click.option("--engine", type=click.Choice(["smt", "explicit"]), default="smt",
              show_default=True)
@click.option("--solver", default="z3", show_default=True,
              help="SMT solver: z3, z3-inc, bitwuzla, cvc5.")
@click.option("--timeout", type=click.FloatRange(min=0.001), default=None,
              help="Seconds per solver query (smt) or for the whole search (explicit).")
@click.option("--no-reduction", is_flag=True, help="Explore every interleaving (no reduction).")
@click.option("--no-d-recheck", is_flag=True,
              help="Weaker hardware: the D-bit assist does not re-check the SPTE.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (schema spte-verify/check/1, verify/reports/schema/check-v1.json).")
@click.option("--save-witness", "save_dir", type=click.Path(file_okay=False), default=None,
              help="Write each violation's witness to DIR as JSON (for 'spte-verify replay').")
def check_cmd(kernel: str | None, mode: str | None, variant: str, scenarios: tuple[str, ...],
              properties: tuple[str, ...], bound: int, engine: str, solver: str,
              timeout: float | None, no_reduction: bool, no_d_recheck: bool,
              as_json: bool, save_dir: str | None) -> int:
    """Check scenarios x properties for one kernel version and mode.  Every violation is
    shown as a kernel-style interleaving table of a minimal witness (fewest steps, then
    fewest context switches), replayed on the concrete MMU.  Exit 0: everything HOLDS or
    is PROVED; 1: a VIOLATION confirmed by replay on the concrete MMU; 2: usage error;
    3: UNKNOWN (a timeout, nothing violated); 4: checker bug."""
    import time

    from verify import checker
    from verify.engines.solvers import SOLVERS, available_solvers
    from verify.layouts import get_layout as _gl
    from verify.protocols import submodule
    from verify.reports.minimize import minimize
    from verify.reports.results import exit_code
    from verify.reports.trace import explain, kernel_table
    from verify.reports.witness import (
        SCHEMA_CHECK,
        TOOL,
        dump,
        hardware_json,
        standalone,
        witness_filename,
        witness_json,
    )

    if solver not in SOLVERS:
        raise InputError(f"unknown solver {solver!r} (choose from {', '.join(SOLVERS)})")
    if engine == "smt" and solver not in available_solvers():
        raise InputError(f"solver {solver!r} is not installed (pip install "
                         f"'spte-verify[solvers]', or use --solver z3)")
    save_path = _prepare_dir(save_dir) if save_dir is not None else None
    hw = submodule("world").HwParams(d_assist_recheck=not no_d_recheck)
    jobs = checker.plan(kernel=kernel, mode=mode, variant=variant, scenarios=scenarios,
                        properties=properties, hw=hw)

    def progress(job: Any, n: int, total: int) -> None:
        if not as_json:
            click.echo(f"[{n + 1}/{total}] {job.scenario} {job.version}/{job.mode} "
                       f"{job.variant} ...", err=True)

    t0 = time.monotonic()
    checker.run(jobs, engine=engine, bound=bound, solver=solver, timeout_s=timeout,
                reduction=not no_reduction, progress=progress)
    seconds = time.monotonic() - t0
    results = [r for j in jobs for r in j.results]
    code = exit_code(results)
    status = {0: "PASSED", 1: "FAILED", 3: "UNKNOWN", 4: "CHECKER BUG"}.get(code, str(code))

    # a minimal, replayed witness and its JSON for every violation
    witnesses: dict[int, tuple[Any, dict[str, Any]]] = {}
    for j in jobs:
        for r in j.results:
            if r.verdict.value == "VIOLATED" and r.witness is not None:
                m = minimize(j.model, r.witness, r.property)
                wj = witness_json(scenario=j.scenario, kernel=j.version, mode=j.mode,
                                  variant=j.variant, hw=hw, model=j.model, result=r,
                                  minimized=m)
                witnesses[id(r)] = (m, wj)
    saved: list[str] = []
    if save_path is not None:
        for _m, wj in witnesses.values():
            f = save_path / witness_filename(wj)
            try:
                f.write_text(dump(standalone(wj)), encoding="utf-8")
            except OSError as e:
                raise InputError(f"cannot write witness file {str(f)!r}: "
                                 f"{e.strerror or e}") from None
            saved.append(str(f))

    if as_json:
        out: dict[str, Any] = {
            "schema": SCHEMA_CHECK, "tool": TOOL, "status": status, "exit_code": code,
            "request": {"kernel": kernel, "mode": mode, "variant": variant,
                        "scenarios": list(scenarios), "properties": list(properties),
                        "engine": engine, "solver": solver, "bound": bound,
                        "timeout": timeout, "reduction": not no_reduction},
            "hardware": hardware_json(hw), "seconds": round(seconds, 3), "jobs": []}
        for j in jobs:
            out["jobs"].append({
                "scenario": j.scenario, "kernel": j.version, "mode": j.mode,
                "variant": j.variant, "seconds": round(j.seconds, 3),
                "results": [{
                    "property": r.property, "verdict": r.verdict.value, "engine": r.engine,
                    "solver": r.solver, "bound": r.bound, "seconds": round(r.seconds, 3),
                    "states": r.states, "depth": r.depth, "message": r.message,
                    "reduction": r.reduction,
                    "witness": witnesses[id(r)][1] if id(r) in witnesses else None,
                } for r in j.results]})
        click.echo(dump(out), nl=False)
        return code
    params = jobs[0].model.params
    click.echo("hardware: " + ", ".join(f"{k}={v}" for k, v in params.items()
                                       if k not in ("kernel", "mode", "variant")))
    click.echo(_summary_table(jobs))
    for j in jobs:
        layout = _gl(j.version, j.mode)
        for r in j.results:
            if id(r) in witnesses:
                m, _wj = witnesses[id(r)]
                click.echo("")
                click.echo(f"{j.scenario} [{j.version}/{j.mode}, variant {j.variant}]: "
                           f"{r.property}")
                click.echo(kernel_table(j.model, layout, m.replay))
                click.echo(explain(j.model, layout, m.replay, r.property))
                click.echo(_minimized_note(r.engine, r.depth, m))
            elif r.message and r.verdict.value in ("UNKNOWN", "CHECKER_BUG"):
                click.echo(f"{j.scenario}: {r.property}: {r.verdict.value}: {r.message}")
    if saved:
        click.echo("")
        for f in saved:
            click.echo(f"witness saved: {f} (re-run it with '{PROG} replay {f}')")
    click.echo(f"Status: {status}")
    return code


def _minimized_note(engine: str, depth: int | None, m: Any) -> str:
    """One line relating the shown trace to the engine's witness."""
    shape = (f"{m.length} steps, {m.switches} context switches; the {engine} engine's "
             f"shortest witness had {depth if depth is not None else len(m.original)} steps, "
             f"{m.original_switches} switches")
    return f"(trace replayed on the concrete MMU: {shape})"


def _prepare_dir(path: str) -> Any:
    from pathlib import Path

    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"cannot create witness directory {path!r}: {e.strerror or e}") \
            from None
    return p


# --- replay -----------------------------------------------------------------------------------


@main.command("replay", short_help="Re-run a saved JSON witness on the concrete MMU.")
@click.argument("file", metavar="FILE", type=click.Path(dir_okay=True))
def replay_cmd(file: str) -> int:
    """Re-run the witness in FILE -- a file written by 'check --save-witness DIR', or the
    output of 'check --json' (every violation in it) -- on the concrete MMU: rebuild the
    model from the scenario, kernel, mode, variant and hardware recorded in the file,
    replay the schedule and print its table.  Exit 0 if the recorded violation reproduces,
    1 if not, 2 if the file is missing or malformed."""
    from verify.reports.trace import explain, kernel_table
    from verify.reports.witness import load, reproduce

    witnesses = load(file)
    code = EXIT_OK
    for n, w in enumerate(witnesses):
        rp = reproduce(file, w)
        if n:
            click.echo("")
        click.echo(f"{w['scenario']} [{w['kernel']}/{w['mode']}, variant {w['variant']}]: "
                   f"{w['property']}")
        if rp.replay is not None:
            click.echo(kernel_table(rp.model, rp.layout, rp.replay))
            if rp.reproduced:
                click.echo(explain(rp.model, rp.layout, rp.replay, w["property"]))
        for note in rp.notes:
            click.echo(f"note: {note}")
        if rp.reproduced:
            click.echo(f"Status: REPRODUCED ({rp.message})")
        else:
            click.echo(f"Status: NOT REPRODUCED ({rp.message})")
            code = 1
    return code


# --- list -------------------------------------------------------------------------------------


@main.command("list", short_help="List kernel versions, modes, scenarios, variants, properties.")
def list_cmd() -> int:
    """Show what can be checked, one line each."""
    from verify.layouts import mode_summary, version_summary
    from verify.protocols import submodule

    sc, va, pr = submodule("scenarios"), submodule("variants"), submodule("properties")
    click.echo("kernel versions:")
    for v in VERSIONS:
        click.echo(f"  {v:8s} {get_layout(v, DEFAULT_MODE).tag:7s} {version_summary(v)}")
    click.echo("modes:")
    for m in MODES:
        click.echo(f"  {m:8s} {mode_summary(m)}")
    click.echo("scenarios:")
    for s in sc.SCENARIOS.values():
        click.echo(f"  {s.name:22s} [{','.join(s.modes)}] {s.summary}")
    click.echo("variants:")
    for v in va.VARIANTS.values():
        where = ""
        if v.race:
            r = sc.RACES[v.race]
            where = f" (shows in {r.scenario}, {r.version}/{r.mode}, {r.property})"
        click.echo(f"  {v.name:26s} {v.race or '--':3s} {v.summary}{where}")
    click.echo("properties:")
    for name, summary in pr.SUMMARIES.items():
        click.echo(f"  {name:16s} {summary}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    main()
