"""Runs checks: which (scenario, kernel version, mode, variant) models to build, which
engine checks them, and the results with the job they belong to.

This is the layer under ``spte-verify check``: it resolves names (raising
:class:`~verify.errors.InputError` for unknown ones), builds each model once from the
built-in protocol models, runs the explicit explorer or the SMT engine over all of the
requested properties, and returns :class:`Job` records that carry the results.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from verify.errors import InputError
from verify.layouts import DEFAULT_MODE, DEFAULT_VERSION, VERSIONS, get_layout
from verify.model import Model
from verify.protocols import submodule
from verify.reports.results import CheckResult

ENGINES = ("smt", "explicit")
DEFAULT_BOUND = 20


@dataclass(frozen=True)
class Form:
    """Which form of a scenario to build: ``repeat`` lets every host operation run any
    number of times; ``all_initial`` starts from every legal initial SPTE of the
    scenario's class (with consistent TLBs, dirty log and ghosts), not one value."""

    repeat: bool = False
    all_initial: bool = False

    def __str__(self) -> str:
        return "+".join(n for n, on in (("repeat", self.repeat),
                                        ("all-initial", self.all_initial)) if on)


PROOF_FORM = Form(repeat=True, all_initial=True)


def parse_form(text: str) -> Form:
    """``""``, ``repeat``, ``all-initial`` or ``repeat+all-initial``."""
    parts = [p for p in text.split("+") if p] if text else []
    bad = [p for p in parts if p not in ("repeat", "all-initial")]
    if bad or len(set(parts)) != len(parts):
        raise InputError(f"unknown scenario form {text!r} (use repeat, all-initial or "
                         "repeat+all-initial)")
    return Form("repeat" in parts, "all-initial" in parts)


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
    elif race is not None and mode_ in sc.SCENARIOS[race.scenario].modes:
        chosen = [sc.SCENARIOS[race.scenario]]
    else:
        chosen = [s for s in sc.SCENARIOS.values() if mode_ in s.modes]
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
        jobs.append(Job(s.name, version, mode_, var.name, model, names))
    if not jobs:
        raise InputError("nothing to check: no scenario of this mode has those properties")
    return jobs


def _all_property_names() -> list[str]:
    return list(submodule("properties").SUMMARIES)


def run(jobs: list[Job], *, engine: str = "smt", bound: int = DEFAULT_BOUND,
        solver: str = "z3", timeout_s: float | None = None, reduction: bool = True,
        progress: Callable[[Job, int, int], None] | None = None) -> list[Job]:
    """Check every job with ``engine``; fills ``job.results``."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    if bound < 0:
        raise InputError(f"bound must be a non-negative integer, got {bound}")
    for n, job in enumerate(jobs):
        if progress is not None:
            progress(job, n, len(jobs))
        t0 = time.monotonic()
        if engine == "explicit":
            from verify.engines.explore import explore
            job.results = explore(job.model, bound, job.properties, reduction=reduction,
                                  time_limit=timeout_s)
        else:
            from verify.engines.bmc import bmc
            job.results = bmc(job.model, bound, job.properties, reduction=reduction,
                              solver=solver,
                              timeout_ms=int(timeout_s * 1000) if timeout_s else None)
        job.seconds = time.monotonic() - t0
    return jobs
