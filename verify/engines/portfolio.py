"""The proof portfolio: engines in separate processes, the first decisive answer wins.

For one model and its properties, up to four engines start at once, each in its own
process (``fork``: the model is shared, nothing is pickled but the answers) so that a
stuck one can be stopped:

* ``explicit``: the explicit explorer with no bound.  Exhausting the state space proves
  every property it did not violate; the certificate is the reachable set itself as a
  decision diagram (:mod:`verify.engines.reachset`).  Its violations are shortest and
  replayed.
* ``ic3``: z3's Spacer on each property (:mod:`verify.engines.ic3`); the certificate is
  its inductive invariant.  "Reachable" is not decisive: Spacer gives no replayable
  witness.
* ``kind``: k-induction with simple paths (:mod:`verify.engines.kind`); certificate k.
* ``bmc``: bounded model checking, for violations only (replayed witnesses).

``strengthen`` (``prove --invariant``): SMT-LIB text of a user invariant already
confirmed inductive (:mod:`verify.proofs.strengthen`), which ``ic3`` and ``kind`` assume
and put into their certificates; ``explicit`` and ``bmc`` ignore it.

Per property the first PROVED (with a certificate) or VIOLATED (with a witness the
parent replays again on the concrete MMU) decides; when every property is decided or the
time limit passes, the remaining processes are terminated.  A property left undecided is
UNKNOWN with each engine's last word.  Two decisive answers that disagree make the
property a CHECKER_BUG.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from verify.model import Model, Property

ENGINES = ("explicit", "ic3", "kind", "bmc")
DEFAULT_ENGINES = ("explicit", "ic3", "bmc")


@dataclass
class Decision:
    """What came of one property."""

    property: str
    verdict: str                    # PROVED, VIOLATED, UNKNOWN, CHECKER_BUG
    engine: str = ""
    seconds: float = 0.0
    certificate: dict[str, Any] | None = None   # kind, body, k, states, nodes
    witness: dict[str, Any] | None = None       # schedule, start, depth
    notes: list[str] = field(default_factory=list)


def _explicit(model: Model, props: list[Property], limit: float, out: Any) -> None:
    import z3

    from verify.engines import reachset
    from verify.engines.explore import explore
    from verify.engines.replay import State
    from verify.engines.ts import TransitionSystem
    from verify.proofs.certificate import invariant_text
    t0 = time.monotonic()
    states: set[State] = set()
    results = explore(model, 1 << 30, props, time_limit=limit, seen=states)
    proved = []
    for p, r in zip(props, results, strict=True):
        if r.verdict.value == "VIOLATED" and r.witness is not None:
            out.put(("explicit", p.name, "VIOLATED", time.monotonic() - t0,
                     {"schedule": list(r.witness), "start": r.extra.get("start"),
                      "depth": r.depth}))
        elif r.verdict.value == "PROVED":
            proved.append(p)
        else:
            out.put(("explicit", p.name, "UNKNOWN", time.monotonic() - t0,
                     {"reason": r.message}))
    if not proved:
        return
    # a PROVED verdict means the search was exhausted: ``states`` is the whole reachable
    # set of the reduced system (explore's reduction is the one the certificate's TS has)
    d = reachset.build(states, len(model.vars))
    ts = TransitionSystem.of(model)
    inv = reachset.to_z3(d, ts.state_vars())
    body = invariant_text(z3.simplify(inv) if d.size < 64 else inv, dict(ts.cur))
    for p in proved:
        out.put(("explicit", p.name, "PROVED", time.monotonic() - t0,
                 {"kind": "inductive-invariant", "body": body, "states": len(states),
                  "nodes": d.size, "digest": ts.digest(p)}))


def _strengthening(ts: Any, text: str | None) -> Any:
    """The user invariant ``text`` over ``ts.cur`` (None: none)."""
    if text is None:
        return None
    from verify.proofs.certificate import Certificate, parse_invariant
    return parse_invariant(Certificate({}, text, "<--invariant>"), dict(ts.cur))


def _ic3(model: Model, props: list[Property], limit: float, out: Any,
         strengthen: str | None = None) -> None:
    from verify.engines.ic3 import spacer
    from verify.engines.ts import TransitionSystem
    from verify.proofs.certificate import invariant_text
    t0 = time.monotonic()
    ts = TransitionSystem.of(model)
    user = _strengthening(ts, strengthen)
    for p in props:
        left = limit - (time.monotonic() - t0)
        if left <= 0:
            out.put(("ic3", p.name, "UNKNOWN", time.monotonic() - t0, {"reason": "time limit"}))
            continue
        a = spacer(ts, p, int(left * 1000), strengthen=user)
        if a.status == "proved" and a.invariant is not None:
            out.put(("ic3", p.name, "PROVED", time.monotonic() - t0,
                     {"kind": "inductive-invariant",
                      "body": invariant_text(a.invariant, dict(ts.cur)),
                      "digest": ts.digest(p)}))
        else:
            why = "a bad state is reachable (no witness from IC3)" \
                if a.status == "reachable" else f"gave up: {a.reason or 'unknown'}"
            out.put(("ic3", p.name, "REACHABLE" if a.status == "reachable" else "UNKNOWN",
                     time.monotonic() - t0, {"reason": why}))


def _kind(model: Model, props: list[Property], limit: float, out: Any,
          strengthen: str | None = None) -> None:
    from verify.engines.kind import kinduction
    from verify.engines.ts import TransitionSystem
    t0 = time.monotonic()
    ts = TransitionSystem.of(model)
    user = _strengthening(ts, strengthen)
    for p in props:
        left = limit - (time.monotonic() - t0)
        a = kinduction(ts, p, time_limit=max(left, 0.0), strengthen=user)
        if a.status == "proved":
            out.put(("kind", p.name, "PROVED", time.monotonic() - t0,
                     {"kind": "k-induction", "k": a.k, "body": strengthen or "",
                      "digest": ts.digest(p)}))
        else:
            out.put(("kind", p.name, "UNKNOWN", time.monotonic() - t0,
                     {"reason": a.reason or a.status}))


def _bmc(model: Model, props: list[Property], limit: float, out: Any, bound: int) -> None:
    from verify.engines.bmc import bmc
    t0 = time.monotonic()
    for p, r in zip(props, bmc(model, bound, props, time_limit=limit), strict=True):
        if r.verdict.value == "VIOLATED" and r.witness is not None:
            out.put(("bmc", p.name, "VIOLATED", time.monotonic() - t0,
                     {"schedule": list(r.witness), "start": r.extra.get("start"),
                      "depth": r.depth}))
        else:
            out.put(("bmc", p.name, "UNKNOWN", time.monotonic() - t0,
                     {"reason": r.message}))


def _run(engine: str, model: Model, props: list[Property], limit: float, out: Any,
         bound: int, strengthen: str | None = None) -> None:
    # Ctrl-C at a terminal reaches the whole process group: the parent decides and
    # terminates the engines, which must not print a traceback of their own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if engine == "explicit":
            _explicit(model, props, limit, out)
        elif engine == "ic3":
            _ic3(model, props, limit, out, strengthen)
        elif engine == "kind":
            _kind(model, props, limit, out, strengthen)
        else:
            _bmc(model, props, limit, out, bound)
    except Exception as e:  # reported, never a pass
        for p in props:
            out.put((engine, p.name, "ERROR", 0.0, {"reason": f"{type(e).__name__}: {e}"}))
    finally:
        out.put((engine, "", "DONE", 0.0, {}))


def prove(model: Model, properties: Sequence[str | Property] | None = None, *,
          engines: Sequence[str] = DEFAULT_ENGINES, time_limit: float = 600.0,
          bound: int = 60, strengthen: str | None = None) -> list[Decision]:
    """Run the portfolio on ``model``; one :class:`Decision` per property, in order.
    ``strengthen``: a confirmed-inductive user invariant (SMT-LIB text) for ic3/kind."""
    from verify.engines.replay import ReplayError, replay
    from verify.engines.vacuity import EMPTY_INITIAL_SET, empty_initial_set
    props = model.select_properties(properties)
    if empty_initial_set(model):
        return [Decision(p.name, "UNKNOWN", notes=[EMPTY_INITIAL_SET]) for p in props]
    ctx = mp.get_context("fork")
    out: Any = ctx.Queue()
    procs = {e: ctx.Process(target=_run,
                            args=(e, model, props, time_limit, out, bound, strengthen),
                            daemon=True) for e in engines}
    t0 = time.monotonic()
    for p in procs.values():
        p.start()
    dec = {p.name: Decision(p.name, "UNKNOWN") for p in props}
    done: set[str] = set()

    def take(engine: str, pname: str, verdict: str, secs: float, payload: Any) -> None:
        if verdict == "DONE":
            done.add(engine)
            return
        d = dec[pname]
        if verdict in ("PROVED", "VIOLATED"):
            if verdict == "VIOLATED":
                prop = model.property(pname)
                try:
                    rep = replay(model, payload["schedule"], [prop], start=payload["start"])
                    ok = rep.violated_at_depth(prop, len(payload["schedule"]))
                except ReplayError as e:
                    ok = False
                    d.notes.append(f"{engine}: witness does not replay: {e}")
                if not ok:
                    d.verdict, d.engine = "CHECKER_BUG", engine
                    d.notes.append(f"{engine}: a VIOLATED witness that does not replay")
                    return
            if d.verdict in ("PROVED", "VIOLATED") and d.verdict != verdict:
                d.verdict = "CHECKER_BUG"
                d.notes.append(f"{engine} says {verdict}, {d.engine} said the opposite")
                return
            if d.verdict == "UNKNOWN":
                d.verdict, d.engine, d.seconds = verdict, engine, secs
                d.certificate = payload if verdict == "PROVED" else None
                d.witness = payload if verdict == "VIOLATED" else None
        elif d.verdict == "UNKNOWN":
            d.notes.append(f"{engine}: {payload.get('reason', verdict.lower())}")

    try:
        while len(done) < len(procs) and any(d.verdict == "UNKNOWN" for d in dec.values()):
            left = time_limit + 5 - (time.monotonic() - t0)
            if left <= 0:
                break
            try:
                engine, pname, verdict, secs, payload = out.get(timeout=min(left, 1.0))
            except queue.Empty:
                if not any(p.is_alive() for p in procs.values()):
                    break
                continue
            take(engine, pname, verdict, secs, payload)
        # answers that arrived after the last property was decided: a contradiction
        # among them is still a checker bug (exit 4), never silently dropped
        while True:
            try:
                engine, pname, verdict, secs, payload = out.get_nowait()
            except queue.Empty:
                break
            take(engine, pname, verdict, secs, payload)
    except KeyboardInterrupt:
        for d in dec.values():
            if d.verdict == "UNKNOWN":
                d.notes.append("interrupted")
        raise
    finally:
        for p in procs.values():
            if p.is_alive():
                p.terminate()
        for p in procs.values():
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
    for d in dec.values():
        if d.verdict == "UNKNOWN" and not d.notes:
            d.notes.append(f"time limit {time_limit}s reached")
    return [dec[p.name] for p in props]
