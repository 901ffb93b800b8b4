"""The bound below which a check covers no complete operation (and so no race).

Every built-in race interleaves host operations (write-protect, harvest, aging, zap, a
fault) with each other and with the guest; a run shorter than the fewest steps in which
any host operation can go from its start back to idle contains no complete operation.
:func:`shortest_operation` computes that number from the model's control graph alone
(each host actor's pc moves, guards ignored: a lower bound on any real run), so it cannot
drift from the model.  ``check`` reports a bound below it as a warning and does not call
what it found there PASSED: a HOLDS that covered no complete operation is UNKNOWN.

:func:`empty_initial_set` is the other vacuity: a model whose initial set has no member
(an initial-set constraint that nothing satisfies) makes every property hold over no
state at all.  ``check`` and ``prove`` ask it before any engine runs and report such a
model UNKNOWN, never PASSED or PROVED.
"""

from __future__ import annotations

from collections import deque

from verify.model import Model

EMPTY_INITIAL_SET = ("vacuous: the initial set is empty (no state satisfies the "
                     "scenario's initial constraint), so nothing was checked")


def empty_initial_set(model: Model) -> bool:
    """No state satisfies the model's initial set (one z3 query over ``Init``)."""
    if model.init_set is None:
        return False
    import z3

    from verify.engines.bmc import Encoding
    enc = Encoding(model, reduction=False)
    s = z3.Solver(ctx=enc.ctx)
    s.add(*enc.init())
    return bool(s.check() == z3.unsat)


def shortest_operation(model: Model) -> int | None:
    """The fewest steps (≥ 1) in which some host actor can leave its initial pc and reach
    an idle pc again (None: no host actor can)."""
    best: int | None = None
    init = {v.name: v.init for v in model.vars}
    for info in model.actors:
        if info.kind != "host":
            continue
        start_code = init.get(model.pc_var(info.name))
        if not isinstance(start_code, int) or isinstance(start_code, bool):
            continue
        start = info.labels[start_code]
        edges: dict[str, set[str]] = {}
        for a in model.actions:
            if a.actor == info.name:
                edges.setdefault(a.src, set()).add(a.dst)
        dist = {start: 0}
        todo = deque([start])
        found: int | None = None
        while todo and found is None:
            lab = todo.popleft()
            for nxt in sorted(edges.get(lab, ())):
                d = dist[lab] + 1
                if nxt in info.idle:
                    found = d
                    break
                if nxt not in dist:
                    dist[nxt] = d
                    todo.append(nxt)
        if found is not None and (best is None or found < best):
            best = found
    return best
