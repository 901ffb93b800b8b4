"""Explicit-state engine: exhaustive breadth-first search of a :class:`~verify.model.Model`
on the concrete backend.

This module owns the explicit explorer.  One BFS up to ``bound`` actions checks a list of
properties at once: states are tuples in ``model.vars`` order
(:class:`~verify.engines.replay.Frame`),
hashed so that equal states are visited once; each state is first reached at its shortest
depth, so the first violating state found for a property is a shortest violation.  The
schedule is rebuilt through parent pointers and confirmed by :func:`~verify.engines.replay.replay`.

Semantics (identical to the SMT engine, :mod:`verify.engines.bmc`): action ``a`` is enabled in
``s`` iff ``model.enabled(CONCRETE, s, a)`` (only actions whose actor's pc is at ``a.src``
are even evaluated); the successor is ``s`` updated with ``model.step``; properties are
checked in every state reached within the bound, depth 0 included; with ``reduction`` on,
the rule of :mod:`verify.engines.reduction` restricts the enabled set.

Verdicts: VIOLATED (replayed), HOLDS (nothing within the bound), PROVED (the search ran out
of new states before the bound: the whole reachable state space was checked), UNKNOWN
(``max_states`` or ``time_limit`` hit before a verdict).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from verify.engines.preflight import preflight
from verify.engines.reduction import reduce_enabled, require_reduction_safe
from verify.engines.replay import Frame, InitialSetTimeout, ReplayError, State, replay
from verify.errors import InputError
from verify.expr import CONCRETE
from verify.model import Action, Model, Property, St
from verify.reports.results import CheckResult, ProgressFn, Verdict

ENGINE = "explicit"


@dataclass
class ExploreStats:
    states: int = 0
    transitions: int = 0
    depth_reached: int = 0
    exhausted: bool = False
    limit_hit: str | None = None


class _Successors:
    """Precomputed per-actor pc index and actions by (actor, pc code)."""

    def __init__(self, model: Model, frame: Frame, reduction: bool) -> None:
        self.model = model
        self.frame = frame
        self.reduction = reduction
        self.table: list[tuple[int, dict[int, list[Action]]]] = []
        for info in model.actors:
            pc_i = frame.index[model.pc_var(info.name)]
            by_pc: dict[int, list[Action]] = {}
            for a in model.actions:
                if a.actor == info.name:
                    by_pc.setdefault(model.pc_code(a.actor, a.src), []).append(a)
            self.table.append((pc_i, by_pc))

    def enabled(self, s: State, st: St) -> list[Action]:
        out: list[Action] = []
        for pc_i, by_pc in self.table:
            for a in by_pc.get(s[pc_i], ()):
                # the pc already matches a.src; this is model.enabled's remaining conjunct
                if a.guard(CONCRETE, st):
                    out.append(a)
        return out

    def successors(self, s: State) -> list[tuple[Action, State]]:
        st = self.frame.st(s)
        en: Sequence[Action] = self.enabled(s, st)
        if self.reduction:
            en = reduce_enabled(en)
        return [(a, self.frame.apply(s, self.model.step(CONCRETE, st, a))) for a in en]



def explore(model: Model, bound: int, properties: Sequence[str | Property] | None = None, *,
            reduction: bool = True, max_states: int | None = None,
            time_limit: float | None = None,
            progress: ProgressFn | None = None,
            seen: set[State] | None = None) -> list[CheckResult]:
    """Check ``properties`` (default: all of the model's) in every state reachable within
    ``bound`` actions.  Returns one :class:`CheckResult` per property, in order.
    ``progress(depth, states, None)`` is called as the search goes (every level, and every
    few thousand states).  ``seen``, if given, receives every state visited: when the
    search was exhausted, that is :func:`reachable_states` of the same reduction."""
    t0 = time.monotonic()
    props = preflight(model, bound, reduction, properties)
    frame = Frame(model)
    succ = _Successors(model, frame, reduction)
    stats = ExploreStats()

    # parent pointers: state -> (parent state, action id); the initial state maps to None
    parent: dict[State, tuple[State, int] | None] = {}
    found: dict[str, tuple[State, int]] = {}   # property -> (violating state, depth)
    open_props = list(props)

    def check(s: State, depth: int) -> None:
        st = frame.st(s)
        for p in list(open_props):
            if model.violated(CONCRETE, st, p):
                found[p.name] = (s, depth)
                open_props.remove(p)

    try:
        roots = frame.initial_states(
            deadline=None if time_limit is None else t0 + time_limit)
    except ValueError as e:
        raise InputError(f"explicit engine: {e}") from None
    except InitialSetTimeout as e:
        roots = []
        stats.limit_hit = f"time limit {time_limit}s reached while enumerating the " \
                          f"initial set ({e})"
    frontier = []
    for init in roots:
        if init in parent:
            continue
        parent[init] = None
        stats.states += 1
        check(init, 0)
        frontier.append(init)
    depth = 0
    while frontier and open_props and depth < bound:
        nxt: list[State] = []
        for s in frontier:
            for a, s2 in succ.successors(s):
                stats.transitions += 1
                if s2 in parent:
                    continue
                parent[s2] = (s, a.id)
                stats.states += 1
                nxt.append(s2)
                check(s2, depth + 1)
                if progress is not None and stats.states % 4096 == 0:
                    progress(depth + 1, stats.states, None)
                if max_states is not None and stats.states >= max_states:
                    stats.limit_hit = f"state limit {max_states} reached"
                    break
            if stats.limit_hit is None and time_limit is not None \
                    and time.monotonic() - t0 > time_limit:
                stats.limit_hit = f"time limit {time_limit}s reached"
            if stats.limit_hit is not None:
                break
        depth += 1
        frontier = nxt
        if progress is not None:
            progress(depth, stats.states, None)
        if stats.limit_hit is not None:
            break
    stats.depth_reached = depth
    stats.exhausted = not frontier and stats.limit_hit is None
    if seen is not None:
        seen.update(parent)
    elapsed = time.monotonic() - t0

    results: list[CheckResult] = []
    for p in props:
        r = CheckResult(model.name, p.name, ENGINE, None, bound, Verdict.HOLDS, elapsed,
                        states=stats.states, reduction=reduction,
                        extra={"transitions": stats.transitions,
                               "depth_reached": stats.depth_reached,
                               "exhausted": stats.exhausted})
        hit = None
        if p.name in found:
            s, d = found[p.name]
            schedule, root = _schedule(model, parent, s)
            hit = (d, schedule, root)
        settle(model, frame, p, r, hit=hit, limit=stats.limit_hit, exhausted=stats.exhausted,
               states=stats.states, depth_reached=stats.depth_reached, bound=bound)
        results.append(r)
    return results


def _schedule(model: Model, parent: dict[State, tuple[State, int] | None],
              s: State) -> tuple[list[str], State]:
    """The schedule from an initial state to ``s``, and that initial state."""
    out: list[str] = []
    cur = parent[s]
    root = s
    while cur is not None:
        prev, aid = cur
        out.append(model.actions[aid].label)
        root = prev
        cur = parent[prev]
    out.reverse()
    return out, root


def start_of(model: Model, frame: Frame, root: State) -> dict[str, Any] | None:
    """The free variables of the model's initial set in ``root`` (None: one initial
    state), as a witness records them."""
    if model.init_set is None:
        return None
    d = frame.as_dict(root)
    return {name: d[name] for name in model.init_set.free}


def settle(model: Model, frame: Frame, p: Property, r: CheckResult, *,
           hit: tuple[int, list[str], State] | None, limit: str | None, exhausted: bool,
           states: int, depth_reached: int, bound: int, store: str = "") -> None:
    """The verdict of one property after an explicit search, on ``r``: a violation found
    at some depth (``hit``: depth, schedule, its initial state) is replayed; otherwise a
    limit is UNKNOWN, an exhausted state space PROVED, else HOLDS to ``bound``.
    ``store`` names what was counted (e.g. "orbits of states, 128-bit fingerprinted
    store")."""
    if hit is not None:
        d, schedule, root = hit
        _confirm(model, p, schedule, d, r, start_of(model, frame, root))
    elif limit is not None:
        r.verdict = Verdict.UNKNOWN
        r.message = (f"{limit} after {states} states at depth {depth_reached}; "
                     "no violation so far")
    elif exhausted:
        r.verdict = Verdict.PROVED
        r.message = (f"state space exhausted at depth {depth_reached - 1} ({states} "
                     f"{store or 'states'}); holds in every reachable state")
    else:
        r.message = f"no violation within {bound} steps ({states} states)"


def _confirm(model: Model, p: Property, schedule: list[str], depth: int,
             r: CheckResult, start: dict[str, Any] | None = None) -> None:
    r.depth = depth
    r.witness = schedule
    if start is not None:
        r.extra["start"] = start
    try:
        rep = replay(model, schedule, [p], start)
    except ReplayError as e:
        r.verdict = Verdict.CHECKER_BUG
        r.message = f"explorer witness does not replay: {e}"
        return
    r.replay = rep
    if len(schedule) == depth and rep.violated_at_depth(p, depth):
        r.verdict = Verdict.VIOLATED
        r.message = f"{p.name} violated after {depth} steps (replayed)"
    else:
        r.verdict = Verdict.CHECKER_BUG
        r.message = (f"explorer witness of length {len(schedule)} does not violate "
                     f"{p.name} at depth {depth} on replay")


def reachable_states(model: Model, limit: int = 2_000_000, *, reduction: bool = False,
                     time_limit: float | None = None) -> set[State]:
    """Every state reachable from the initial set (no bound): for analyses that need the
    whole state set of a small model, and for the exhausted-state-space certificate
    (``reduction=True``: the reduced system both engines check).  Raises ``ValueError``
    past ``limit`` states or ``time_limit`` seconds."""
    t0 = time.monotonic()
    frame = Frame(model)
    if reduction:
        require_reduction_safe(model)
    succ = _Successors(model, frame, reduction)
    seen = set(frame.initial_states())
    todo = list(seen)
    while todo:
        s = todo.pop()
        for _a, n in succ.successors(s):
            if n not in seen:
                if len(seen) >= limit:
                    raise ValueError(f"{model.name}: more than {limit} states")
                seen.add(n)
                todo.append(n)
        if time_limit is not None and len(seen) % 1024 == 0 \
                and time.monotonic() - t0 > time_limit:
            raise ValueError(f"{model.name}: time limit {time_limit}s reached after "
                             f"{len(seen)} states")
    return seen


def explore_one(model: Model, bound: int, prop: str | Property, **kw: Any) -> CheckResult:
    """Convenience: :func:`explore` for a single property."""
    return explore(model, bound, [prop], **kw)[0]


__all__ = ["ENGINE", "ExploreStats", "explore", "explore_one", "reachable_states", "settle"]
