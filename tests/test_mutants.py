"""Property-based cross-check of the engines on protocol mutants (issue 4).

Random mutants of built-in models (``verify.mutate``: drop a flush, turn an xchg /
cmpxchg into a plain store, weaken a guard, swap two steps) are checked by the explicit
explorer and the SMT engine with the reduction off (a mutant need not satisfy the
reduction's side conditions).  For every property the verdicts must agree; when both
are VIOLATED the depths must be equal (both engines report a shortest violation) and the
SMT witness must have replayed (VIOLATED, not CHECKER_BUG).  Some mutants must be
violated, or the check would be vacuous.

CI runs :data:`CI_COUNT` mutants; ``SPTE_VERIFY_MUTANTS=N`` (or ``SPTE_VERIFY_FULL=1``,
for :data:`FULL_COUNT`) runs the marked slow test on N mutants.  Mutants are checked in
up to 4 forked worker processes (``SPTE_VERIFY_MUTANT_JOBS=1`` for one, in-process).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from verify.checker import plan
from verify.engines.bmc import bmc
from verify.engines.explore import explore
from verify.engines.replay import Frame
from verify.expr import CONCRETE
from verify.model import Model
from verify.mutate import (
    KINDS,
    candidates,
    check_well_formed,
    mutate,
    random_mutants,
    read_var,
)
from verify.reports.results import Verdict

BOUND = 12
SEED = 20240604
CI_COUNT = 24
FULL_COUNT = 300
ENV_COUNT = "SPTE_VERIFY_MUTANTS"
ENV_JOBS = "SPTE_VERIFY_MUTANT_JOBS"

KERNELS = ("V-MID", "V-NEW")
SCENARIOS = ("wrtrack-vs-fastpf", "harvest-vs-wrtrack", "zap-vs-writers", "aging-vs-fastpf")
MODEL_KEYS = [(k, s) for k in KERNELS for s in SCENARIOS]


@cache
def base_model(kernel: str, scenario: str) -> Model:
    jobs = plan(kernel=kernel, mode="ept-ad", variant="fixed", scenarios=[scenario])
    return jobs[0].model


def mutants_for(total: int, seed: int = SEED) -> Iterator[tuple[str, str, Model]]:
    """``total`` mutants spread evenly over the base models: (model name, description,
    mutant).  Each model's mutants come from its own seeded generator."""
    share, extra = divmod(total, len(MODEL_KEYS))
    for n, (kernel, scenario) in enumerate(MODEL_KEYS):
        count = share + (1 if n < extra else 0)
        m = base_model(kernel, scenario)
        rng = random.Random(f"{seed}/{kernel}/{scenario}")
        for desc, mutant in random_mutants(m, rng, count):
            yield m.name, desc, mutant


@dataclass
class Tally:
    mutants: int = 0
    checks: int = 0
    violated_mutants: int = 0
    violated_checks: int = 0
    problems: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        self.mutants += other.mutants
        self.checks += other.checks
        self.violated_mutants += other.violated_mutants
        self.violated_checks += other.violated_checks
        self.problems.extend(other.problems)
        for k, n in other.kinds.items():
            self.kinds[k] = self.kinds.get(k, 0) + n


def cross_check(mutant: Model, desc: str, witness_dir: Path, bound: int = BOUND) -> Tally:
    """Both engines on every property of ``mutant``; disagreements are ``problems``."""
    tally = Tally(mutants=1)
    for part in desc.split("; "):
        kind = part.split(":", 1)[0]
        tally.kinds[kind] = tally.kinds.get(kind, 0) + 1
    exp = explore(mutant, bound, reduction=False)
    smt = bmc(mutant, bound, reduction=False, witness_directory=witness_dir)
    for e, s in zip(exp, smt, strict=True):
        tally.checks += 1
        where = f"{mutant.name} / {e.property} [{desc}]"
        bad = [r for r in (e, s) if r.verdict in (Verdict.CHECKER_BUG, Verdict.UNKNOWN)]
        if bad:
            said = "; ".join(f"{r.engine} {r.verdict.value}: {r.message}" for r in bad)
            tally.problems.append(f"{where}: {said}")
            continue
        if not e.verdict.agrees(s.verdict):
            tally.problems.append(f"{where}: explicit {e.verdict.value} (depth {e.depth}) vs "
                                  f"smt {s.verdict.value} (depth {s.depth})")
            continue
        if e.verdict is Verdict.VIOLATED:
            tally.violated_checks += 1
            if s.depth != e.depth:
                tally.problems.append(f"{where}: both VIOLATED but smt depth {s.depth} != "
                                      f"explicit depth {e.depth}")
            if s.replay is None or not s.replay.violated_at_depth(s.property, s.depth or 0):
                tally.problems.append(f"{where}: smt witness not confirmed by replay")
    tally.violated_mutants = 1 if tally.violated_checks else 0
    return tally


# The pool's workers are forked after the mutants are built (models hold closures, which
# do not pickle): each worker checks mutants by index into this list.
_WORK: list[tuple[str, Model]] = []
_WITNESS_DIR: list[Path] = []


def _check_index(i: int) -> Tally:
    desc, mutant = _WORK[i]
    return cross_check(mutant, desc, _WITNESS_DIR[0])


def workers() -> int:
    env = os.environ.get(ENV_JOBS)
    if env:
        return max(1, int(env))
    return max(1, min(os.cpu_count() or 1, 4))


def run_mutants(total: int, witness_dir: Path) -> Tally:
    """Cross-check ``total`` mutants, over :func:`workers` processes (fork) if more than
    one; the tally of all of them."""
    work = [(desc, mutant) for _, desc, mutant in mutants_for(total)]
    tally = Tally()
    jobs = workers()
    if jobs <= 1 or "fork" not in mp.get_all_start_methods():
        for desc, mutant in work:
            tally.add(cross_check(mutant, desc, witness_dir))
        return tally
    _WORK[:] = work
    _WITNESS_DIR[:] = [witness_dir]
    try:
        with mp.get_context("fork").Pool(jobs) as pool:
            for t in pool.imap_unordered(_check_index, range(len(work))):
                tally.add(t)
    finally:
        _WORK.clear()
        _WITNESS_DIR.clear()
    return tally


def _assert_tally(tally: Tally, total: int) -> None:
    assert tally.mutants == total, f"only {tally.mutants} of {total} mutants generated"
    assert not tally.problems, "engines disagree on mutants:\n" + "\n".join(tally.problems)
    # not vacuous: the mutants break the protocols, and the engines see it
    assert tally.violated_mutants > 0
    assert tally.violated_mutants < tally.mutants, "every mutant violated: suspicious"


# -- the mutation operators themselves ------------------------------------------------------


def test_candidates_cover_every_kind() -> None:
    seen: set[str] = set()
    for kernel, scenario in MODEL_KEYS:
        for c in candidates(base_model(kernel, scenario)):
            seen.add(c.kind)
    assert seen == set(KINDS)


def test_mutants_are_well_formed_and_leave_the_original_alone() -> None:
    m = base_model("V-MID", "wrtrack-vs-fastpf")
    before = [(a.src, a.dst, a.guard, a.effect) for a in m.actions]
    rng = random.Random(1)
    got = list(random_mutants(m, rng, 40))
    assert len(got) == 40
    assert len({d for d, _ in got}) == 40  # distinct
    for desc, mut in got:
        check_well_formed(mut)
        assert desc
        assert [a.id for a in mut.actions] == list(range(len(m.actions)))
        assert [a.label for a in mut.actions] == [a.label for a in m.actions]
        assert mut.vars == m.vars and mut.properties == m.properties
    assert [(a.src, a.dst, a.guard, a.effect) for a in m.actions] == before


def test_each_operator_changes_what_it_says() -> None:
    m = base_model("V-MID", "wrtrack-vs-fastpf")
    by_desc = {c.description: c for c in candidates(m)}
    frame = Frame(m)
    init = frame.st(frame.initial())

    flush = next(c for d, c in by_desc.items() if d.startswith("drop flush: wrtrack.flush"))
    mut = mutate(m, [flush])
    assert mut is not None
    assert mut.actions[flush.actions[0]].effect(CONCRETE, init) == {}
    assert m.actions[flush.actions[0]].effect(CONCRETE, init) != {}

    cx = m.by_label["fastpf0.cmpxchg_ok"]
    assert read_var(m, cx) == "fastpf0.spte"
    assert read_var(m, m.by_label["wrtrack.wp.upd.xchg"]) == "wrtrack.wp.upd.old"
    plain = next(c for c in by_desc.values()
                 if c.kind == "atomic-to-plain" and c.actions == (cx.id,))
    mut = mutate(m, [plain])
    assert mut is not None
    # a state where the compare fails: spte0 changed since the read
    vals = frame.as_dict(frame.initial())
    vals.update({"fastpf0.go": True, "fastpf0.spte": vals["spte0"] ^ 1})
    from verify.model import St
    st = St(vals)
    assert not cx.guard(CONCRETE, st)
    assert mut.actions[cx.id].guard(CONCRETE, st)

    weak = next(c for c in by_desc.values() if c.kind == "weaken-guard")
    mut = mutate(m, [weak])
    assert mut is not None and mut.actions[weak.actions[0]].guard(CONCRETE, init) is True

    swap = next(c for c in by_desc.values() if c.kind == "swap-steps")
    mut = mutate(m, [swap])
    assert mut is not None
    a, b = (m.actions[i] for i in swap.actions)
    ma, mb = (mut.actions[i] for i in swap.actions)
    assert (mb.src, mb.dst, ma.src, ma.dst) == (a.src, a.dst, b.src, b.dst)


def test_dropping_the_flush_is_caught() -> None:
    """A known-bad mutant: without the flush after write-protecting, a writable TLB entry
    survives the write-protect (no-stale-tlb), and both engines say so at one depth."""
    m = base_model("V-MID", "harvest-vs-wrtrack")
    flush = next(c for c in candidates(m) if c.description.startswith("drop flush: wrtrack."))
    mut = mutate(m, [flush])
    assert mut is not None
    e = explore(mut, BOUND, ["no-stale-tlb"], reduction=False)[0]
    s = bmc(mut, BOUND, ["no-stale-tlb"], reduction=False)[0]
    assert e.verdict is Verdict.VIOLATED and s.verdict is Verdict.VIOLATED
    assert e.depth == s.depth == 8
    assert explore(m, BOUND, ["no-stale-tlb"], reduction=False)[0].verdict.safe


# -- engine agreement on random mutants ----------------------------------------------------


def test_engines_agree_on_mutants_ci(tmp_path: Path) -> None:
    t0 = time.monotonic()
    tally = run_mutants(CI_COUNT, tmp_path)
    _assert_tally(tally, CI_COUNT)
    print(f"{tally.mutants} mutants, {tally.violated_mutants} violated, "
          f"{tally.checks} checks, {time.monotonic() - t0:.1f}s")


def _full_count() -> int | None:
    env = os.environ.get(ENV_COUNT)
    if env:
        return int(env)
    if os.environ.get("SPTE_VERIFY_FULL"):
        return FULL_COUNT
    return None


@pytest.mark.slow
@pytest.mark.skipif(_full_count() is None,
                    reason=f"set {ENV_COUNT}=N or SPTE_VERIFY_FULL=1 ({FULL_COUNT} mutants)")
def test_engines_agree_on_mutants_full(tmp_path: Path) -> None:
    total = _full_count()
    assert total is not None
    t0 = time.monotonic()
    tally = run_mutants(total, tmp_path)
    _assert_tally(tally, total)
    print(f"{tally.mutants} mutants ({tally.kinds}), {tally.violated_mutants} violated, "
          f"{tally.violated_checks}/{tally.checks} property checks violated, "
          f"{time.monotonic() - t0:.1f}s")
