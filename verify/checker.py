"""Runs checks: which (scenario, kernel version, mode, variant) models to build, which
engine checks them, and the results with the job they belong to.

This is the layer under ``spte-verify check``: it resolves names (raising
:class:`~verify.errors.InputError` for unknown ones), builds each model once from the
built-in protocol models, runs the explicit explorer or the SMT engine over all of the
requested properties, and returns :class:`Job` records that carry the results.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from verify.errors import InputError
from verify.layouts import DEFAULT_MODE, DEFAULT_VERSION, VERSIONS, get_layout
from verify.model import Model
from verify.protocols import submodule
from verify.reports.results import CheckResult, Verdict

ENGINES = ("auto", "smt", "explicit", "fast", "vector", "native")
"""``explicit`` is the reference explorer (Python); ``fast`` the native C engine where a
C compiler is present, else ``vector`` (numpy); ``smt`` the bounded model checker;
``auto`` the cheap engine first: ``fast`` until the state space is exhausted (PROVED) or
a violation is found, and the SMT engine only for what that left undecided."""
AUTO_EXPLICIT_SECONDS = 60.0
"""How long ``auto`` lets the explicit search run on one job before handing it to SMT."""
AUTO_MEMORY_MB = 4096.0
"""The memory ``auto`` lets the explicit search use (unless ``--memory`` says)."""


@dataclass(frozen=True)
class Search:
    """Options of the explicit engines beyond the bound: the vCPU symmetry and
    dead-variable reductions (fast engines only), and a memory budget."""

    symmetry: bool = True
    dead: bool = True
    memory_mb: float | None = None
    threads: int = 1
    """native: threads per search (1: the same witness on every run)."""
    por: bool = True
    """The ample-set reduction (generalising the local-step rule; fast engines)."""
DEFAULT_BOUND = 20


@dataclass(frozen=True)
class Form:
    """Which form of a scenario to build: ``repeat`` lets every host operation run any
    number of times; ``ops`` lets each run exactly up to ``ops`` times (bounded
    repetition; 1, the default, is one call each); ``all_initial`` starts from every
    legal initial SPTE of the scenario's class (with consistent TLBs, dirty log and
    ghosts), not one value; ``vcpus`` sizes a scenario that takes a vCPU count."""

    repeat: bool = False
    all_initial: bool = False
    vcpus: int | None = None
    ops: int | None = None

    def __str__(self) -> str:
        parts = [n for n, on in (("repeat", self.repeat), ("all-initial", self.all_initial))
                 if on]
        if self.vcpus is not None:
            parts.append(f"vcpus={self.vcpus}")
        if self.ops is not None:
            parts.append(f"ops={self.ops}")
        return "+".join(parts)


PROOF_FORM = Form(repeat=True, all_initial=True)
MAX_VCPUS = 8
MAX_OPS = 16


def sized(form: Form, *, vcpus: int | None, ops: int | None) -> Form:
    """``form`` with the sizes of ``--vcpus`` / ``--ops`` (checked: ranges, and ``ops``
    excludes the unbounded ``repeat``)."""
    if vcpus is not None and not 1 <= vcpus <= MAX_VCPUS:
        raise InputError(f"--vcpus must be between 1 and {MAX_VCPUS}, got {vcpus}")
    if ops is not None and not 1 <= ops <= MAX_OPS:
        raise InputError(f"--ops must be between 1 and {MAX_OPS}, got {ops}")
    if ops is not None and form.repeat:
        raise InputError("--ops bounds how often each operation runs; the 'repeat' form "
                         "already runs them any number of times: choose one")
    return Form(form.repeat, form.all_initial,
                vcpus if vcpus is not None else form.vcpus,
                ops if ops is not None else form.ops)


def parse_form(text: str) -> Form:
    """``""``, or ``+``-joined parts: ``repeat``, ``all-initial``, ``vcpus=N``,
    ``ops=K`` (as :class:`Form` prints itself)."""
    parts = [p for p in text.split("+") if p] if text else []
    flags: set[str] = set()
    sizes: dict[str, int] = {}
    for p in parts:
        key, eq, val = p.partition("=")
        if not eq and key in ("repeat", "all-initial") and key not in flags:
            flags.add(key)
        elif eq and key in ("vcpus", "ops") and key not in sizes and val.isascii() \
                and val.isdigit() and len(val) <= 3:
            sizes[key] = int(val)
        else:
            raise InputError(f"unknown scenario form {text!r} (use repeat, all-initial or "
                             "repeat+all-initial, optionally with vcpus=N, ops=K)")
    return sized(Form("repeat" in flags, "all-initial" in flags),
                 vcpus=sizes.get("vcpus"), ops=sizes.get("ops"))


@dataclass
class Job:
    """One model to check and what came of it."""

    scenario: str
    version: str
    mode: str
    variant: str
    model: Model
    properties: list[str]
    results: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0
    hw: Any = None
    warnings: list[str] = field(default_factory=list)
    variant_obj: Any = None
    """The ``Variant`` the model was built with (for rebuilding it elsewhere)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario, "kernel": self.version, "mode": self.mode,
            "variant": self.variant, "params": dict(self.model.params),
            "results": [r.to_json() for r in self.results], "seconds": round(self.seconds, 3),
        }


def plan(*, kernel: str | None = None, mode: str | None = None, variant: Any = None,
         scenarios: Sequence[str] = (), properties: Sequence[str] = (),
         hw: Any = None, form: Form | None = None) -> list[Job]:
    """The jobs for a request.  ``variant`` is a built-in variant's name or race id, or a
    ``Variant`` (a variant file).  A race variant (``R1``…) with no --kernel/--mode/
    --scenario given runs where that race shows (its version, mode and scenario); any
    other variant with a ``base`` runs on that kernel version unless --kernel says."""
    sc, va, wo = submodule("scenarios"), submodule("variants"), submodule("world")
    var = va.get_variant(variant or "fixed") if variant is None or isinstance(variant, str) \
        else variant
    race = sc.RACES.get(var.race) if var.race else None
    version = kernel or (race.version if race else (var.base or DEFAULT_VERSION))
    mode_ = mode or (race.mode if race else (var.modes[0] if var.modes else DEFAULT_MODE))
    if version not in VERSIONS:
        raise InputError(f"unknown kernel version {version!r} (choose from {', '.join(VERSIONS)})")
    if var.modes and mode_ not in var.modes:
        raise InputError(f"variant {var.name!r} ({var.source}) applies to modes "
                         f"{', '.join(var.modes)}, not {mode_!r}")
    layout = get_layout(version, mode_)
    if scenarios:
        chosen = [sc.get_scenario(n) for n in scenarios]
    elif race is not None and sc.SCENARIOS[race.scenario].applies(layout):
        chosen = [sc.SCENARIOS[race.scenario]]
    else:
        chosen = [s for s in sc.SCENARIOS.values() if s.applies(layout)]
    hwp = hw if hw is not None else wo.HwParams()
    jobs = []
    for s in chosen:
        model = s.build(layout, var, hwp, form or Form())
        names = [p.name for p in model.properties]
        if properties:
            unknown = [p for p in properties if p not in _all_property_names()]
            if unknown:
                raise InputError(f"unknown property {unknown[0]!r} (choose from "
                                 f"{', '.join(_all_property_names())})")
            names = [p for p in names if p in properties]
            if not names:
                if scenarios:
                    raise InputError(f"scenario {s.name!r} has none of the properties "
                                     f"{', '.join(properties)}")
                continue
        jobs.append(Job(s.name, version, mode_, var.name, model, names, hw=hwp,
                        variant_obj=var))
    if not jobs:
        raise InputError("nothing to check: no scenario of this mode has those properties")
    return jobs


def _all_property_names() -> list[str]:
    return list(submodule("properties").SUMMARIES)


def run(jobs: list[Job], *, engine: str = "smt", bound: int = DEFAULT_BOUND,
        solver: str = "z3", timeout_s: float | None = None, reduction: bool = True,
        progress: Callable[[Job, int, int], None] | None = None,
        time_limit: float | None = None,
        on_progress: Callable[[Job, int, int | None, str | None], None] | None = None,
        on_done: Callable[[Job], None] | None = None,
        search: Search | None = None, workers: int = 1,
        smt_bound: int | None = None) -> list[Job]:
    """Check every job with ``engine``; fills ``job.results``.  ``progress(job, n, total)``
    is called as a job starts, ``on_progress(job, depth, states, property)`` inside it,
    ``on_done(job)`` when it is finished.  ``time_limit`` bounds the whole run: a job
    that did not finish in it is UNKNOWN (what an engine decided before stays).  A
    HOLDS at a bound below the fewest steps of any complete host operation covered no
    race and is UNKNOWN (:mod:`verify.engines.vacuity`).  ``workers`` > 1 runs the jobs
    in that many processes; ``on_done`` still sees them in order."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    if bound < 0:
        raise InputError(f"bound must be a non-negative integer, got {bound}")
    t_start = time.monotonic()
    cfg = _Config(engine, bound, solver, timeout_s, reduction, time_limit, search, t_start,
                  smt_bound)
    if workers > 1 and len(jobs) > 1:
        return _run_parallel(jobs, cfg, workers, progress, on_done)
    for n, job in enumerate(jobs):
        if progress is not None:
            progress(job, n, len(jobs))

        def hook(depth: int, states: int | None, prop: str | None, job: Job = job) -> None:
            if on_progress is not None:
                on_progress(job, depth, states, prop)

        _run_one(job, cfg, hook)
        if on_done is not None:
            on_done(job)
    return jobs


@dataclass(frozen=True)
class _Config:
    engine: str
    bound: int
    solver: str
    timeout_s: float | None
    reduction: bool
    time_limit: float | None
    search: Search | None
    t_start: float
    smt_bound: int | None = None
    """``auto``: the SMT engine's bound (``bound`` is the explicit search's)."""


def _run_one(job: Job, cfg: _Config,
             hook: Callable[[int, int | None, str | None], None] | None) -> None:
    """Check one job (fills results, seconds, warnings)."""
    from verify.engines.vacuity import EMPTY_INITIAL_SET, empty_initial_set, shortest_operation
    from verify.interrupt import checkpoint

    checkpoint()
    engine, bound = cfg.engine, cfg.bound
    t0 = time.monotonic()
    left = None if cfg.time_limit is None else cfg.time_limit - (t0 - cfg.t_start)
    if left is not None and left <= 0:
        job.results = [_undecided(job, p, engine, cfg.solver, bound, cfg.reduction,
                                  f"time limit {cfg.time_limit:g}s reached before this job "
                                  "started") for p in job.properties]
        return
    if empty_initial_set(job.model):
        job.results = [_undecided(job, p, engine, cfg.solver, bound, cfg.reduction,
                                  EMPTY_INITIAL_SET) for p in job.properties]
        job.warnings.append(f"{job.scenario}: {EMPTY_INITIAL_SET}")
        job.seconds = time.monotonic() - t0
        return
    if engine == "auto":
        cap = AUTO_EXPLICIT_SECONDS if left is None else min(left, AUTO_EXPLICIT_SECONDS)
        opts = cfg.search or Search()
        if opts.memory_mb is None:
            opts = dataclasses.replace(opts, memory_mb=AUTO_MEMORY_MB)
        job.results = run_explicit(job.model, "fast", bound, job.properties,
                                   reduction=cfg.reduction, time_limit=cap, progress=hook,
                                   search=opts)
        open_ = [r.property for r in job.results if r.verdict is Verdict.UNKNOWN]
        if open_:
            from verify.engines.bmc import bmc
            left = None if cfg.time_limit is None else \
                cfg.time_limit - (time.monotonic() - cfg.t_start)
            more = {r.property: r for r in bmc(
                job.model, cfg.smt_bound if cfg.smt_bound is not None else bound, open_,
                reduction=cfg.reduction, solver=cfg.solver, time_limit=left,
                timeout_ms=int(cfg.timeout_s * 1000) if cfg.timeout_s else None,
                progress=hook)}
            job.results = [more.get(r.property, r) for r in job.results]
        bound = cfg.smt_bound if open_ and cfg.smt_bound is not None else bound
    elif engine == "smt":
        from verify.engines.bmc import bmc
        job.results = bmc(job.model, bound, job.properties, reduction=cfg.reduction,
                          solver=cfg.solver, time_limit=left,
                          timeout_ms=int(cfg.timeout_s * 1000) if cfg.timeout_s else None,
                          progress=hook)
    else:
        limit = cfg.timeout_s if left is None else min(left, cfg.timeout_s or left)
        job.results = run_explicit(job.model, engine, bound, job.properties,
                                   reduction=cfg.reduction, time_limit=limit, progress=hook,
                                   search=cfg.search)
    job.seconds = time.monotonic() - t0
    shortest = shortest_operation(job.model)
    if shortest is not None and bound < shortest:
        job.warnings.append(
            f"{job.scenario}: bound {bound} is below {shortest}, the fewest steps in "
            "which any host operation can complete: no race was checked")
        for r in job.results:
            if r.verdict is Verdict.HOLDS:
                r.verdict = Verdict.UNKNOWN
                r.message = (f"vacuous: bound {bound} < {shortest} steps, no complete "
                             "host operation was checked")


_FORKED: list[Job] = []


def _worker(args: tuple[int, _Config]) -> tuple[int, list[CheckResult], float, list[str]]:
    i, cfg = args
    job = _FORKED[i]
    _run_one(job, cfg, None)
    return i, job.results, job.seconds, job.warnings


def hand_back_in_order(jobs: list[Job],
                       finished: Iterable[tuple[int, list[CheckResult], float, list[str]]],
                       progress: Callable[[Job, int, int], None] | None,
                       on_done: Callable[[Job], None] | None) -> None:
    """Store each ``(index, results, seconds, warnings)`` as it arrives, in any order, and
    hand the jobs to ``on_done`` in job order (each as soon as it and all before it are
    done), with ``progress`` for the next one: what is printed does not depend on which
    worker finished first."""
    done: set[int] = set()
    nxt = 0
    if progress is not None and jobs:
        progress(jobs[0], 0, len(jobs))
    for i, results, seconds, warnings in finished:
        jobs[i].results, jobs[i].seconds = results, seconds
        jobs[i].warnings.extend(warnings)
        done.add(i)
        while nxt in done:
            if on_done is not None:
                on_done(jobs[nxt])
            nxt += 1
            if progress is not None and nxt < len(jobs):
                progress(jobs[nxt], nxt, len(jobs))


def _run_parallel(jobs: list[Job], cfg: _Config, workers: int,
                  progress: Callable[[Job, int, int], None] | None,
                  on_done: Callable[[Job], None] | None) -> list[Job]:
    """The jobs on ``workers`` forked processes (each inherits the built models); results
    are handed to ``on_done`` in job order, each as soon as it and all before it are
    done, so what is printed does not depend on which worker finished first."""
    from verify.forkpool import fork_pool

    global _FORKED
    _FORKED = jobs
    try:
        with fork_pool(min(workers, len(jobs))) as pool:
            hand_back_in_order(jobs, pool.imap_unordered(
                _worker, [(i, cfg) for i in range(len(jobs))]), progress, on_done)
    finally:
        _FORKED = []
    return jobs


def fast_engine() -> str:
    """What ``--engine fast`` runs here: ``native`` with a C compiler, else ``vector``."""
    from verify.engines.native import available
    return "native" if available() else "vector"


def run_explicit(model: Model, engine: str, bound: int, properties: Sequence[str], *,
                 reduction: bool, time_limit: float | None,
                 progress: Callable[[int, int | None, str | None], None] | None,
                 search: Search | None = None) -> list[CheckResult]:
    """One model on an explicit engine (``explicit``, ``fast``, ``vector``, ``native``)."""
    opts = search or Search()
    if engine == "fast":
        engine = fast_engine()
    if engine == "explicit":
        from verify.engines.explore import explore
        return explore(model, bound, properties, reduction=reduction,
                       time_limit=time_limit, progress=progress,
                       max_states=None)
    if engine == "vector":
        from verify.engines.fast import explore_fast
        return explore_fast(model, bound, properties, reduction=reduction,
                            symmetry=opts.symmetry, dead=opts.dead, por=opts.por,
                            memory_mb=opts.memory_mb, time_limit=time_limit,
                            progress=progress)
    from verify.engines.native import explore_native
    return explore_native(model, bound, properties, reduction=reduction,
                          symmetry=opts.symmetry, dead=opts.dead, memory_mb=opts.memory_mb,
                          threads=opts.threads, por=opts.por, time_limit=time_limit,
                          progress=progress)


def _undecided(job: Job, prop: str, engine: str, solver: str, bound: int, reduction: bool,
               why: str) -> CheckResult:
    return CheckResult(job.model.name, prop, engine, solver if engine == "smt" else None,
                       bound, Verdict.UNKNOWN, 0.0, reduction=reduction, message=why)
