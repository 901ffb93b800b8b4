"""Verdicts and check results: what every engine returns and how it maps to an exit code.

This module owns the :class:`Verdict` enum, the worst-outcome combination rule and the
exit-code mapping (0 HOLDS/PROVED, 1 VIOLATED, 3 UNKNOWN, 4 CHECKER_BUG; exit code 2 is
an input error and never a verdict), and :class:`CheckResult`, the one record an engine
produces per (model, property) — JSON-serialisable through :meth:`CheckResult.to_json`.

* ``PROVED``: the property holds in every reachable state (the explicit explorer
  exhausted the state space within the bound).
* ``HOLDS``: no violation in any state reachable within ``bound`` actions.
* ``VIOLATED``: a violation whose witness schedule was replayed on the concrete MMU.
* ``UNKNOWN``: undecided (solver time-out or ``unknown``, node or time limit).
* ``CHECKER_BUG``: the tool contradicted itself (a witness that does not replay, engines
  that disagree).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verify.engines.replay import ReplayResult


ProgressFn = Callable[[int, "int | None", "str | None"], None]
"""An engine's progress hook: ``(depth reached, states so far or None, the property being
checked or None for all)``."""


class Verdict(enum.Enum):
    PROVED = "PROVED"
    HOLDS = "HOLDS"
    VIOLATED = "VIOLATED"
    UNKNOWN = "UNKNOWN"
    CHECKER_BUG = "CHECKER_BUG"

    @property
    def exit_code(self) -> int:
        return _EXIT[self]

    @property
    def severity(self) -> int:
        """Rank for combining: higher is worse."""
        return _SEVERITY[self]

    @property
    def safe(self) -> bool:
        """No violation found (HOLDS within the bound, or PROVED)."""
        return self in (Verdict.PROVED, Verdict.HOLDS)

    def agrees(self, other: Verdict) -> bool:
        """Two engines agree: same verdict, where PROVED and HOLDS count as the same
        ("no violation within the bound")."""
        if self.safe and other.safe:
            return True
        return self is other


_EXIT = {
    Verdict.PROVED: 0,
    Verdict.HOLDS: 0,
    Verdict.VIOLATED: 1,
    Verdict.UNKNOWN: 3,
    Verdict.CHECKER_BUG: 4,
}

_SEVERITY = {
    Verdict.PROVED: 0,
    Verdict.HOLDS: 1,
    Verdict.UNKNOWN: 2,
    Verdict.VIOLATED: 3,
    Verdict.CHECKER_BUG: 4,
}


def worst(verdicts: Iterable[Verdict]) -> Verdict:
    """The worst outcome: CHECKER_BUG > VIOLATED > UNKNOWN > HOLDS > PROVED.

    An empty collection is PROVED (nothing failed)."""
    out = Verdict.PROVED
    for v in verdicts:
        if v.severity > out.severity:
            out = v
    return out


def exit_code(results: Iterable[CheckResult]) -> int:
    """The process exit code for a run producing ``results``."""
    return worst(r.verdict for r in results).exit_code


@dataclass
class CheckResult:
    """One engine's answer for one property of one model."""

    model: str
    property: str
    engine: str                 # "explicit" | "smt"
    solver: str | None          # None for the explicit engine
    bound: int
    verdict: Verdict
    seconds: float
    states: int | None = None   # distinct states explored (explicit engine)
    depth: int | None = None    # number of actions to the violation (VIOLATED)
    witness: list[str] | None = None  # schedule of action labels
    replay: ReplayResult | None = None
    message: str = ""
    reduction: bool = True
    witness_file: str | None = None   # where a non-replaying witness was saved
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "property": self.property,
            "engine": self.engine,
            "solver": self.solver,
            "bound": self.bound,
            "verdict": self.verdict.value,
            "seconds": round(self.seconds, 6),
            "states": self.states,
            "depth": self.depth,
            "witness": list(self.witness) if self.witness is not None else None,
            "replay": self.replay.to_json() if self.replay is not None else None,
            "message": self.message,
            "reduction": self.reduction,
            "witness_file": self.witness_file,
            "extra": dict(self.extra),
        }
