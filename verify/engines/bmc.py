"""SMT engine: bounded model checking of a :class:`~verify.model.Model`, with every
witness replayed on the concrete MMU.

This module owns the bitvector encoding of a model and the incremental search.  The
encoding is built from the model's own actions through :class:`~verify.expr.Z3Ops` — there
is no second copy of the protocol:

* state variables ``<var>@k`` per step ``k`` (a z3 ``BitVec`` of ``Var.width``, or a
  ``Bool`` for width 0), with ``<var>@0 = Var.init``;
* a scheduler choice ``sel@k`` (a bitvector wide enough to hold ``len(actions)``), with
  ``sel@k < len(actions)`` and ``sel@k = i ⇒ enabled(a_i, state k)``; with the reduction
  on, also ``(some local action enabled) ⇒ sel@k = the lowest-id enabled local action``
  (:mod:`verify.engines.reduction`);
* a functional next state: ``v@(k+1) = ite(sel@k = a1, e1(v), ite(sel@k = a2, e2(v), …
  v@k))`` over only the actions whose write set (the keys of ``model.step``, pc included,
  computed once) contains ``v`` — the frame condition is the final ``v@k``.

Search: the transition relation of step ``k`` is asserted permanently; for each depth
``j = 0, 1, …, bound`` and each property not yet decided, ``violated(p, state j)`` is
checked under a push/pop, so the first satisfiable depth is a shortest violation.
unsat up to the bound → HOLDS; a time-out or ``unknown`` → UNKNOWN (never HOLDS).

Confirmation: a satisfying assignment's ``sel@0 … sel@(j-1)`` become a schedule of
action labels, replayed with :func:`~verify.engines.replay.replay`; only a replay that violates
the property at depth ``j`` gives VIOLATED.  Anything else is a CHECKER_BUG, with the
witness saved as JSON (the path is in the result's message and ``witness_file``).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import z3

from verify.engines.preflight import preflight
from verify.engines.reduction import symbolic_state
from verify.engines.replay import ReplayError, replay
from verify.engines.solvers import DEFAULT_SOLVER, Backend, make_backend
from verify.errors import CheckerBug
from verify.expr import Z3Ops
from verify.model import Action, Model, Property, St
from verify.reports.results import CheckResult, ProgressFn, Verdict

ENGINE = "smt"
WITNESS_DIR_ENV = "SPTE_VERIFY_WITNESS_DIR"


class Encoding:
    """The unrolled transition system of one model, step by step."""

    def __init__(self, model: Model, reduction: bool = True,
                 ctx: z3.Context | None = None) -> None:
        self.model = model
        self.reduction = reduction
        self.o = Z3Ops(ctx if ctx is not None else z3.Context())
        self.ctx = self.o.ctx
        n = len(model.actions)  # with no actions, sel@k < 0 is false: no transitions
        self.sel_width = max(1, n.bit_length())
        self.states: list[dict[str, Any]] = [symbolic_state(model, self.o, "@0")]
        self.sels: list[z3.BitVecRef] = []
        # write sets, once, from the symbolic effect on the step-0 state (pc included)
        st0 = St(self.states[0])
        self.writes: dict[int, frozenset[str]] = {
            a.id: frozenset(model.step(self.o, st0, a)) for a in model.actions}
        self.writers: dict[str, list[Action]] = {v.name: [] for v in model.vars}
        for a in model.actions:
            for name in self.writes[a.id]:
                if name not in self.writers:
                    raise CheckerBug(f"model {model.name}: action {a.label} writes unknown "
                                     f"variable {name!r}")
                self.writers[name].append(a)
        self.locals = sorted((a for a in model.actions if a.local), key=lambda a: a.id)

    def init(self, k: int = 0) -> list[z3.BoolRef]:
        """The initial states, over the variables of state ``k``: each variable equals
        ``Var.init`` outside its free bits (``Model.init_set``), and the set's
        constraint holds."""
        out: list[z3.BoolRef] = []
        iset = self.model.init_set
        free = iset.free if iset is not None else {}
        for v in self.model.vars:
            x = self.states[k][v.name]
            mask = free.get(v.name, 0)
            if v.is_bool:
                if not mask:
                    out.append(x == self._const(True, 0, v.init))
                continue
            keep = ((1 << v.width) - 1) & ~mask
            if not mask:
                out.append(x == self._const(False, v.width, v.init))
            elif keep:
                kv = z3.BitVecVal(keep, v.width, self.ctx)
                out.append(x & kv == self._const(False, v.width, int(v.init) & keep))
        if iset is not None:
            c = iset.constraint(self.o, St(self.states[k]))
            out.append(c if isinstance(c, z3.BoolRef) else z3.BoolVal(bool(c), self.ctx))
        return out

    def free_vars(self) -> list[Any]:
        """The step-0 constants whose initial value the solver chooses."""
        iset = self.model.init_set
        if iset is None:
            return []
        return [self.states[0][v.name] for v in self.model.vars if iset.free.get(v.name)]

    def _const(self, is_bool: bool, width: int, value: Any) -> Any:
        if is_bool:
            return z3.BoolVal(bool(value), self.ctx)
        return z3.BitVecVal(int(value) & ((1 << width) - 1), width, self.ctx)

    def _coerce(self, name: str, value: Any) -> Any:
        if isinstance(value, z3.ExprRef):
            return value
        v = self.model.vars[self.model.var_index[name]]
        return self._const(v.is_bool, v.width, value)

    def sel_is(self, sel: z3.BitVecRef, a: Action) -> z3.BoolRef:
        r = sel == z3.BitVecVal(a.id, self.sel_width, self.ctx)
        assert isinstance(r, z3.BoolRef)
        return r

    def unroll(self) -> list[z3.BoolRef]:
        """Add step ``k = len(sels)``: returns the constraints defining ``sel@k`` and
        ``state k+1``."""
        m, o = self.model, self.o
        k = len(self.sels)
        cur = self.states[k]
        st = St(cur)
        sel = z3.BitVec(f"sel@{k}", self.sel_width, self.ctx)
        self.sels.append(sel)
        nxt = symbolic_state(m, o, f"@{k + 1}")
        self.states.append(nxt)
        cons: list[z3.BoolRef] = [
            z3.ULT(sel, z3.BitVecVal(len(m.actions), self.sel_width, self.ctx))]
        en: dict[int, Any] = {}
        upd: dict[int, dict[str, Any]] = {}
        for a in m.actions:
            en[a.id] = m.enabled(o, st, a)
            upd[a.id] = m.step(o, st, a)
            if frozenset(upd[a.id]) != self.writes[a.id]:
                raise CheckerBug(f"model {m.name}: action {a.label} writes a different set "
                                 f"of variables at step {k}")
            cons.append(z3.Implies(self.sel_is(sel, a), en[a.id]))
        if self.reduction and self.locals:
            chosen: Any = z3.BitVecVal(self.locals[-1].id, self.sel_width, self.ctx)
            for a in reversed(self.locals[:-1]):
                chosen = z3.If(en[a.id], z3.BitVecVal(a.id, self.sel_width, self.ctx), chosen)
            any_local = o.or_(*[en[a.id] for a in self.locals])
            cons.append(z3.Implies(any_local, sel == chosen))
        for v in m.vars:
            expr: Any = cur[v.name]
            for a in reversed(self.writers[v.name]):
                expr = z3.If(self.sel_is(sel, a), self._coerce(v.name, upd[a.id][v.name]),
                             expr)
            cons.append(nxt[v.name] == expr)
        return cons

    def violated(self, p: Property, k: int) -> z3.BoolRef:
        r = self.model.violated(self.o, St(self.states[k]), p)
        if not isinstance(r, z3.BoolRef):
            r = z3.BoolVal(bool(r), self.ctx)
        return r


def _decode_schedule(model: Model, sel_values: Sequence[int]) -> list[str]:
    """Scheduler choices → action labels (an out-of-range choice gets a label that no
    action has, so replay rejects it)."""
    out = []
    for v in sel_values:
        out.append(model.actions[v].label if 0 <= v < len(model.actions)
                   else f"<invalid action {v}>")
    return out



def witness_dir(path: str | os.PathLike[str] | None = None) -> Path:
    if path is not None:
        return Path(path)
    env = os.environ.get(WITNESS_DIR_ENV)
    if env:
        return Path(env)
    return Path(tempfile.gettempdir()) / "spte-verify-witnesses"


def save_witness(data: dict[str, Any], directory: str | os.PathLike[str] | None = None) -> str:
    d = witness_dir(directory)
    d.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_",
                  f"{data.get('model')}-{data.get('property')}-{data.get('solver')}")
    fd, path = tempfile.mkstemp(prefix=stem + "-", suffix=".json", dir=d)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=2, default=str)
    return path


def bmc(model: Model, bound: int, properties: Sequence[str | Property] | None = None, *,
        reduction: bool = True, solver: str = DEFAULT_SOLVER, timeout_ms: int | None = None,
        time_limit: float | None = None,
        witness_directory: str | os.PathLike[str] | None = None,
        progress: ProgressFn | None = None, disjunction: bool = True) -> list[CheckResult]:
    """Bounded model checking of ``properties`` (default: all) up to ``bound`` actions.
    ``disjunction``: at each depth first one query for "some open property is violated
    here"; the per-property queries run only when it is sat or unknown (the answers are
    the same, the unsat depths cost one query instead of one per property).
    ``timeout_ms`` limits each solver query; ``time_limit`` (seconds) the whole run (a
    query is cut at the time that remains).  ``progress(depth, None, property)`` is called
    before each query.  Returns one :class:`CheckResult` per property, in order."""
    t0 = time.monotonic()
    props = preflight(model, bound, reduction, properties)
    enc = Encoding(model, reduction)
    backend: Backend = make_backend(solver, enc.ctx, timeout_ms)
    for c in enc.init():
        backend.add(c)

    results: dict[str, CheckResult] = {}
    open_props = list(props)
    queries = 0
    reached = -1       # deepest depth fully checked for every open property
    stopped = False    # the overall time limit ended the run
    for j in range(bound + 1):
        if time_limit is not None and time.monotonic() - t0 > time_limit:
            stopped = True
            break
        if j > 0:
            for c in enc.unroll():
                backend.add(c)
        if len(open_props) > 1 and disjunction:
            # one query for all open properties; only when some is violated here (or the
            # solver gives up) are they asked one by one, to find which
            queries += 1
            if progress is not None:
                progress(j, None, None)
            if time_limit is not None:
                left_ms = max(1, int((time_limit - (time.monotonic() - t0)) * 1000))
                backend.set_timeout(left_ms if timeout_ms is None else min(left_ms, timeout_ms))
            anyp = z3.Or(*[enc.violated(p, j) for p in open_props])
            if backend.check(anyp, []).status == "unsat":
                reached = j
                continue
        for p in list(open_props):
            queries += 1
            if progress is not None:
                progress(j, None, p.name)
            if time_limit is not None:
                left_ms = max(1, int((time_limit - (time.monotonic() - t0)) * 1000))
                backend.set_timeout(left_ms if timeout_ms is None else min(left_ms, timeout_ms))
            ans = backend.check(enc.violated(p, j), [*enc.sels[:j], *enc.free_vars()])
            if ans.status == "unsat":
                continue
            if ans.status == "unknown" and time_limit is not None \
                    and time.monotonic() - t0 >= time_limit:
                stopped = True
                break
            open_props.remove(p)
            r = CheckResult(model.name, p.name, ENGINE, backend.name, bound, Verdict.UNKNOWN,
                            time.monotonic() - t0, reduction=reduction)
            if ans.status == "unknown":
                r.message = (f"solver {backend.name} gave up at depth {j} "
                             f"({ans.reason or 'unknown'}); no violation up to depth {j - 1}")
                r.extra["undecided_depth"] = j
            else:
                sel_values = [ans.values.get(s.decl().name(), -1) for s in enc.sels[:j]]
                _confirm(model, p, j, sel_values, r, witness_directory,
                         start_from_answer(model, ans.values))
            results[p.name] = r
        if stopped:
            break
        reached = j
        if not open_props:
            break
    elapsed = time.monotonic() - t0
    out: list[CheckResult] = []
    for p in props:
        if p.name in results:
            out.append(results[p.name])
            continue
        r = CheckResult(model.name, p.name, ENGINE, backend.name, bound, Verdict.HOLDS,
                        elapsed, reduction=reduction)
        if stopped:
            r.verdict = Verdict.UNKNOWN
            r.message = (f"time limit {time_limit:g}s reached; no violation up to depth "
                         f"{reached}")
        else:
            r.message = f"no violation within {bound} steps"
        out.append(r)
    for r in out:
        r.extra.setdefault("queries", queries)
    return out


def start_from_answer(model: Model, values: dict[str, int]) -> dict[str, Any] | None:
    """The initial state a solver chose (its free variables' values at step 0), as
    variable → value, or None for a model with one initial state."""
    iset = model.init_set
    if iset is None:
        return None
    out: dict[str, Any] = {}
    for v in model.vars:
        raw = values.get(f"{v.name}@0")
        if raw is None or not iset.free.get(v.name):
            out[v.name] = v.init
        else:
            out[v.name] = bool(raw) if v.is_bool else raw
    return out


def _confirm(model: Model, p: Property, depth: int, sel_values: list[int], r: CheckResult,
             directory: str | os.PathLike[str] | None,
             start: dict[str, Any] | None = None) -> None:
    schedule = _decode_schedule(model, sel_values)
    r.depth = depth
    r.witness = schedule
    if start is not None:
        r.extra["start"] = start
    problem: str | None = None
    try:
        rep = replay(model, schedule, [p], start=start)
    except ReplayError as e:
        problem = str(e)
    else:
        r.replay = rep
        if len(schedule) != depth:
            problem = f"schedule has {len(schedule)} steps, expected {depth}"
        elif not rep.violated_at_depth(p, depth):
            problem = f"replay does not violate {p.name} at depth {depth}"
    if problem is None:
        r.verdict = Verdict.VIOLATED
        r.message = f"{p.name} violated after {depth} steps (SMT witness replayed)"
        return
    r.verdict = Verdict.CHECKER_BUG
    r.extra["problem"] = problem
    r.message = (f"CHECKER BUG: SMT witness for {p.name} at depth {depth} does not replay "
                 f"on the concrete MMU: {problem}")
    if directory is None:
        return  # the caller (``check``) saves it in the witness format
    try:
        path = save_witness({
            "model": model.name, "property": p.name, "solver": r.solver, "depth": depth,
            "sel": sel_values, "schedule": schedule, "problem": problem,
            "start": {k: (v if isinstance(v, bool) else hex(v)) for k, v in start.items()}
            if start is not None else None,
            "replay": r.replay.to_json() if r.replay is not None else None,
        }, directory)
    except OSError as e:
        r.message += f"; the witness could not be saved in {directory}: {e.strerror or e}"
        return
    r.witness_file = path
    r.message += f"; witness saved to {path}"


def bmc_one(model: Model, bound: int, prop: str | Property, **kw: Any) -> CheckResult:
    """Convenience: :func:`bmc` for a single property."""
    return bmc(model, bound, [prop], **kw)[0]
