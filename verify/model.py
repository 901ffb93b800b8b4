"""The protocol-model language: state variables, atomic actions, actors, properties.

A :class:`Model` is a transition system given three ways at once, for every engine:

* ``vars`` and ``init``: the state space and the initial state — one state, or, with an
  :class:`InitSet`, every state whose free bits satisfy a constraint (written against
  :class:`~verify.expr.Ops` like everything else, so it runs on ints and on z3 terms);
* ``actions``: each is one atomic step of one actor — a guard and an effect over the
  state, written against :class:`~verify.expr.Ops` so the same code runs on Python ints
  (concrete MMU, explicit explorer, replay) and on z3 terms (SMT encoding);
* ``properties``: each is a *bad-state* formula (plus whether it is checked in every
  state or only in quiescent states, where no host-side operation is in flight).

An actor is a control-flow graph: every actor owns a program counter ``<actor>.pc`` and an
action is enabled when that pc is at the action's source label and its guard holds.
Branches are separate actions with complementary guards ("cmpxchg succeeds" / "fails"),
so a schedule — the list of action ids taken — determines a run completely.  Hardware
non-determinism (a TLB drop, which access the guest makes) is several enabled actions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from verify.expr import Ops

Value = Any  # a backend value: bool/int concretely, z3 term symbolically
Guard = Callable[[Ops[Any, Any], "St"], Any]
Effect = Callable[[Ops[Any, Any], "St"], dict[str, Value]]


@dataclass(frozen=True)
class Var:
    """One state variable.  ``width`` 0 means boolean."""

    name: str
    width: int
    init: int | bool
    owner: str | None = None  # actor owning a private variable (pc, locals)
    ghost: bool = False       # history for properties, not part of the kernel's state
    doc: str = ""

    @property
    def is_bool(self) -> bool:
        return self.width == 0


class St:
    """A read-only view of a state for guards and effects (either backend)."""

    __slots__ = ("_vals",)

    def __init__(self, vals: Mapping[str, Value]) -> None:
        self._vals = vals

    def __getitem__(self, name: str) -> Value:
        return self._vals[name]

    def get(self, name: str) -> Value:
        return self._vals[name]


@dataclass(frozen=True)
class Action:
    """One atomic step of one actor, from pc label ``src`` to ``dst``."""

    id: int
    actor: str
    name: str
    src: str
    dst: str
    guard: Guard
    effect: Effect
    text: str            # what the step is, in kernel terms ("old_spte = READ_ONCE(*sptep)")
    kernel: str          # the kernel function (file @ tag) it models
    local: bool = False  # touches only its actor's private variables (for reduction)
    spte: int | None = None  # the SPTE index it reads or writes, for trace columns

    @property
    def label(self) -> str:
        return f"{self.actor}.{self.name}"


@dataclass(frozen=True)
class Property:
    """A property as a bad-state formula; ``quiescent`` ones are checked only when no
    host operation is in flight (every host actor is idle or done).  A variant is judged
    by its consequences; rule checks are reported apart from them."""

    name: str
    summary: str
    bad: Callable[[Ops[Any, Any], St], Any]
    quiescent: bool = False
    explain: Callable[[Ops[Any, Any], St], str] | None = None
    kind: str = "consequence"
    """``consequence`` (something goes wrong: a lost dirty bit, a stale TLB entry, ...) or
    ``rule`` (a rule check: the code broke the variant's own lock rules)."""


@dataclass(frozen=True)
class InitSet:
    """A set of initial states: each variable keeps ``Var.init`` outside the bits of its
    ``free`` mask (a boolean's mask is 1), and the whole state satisfies ``constraint``."""

    free: dict[str, int]
    constraint: Callable[[Ops[Any, Any], St], Any]
    doc: str = ""

    def free_bits(self) -> int:
        return sum(bin(m).count("1") for m in self.free.values())


@dataclass(frozen=True)
class ActorInfo:
    name: str
    kind: str            # "host" (a kernel thread / vCPU in KVM code) or "cpu" (hardware)
    title: str           # column heading in traces
    labels: tuple[str, ...]
    idle: frozenset[str]  # labels where the actor has no operation in flight


@dataclass
class Model:
    """A finished transition system; built by :class:`ModelBuilder`."""

    name: str
    summary: str
    vars: list[Var]
    actions: list[Action]
    properties: list[Property]
    actors: list[ActorInfo]
    params: dict[str, str] = field(default_factory=dict)
    init_set: InitSet | None = None
    """None: the single initial state ``Var.init``; otherwise every state of the set."""
    symmetry: tuple[tuple[str, ...], ...] = ()
    """Interchangeable vCPUs, as declared by the scenario: one tuple of variable names per
    vCPU, aligned (the k-th name of each plays the same part).  Claimed, not trusted:
    :mod:`verify.engines.symmetry` proves it an automorphism before an engine uses it."""

    def __post_init__(self) -> None:
        self.var_index = {v.name: i for i, v in enumerate(self.vars)}
        self.pc_codes: dict[str, dict[str, int]] = {
            a.name: {lab: i for i, lab in enumerate(a.labels)} for a in self.actors
        }
        self.by_label = {a.label: a for a in self.actions}

    def init_values(self) -> dict[str, Value]:
        return {v.name: v.init for v in self.vars}

    def pc_var(self, actor: str) -> str:
        return f"{actor}.pc"

    def pc_code(self, actor: str, label: str) -> int:
        return self.pc_codes[actor][label]

    def property(self, name: str) -> Property:
        for p in self.properties:
            if p.name == name:
                return p
        raise KeyError(name)

    def select_properties(self, names: Sequence[str | Property] | None) -> list[Property]:
        """The properties named (or given), in that order; all of them for None."""
        if names is None:
            return list(self.properties)
        return [self.property(p) if isinstance(p, str) else p for p in names]

    def enabled(self, o: Ops[Any, Any], st: St, a: Action) -> Any:
        pc = st[self.pc_var(a.actor)]
        at = o.eq(pc, o.lit(self.pc_code(a.actor, a.src), pc_width(self, a.actor)))
        return o.and_(at, a.guard(o, st))

    def step(self, o: Ops[Any, Any], st: St, a: Action) -> dict[str, Value]:
        """The updates ``a`` makes (its effect plus its pc move), not the whole state."""
        upd = a.effect(o, st)
        upd[self.pc_var(a.actor)] = o.lit(self.pc_code(a.actor, a.dst), pc_width(self, a.actor))
        return upd

    def quiescent(self, o: Ops[Any, Any], st: St) -> Any:
        conds = []
        for a in self.actors:
            if a.kind != "host":
                continue
            pc = st[self.pc_var(a.name)]
            w = pc_width(self, a.name)
            conds.append(o.or_(*[o.eq(pc, o.lit(self.pc_code(a.name, lab), w))
                                 for lab in sorted(a.idle)]))
        return o.all_of(conds)

    def violated(self, o: Ops[Any, Any], st: St, p: Property) -> Any:
        bad = p.bad(o, st)
        if p.quiescent:
            return o.and_(self.quiescent(o, st), bad)
        return bad


def pc_width(m: Model, actor: str) -> int:
    return m.vars[m.var_index[m.pc_var(actor)]].width


class ActorBuilder:
    """Builds one actor's control-flow graph, step by step."""

    def __init__(self, mb: ModelBuilder, name: str, kind: str, title: str,
                 start: str = "start") -> None:
        self.mb = mb
        self.name = name
        self.kind = kind
        self.title = title
        self.labels: list[str] = [start]
        self.idle: set[str] = {start}

    def _label(self, lab: str) -> None:
        if lab not in self.labels:
            self.labels.append(lab)

    def var(self, local: str, width: int, init: int | bool = 0, doc: str = "") -> str:
        """A private variable of this actor; returns its full name."""
        return self.mb.var(f"{self.name}.{local}", width, init, owner=self.name, doc=doc)

    def idle_at(self, *labels: str) -> None:
        for lab in labels:
            self._label(lab)
            self.idle.add(lab)

    def step(self, src: str, dst: str, name: str, *, text: str, kernel: str,
             guard: Guard | None = None, effect: Effect | None = None,
             local: bool = False, spte: int | None = None) -> None:
        self._label(src)
        self._label(dst)
        self.mb.add_action(Action(
            id=-1, actor=self.name, name=name, src=src, dst=dst,
            guard=guard if guard is not None else (lambda o, st: o.true()),
            effect=effect if effect is not None else (lambda o, st: {}),
            text=text, kernel=kernel, local=local, spte=spte,
        ))


class ModelBuilder:
    """Collects variables, actors, actions and properties into a :class:`Model`."""

    def __init__(self, name: str, summary: str) -> None:
        self.name = name
        self.summary = summary
        self._vars: dict[str, Var] = {}
        self._actions: list[Action] = []
        self._actors: list[ActorBuilder] = []
        self.properties: list[Property] = []
        self.params: dict[str, str] = {}
        self.init_set: InitSet | None = None
        self.symmetry: tuple[tuple[str, ...], ...] = ()

    def var(self, name: str, width: int, init: int | bool = 0, *, owner: str | None = None,
            ghost: bool = False, doc: str = "") -> str:
        if name in self._vars:
            raise ValueError(f"duplicate state variable {name}")
        self._vars[name] = Var(name, width, init, owner, ghost, doc)
        return name

    def has_var(self, name: str) -> bool:
        return name in self._vars

    def var_init(self, name: str) -> int | bool:
        """The initial value declared for state variable ``name``."""
        return self._vars[name].init

    def var_names(self) -> list[str]:
        return list(self._vars)

    def actor_names(self) -> list[str]:
        return [a.name for a in self._actors]

    def actor(self, name: str, kind: str, title: str) -> ActorBuilder:
        a = ActorBuilder(self, name, kind, title)
        self._actors.append(a)
        return a

    def add_action(self, a: Action) -> None:
        self._actions.append(a)

    def add_property(self, p: Property) -> None:
        self.properties.append(p)

    def at(self, o: Ops[Any, Any], st: St, actor: str, label: str) -> Any:
        """``actor``'s pc is at ``label`` (for properties; resolved when evaluated, after
        the actor's control-flow graph is complete)."""
        ab = next(a for a in self._actors if a.name == actor)
        width = max(1, (len(ab.labels) - 1).bit_length())
        return o.eq(st[f"{actor}.pc"], o.lit(ab.labels.index(label), width))

    def repeat_operations(self, limit: int | None = None) -> None:
        """Let every host actor run its operation again: an ``again`` step from ``done``
        back to ``start`` that resets the actor's private variables (its locals, not the
        ghosts) to their initial values, as a fresh call would find them.  ``limit``
        None: any number of calls; ``limit`` K: at most K calls in all (a private call
        counter ``<actor>.calls``; K = 1 adds nothing).  Not ``local``: it moves a pc
        that the properties read."""
        if limit is not None and limit <= 1:
            return
        for ab in self._actors:
            if ab.kind != "host" or "done" not in ab.labels:
                continue
            owned = [v for v in self._vars.values() if v.owner == ab.name and not v.ghost]
            calls: str | None = None
            cw = 0
            if limit is not None:
                cw = max(1, (limit - 1).bit_length())
                calls = ab.var("calls", cw, 0, doc=f"calls made after the first (< {limit})")

            def reset(o: Ops[Any, Any], st: St, owned: list[Var] = owned,
                      calls: str | None = calls, cw: int = cw) -> dict[str, Any]:
                upd = {v.name: ((o.true() if v.init else o.false()) if v.is_bool
                                else o.lit(int(v.init), v.width))
                       for v in owned}
                if calls is not None:
                    upd[calls] = o.add(st[calls], o.lit(1, cw))
                return upd

            def more(o: Ops[Any, Any], st: St, calls: str | None = calls,
                     cw: int = cw) -> Any:
                assert calls is not None and limit is not None
                return o.ult(st[calls], o.lit(limit - 1, cw))

            ab.step("done", "start", "again", effect=reset,
                    guard=more if calls is not None else None,
                    text="the operation is called again (its locals start afresh)"
                         + ("" if limit is None else f"; at most {limit} calls"),
                    kernel="(repeating form: any number of calls)" if limit is None
                    else f"(sized form: up to {limit} calls)")

    def build(self) -> Model:
        vars_ = list(self._vars.values())
        infos = []
        for ab in self._actors:
            n = len(ab.labels)
            width = max(1, (n - 1).bit_length())
            vars_.append(Var(f"{ab.name}.pc", width, 0, owner=ab.name, doc="program counter"))
            infos.append(ActorInfo(ab.name, ab.kind, ab.title, tuple(ab.labels),
                                   frozenset(ab.idle)))
        actions = [Action(i, a.actor, a.name, a.src, a.dst, a.guard, a.effect, a.text,
                          a.kernel, a.local, a.spte)
                   for i, a in enumerate(self._actions)]
        labels = [a.label for a in actions]
        dup = {lab for lab in labels if labels.count(lab) > 1}
        if dup:
            raise ValueError(f"duplicate action names: {sorted(dup)}")
        return Model(self.name, self.summary, vars_, actions, list(self.properties), infos,
                     dict(self.params), self.init_set, self.symmetry)
