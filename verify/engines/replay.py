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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from verify.errors import CheckerBug
from verify.expr import CONCRETE
from verify.model import Action, Model, Property, St

State = tuple[Any, ...]


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

    def initial(self) -> State:
        out = []
        for v in self.model.vars:
            out.append(self._norm(v.name, v.init))
        return tuple(out)

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
           properties: Iterable[str | Property] | None = None) -> ReplayResult:
    """Execute ``schedule`` on the concrete MMU.  ``properties`` defaults to all of the
    model's properties.  Raises :class:`ReplayError` on an unknown or disabled step."""
    frame = Frame(model)
    props: list[Property] = []
    for p in (model.properties if properties is None else properties):
        props.append(model.property(p) if isinstance(p, str) else p)
    s = frame.initial()
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
