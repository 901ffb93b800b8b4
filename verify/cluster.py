"""Checks on a Dask ``distributed`` cluster: the same jobs, run where the scheduler says.

``spte-verify check --cluster tcp://HOST:PORT`` sends each job to the Dask scheduler at
that address as a *description* -- scenario, kernel version, mode, variant (a built-in
name, or the variant file's document), hardware parameters, scenario form, properties,
the ``--protocols`` files -- because a built model holds closures that do not travel.
Each worker rebuilds the model from the same built-in protocol models
(:func:`verify.checker.plan`) and checks it with :func:`verify.checker._run_one`, as a
local run does; the results come back as :class:`~verify.reports.results.CheckResult`
records and are handed on in job order.  The workers need spte-verify installed (the
same version; the job carries the model's content hash and a worker whose model differs
refuses it).  No scheduler of our own: Dask does the placement, retries and
cancellation; Ctrl-C cancels the outstanding futures.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from typing import Any

from verify.checker import Job, Search, _Config, _run_one, hand_back_in_order
from verify.errors import InputError
from verify.reports.results import CheckResult


def describe(job: Job, protocols: Sequence[str]) -> dict[str, Any]:
    """What a worker needs to rebuild ``job``."""
    var = job.variant_obj
    if var is None or str(getattr(var, "source", "")).startswith("variants/") \
            or job.variant == "fixed":
        variant: Any = job.variant
    elif getattr(var, "document", None) is not None:
        variant = var.document
    else:
        raise InputError(f"variant {job.variant!r} cannot be sent to a cluster (it has no "
                         "variant-file document); write it as a variant file")
    return {"scenario": job.scenario, "kernel": job.version, "mode": job.mode,
            "variant": variant, "hw": dataclasses.asdict(job.hw) if job.hw else None,
            "form": job.model.params.get("form", ""), "properties": list(job.properties),
            "protocols": [str(p) for p in protocols], "model": job.model.name,
            "digest": _digest(job)}


def _digest(job: Job) -> str:
    """A cheap content hash of a built model (names, widths, initial values, actions)."""
    import hashlib
    m = job.model
    text = repr([(v.name, v.width, v.init) for v in m.vars]) + \
        repr([(a.label, a.src, a.dst, a.text) for a in m.actions])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def rebuild(spec: dict[str, Any]) -> Job:
    """The job a description names, built here."""
    from verify import checker
    from verify.protocols import submodule
    from verify.variants_cli import load_protocols

    load_protocols(spec["protocols"])
    variant = spec["variant"]
    if isinstance(variant, dict):
        variant, _race = submodule("variants").variant_from_document(variant)
    hw = submodule("world").HwParams(**spec["hw"]) if spec["hw"] else None
    jobs = checker.plan(kernel=spec["kernel"], mode=spec["mode"], variant=variant,
                        scenarios=[spec["scenario"]], properties=spec["properties"], hw=hw,
                        form=checker.parse_form(spec["form"]))
    job = jobs[0]
    if _digest(job) != spec["digest"]:
        raise RuntimeError(f"worker built a different model for {spec['model']} (another "
                           "spte-verify version on the worker?)")
    return job


def remote_check(spec: dict[str, Any], cfg: _Config) -> tuple[list[CheckResult], float,
                                                              list[str]]:
    """Run on a worker: rebuild, check, return results."""
    job = rebuild(spec)
    _run_one(job, dataclasses.replace(cfg, t_start=time.monotonic()), None)
    return job.results, job.seconds, job.warnings


def run_on_cluster(jobs: list[Job], address: str, *, engine: str, bound: int, solver: str,
                   timeout_s: float | None, reduction: bool, time_limit: float | None,
                   search: Search | None, protocols: Sequence[str],
                   progress: Callable[[Job, int, int], None] | None = None,
                   on_done: Callable[[Job], None] | None = None,
                   smt_bound: int | None = None) -> list[Job]:
    """Check ``jobs`` on the Dask scheduler at ``address``; ``on_done`` in job order."""
    import importlib
    try:
        dist: Any = importlib.import_module("distributed")
    except ImportError:
        raise InputError("--cluster needs Dask distributed (pip install "
                         "'spte-verify[cluster]')") from None
    specs = [describe(j, protocols) for j in jobs]
    cfg = _Config(engine, bound, solver, timeout_s, reduction, time_limit, search, 0.0,
                  smt_bound)
    try:
        client = dist.Client(address, timeout=10)
    except OSError as e:
        raise InputError(f"--cluster {address}: cannot reach the scheduler ({e})") from None
    try:
        futures = [client.submit(remote_check, spec, cfg, pure=False, key=f"spte-{i}-"
                                 f"{spec['model']}-{time.time_ns()}")
                   for i, spec in enumerate(specs)]
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            hand_back_in_order(jobs, ((index[f.key], *f.result())
                                      for f in dist.as_completed(futures)), progress, on_done)
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        client.close()
    return jobs


__all__ = ["describe", "rebuild", "remote_check", "run_on_cluster"]
