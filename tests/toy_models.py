"""Small models, built with the real ModelBuilder, for testing the engines.

* :func:`counter_model` — ``n`` actors each increment a shared 64-bit counter once, either
  with a non-atomic read / compute / plain store (``atomic=False``: the lost-update race)
  or with a read / compute / cmpxchg retry loop (``atomic=True``: correct).  The compute
  step is ``local`` (it touches only the actor's private ``old``/``new``), so the model
  exercises the reduction.  Properties: ``lost_update`` (quiescent: when no increment is
  in flight, the counter equals the number of finished increments), ``counter_bounded``
  (the counter never exceeds ``n``; always holds), ``reaches_two`` (a reachability probe:
  "the counter is 2" counts as bad, so it is violated in both variants).
* :func:`flag_model` — two actors entering a critical section guarded by boolean flags,
  check-then-set (buggy) or set-then-check (correct); property ``mutex``.
* :func:`bad_local_model` — a step wrongly marked local (writes a shared variable, or is
  visible to a property), for the reduction check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from verify.expr import Ops
from verify.model import Model, ModelBuilder, Property, St

W = 64
K = "tests/toy_models.py"


Ops_ = Ops[Any, Any]
Fn = Callable[[Ops_, St], Any]
Eff = Callable[[Ops_, St], dict[str, Any]]


def _copy(dst: str, src: str) -> Eff:
    return lambda o, st: {dst: st[src]}


def _incr(dst: str, src: str) -> Eff:
    return lambda o, st: {dst: o.add(st[src], o.lit(1, W))}


def _set_bool(dst: str, value: bool) -> Eff:
    return lambda o, st: {dst: o.boolean(value)}


def _eq(a: str, b: str) -> Fn:
    return lambda o, st: o.eq(st[a], st[b])


def _ne(a: str, b: str) -> Fn:
    return lambda o, st: o.ne(st[a], st[b])


def _is_false(a: str) -> Fn:
    return lambda o, st: o.not_(st[a])


def counter_model(n: int = 2, atomic: bool = False,
                  extra: tuple[Property, ...] = ()) -> Model:
    mb = ModelBuilder(f"counter{n}-{'atomic' if atomic else 'rmw'}",
                      "shared counter increment")
    cnt = mb.var("cnt", W, 0, doc="shared counter")
    actors = []
    for i in range(n):
        a = mb.actor(f"t{i}", "host", f"T{i}")
        old = a.var("old", W)
        new = a.var("new", W)
        a.idle_at("done")
        a.step("start", "got", "read", text="old = READ_ONCE(cnt)", kernel=K,
               effect=_copy(old, cnt))
        a.step("got", "computed", "compute", text="new = old + 1", kernel=K, local=True,
               effect=_incr(new, old))
        if atomic:
            a.step("computed", "done", "cas_ok", text="cmpxchg(&cnt, old, new) succeeds",
                   kernel=K, guard=_eq(cnt, old), effect=_copy(cnt, new))
            a.step("computed", "start", "cas_fail", text="cmpxchg(&cnt, old, new) fails",
                   kernel=K, guard=_ne(cnt, old))
        else:
            a.step("computed", "done", "write", text="WRITE_ONCE(cnt, new)", kernel=K,
                   effect=_copy(cnt, new))
        actors.append(a.name)
    built: list[Model] = []

    def done_count(o: Ops_, st: St) -> Any:
        m = built[0]
        total = o.lit(0, W)
        for name in actors:
            is_done = o.eq(st[f"{name}.pc"], o.lit(m.pc_code(name, "done"), _pcw(m, name)))
            total = o.add(total, o.ite(is_done, o.lit(1, W), o.lit(0, W)))
        return total

    mb.add_property(Property("lost_update", "finished increments are all counted",
                             lambda o, st: o.ne(st[cnt], done_count(o, st)), quiescent=True))
    mb.add_property(Property("counter_bounded", f"counter never exceeds {n}",
                             lambda o, st: o.ult(o.lit(n, W), st[cnt])))
    mb.add_property(Property("reaches_two", "probe: the counter reaches 2",
                             lambda o, st: o.eq(st[cnt], o.lit(2, W))))
    for p in extra:
        mb.add_property(p)
    built.append(mb.build())
    return built[0]


def flag_model(buggy: bool = True) -> Model:
    mb = ModelBuilder(f"flags-{'buggy' if buggy else 'fixed'}", "two-flag mutual exclusion")
    flags = [mb.var(f"flag{i}", 0, False) for i in range(2)]
    for i in range(2):
        a = mb.actor(f"p{i}", "host", f"P{i}")
        me, other = flags[i], flags[1 - i]
        if buggy:
            a.step("start", "checked", "check", text="if (!other)", kernel=K,
                   guard=_is_false(other))
            a.step("checked", "cs", "set", text="me = true", kernel=K,
                   effect=_set_bool(me, True))
        else:
            a.step("start", "set_done", "set", text="me = true", kernel=K,
                   effect=_set_bool(me, True))
            a.step("set_done", "cs", "check", text="if (!other)", kernel=K,
                   guard=_is_false(other))
        a.step("cs", "start", "exit", text="me = false", kernel=K,
               effect=_set_bool(me, False))
    built: list[Model] = []

    def both_in(o: Ops_, st: St) -> Any:
        m = built[0]
        return o.and_(*[o.eq(st[f"p{i}.pc"], o.lit(m.pc_code(f"p{i}", "cs"), _pcw(m, f"p{i}")))
                        for i in range(2)])

    mb.add_property(Property("mutex", "at most one actor in the critical section", both_in))
    built.append(mb.build())
    return built[0]


def _pcw(m: Model, actor: str) -> int:
    return m.vars[m.var_index[m.pc_var(actor)]].width


def bad_local_model(kind: str) -> Model:
    """``kind`` = "shared": a local step writes a shared variable; "visible": a local step
    leaves an idle label (changes quiescence of a quiescent property)."""
    mb = ModelBuilder(f"bad-local-{kind}", "reduction misuse")
    x = mb.var("x", 8, 0)
    a = mb.actor("a", "host", "A")
    priv = a.var("priv", 8)
    a.idle_at("done")
    if kind == "shared":
        a.step("start", "mid", "bump", text="x = 1", kernel=K, local=True,
               effect=lambda o, st: {x: o.lit(1, 8)})
    else:
        a.step("start", "mid", "bump", text="priv = 1", kernel=K, local=True,
               effect=lambda o, st: {priv: o.lit(1, 8)})
    a.step("mid", "done", "finish", text="x = priv", kernel=K,
           effect=lambda o, st: {x: st[priv]})
    b = mb.actor("b", "host", "B")
    b.step("start", "done", "set", text="x = 2", kernel=K,
           effect=lambda o, st: {x: o.lit(2, 8)})
    b.idle_at("done")
    mb.add_property(Property("x_zero_when_idle", "probe: x is 0 while nothing is in flight",
                             lambda o, st: o.eq(st[x], o.lit(0, 8)), quiescent=True))
    return mb.build()
