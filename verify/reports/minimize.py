"""Minimal counterexample traces: a post-pass on a replayed witness.

Both engines return a *shortest* violating schedule, but among the many shortest ones
they return whichever the search met first, which often hops between actors more than the
race needs.  :func:`minimize` rewrites a witness so that it reads like a race description:

1. **Drop** steps that do not matter: delete one step, or one step together with every
   later step of the same actor (an actor's steps form a chain: deleting one strands the
   rest), whenever the remaining schedule still replays and still violates the property.
   The result may be shorter than the engine's depth (both are reported); a violation
   reached earlier truncates the schedule there.
2. **Reorder** to the fewest context switches (adjacent steps of different actors): move
   a step, or a maximal run of one actor's steps, to another position, keeping a move only
   if it lowers the number of switches and the schedule still replays and violates the
   property at its last step.  Repeated until no move helps (a local minimum; the search
   is deterministic, so the same witness always gives the same trace).

Every candidate is checked with :func:`verify.engines.replay.replay` on the concrete MMU, and the
returned :class:`Minimized` carries the replay of the final schedule, so a shortened or
reordered trace is never reported unless the concrete MMU reproduces the violation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from verify.engines.replay import ReplayError, ReplayResult, replay
from verify.errors import CheckerBug
from verify.model import Model

MAX_ROUNDS = 200


@dataclass
class Minimized:
    """A minimized witness: ``schedule`` (replayed as ``replay``) and where it came from."""

    prop: str
    schedule: list[str]
    replay: ReplayResult
    original: list[str]
    switches: int
    original_switches: int

    @property
    def length(self) -> int:
        return len(self.schedule)

    @property
    def dropped(self) -> int:
        return len(self.original) - len(self.schedule)


def actor_of(model: Model, label: str) -> str:
    a = model.by_label.get(label)
    return a.actor if a is not None else label.split(".", 1)[0]


def context_switches(model: Model, schedule: Sequence[str]) -> int:
    """Adjacent steps taken by different actors."""
    actors = [actor_of(model, lab) for lab in schedule]
    return sum(1 for x, y in pairwise(actors) if x != y)


def violating_prefix(model: Model, schedule: Sequence[str], prop: str,
                     start: Mapping[str, Any] | None = None) -> list[str] | None:
    """``schedule`` cut at the first state violating ``prop``, or None if it does not
    replay or never violates ``prop``.  ``start``: the initial state's free variables."""
    try:
        rep = replay(model, schedule, [prop], start)
    except ReplayError:
        return None
    depth = rep.first_violation.get(prop)
    if depth is None:
        return None
    return list(schedule[:depth])


def _runs(model: Model, s: list[str]) -> list[tuple[int, int]]:
    """Maximal blocks ``[a, b)`` of consecutive steps of one actor."""
    out: list[tuple[int, int]] = []
    a = 0
    for i in range(1, len(s) + 1):
        if i == len(s) or actor_of(model, s[i]) != actor_of(model, s[a]):
            out.append((a, i))
            a = i
    return out


def _drop(model: Model, cur: list[str], prop: str,
          start: Mapping[str, Any] | None) -> list[str]:
    for _ in range(MAX_ROUNDS):
        improved = False
        for i in range(len(cur)):
            me = actor_of(model, cur[i])
            tail_without_actor = [x for x in cur[i + 1:] if actor_of(model, x) != me]
            for cand in (cur[:i] + cur[i + 1:], cur[:i] + tail_without_actor):
                if len(cand) >= len(cur):
                    continue
                got = violating_prefix(model, cand, prop, start)
                if got is not None and len(got) < len(cur):
                    cur = got
                    improved = True
                    break
            if improved:
                break
        if not improved:
            return cur
    return cur


def _moves(model: Model, s: list[str]) -> list[list[str]]:
    """Candidate reorderings: every run and every single step, moved to every position."""
    blocks = _runs(model, s) + [(i, i + 1) for i in range(len(s))]
    seen: set[tuple[str, ...]] = set()
    out: list[list[str]] = []
    for a, b in blocks:
        block, rest = s[a:b], s[:a] + s[b:]
        for p in range(len(rest) + 1):
            if p == a:
                continue
            cand = rest[:p] + block + rest[p:]
            key = tuple(cand)
            if key not in seen:
                seen.add(key)
                out.append(cand)
    return out


def _reorder(model: Model, cur: list[str], prop: str,
             start: Mapping[str, Any] | None) -> list[str]:
    for _ in range(MAX_ROUNDS):
        best = context_switches(model, cur)
        improved = False
        for cand in _moves(model, cur):
            if context_switches(model, cand) >= best:
                continue
            got = violating_prefix(model, cand, prop, start)
            if got is None:
                continue
            if len(got) < len(cur) or context_switches(model, got) < best:
                cur = got
                improved = True
                break
        if not improved:
            return cur
    return cur


def minimize(model: Model, schedule: Sequence[str], prop: str,
             start: Mapping[str, Any] | None = None) -> Minimized:
    """Drop irrelevant steps, then reorder to the fewest context switches; every step of
    the way replayed.  Raises :class:`~verify.errors.CheckerBug` if ``schedule`` itself
    does not replay to a violation of ``prop``."""
    original = list(schedule)
    first = violating_prefix(model, original, prop, start)
    if first is None:
        raise CheckerBug(f"witness for {prop} does not replay to a violation on "
                         f"{model.name}; nothing to minimize")
    cur = _drop(model, first, prop, start)
    cur = _reorder(model, cur, prop, start)
    cur = _drop(model, cur, prop, start)
    rep = replay(model, cur, [prop], start)
    if rep.first_violation.get(prop) != len(cur):  # pragma: no cover - guarded above
        raise CheckerBug(f"minimized witness for {prop} does not violate at its last step")
    return Minimized(prop, cur, rep, original, context_switches(model, cur),
                     context_switches(model, original))


__all__ = ["Minimized", "context_switches", "minimize", "violating_prefix"]
