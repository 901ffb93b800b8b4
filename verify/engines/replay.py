"""Replay: run a schedule on the concrete MMU and report what happens at every step.

This module owns the concrete step semantics shared by every engine and the witness
confirmation that the SMT engine relies on:

* :class:`Frame` — the state codec: a state is a tuple of values in ``model.vars`` order;
  the initial state is every ``Var.init``; :meth:`Frame.apply` applies an action's partial
  update (``Model.step``) with the frame rule (unwritten variables keep their value) and
  normalises values exactly as the bitvector semantics does (ints masked to the
  variable's width, booleans stay booleans).  The explicit explorer uses the same codec,
  so the explorer, the replay and the SMT encoding agree on what a step does.
* :func:`replay` — executes a schedule (a list of action labels) step by step on
  :data:`~verify.expr.CONCRETE`.  A step whose label is unknown or whose action is not
  enabled raises :class:`ReplayError` (a corrupted witness is a checker bug).  It records
  the state and the diff after each step and the first depth (0 = initial state) at which
  each property is violated.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from verify.errors import CheckerBug
from verify.expr import CONCRETE
from verify.model import Action, Model, Property, St

State = tuple[Any, ...]


class InitialSetTimeout(Exception):
    """The time limit passed while the initial set was being enumerated."""


class ReplayError(CheckerBug):
    """A schedule that the concrete MMU cannot execute."""

    def __init__(self, index: int, label: str, reason: str) -> None:
        super().__init__(f"replay failed at step {index} ({label}): {reason}")
        self.index = index
        self.label = label
        self.reason = reason


class Frame:
    """State codec for one model: tuples in ``model.vars`` order."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.names: tuple[str, ...] = tuple(v.name for v in model.vars)
        self.index: dict[str, int] = dict(model.var_index)
        # None = boolean variable, otherwise the width mask
        self.masks: tuple[int | None, ...] = tuple(
            None if v.is_bool else (1 << v.width) - 1 for v in model.vars)

    def initial(self, start: Mapping[str, Any] | None = None) -> State:
        """The initial state: every ``Var.init``, with the free variables of the model's
        initial set taken from ``start`` (which must then be a member of the set)."""
        out = []
        for v in self.model.vars:
            value = v.init if start is None or v.name not in start else start[v.name]
            out.append(self._norm(v.name, value))
        s = tuple(out)
        if start is not None:
            problem = self.init_problem(s)
            if problem is not None:
                raise ReplayError(0, "<initial state>", problem)
        return s

    def init_problem(self, s: State) -> str | None:
        """Why ``s`` is not an initial state of the model (None if it is one)."""
        iset = self.model.init_set
        for v, x in zip(self.model.vars, s, strict=True):
            fixed = ~(iset.free.get(v.name, 0) if iset is not None else 0)
            init = self._norm(v.name, v.init)
            if v.is_bool:
                if fixed & 1 and x != init:
                    return f"{v.name} = {x} but it starts as {init}"
            elif (x ^ int(init)) & fixed & ((1 << v.width) - 1):
                return f"{v.name} = {x:#x} differs from its start {int(init):#x} outside " \
                       "the free bits of the initial set"
        if iset is not None and not iset.constraint(CONCRETE, self.st(s)):
            return "the state breaks the constraint of the initial set"
        return None

    def initial_states(self, limit: int = 1 << 18, members: int = 1 << 16,
                       deadline: float | None = None) -> list[State]:
        """Every state of the model's initial set.  Up to ``limit`` candidates, by
        enumerating the free bits and keeping those that satisfy the constraint; past
        that, by asking z3 for the members one by one (:meth:`_initial_states_smt`,
        at most ``members`` of them).  Raises ``ValueError`` when the set is too large,
        :class:`InitialSetTimeout` when ``deadline`` (``time.monotonic()``) passes first."""
        iset = self.model.init_set
        if iset is None:
            return [self.initial()]
        bits = iset.free_bits()
        if (1 << bits) > limit:
            return self._initial_states_smt(members, deadline)
        base = list(self.initial())
        choices: list[tuple[int, list[Any]]] = []
        for name, mask in iset.free.items():
            i = self.index[name]
            if self.masks[i] is None:
                choices.append((i, [False, True]))
                continue
            fixed = int(base[i]) & ~mask
            subs = [0]
            for b in range(mask.bit_length()):
                if mask >> b & 1:
                    subs = subs + [x | (1 << b) for x in subs]
            choices.append((i, [fixed | x for x in subs]))
        out: list[State] = []
        for n, combo in enumerate(itertools.product(*[vals for _, vals in choices])):
            if deadline is not None and n % 4096 == 0 and time.monotonic() > deadline:
                raise InitialSetTimeout(f"{n} of {1 << bits} candidates tried")
            cand = list(base)
            for (i, _), val in zip(choices, combo, strict=True):
                cand[i] = val
            s = tuple(cand)
            if iset.constraint(CONCRETE, self.st(s)):
                out.append(s)
        return out

    def _initial_states_smt(self, members: int, deadline: float | None = None) -> list[State]:
        """The initial set enumerated by z3 (all solutions of the symbolic ``Init`` over
        the free bits, each blocked once found), for sets whose free bits are too many to
        try one by one but whose members are few (two SPTEs of 36 legal forms each have
        25 free bits and 1,296 members).  Every member is also checked against the
        concrete constraint: a disagreement is a checker bug.  (z3's incremental solver:
        with the blocking clauses added one by one it is about 15 times faster here than
        the ``QF_BV`` tactic solver, which bit-blasts everything again on each check:
        6,272 members of tdp-recover-logged's initial set in 6.4 s against 93 s.)"""
        import z3

        from verify.engines.bmc import Encoding

        iset = self.model.init_set
        assert iset is not None
        enc = Encoding(self.model, reduction=False)
        solver = z3.Solver(ctx=enc.ctx)
        solver.add(*enc.init())
        cur = enc.states[0]
        free = [(i, v, iset.free[v.name]) for i, v in enumerate(self.model.vars)
                if iset.free.get(v.name)]
        base = list(self.initial())
        out: list[State] = []
        while solver.check() == z3.sat:
            if deadline is not None and time.monotonic() > deadline:
                raise InitialSetTimeout(f"{len(out)} members found")
            if len(out) >= members:
                raise ValueError(
                    f"{self.model.name}: the initial set has {iset.free_bits()} free bits "
                    f"and more than {members} members; use the SMT engine")
            m = solver.model()
            cand = list(base)
            block = []
            for i, v, mask in free:
                x = cur[v.name]
                val = m.eval(x, model_completion=True)
                if v.is_bool:
                    cand[i] = z3.is_true(val)
                    block.append(x != val)
                else:
                    got = val.as_long() if isinstance(val, z3.BitVecNumRef) else 0
                    cand[i] = (int(base[i]) & ~mask) | (got & mask)
                    block.append(x & mask != got & mask)
            s = tuple(cand)
            problem = self.init_problem(s)
            if problem is not None:
                raise CheckerBug(f"model {self.model.name}: z3 and the concrete MMU disagree "
                                 f"on the initial set: {problem}")
            out.append(s)
            solver.add(z3.Or(*block))
        return out

    def as_dict(self, s: State) -> dict[str, Any]:
        return dict(zip(self.names, s, strict=True))

    def st(self, s: State) -> St:
        return St(self.as_dict(s))

    def _norm(self, name: str, value: Any) -> Any:
        i = self.index.get(name)
        if i is None:
            raise CheckerBug(f"model {self.model.name}: update of unknown variable {name!r}")
        mask = self.masks[i]
        if mask is None:
            if not isinstance(value, bool):
                raise CheckerBug(f"model {self.model.name}: boolean variable {name} got "
                                 f"{value!r} ({type(value).__name__}) on the concrete backend")
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            raise CheckerBug(f"model {self.model.name}: bitvector variable {name} got "
                             f"{value!r} ({type(value).__name__}) on the concrete backend")
        return value & mask

    def apply(self, s: State, upd: Mapping[str, Any]) -> State:
        out = list(s)
        for name, value in upd.items():
            v = self._norm(name, value)  # raises on an unknown name
            out[self.index[name]] = v
        return tuple(out)

    def enabled(self, s: State, a: Action, st: St | None = None) -> bool:
        r = self.model.enabled(CONCRETE, st if st is not None else self.st(s), a)
        return bool(r)

    def successor(self, s: State, a: Action, st: St | None = None) -> State:
        return self.apply(s, self.model.step(CONCRETE, st if st is not None else self.st(s), a))


@dataclass
class ReplayStep:
    """One executed step: ``depth`` is the number of actions taken after it (1-based)."""

    depth: int
    label: str
    action_id: int
    text: str
    state: dict[str, Any]
    diff: dict[str, tuple[Any, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "depth": self.depth,
            "label": self.label,
            "action_id": self.action_id,
            "text": self.text,
            "diff": {k: [_jv(a), _jv(b)] for k, (a, b) in self.diff.items()},
        }


@dataclass
class ReplayResult:
    """What a replay saw.  ``first_violation[p]`` is the depth (0 = initial state, i =
    after step i) at which property ``p`` is first violated; absent = never."""

    model: str
    schedule: list[str]
    initial: dict[str, Any]
    steps: list[ReplayStep]
    checked: list[str]
    first_violation: dict[str, int] = field(default_factory=dict)
    violated_at: dict[str, list[int]] = field(default_factory=dict)

    def violates(self, prop: str | Property) -> bool:
        name = prop if isinstance(prop, str) else prop.name
        return name in self.first_violation

    def violated_at_depth(self, prop: str | Property, depth: int) -> bool:
        name = prop if isinstance(prop, str) else prop.name
        return depth in self.violated_at.get(name, [])

    @property
    def final(self) -> dict[str, Any]:
        return self.steps[-1].state if self.steps else self.initial

    def state_at(self, depth: int) -> dict[str, Any]:
        return self.initial if depth == 0 else self.steps[depth - 1].state

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "schedule": list(self.schedule),
            "initial": {k: _jv(v) for k, v in self.initial.items()},
            "steps": [s.to_json() for s in self.steps],
            "first_violation": dict(self.first_violation),
        }


def _jv(v: Any) -> Any:
    return v if isinstance(v, bool | int) else str(v)


def replay(model: Model, schedule: Sequence[str],
           properties: Iterable[str | Property] | None = None,
           start: Mapping[str, Any] | None = None) -> ReplayResult:
    """Execute ``schedule`` on the concrete MMU from the initial state (or, for a model
    with an initial set, from ``start``: the values of its free variables, checked to be
    a member).  ``properties`` defaults to all of the model's properties.  Raises
    :class:`ReplayError` on an unknown or disabled step or a start outside the set."""
    frame = Frame(model)
    props: list[Property] = []
    for p in (model.properties if properties is None else properties):
        props.append(model.property(p) if isinstance(p, str) else p)
    s = frame.initial(start)
    d = frame.as_dict(s)
    res = ReplayResult(model.name, list(schedule), dict(d), [], [p.name for p in props])

    def check(depth: int, st: St) -> None:
        for p in props:
            if bool(model.violated(CONCRETE, st, p)):
                res.violated_at.setdefault(p.name, []).append(depth)
                res.first_violation.setdefault(p.name, depth)

    check(0, St(d))
    for i, label in enumerate(schedule):
        a = model.by_label.get(label)
        if a is None:
            raise ReplayError(i, str(label), "no such action in model " + model.name)
        st = St(d)
        if not frame.enabled(s, a, st):
            raise ReplayError(i, label, "action not enabled in the state reached")
        s2 = frame.successor(s, a, st)
        d2 = frame.as_dict(s2)
        diff = {k: (d[k], d2[k]) for k in frame.names if d[k] != d2[k]}
        res.steps.append(ReplayStep(i + 1, label, a.id, a.text, d2, diff))
        s, d = s2, d2
        check(i + 1, St(d))
    return res
