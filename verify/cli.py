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

import io
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from verify import __version__
from verify.cli_types import Seconds
from verify.decode import decode, format_text, parse_value
from verify.errors import CheckerBug, InputError
from verify.layouts import DEFAULT_MODE, DEFAULT_VERSION, MODES, VERSIONS, get_layout
from verify.variants_cli import (
    changed,
    changed_table,
    judgement,
    load_protocols,
    protocols_option,
    resolve_variants,
    variant_options,
)

PROG = "spte-verify"

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_BUG = 4
EXIT_INTERRUPTED = 130
MAX_BOUND = 1_000_000

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
    except click.Abort as e:
        if isinstance(e.__cause__ or e.__context__, KeyboardInterrupt):
            error_line("interrupted")
            return EXIT_INTERRUPTED
        error_line("aborted (end of input)")
        return EXIT_USAGE
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
    except RecursionError:
        error_line("internal error (please report): recursion too deep")
        return EXIT_BUG
    except Exception as e:  # not the user's fault: one line, exit 4, never a traceback
        if os.environ.get("SPTE_VERIFY_DEBUG"):
            traceback.print_exc()
        error_line(f"internal error (please report): {type(e).__name__}: {e}")
        return EXIT_BUG
    if isinstance(rv, bool) or not isinstance(rv, int):
        return EXIT_OK
    return rv


class _GuardedStdout(io.RawIOBase):
    """The process's standard output as a raw stream that never raises: a closed pipe
    (``| head -1``) silently drops the rest, any other write error (a full disk) is kept
    for the end of the run, where it becomes exit 4."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd
        self.pipe_closed = False
        self.error: OSError | None = None

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        try:
            return os.isatty(self.fd)
        except OSError:
            return False

    def fileno(self) -> int:
        return self.fd

    def write(self, b: Any) -> int:
        data = bytes(b)
        if self.pipe_closed or self.error is not None:
            return len(data)
        try:
            return os.write(self.fd, data)
        except BrokenPipeError:
            self.pipe_closed = True
        except OSError as e:
            self.error = e
        return len(data)


def _guard_stdout() -> _GuardedStdout | None:
    """Put :class:`_GuardedStdout` under ``sys.stdout`` when it is the real process
    output (not a test runner's capture)."""
    out: Any = sys.stdout
    real: Any = sys.__stdout__
    if out is None or out is not real:
        return None
    try:
        fd = out.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    try:
        out.flush()
    except OSError:
        pass
    raw = _GuardedStdout(fd)
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding=out.encoding,
                                  errors=out.errors, line_buffering=out.line_buffering)
    return raw


class GuardedGroup(click.Group):
    """A click group whose :meth:`main` never lets an exception or click's multi-line
    usage output escape: see :func:`run_guarded`.  Run as the real command it also
    guards standard output (:class:`_GuardedStdout`) and Ctrl-C (:mod:`verify.interrupt`):
    an interrupt stops the run and exits 130."""

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

        raw = _guard_stdout()
        if raw is not None:
            from verify import interrupt
            interrupt.install()
        code = run_guarded(call)
        try:
            sys.stdout.flush()
        except OSError as e:
            if not isinstance(e, BrokenPipeError):
                raw = raw or _GuardedStdout(-1)
                raw.error = raw.error or e
        except KeyboardInterrupt:
            code = EXIT_INTERRUPTED
        if raw is not None and raw.error is not None:
            error_line(f"cannot write standard output: {raw.error.strerror or raw.error}")
            code = EXIT_BUG
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


def table_options(f: F) -> F:
    """``--wide`` and ``--kernel-refs``: how a trace table is laid out."""
    f = click.option("--kernel-refs", "kernel_refs", is_flag=True,
                     help="Under each trace, the kernel function and file of every step.")(f)
    return click.option("--wide", is_flag=True,
                        help="Let trace tables grow past 100 columns.")(f)



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
    short_help="Decode raw SPTE values (or pasted tracepoint lines) into fields.",
)
@click.argument("values", metavar="VALUE...", nargs=-1, required=True)
@mode_option
@kernel_option
@click.option("--decimal", is_flag=True,
              help="Read bare values (no 0x) as decimal instead of hex.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object a value.")
def decode_cmd(values: tuple[str, ...], mode: str, kernel: str, decimal: bool,
               as_json: bool) -> int:
    """Decode each VALUE for the layout of --kernel and --mode: named fields, the
    predicates that hold, the class (present, non-present, FROZEN_SPTE/REMOVED_SPTE, MMIO)
    and any problem (a broken writable invariant, a value KVM never builds).

    A VALUE is read as KVM prints SPTEs (%llx): hex, with or without 0x
    (8000000000000000 is bit 63); --decimal reads bare values as decimal.  A VALUE may
    also be a whole trace line of kvm_tdp_mmu_spte_changed, kvm_mmu_set_spte,
    fast_page_fault, check_mmio_spte or kvm_mmu_split_huge_page (quoted), whose SPTE
    fields are decoded; '-' reads such lines (or values) from standard input.  Exit 0
    when every value was decoded, 2 on bad input."""
    items: list[tuple[str, int]] = []
    for v in values:
        if v == "-":
            for n, line in enumerate(_stdin_lines(), 1):
                items += _decode_items(line, decimal, where=f"<stdin>:{n}: ")
            continue
        if _looks_like_option(v):
            raise InputError(f"no such option: {v} (see '{PROG} decode --help')")
        items += _decode_items(v, decimal)
    if not items:
        raise InputError("no SPTE value to decode")
    layout = get_layout(kernel, mode)
    decoded = [(label, decode(layout, n)) for label, n in items]
    if as_json:
        docs = []
        for label, d in decoded:
            doc = d.to_json()
            if label:
                doc["source"] = label
            docs.append(doc)
        click.echo(json.dumps(docs, indent=2))
    else:
        click.echo("\n\n".join((f"{label}:\n" if label else "") + format_text(d)
                                for label, d in decoded))
    return EXIT_OK


MAX_STDIN_LINES = 100_000


def _stdin_lines() -> list[str]:
    out = []
    for n, line in enumerate(sys.stdin):
        if n >= MAX_STDIN_LINES:
            raise InputError(f"<stdin>: more than {MAX_STDIN_LINES} lines")
        if line.strip():
            out.append(line.rstrip("\n"))
    return out


def _decode_items(text: str, decimal: bool, where: str = "") -> list[tuple[str, int]]:
    """A value (label "") or a trace line's SPTE fields (label "tracepoint field")."""
    from verify.decode import tracepoint_values

    try:
        tp = tracepoint_values(text)
        if tp is not None:
            name, pairs = tp
            return [(f"{name} {f}", n) for f, n in pairs]
        return [("", parse_value(text, decimal=decimal))]
    except InputError as e:
        raise InputError(f"{where}{e}") from None


# --- check ------------------------------------------------------------------------------------


SUMMARY_HEADER = ("scenario", "kernel/mode", "variant", "property", "verdict", "depth",
                  "engine", "time")


class SummaryTable:
    """The summary table, printed a job at a time as jobs finish: its column widths come
    from the planned jobs, so rows can be streamed and still line up.  A job's time is
    printed once, on its first row."""

    def __init__(self, jobs: Sequence[Any], engine_width: int) -> None:
        names = [p for j in jobs for p in j.properties] or ["property"]
        cols: list[list[str]] = [
            [j.scenario for j in jobs], [f"{j.version}/{j.mode}" for j in jobs],
            [j.variant for j in jobs], names, ["CHECKER_BUG"], ["depth"], ["x" * engine_width],
            ["9999.9s"]]
        self.widths = [max(len(h), *(len(c) for c in col))
                       for h, col in zip(SUMMARY_HEADER, cols, strict=True)]

    def _line(self, cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, self.widths, strict=True)).rstrip()

    def header(self) -> str:
        return "\n".join([self._line(SUMMARY_HEADER),
                          "  ".join("-" * w for w in self.widths)])

    def rows(self, j: Any) -> str:
        out = []
        for n, r in enumerate(j.results):
            out.append(self._line((
                j.scenario, f"{j.version}/{j.mode}", j.variant, r.property, r.verdict.value,
                "-" if r.depth is None else str(r.depth),
                r.engine if r.solver is None else f"{r.engine}:{r.solver}",
                f"{j.seconds:.1f}s" if n == 0 else "")))
        return "\n".join(out)


def _search_lines(jobs: Sequence[Any]) -> list[str]:
    """For the fast explicit engines: states stored and what a state cost, per job."""
    out = []
    for j in jobs:
        r = next((r for r in j.results if r.engine in ("native", "vector") and r.states), None)
        if r is None:
            continue
        how = [n for n, on in (("ample sets", r.extra.get("ample")),
                               ("vCPU symmetry", r.extra.get("symmetry")),
                               ("dead variables", r.extra.get("dead"))) if on]
        out.append(f"search: {j.scenario} [{j.version}/{j.mode}]: {r.states:,} "
                   f"{'orbits' if r.extra.get('symmetry') else 'states'}, "
                   f"{r.extra.get('transitions', 0):,} transitions, "
                   + (f"{r.extra.get('bytes_per_state', 0)} B/state stored, "
                      if r.states >= 100_000 else "")
                   + f"peak {r.extra.get('peak_mb', 0)} MB"
                   + (f" (reductions: local steps, {', '.join(how)})" if how else ""))
    return out


def _summary_table(jobs: Sequence[Any]) -> str:
    t = SummaryTable(jobs, max((len(r.engine) + (len(r.solver) + 1 if r.solver else 0)
                                for j in jobs for r in j.results), default=6))
    return "\n".join([t.header(), *(t.rows(j) for j in jobs)])


@main.command("check", short_help="Check the built-in protocols (SMT or explicit engine).")
@click.option("--kernel", "kernel", type=NameChoice("kernel version", VERSIONS), default=None,
              help=f"Kernel version [default: {DEFAULT_VERSION}, or the race's for R<n>].")
@click.option("--mode", "mode", type=NameChoice("mode", MODES), default=None,
              help=f"Paging mode [default: {DEFAULT_MODE}, or the race's for --variant R<n>].")
@click.option("--variant", default=None,
              help="The version's real code ('fixed', the default) or a built-in variant, by "
                   "name or race id.")
@variant_options
@click.option("--against", default=None, metavar="VARIANT",
              help="Also run this variant (e.g. 'fixed': the kernel's code) and print only "
                   "the verdicts that changed, with a trace for each new violation.")
@protocols_option
@click.option("--scenario", "scenarios", multiple=True, help="Scenario (repeatable; default all).")
@click.option("--property", "properties", multiple=True, help="Property (repeatable; default all).")
@click.option("--bound", default=None, type=click.IntRange(min=0, max=MAX_BOUND),
              help="Maximum number of steps [default: 20; fast, vector, native and auto's "
                   "explicit search: none, they run until the state space is exhausted].")
@click.option("--engine",
              type=click.Choice(["auto", "smt", "explicit", "fast", "vector", "native"]),
              default="auto", show_default=True,
              help="auto: fast until each state space is exhausted (PROVED) or violated, "
                   "smt for what that leaves open; smt: bounded model checking; explicit: "
                   "the reference explorer (Python); fast: the native C explorer where a C "
                   "compiler is present, else vector (numpy); vector, native: by name.")
@click.option("--solver", default="z3", show_default=True,
              help="SMT solver: z3, z3-inc, bitwuzla, cvc5.")
@click.option("--vcpus", type=click.IntRange(min=1), default=None,
              help="vCPUs of a sized scenario (see 'list'): each with its fast page fault "
                   "and CPU.")
@click.option("--ops", type=click.IntRange(min=1), default=None,
              help="Calls per host actor (each operation runs up to K times).")
@click.option("--no-symmetry", is_flag=True,
              help="fast engines: do not merge states that differ by swapping vCPUs.")
@click.option("--no-por", is_flag=True,
              help="fast engines: only the local-step reduction, not the ample-set one.")
@click.option("--no-dead", is_flag=True,
              help="fast engines: do not forget variables an actor will not read again.")
@click.option("--memory", "memory_mb", type=click.FloatRange(min=1), default=None,
              metavar="MB", help="fast engines: memory budget; reaching it is UNKNOWN.")
@click.option("--threads", type=click.IntRange(min=1, max=16), default=1, show_default=True,
              help="native engine: threads per search (more than 1: the same verdicts, "
                   "depths and counts, but a witness may take another equally short path).")
@click.option("--jobs", "workers", type=click.IntRange(min=1), default=None,
              help="Jobs checked at once, in separate processes [default: the cores].")
@click.option("--cluster", default=None, metavar="ADDRESS",
              help="Run the jobs on a Dask distributed scheduler at ADDRESS "
                   "(tcp://host:port).")
@click.option("--timeout", type=Seconds(), default=None,
              help="Seconds per solver query (smt) or per job (explicit).")
@click.option("--time-limit", "time_limit", type=Seconds(), default=None,
              help="Seconds for the whole run, every engine: what is undecided then is "
                   "UNKNOWN.")
@click.option("--no-reduction", is_flag=True, help="Explore every interleaving (no reduction).")
@click.option("--form", "form", default="", metavar="FORM",
              help="Scenario form: 'repeat' (operations run any number of times), "
                   "'all-initial' (every legal initial SPTE), or 'repeat+all-initial'.")
@click.option("--no-d-recheck", is_flag=True,
              help="Weaker hardware: the D-bit assist does not re-check the SPTE.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (schema spte-verify/check/1, verify/reports/schema/check-v1.json).")
@click.option("--save-witness", "save_dir", type=click.Path(file_okay=False), default=None,
              help="Write each violation's witness to DIR as JSON (for 'spte-verify replay').")
@table_options
def check_cmd(kernel: str | None, mode: str | None, variant: str | None,
              variant_files: tuple[str, ...], needs_atomic: str | None,
              flush_rule: str | None, against: str | None, protocols: tuple[str, ...],
              scenarios: tuple[str, ...],
              properties: tuple[str, ...], bound: int | None, engine: str, solver: str,
              timeout: float | None, time_limit: float | None, no_reduction: bool, form: str,
              no_d_recheck: bool, as_json: bool, save_dir: str | None, wide: bool,
              kernel_refs: bool, vcpus: int | None = None, ops: int | None = None,
              no_symmetry: bool = False, no_dead: bool = False, no_por: bool = False,
              memory_mb: float | None = None, threads: int = 1, workers: int | None = None,
              cluster: str | None = None) -> int:
    """Check scenarios x properties for one kernel version and mode.  Each job's rows are
    printed as it finishes; every violation is then shown as a kernel-style interleaving
    table of a minimal witness (fewest steps, then fewest context switches), replayed on
    the concrete MMU.  Exit 0: everything HOLDS or is PROVED; 1: a VIOLATION confirmed by
    replay on the concrete MMU; 2: usage error; 3: UNKNOWN (a timeout, a time limit, a
    bound too small to cover any operation; nothing violated); 4: checker bug; 130:
    interrupted (what was decided is printed)."""
    import time

    from verify import checker
    from verify.engines.solvers import SOLVERS, available_solvers
    from verify.protocols import submodule
    from verify.reports.progress import Progress
    from verify.reports.results import exit_code
    from verify.reports.witness import SCHEMA_CHECK, TOOL, dump, hardware_json

    if solver not in SOLVERS:
        raise InputError(f"unknown solver {solver!r} (choose from {', '.join(SOLVERS)})")
    if engine in ("smt", "auto") and solver not in available_solvers():
        raise InputError(f"solver {solver!r} is not installed (pip install "
                         f"'spte-verify[solvers]', or use --solver z3)")
    if save_dir is not None and save_dir.strip() == "":
        raise InputError("--save-witness needs a directory")
    load_protocols(protocols)
    save_path = _prepare_dir(save_dir) if save_dir is not None else None
    hw = submodule("world").HwParams(d_assist_recheck=not no_d_recheck)
    scenarios = tuple(dict.fromkeys(scenarios))
    properties = tuple(dict.fromkeys(properties))
    variants = resolve_variants(variant, variant_files, needs_atomic, flush_rule)
    smt_bound = bound if bound is not None else 20
    if bound is None:
        bound = MAX_BOUND if engine in ("auto", "fast", "vector", "native") else 20
    shape = checker.sized(checker.parse_form(form), vcpus=vcpus, ops=ops)
    search = checker.Search(symmetry=not no_symmetry, dead=not no_dead, memory_mb=memory_mb,
                            threads=threads, por=not no_por)
    if workers is None:
        workers = os.cpu_count() or 1
    jobs = [j for v in variants
            for j in checker.plan(kernel=kernel, mode=mode, variant=v, scenarios=scenarios,
                                  properties=properties, hw=hw, form=shape)]
    base_jobs: list[Any] = []
    if against is not None:
        base_var = resolve_variants(against, (), None, None)[0]
        for v in variants:
            vjobs = [j for j in jobs if j.variant == v.name]
            base_jobs += checker.plan(kernel=vjobs[0].version, mode=vjobs[0].mode,
                                      variant=base_var, scenarios=[j.scenario for j in vjobs],
                                      properties=properties, hw=hw, form=shape)
    warnings = _selection_warnings(variants, jobs, engine, bound, time_limit)
    bug_dir = save_path
    bug_extra: dict[str, Any] = {
        "variant_defs": {v.name: v.document for v in variants
                         if not v.source.startswith("variants/") and v.document is not None},
        "protocols": [str(Path(p).resolve()) for p in protocols]}

    table = SummaryTable(jobs, max(len(engine), 6) + (len(solver) + 1 if engine == "smt" else 0))
    stream = not as_json and against is None
    if not as_json:
        params = jobs[0].model.params
        click.echo("hardware: " + ", ".join(f"{k}={v}" for k, v in params.items()
                                           if k not in ("kernel", "mode", "variant")))
        for w in warnings:
            click.echo(f"warning: {w}")
        if stream:
            click.echo(table.header())
    finished: list[Any] = []
    everything = jobs + base_jobs
    interrupted = False
    t0 = time.monotonic()
    with Progress(total=len(everything), plain_lines=not as_json) as pr:
        def started(job: Any, n: int, total: int) -> None:
            pr.job(f"{job.scenario} {job.version}/{job.mode} {job.variant}", n)

        def done(job: Any) -> None:
            _save_bug_witnesses(job, bug_dir, bug_extra)
            finished.append(job)
            if stream and job in jobs:
                click.echo(table.rows(job))

        try:
            if cluster is not None:
                from verify.cluster import run_on_cluster
                run_on_cluster(everything, cluster, engine=engine, bound=bound,
                               solver=solver, timeout_s=timeout, reduction=not no_reduction,
                               time_limit=time_limit, search=search, protocols=protocols,
                               progress=started, on_done=done, smt_bound=smt_bound)
            else:
                checker.run(everything, engine=engine, bound=bound, solver=solver,
                            timeout_s=timeout, reduction=not no_reduction, progress=started,
                            time_limit=time_limit,
                            on_progress=lambda _j, d, n, p: pr.inside(d, n, p),
                            on_done=done, search=search, workers=workers,
                            smt_bound=smt_bound)
        except KeyboardInterrupt:
            interrupted = True
    seconds = time.monotonic() - t0
    done_ids = {id(j) for j in finished}
    if interrupted:
        jobs = [j for j in jobs if id(j) in done_ids]
        base_jobs = [j for j in base_jobs if id(j) in done_ids]
    for j in jobs:
        warnings += j.warnings
    results = [r for j in jobs for r in j.results]
    code = exit_code(results) if not interrupted else EXIT_INTERRUPTED
    status = {0: "PASSED", 1: "FAILED", 3: "UNKNOWN", 4: "CHECKER BUG",
              EXIT_INTERRUPTED: "INTERRUPTED"}.get(code, str(code))
    if interrupted and not as_json:
        for w in [w for j in jobs for w in j.warnings]:
            click.echo(f"warning: {w}")
        click.echo(f"interrupted: {len(finished)} of {len(everything)} jobs decided "
                   "(above); no traces were minimized")
        click.echo(f"Status: {status}")
        return code
    diff = changed(base_jobs, jobs) if against is not None and not interrupted else None
    shown = {id(r) for _j, _b, r in diff} if diff is not None else None
    witnesses = {} if interrupted else _witnesses(jobs, variants, protocols, hw, shown)
    saved = _save_witnesses(witnesses, save_path)

    if as_json:
        out: dict[str, Any] = {
            "schema": SCHEMA_CHECK, "tool": TOOL, "status": status, "exit_code": code,
            "request": {"kernel": kernel, "mode": mode,
                        "variant": ",".join(v.name for v in variants),
                        "scenarios": list(scenarios), "properties": list(properties),
                        "engine": engine, "solver": solver, "bound": bound,
                        "timeout": timeout, "time_limit": time_limit,
                        "reduction": not no_reduction},
            "hardware": hardware_json(hw), "seconds": round(seconds, 3),
            "warnings": warnings, "jobs": []}
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
        out["judgement"] = judgement(jobs) if jobs else []
        if diff is not None:
            out["changed"] = [{"scenario": j.scenario, "kernel": j.version, "mode": j.mode,
                               "property": r.property,
                               "against": b.verdict.value if b is not None else None,
                               "verdict": r.verdict.value} for j, b, r in diff]
        click.echo(dump(out), nl=False)
        return code
    if diff is not None:
        click.echo(f"verdicts that changed from {against} to "
                   f"{', '.join(v.name for v in variants)}:")
        click.echo(changed_table(diff, against or "base") if diff else
                   "  (none: every verdict is the same)")
    for w in [w for j in jobs for w in j.warnings]:
        click.echo(f"warning: {w}")
    click.echo("")
    for line in _search_lines(jobs):
        click.echo(line)
    for line in judgement(jobs):
        click.echo(line)
    _print_traces(jobs, witnesses, _table_style(wide, kernel_refs))
    if saved:
        click.echo("")
        for f in saved:
            click.echo(f"witness saved: {f} (re-run it with '{PROG} replay {f}')")
    click.echo(f"Status: {status}")
    return code


def _selection_warnings(variants: Sequence[Any], jobs: Sequence[Any], engine: str,
                        bound: int, time_limit: float | None) -> list[str]:
    """What the selection cannot show: a race variant outside its mode/version/scenario;
    a large SMT bound with no time limit."""
    from verify.protocols import submodule

    sc = submodule("scenarios")
    out = []
    for v in variants:
        race = sc.RACES.get(v.race) if v.race else None
        if race is None:
            continue
        mine = [j for j in jobs if j.variant == v.name]
        if not any(j.scenario == race.scenario and j.version == race.version
                   and j.mode == race.mode for j in mine):
            out.append(f"variant {v.name} ({v.race}) shows in {race.scenario}, "
                       f"{race.version}/{race.mode}, as {race.property}; this selection "
                       "does not include it")
    if engine == "smt" and bound > 200 and time_limit is None:
        out.append(f"bound {bound} with the SMT engine: every step adds an unrolling and "
                   "the queries grow with it; no --time-limit is set, so this can run for "
                   "hours")
    return out


def _save_bug_witnesses(job: Any, directory: Any, extra: dict[str, Any]) -> None:
    """Save each CHECKER_BUG result's witness in the witness format (into ``directory``,
    else SPTE_VERIFY_WITNESS_DIR or a temporary directory); a failure to save is said
    in the result's message and does not change the exit code (4)."""
    from verify.reports.witness import bug_witness_json, save_bug_witness

    for r in job.results:
        if r.verdict.value != "CHECKER_BUG" or r.witness is None:
            continue
        doc = bug_witness_json(scenario=job.scenario, kernel=job.version, mode=job.mode,
                               variant=job.variant, hw=job.hw, model=job.model, result=r)
        if job.variant in extra.get("variant_defs", {}):
            doc["variant_def"] = extra["variant_defs"][job.variant]
        if extra.get("protocols"):
            doc["protocols"] = extra["protocols"]
        try:
            r.witness_file = save_bug_witness(doc, directory)
        except OSError as e:
            from verify.engines.bmc import witness_dir
            r.message += (f"; the witness could not be saved in {witness_dir(directory)}: "
                          f"{e.strerror or e}")
        else:
            r.message += f"; witness saved to {r.witness_file}"


def _witnesses(jobs: Sequence[Any], variants: Sequence[Any], protocols: Sequence[str],
               hw: Any, shown: set[int] | None) -> dict[int, tuple[Any, dict[str, Any]]]:
    """A minimal, replayed witness and its JSON for every violation (with --against:
    only the new ones)."""
    from verify.reports.minimize import minimize
    from verify.reports.witness import witness_json

    out: dict[int, tuple[Any, dict[str, Any]]] = {}
    # a witness carries the variant file it came from, unless the variant is built in
    docs = {v.name: v.document for v in variants if not v.source.startswith("variants/")}
    for j in jobs:
        for r in j.results:
            if r.verdict.value == "VIOLATED" and r.witness is not None:
                if shown is not None and id(r) not in shown:
                    continue
                m = minimize(j.model, r.witness, r.property, r.extra.get("start"))
                wj = witness_json(scenario=j.scenario, kernel=j.version, mode=j.mode,
                                  variant=j.variant, hw=hw, model=j.model, result=r,
                                  minimized=m)
                if docs.get(j.variant) is not None:
                    wj["variant_def"] = docs[j.variant]
                if protocols:
                    wj["protocols"] = [str(Path(p).resolve()) for p in protocols]
                out[id(r)] = (m, wj)
    return out


def _save_witnesses(witnesses: dict[int, tuple[Any, dict[str, Any]]],
                    save_path: Any) -> list[str]:
    from verify.reports.witness import dump, standalone, witness_filename

    saved: list[str] = []
    if save_path is None:
        return saved
    for _m, wj in witnesses.values():
        f = save_path / witness_filename(wj)
        try:
            f.write_text(dump(standalone(wj)), encoding="utf-8")
        except OSError as e:
            raise InputError(f"cannot write witness file {str(f)!r}: "
                             f"{e.strerror or e}") from None
        saved.append(str(f))
    return saved


def _print_traces(jobs: Sequence[Any], witnesses: dict[int, tuple[Any, dict[str, Any]]],
                  style: dict[str, Any]) -> None:
    from verify.layouts import get_layout as _gl
    from verify.reports.trace import explain, kernel_table

    for j in jobs:
        layout = _gl(j.version, j.mode)
        for r in j.results:
            if id(r) in witnesses:
                m, _wj = witnesses[id(r)]
                click.echo("")
                click.echo(f"{j.scenario} [{j.version}/{j.mode}, variant {j.variant}]: "
                           f"{r.property}")
                click.echo(kernel_table(j.model, layout, m.replay, **style))
                click.echo(_para(explain(j.model, layout, m.replay, r.property), style))
                click.echo(_para(_minimized_note(r.engine, r.depth, m), style))
            elif r.message and r.verdict.value in ("UNKNOWN", "CHECKER_BUG"):
                click.echo(f"{j.scenario}: {r.property}: {r.verdict.value}: {r.message}")


def _para(text: str, style: dict[str, Any]) -> str:
    """A sentence under a trace, wrapped to the table's width (not with --wide)."""
    import textwrap
    width = style.get("width")
    return text if width is None else textwrap.fill(text, width, break_long_words=False,
                                                    break_on_hyphens=False)


def _table_style(wide: bool, kernel_refs: bool) -> dict[str, Any]:
    from verify.reports.trace import DEFAULT_WIDTH
    return {"width": None if wide else DEFAULT_WIDTH, "refs": kernel_refs}


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


# --- terms -------------------------------------------------------------------------------------


@main.command("terms", short_help="Which terms of a volatile rule are needed; the weakest "
                                  "safe rule.")
@click.option("--kernel", "kernel", type=NameChoice("kernel version", VERSIONS), default=None,
              help="Kernel version (default: the variant's base, else V-NEW).")
@click.option("--mode", "mode", type=NameChoice("mode", MODES), default=None,
              help="Paging mode (default ept-ad).")
@click.option("--rule", "rule", default=None, metavar="EXPR",
              help="The needs-atomic rule to analyse (default: the version's own, or the "
                   "variant file's).")
@click.option("--variant", default=None, help="A built-in variant to start from.")
@click.option("--variant-file", "variant_file", default=None, metavar="FILE",
              help="A variant file to start from (its sites and rules apply).")
@click.option("--scenario", "scenarios", multiple=True,
              help="Scenario (repeatable; default every non-large one of the mode).")
@click.option("--bound", default=40, show_default=True, type=click.IntRange(min=1),
              help="Maximum number of steps per check.")
@click.option("--engine", type=click.Choice(["explicit", "smt"]), default="explicit",
              show_default=True, help="Engine for each check (explicit: PROVED when "
                                      "exhausted).")
@protocols_option
def terms_cmd(kernel: str | None, mode: str | None, rule: str | None, variant: str | None,
              variant_file: str | None, scenarios: tuple[str, ...], bound: int, engine: str,
              protocols: tuple[str, ...]) -> int:
    """For a volatile / needs-atomic rule: drop each top-level term and check whether a
    consequence breaks (NECESSARY, with its replayed trace) or not (not needed on the
    modelled scenarios); then find, over the atoms the rule reads, every reachable
    combination that may be treated as not volatile, and print the weakest safe rule as a
    minimized formula (sympy SOPform), re-checked end to end.  Exit 0 when the analysis
    completed with every check decided, 3 if some check was UNKNOWN, 2 on bad input."""
    from verify import checker
    from verify.protocols import submodule
    from verify.reports.minimize import minimize
    from verify.reports.trace import explain, kernel_table
    from verify.terms import analyse, format_report

    load_protocols(protocols)
    base = resolve_variants(variant, (variant_file,) if variant_file else (), None, None)[0]
    hw = submodule("world").HwParams()
    decided = True

    def run(jobs: list[Any]) -> None:
        nonlocal decided
        checker.run(jobs, engine=engine, bound=bound)
        for j in jobs:
            for r in j.results:
                if r.verdict.value in ("UNKNOWN", "CHECKER_BUG"):
                    decided = False

    def trace(j: Any, r: Any) -> str:
        m = minimize(j.model, r.witness, r.property, r.extra.get("start"))
        layout = get_layout(j.version, j.mode)
        style = _table_style(False, False)
        return "\n".join([kernel_table(j.model, layout, m.replay, **style),
                          _para(explain(j.model, layout, m.replay, r.property), style),
                          _para(_minimized_note(r.engine, r.depth, m), style)])

    scope = (f"explicit engine, PROVED by exhaustive search where a model is exhausted "
             f"within {bound} steps" if engine == "explicit" else
             f"SMT engine, HOLDS up to bound {bound}")
    rep = analyse(base=base, rule_text=rule, kernel=kernel, mode=mode, scenarios=scenarios,
                  run=run, hw=hw, scope=scope,
                  progress=lambda msg: click.echo(f"  {msg}", err=True))
    click.echo(format_report(rep, trace))
    ok = decided and rep.weakest_check is not None and rep.weakest_check.safe
    click.echo(f"Status: {'DONE' if ok else 'UNKNOWN'}")
    return EXIT_OK if ok else 3


# --- replay -----------------------------------------------------------------------------------


@main.command("replay", short_help="Re-run a saved JSON witness on the concrete MMU.")
@click.argument("file", metavar="FILE", type=click.Path(dir_okay=True))
@table_options
def replay_cmd(file: str, wide: bool, kernel_refs: bool) -> int:
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
            click.echo(kernel_table(rp.model, rp.layout, rp.replay,
                                    **_table_style(wide, kernel_refs)))
            if rp.reproduced:
                click.echo(_para(explain(rp.model, rp.layout, rp.replay, w["property"]),
                                 _table_style(wide, kernel_refs)))
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
@click.option("--sites", "sites", is_flag=True, help="List the sites a variant can change.")
@click.option("--rules", "rules", is_flag=True,
              help="List the names a rule expression can use, and each version's rules.")
@protocols_option
def list_cmd(sites: bool, rules: bool, protocols: tuple[str, ...]) -> int:
    """Show what can be checked, one line each (--sites: every site a variant can
    change, with its kernel default per version; --rules: the rule language's names)."""
    from verify.layouts import mode_summary, version_summary
    from verify.protocols import submodule

    load_protocols(protocols)
    if sites:
        return _list_sites()
    if rules:
        return _list_rules()

    sc, va, pr = submodule("scenarios"), submodule("variants"), submodule("properties")
    click.echo("kernel versions:")
    for v in VERSIONS:
        click.echo(f"  {v:8s} {get_layout(v, DEFAULT_MODE).tag:7s} {version_summary(v)}")
    click.echo("modes:")
    for m in MODES:
        click.echo(f"  {m:8s} {mode_summary(m)}")
    click.echo("scenarios:")
    for s in sc.SCENARIOS.values():
        sizes = (f" (sized: --vcpus N [default {s.vcpus}], --ops K)" if s.sized else " (--ops K)")
        only = "" if len(s.versions) == len(VERSIONS) else f" [{','.join(s.versions)}]"
        click.echo(f"  {s.name:22s} [{','.join(s.modes)}]{only} {s.summary}{sizes}")
    click.echo("variants:")
    for v in va.VARIANTS.values():
        where = ""
        if v.race:
            r = sc.RACES[v.race]
            where = f" (shows in {r.scenario}, {r.version}/{r.mode}, {r.property})"
        click.echo(f"  {v.name:26s} {v.race or '--':3s} {v.summary}{where}")
    click.echo("properties (consequences judge a change; rule checks follow its own rules):")
    for name, summary in pr.SUMMARIES.items():
        click.echo(f"  {name:16s} {pr.KINDS[name]:11s} {summary}")
    return EXIT_OK


def _list_sites() -> int:
    from verify.protocols import submodule

    S = submodule("sites")
    click.echo("sites (id  kind  kernel default [per version where it differs]  alternatives):")
    for site in S.SITES.values():
        defaults = {v: site.default_for(v) for v in site.versions}
        if len(set(defaults.values())) == 1:
            d = next(iter(defaults.values()))
        else:
            d = ", ".join(f"{v}: {x}" for v, x in defaults.items())
        only = "" if len(site.versions) == len(VERSIONS) else f" (only {', '.join(site.versions)})"
        alts = ", ".join(a if a != "rule" else "{ rule = EXPR }" for a in site.alternatives)
        click.echo(f"  {site.id}")
        click.echo(f"      {site.kind}: {site.what}; {site.function}() {site.file}{only}")
        click.echo(f"      default {d}; alternatives: {alts}")
    return EXIT_OK


def _list_rules() -> int:
    from verify.layouts import kernel_rule_texts
    from verify.rules import vocabulary

    click.echo("rule language names (one-value rules use them bare; two-value rules as "
               "old.NAME / new.NAME):")
    for name, what in vocabulary():
        click.echo(f"  {name:18s} {what}")
    na, fl = kernel_rule_texts()
    click.echo("kernel volatile / needs-atomic rules:")
    for v in VERSIONS:
        L = get_layout(v, DEFAULT_MODE)
        click.echo(f"  {v:6s} {na[L.needs_atomic]}")
    click.echo("kernel mmu_spte_update flush rules:")
    for v in VERSIONS:
        L = get_layout(v, DEFAULT_MODE)
        click.echo(f"  {v:6s} {fl[L.flush_rule]}")
    return EXIT_OK


def _register_proof_commands() -> None:
    from verify.prove_cli import prove_cmd, recheck_cmd
    main.add_command(prove_cmd)
    main.add_command(recheck_cmd)


_register_proof_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
