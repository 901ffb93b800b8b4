"""Tests of the engines (explicit explorer, SMT bounded model checker, replay, reduction,
solver selection, results) on the toy models of ``tests/toy_models.py``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import toy_models as toys

from verify.engines import bmc as bmc_mod
from verify.engines import solvers
from verify.engines.bmc import bmc, bmc_one
from verify.engines.explore import explore, explore_one
from verify.engines.reduction import check_reduction, require_reduction_safe
from verify.engines.replay import ReplayError, replay
from verify.errors import CheckerBug, InputError
from verify.model import Model, Property
from verify.reports.results import CheckResult, Verdict, exit_code, worst

MODELS: dict[str, Callable[[], Model]] = {
    "counter-rmw": lambda: toys.counter_model(2, atomic=False),
    "counter-atomic": lambda: toys.counter_model(2, atomic=True),
    "counter3-rmw": lambda: toys.counter_model(3, atomic=False),
    "flags-buggy": lambda: toys.flag_model(buggy=True),
    "flags-fixed": lambda: toys.flag_model(buggy=False),
}
BOUND = 7


# -- first principles -------------------------------------------------------------------

def shortest_lost_update(n: int, atomic: bool) -> int | None:
    """An independent plain-Python search of the counter program (no engine code): the
    fewest steps to a state where no increment is in flight and cnt != #finished."""
    from collections import deque

    # per actor: (pc, old, new); pc 0 start, 1 got, 2 computed, 3 done
    init = (0, tuple((0, 0, 0) for _ in range(n)))
    seen = {init}
    q = deque([(init, 0)])
    while q:
        (cnt, ts), d = q.popleft()
        if all(t[0] in (0, 3) for t in ts) and cnt != sum(t[0] == 3 for t in ts):
            return d
        for i, (pc, old, new) in enumerate(ts):
            nxt: list[tuple[int, tuple[int, int, int]]] = []
            if pc == 0:
                nxt.append((cnt, (1, cnt, new)))
            elif pc == 1:
                nxt.append((cnt, (2, old, old + 1)))
            elif pc == 2 and not atomic:
                nxt.append((new, (3, old, new)))
            elif pc == 2 and cnt == old:
                nxt.append((new, (3, old, new)))
            elif pc == 2:
                nxt.append((cnt, (0, old, new)))
            for c2, t2 in nxt:
                s2 = (c2, (*ts[:i], t2, *ts[i + 1:]))
                if s2 not in seen:
                    seen.add(s2)
                    q.append((s2, d + 1))
    return None


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("reduction", [True, False])
def test_lost_update_depth_from_first_principles(n: int, reduction: bool) -> None:
    expected = shortest_lost_update(n, atomic=False)
    assert expected is not None
    assert shortest_lost_update(n, atomic=True) is None
    buggy = toys.counter_model(n, atomic=False)
    fixed = toys.counter_model(n, atomic=True)
    for r in (explore_one(buggy, expected + 2, "lost_update", reduction=reduction),
              bmc_one(buggy, expected + 2, "lost_update", reduction=reduction)):
        assert r.verdict is Verdict.VIOLATED, r.message
        assert r.depth == expected
        assert r.witness is not None and len(r.witness) == expected
        assert r.replay is not None and r.replay.violates("lost_update")
    rx = explore_one(fixed, expected + 2, "lost_update", reduction=reduction)
    rs = bmc_one(fixed, expected + 2, "lost_update", reduction=reduction)
    assert rx.verdict.safe and rs.verdict.safe
    assert rx.witness is None and rs.witness is None


# -- cross-validation -------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("reduction", [True, False])
def test_engines_agree(name: str, reduction: bool) -> None:
    m = MODELS[name]()
    xs = explore(m, BOUND, reduction=reduction)
    ss = bmc(m, BOUND, reduction=reduction)
    assert [r.property for r in xs] == [p.name for p in m.properties]
    for x, s in zip(xs, ss, strict=True):
        assert x.property == s.property
        assert x.verdict.agrees(s.verdict), (x.property, x.message, s.message)
        assert x.verdict is not Verdict.CHECKER_BUG and s.verdict is not Verdict.CHECKER_BUG
        assert x.depth == s.depth, x.property
        if s.verdict is Verdict.VIOLATED:
            assert s.witness is not None and x.witness is not None
            assert len(s.witness) == s.depth == len(x.witness)
            for w in (s.witness, x.witness):
                rep = replay(m, w)
                assert rep.first_violation[s.property] == s.depth


@pytest.mark.parametrize("name", sorted(MODELS))
def test_reduction_on_off_same_verdicts(name: str) -> None:
    m = MODELS[name]()
    on = explore(m, 40, reduction=True)
    off = explore(m, 40, reduction=False)
    for a, b in zip(on, off, strict=True):
        assert a.verdict is b.verdict
        assert a.verdict is not Verdict.UNKNOWN
    # the reduction only ever removes states
    assert (on[0].states or 0) <= (off[0].states or 0)


def test_reduction_prunes_interleavings() -> None:
    m = toys.counter_model(3, atomic=True)
    on = explore(m, 40, ["lost_update"], reduction=True)[0]
    off = explore(m, 40, ["lost_update"], reduction=False)[0]
    assert on.verdict is off.verdict is Verdict.PROVED
    assert on.states is not None and off.states is not None and on.states < off.states


def test_counter_models_are_reduction_safe() -> None:
    for make in MODELS.values():
        assert check_reduction(make()) == []


@pytest.mark.parametrize("kind", ["shared", "visible"])
def test_reduction_check_rejects_bad_local_steps(kind: str) -> None:
    m = toys.bad_local_model(kind)
    problems = check_reduction(m)
    assert problems
    assert any("visible to property" in p for p in problems)
    if kind == "shared":
        assert any("not private" in p for p in problems)
    with pytest.raises(InputError):
        require_reduction_safe(m)
    with pytest.raises(InputError):
        explore(m, 3)
    with pytest.raises(InputError):
        bmc(m, 3)
    # without the reduction the engines run and agree
    x = explore(m, 4, reduction=False)[0]
    s = bmc(m, 4, reduction=False)[0]
    assert x.verdict.agrees(s.verdict) and x.depth == s.depth


def test_depth_zero_violation() -> None:
    extra = (Property("zero_is_bad", "probe", lambda o, st: o.eq(st["cnt"], o.lit(0))),)
    m = toys.counter_model(2, atomic=True, extra=extra)
    for r in (explore_one(m, 3, "zero_is_bad"), bmc_one(m, 3, "zero_is_bad")):
        assert r.verdict is Verdict.VIOLATED
        assert r.depth == 0 and r.witness == []


def test_bound_limits_search() -> None:
    m = toys.counter_model(2, atomic=False)
    expected = shortest_lost_update(2, atomic=False)
    assert expected is not None
    for r in (explore_one(m, expected - 1, "lost_update"),
              bmc_one(m, expected - 1, "lost_update")):
        assert r.verdict is Verdict.HOLDS
        assert r.bound == expected - 1


def test_explorer_limits_give_unknown() -> None:
    m = toys.counter_model(3, atomic=True)
    r = explore_one(m, 40, "lost_update", max_states=5)
    assert r.verdict is Verdict.UNKNOWN
    assert "limit" in r.message


# -- replay -----------------------------------------------------------------------------

def test_replay_records_states_and_diffs() -> None:
    m = toys.counter_model(2, atomic=False)
    sched = ["t0.read", "t1.read", "t0.compute", "t0.write", "t1.compute", "t1.write"]
    rep = replay(m, sched)
    assert len(rep.steps) == len(sched)
    assert rep.steps[3].diff["cnt"] == (0, 1)
    assert rep.steps[5].state["cnt"] == 1
    assert rep.first_violation.get("lost_update") == len(sched)
    assert not rep.violates("counter_bounded")
    assert json.dumps(rep.to_json())


def test_replay_rejects_disabled_step() -> None:
    m = toys.counter_model(2, atomic=False)
    with pytest.raises(ReplayError) as e:
        replay(m, ["t0.read", "t0.write"])
    assert e.value.index == 1 and e.value.label == "t0.write"
    assert isinstance(e.value, CheckerBug)


def test_replay_rejects_unknown_label() -> None:
    m = toys.counter_model(2, atomic=False)
    with pytest.raises(ReplayError) as e:
        replay(m, ["t0.read", "t9.read"])
    assert e.value.index == 1 and "t9.read" in str(e.value)


# -- corrupted witnesses → CHECKER_BUG ---------------------------------------------------

def _swap_same_actor(labels: list[str]) -> list[str]:
    """Swap the first two steps of one actor (breaks its program order)."""
    out = list(labels)
    for i, a in enumerate(out):
        for j in range(i + 1, len(out)):
            if out[j].split(".")[0] == a.split(".")[0]:
                out[i], out[j] = out[j], out[i]
                return out
    raise AssertionError("no actor with two steps")


@pytest.mark.parametrize("corrupt", ["swap", "wrong-label", "truncate"])
def test_corrupted_witness_is_checker_bug(corrupt: str, monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    m = toys.counter_model(2, atomic=False)
    honest = bmc_one(m, 8, "lost_update")
    assert honest.verdict is Verdict.VIOLATED

    def decode(model: Model, values: Any) -> list[str]:
        labels = [model.actions[v].label for v in values]
        if corrupt == "swap":
            labels = _swap_same_actor(labels)
        elif corrupt == "wrong-label":
            labels[2] = "t0.no_such_step"
        else:
            labels = labels[:-1]
        return labels

    monkeypatch.setattr(bmc_mod, "_decode_schedule", decode)
    r = bmc_one(m, 8, "lost_update", witness_directory=tmp_path)
    assert r.verdict is Verdict.CHECKER_BUG, r.message
    assert r.witness_file is not None and Path(r.witness_file).exists()
    assert r.witness_file in r.message
    saved = json.loads(Path(r.witness_file).read_text())
    assert saved["property"] == "lost_update" and saved["schedule"] == r.witness
    assert exit_code([r, honest]) == 4


# -- timeouts / unknown ------------------------------------------------------------------

def test_solver_unknown_gives_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    m = toys.counter_model(2, atomic=False)

    def unknown(self: Any, query: Any, want: Any) -> solvers.Answer:
        return solvers.Answer("unknown", reason="timeout")

    monkeypatch.setattr(solvers.Z3Backend, "check", unknown)
    r = bmc_one(m, 8, "lost_update", timeout_ms=1)
    assert r.verdict is Verdict.UNKNOWN
    assert exit_code([r]) == 3


def test_unknown_after_some_unsat_depths(monkeypatch: pytest.MonkeyPatch) -> None:
    m = toys.counter_model(2, atomic=True)
    real = solvers.Z3Backend.check
    calls = {"n": 0}

    def flaky(self: Any, query: Any, want: Any) -> solvers.Answer:
        calls["n"] += 1
        if calls["n"] > 3:
            return solvers.Answer("unknown", reason="timeout")
        return real(self, query, want)

    monkeypatch.setattr(solvers.Z3Backend, "check", flaky)
    r = bmc_one(m, 8, "lost_update")
    assert r.verdict is Verdict.UNKNOWN and r.extra["undecided_depth"] == 3


@pytest.mark.parametrize("solver", ["z3", "z3-inc", "bitwuzla", "cvc5"])
def test_real_timeout_gives_unknown(solver: str) -> None:
    if solver not in solvers.available_solvers():
        pytest.skip(f"{solver} not installed")
    # 3 actors, 64-bit counter, bound 12: far more than 1 ms of solving in total
    m = toys.counter_model(3, atomic=True)
    r = bmc_one(m, 12, "lost_update", solver=solver, timeout_ms=1)
    assert r.verdict is Verdict.UNKNOWN, r.message


def test_overall_time_limit_gives_unknown() -> None:
    m = toys.counter_model(2, atomic=True)
    r = bmc_one(m, 50, "lost_update", time_limit=0.0)
    assert r.verdict is Verdict.UNKNOWN


# -- other solvers -----------------------------------------------------------------------

OTHER = ("z3-inc", "bitwuzla", "cvc5")


@pytest.mark.parametrize("solver", OTHER)
@pytest.mark.parametrize("name", ["counter-rmw", "counter-atomic", "flags-buggy"])
def test_other_solver_agrees_with_z3(solver: str, name: str) -> None:
    if solver not in solvers.available_solvers():
        pytest.skip(f"{solver} not installed")
    m = MODELS[name]()
    props = ["lost_update", "reaches_two"] if name.startswith("counter") else None
    ref = bmc(m, 6, props)
    got = bmc(m, 6, props, solver=solver, timeout_ms=60000)
    for a, b in zip(ref, got, strict=True):
        assert b.solver == solver
        assert a.verdict is b.verdict, b.message
        assert a.depth == b.depth
        if b.verdict is Verdict.VIOLATED:
            assert b.replay is not None and b.replay.violates(b.property)


def test_missing_solver_is_input_error() -> None:
    import z3

    with pytest.raises(InputError, match="unknown solver"):
        solvers.make_backend("yices9", z3.Context())

    class Missing(solvers.BitwuzlaBackend):
        name = "missing"
        module = "spte_verify_no_such_solver_module"

    with pytest.raises(InputError, match="not installed"):
        Missing(z3.Context(), None)


def test_smt2_text_is_solver_neutral() -> None:
    if "bitwuzla" not in solvers.available_solvers():
        pytest.skip("bitwuzla not installed")
    enc = bmc_mod.Encoding(toys.flag_model(True))
    b = solvers.make_backend("bitwuzla", enc.ctx)
    assert isinstance(b, solvers.BitwuzlaBackend)
    for c in enc.init() + enc.unroll():
        b.add(c)
    text = b.smt2(enc.violated(enc.model.properties[0], 1))
    assert "sel@0" in text and "(check-sat)" not in text


@pytest.mark.parametrize("solver", ["z3", *OTHER])
def test_check_each_answers_as_one_check_per_query(solver: str) -> None:
    """Several queries under one set of assertions (bitwuzla: assumptions on one parse)
    answer as separate checks do, in order, and each is retracted before the next."""
    import z3

    if solver not in solvers.available_solvers():
        pytest.skip(f"{solver} not installed")
    ctx = z3.Context()
    x = z3.BitVec("x", 8, ctx)
    b = solvers.make_backend(solver, ctx)
    b.add(z3.ULT(x, 10))
    queries = [x == 3, x == 200, z3.And(x == 3, x == 4), z3.UGT(x, 8), x == 12]
    want = [solvers.make_backend(solver, ctx) for _ in queries]
    for w in want:
        w.add(z3.ULT(x, 10))
    one_by_one = [w.check(q, []).status for w, q in zip(want, queries, strict=True)]
    assert b.check_each(queries) == one_by_one
    assert b.check_each(queries) == ["sat", "unsat", "unsat", "sat", "unsat"]



@pytest.mark.parametrize("solver", ["z3", *OTHER])
def test_check_cases_answers_as_one_check(solver: str) -> None:
    """A query with cases that cover every value (bitwuzla: each case an assumption on
    one parse; z3 and cvc5: the query asked once) answers as one check of it: sat with a
    model of the query (and of the permanent assertions), unsat only when every case is,
    and a time-out is unknown, never unsat."""
    import z3

    if solver not in solvers.available_solvers():
        pytest.skip(f"{solver} not installed")
    ctx = z3.Context()
    x, y = z3.BitVec("x", 8, ctx), z3.BitVec("y", 8, ctx)
    cases = [x == v for v in range(10)] + [z3.UGE(x, 10)]
    for query, status in ((x * x == 49, "sat"), (x * x == 50, "unsat"),
                          (z3.And(y == x + 1, y == 9), "sat"), (x == y + 200, "unsat")):
        b = solvers.make_backend(solver, ctx)
        b.add(z3.ULT(x, 10))
        b.add(z3.ULT(y, 10))
        one = solvers.make_backend(solver, ctx)
        one.add(z3.ULT(x, 10))
        one.add(z3.ULT(y, 10))
        assert one.check(query, []).status == status
        ans = b.check_cases(query, cases, [x, y])
        assert ans.status == status, (query, ans)
        if status == "sat":
            m = {x: ans.values["x"], y: ans.values["y"]}
            assert z3.is_true(z3.simplify(z3.substitute(
                z3.And(query, z3.ULT(x, 10), z3.ULT(y, 10)),
                *[(k, z3.BitVecVal(v, 8, ctx)) for k, v in m.items()])))
    # a search that cannot finish in 1 ms: unknown, in every case
    a, c = z3.BitVec("a", 64, ctx), z3.BitVec("c", 64, ctx)
    hard = z3.And(a * c == 0x9E3779B97F4A7C15 * 0x2545F4914F6CDD1D, z3.UGT(a, 1), z3.UGT(c, 1),
                  z3.ULT(a, 1 << 40), z3.ULT(c, 1 << 40))
    b = solvers.make_backend(solver, ctx, timeout_ms=1)
    ans = b.check_cases(hard, [z3.Extract(0, 0, a) == 0, z3.Extract(0, 0, a) == 1], [a])
    assert ans.status == "unknown", ans


# -- results -----------------------------------------------------------------------------

def test_verdict_combination_and_exit_codes() -> None:
    V = Verdict
    assert worst([V.HOLDS, V.UNKNOWN, V.PROVED]) is V.UNKNOWN
    assert worst([V.UNKNOWN, V.VIOLATED]) is V.VIOLATED
    assert worst([V.VIOLATED, V.CHECKER_BUG, V.HOLDS]) is V.CHECKER_BUG
    assert worst([]) is V.PROVED
    assert [v.exit_code for v in (V.PROVED, V.HOLDS, V.VIOLATED, V.UNKNOWN, V.CHECKER_BUG)] \
        == [0, 0, 1, 3, 4]
    assert V.PROVED.agrees(V.HOLDS) and not V.HOLDS.agrees(V.UNKNOWN)


def test_result_json_roundtrip() -> None:
    m = toys.counter_model(2, atomic=False)
    rs: list[CheckResult] = explore(m, 7) + bmc(m, 7)
    data = json.loads(json.dumps([r.to_json() for r in rs]))
    assert {d["engine"] for d in data} == {"explicit", "smt"}
    viol = [d for d in data if d["verdict"] == "VIOLATED"]
    assert viol and all(d["replay"]["first_violation"] for d in viol)
