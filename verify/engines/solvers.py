"""SMT solver selection: one solver-neutral interface over z3, bitwuzla and cvc5.

This module owns how a query built as z3 terms is answered.  The SMT engine
(:mod:`verify.engines.bmc`) only ever calls :meth:`Backend.add` (a permanent assertion) and
:meth:`Backend.check` (is ``assertions ∧ query`` satisfiable? if so, the values of some
bitvector constants), so the encoding is the same for every solver:

* ``z3`` (default): in-process, ``push``/``pop`` on z3's ``qfbv`` tactic solver (each
  check re-runs bit-vector preprocessing and bit-blasting on the whole assertion stack —
  on the toy models about 100× faster than z3's incremental SMT core at bound 12);
* ``z3-inc``: in-process, ``push``/``pop`` on z3's default incremental solver (kept for
  benchmarking; same answers);
* ``bitwuzla`` and ``cvc5``: through their PyPI Python packages, fed the SMT-LIB2 text
  that z3 prints for the same assertions (``Solver.to_smt2()``), parsed by the solver's
  own SMT-LIB2 parser, then ``check-sat`` with a per-query time limit and the values of
  the requested constants read back by name.

A solver that is not installed raises :class:`~verify.errors.InputError` with one line.
A time-out or an ``unknown`` answer is reported as status ``"unknown"``, never as unsat.
"""

from __future__ import annotations

import importlib
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import z3

from verify import interrupt
from verify.errors import InputError

SOLVERS: tuple[str, ...] = ("z3", "z3-inc", "bitwuzla", "cvc5")
DEFAULT_SOLVER = "z3"


@dataclass
class Answer:
    """``status`` is ``"sat"``, ``"unsat"`` or ``"unknown"``; ``values`` maps the names of
    the requested constants to their integer values when sat."""

    status: str
    values: dict[str, int] = field(default_factory=dict)
    reason: str = ""


class Backend(ABC):
    name: str

    def __init__(self, ctx: z3.Context, timeout_ms: int | None) -> None:
        self.ctx = ctx
        self.timeout_ms = timeout_ms

    def set_timeout(self, timeout_ms: int | None) -> None:
        """The time limit of the following queries."""
        self.timeout_ms = timeout_ms

    @abstractmethod
    def add(self, f: z3.BoolRef) -> None:
        """Assert ``f`` permanently."""

    @abstractmethod
    def check(self, query: z3.BoolRef, want: Sequence[z3.ExprRef]) -> Answer:
        """Satisfiability of the permanent assertions and ``query`` (which is then
        retracted); on sat, the values of the constants ``want`` (a boolean as 0/1)."""

    def check_each(self, queries: Sequence[z3.BoolRef]) -> list[str]:
        """The status of the permanent assertions with each of ``queries`` in turn (each
        retracted before the next): the same answers as one :meth:`check` per query."""
        return [self.check(q, []).status for q in queries]

    def check_cases(self, query: z3.BoolRef, cases: Sequence[z3.BoolRef],
                    want: Sequence[z3.ExprRef]) -> Answer:
        """Satisfiability of the permanent assertions and ``query``, where the caller's
        ``cases`` cover every value of the variables (their disjunction is valid): the
        models of ``assertions ∧ query`` are then exactly the union of those of
        ``assertions ∧ query ∧ cases[i]``, so the answer is that of :meth:`check` of
        ``query`` alone — sat (with a model, the values of ``want``) iff some case is
        sat, unsat iff every case is, otherwise unknown; the time limit covers the whole
        query.  A backend may ask the cases one at a time when that is faster
        (:class:`BitwuzlaBackend`); this one asks ``query`` once (z3's ``qfbv`` and the
        text solvers would bit-blast the whole query again for every case)."""
        return self.check(query, want)


class Z3Backend(Backend):
    name = "z3"

    def __init__(self, ctx: z3.Context, timeout_ms: int | None) -> None:
        super().__init__(ctx, timeout_ms)
        self.solver = self._make_solver(ctx)
        if timeout_ms is not None:
            self.solver.set("timeout", int(timeout_ms))

    def set_timeout(self, timeout_ms: int | None) -> None:
        super().set_timeout(timeout_ms)
        self.solver.set("timeout", int(timeout_ms) if timeout_ms is not None else 4294967295)

    def add(self, f: z3.BoolRef) -> None:
        self.solver.add(f)

    def check(self, query: z3.BoolRef, want: Sequence[z3.ExprRef]) -> Answer:
        self.solver.push()
        try:
            self.solver.add(query)
            r = self.solver.check()
            if r == z3.sat:
                m = self.solver.model()
                vals = {}
                for w in want:
                    v = m.eval(w, model_completion=True)
                    if z3.is_bool(v):
                        vals[w.decl().name()] = int(z3.is_true(v))
                        continue
                    assert isinstance(v, z3.BitVecNumRef)
                    vals[w.decl().name()] = v.as_long()
                return Answer("sat", vals)
            if r == z3.unsat:
                return Answer("unsat")
            reason = self.solver.reason_unknown()
            interrupt.check_unknown(reason)
            return Answer("unknown", reason=reason)
        finally:
            self.solver.pop()

    def _make_solver(self, ctx: z3.Context) -> z3.Solver:
        return z3.Tactic("qfbv", ctx).solver()


class Z3IncrementalBackend(Z3Backend):
    name = "z3-inc"

    def _make_solver(self, ctx: z3.Context) -> z3.Solver:
        return z3.Solver(ctx=ctx)


class _TextBackend(Backend):
    """Solvers fed SMT-LIB2 text printed by z3 for the same assertions."""

    module: str

    def __init__(self, ctx: z3.Context, timeout_ms: int | None) -> None:
        super().__init__(ctx, timeout_ms)
        try:
            self.lib: Any = importlib.import_module(self.module)
        except ImportError:
            raise InputError(f"solver {self.name!r} is not installed "
                             f"(pip install {self.module}, or use --solver z3)") from None
        self.assertions: list[z3.BoolRef] = []

    def add(self, f: z3.BoolRef) -> None:
        self.assertions.append(f)

    def smt2(self, query: z3.BoolRef) -> str:
        """The benchmark text (declarations and assertions, no commands)."""
        s = z3.Solver(ctx=self.ctx)
        s.add(*self.assertions, query)
        text = str(s.to_smt2())
        return text.replace("(check-sat)", "")

    def check(self, query: z3.BoolRef, want: Sequence[z3.ExprRef]) -> Answer:
        return self._solve(self.smt2(query), [w.decl().name() for w in want])

    @abstractmethod
    def _solve(self, text: str, want: list[str]) -> Answer: ...


def _unquote(sym: str) -> str:
    return sym[1:-1] if len(sym) >= 2 and sym[0] == "|" and sym[-1] == "|" else sym


class BitwuzlaBackend(_TextBackend):
    name = "bitwuzla"
    module = "bitwuzla"

    def _parse(self, text: str, rewrite_level: int | None = None,
               deadline: float | None = None) -> tuple[Any, Any]:
        """``rewrite_level``: bitwuzla's term rewriting level (default its own, 2);
        ``deadline``: a ``time.monotonic()`` after which every check answers unknown."""
        bw = self.lib
        tm = bw.TermManager()
        opts = bw.Options()
        opts.set(bw.Option.PRODUCE_MODELS, True)
        if self.timeout_ms is not None:
            opts.set(bw.Option.TIME_LIMIT_PER, int(self.timeout_ms))
        if rewrite_level is not None:
            opts.set(bw.Option.REWRITE_LEVEL, rewrite_level)
        parser = bw.Parser(tm, opts)
        parser.parse(text, True, False)
        solver = parser.bitwuzla()
        if deadline is None:
            solver.configure_terminator(interrupt.requested)
        else:
            solver.configure_terminator(
                lambda: interrupt.requested() or time.monotonic() > deadline)
        return parser, solver

    def check_each(self, queries: Sequence[z3.BoolRef]) -> list[str]:
        """One parse and one bit-blasting of the permanent assertions: query *i* is
        named by a fresh boolean ``(= q_i query_i)`` and checked as the assumption
        ``q_i`` (bitwuzla's ``check_sat`` under assumptions retracts it after)."""
        names = [z3.Bool(f"spte-verify!query!{i}", self.ctx) for i in range(len(queries))]
        s = z3.Solver(ctx=self.ctx)
        s.add(*self.assertions, *[n == q for n, q in zip(names, queries, strict=True)])
        parser, solver = self._parse(str(s.to_smt2()).replace("(check-sat)", ""))
        funs = {_unquote(str(t.symbol())): t for t in parser.get_declared_funs()}
        out = []
        for n in names:
            with interrupt.native():
                r = solver.check_sat(funs[n.decl().name()])
            out.append("unsat" if r == self.lib.Result.UNSAT else
                       "sat" if r == self.lib.Result.SAT else "unknown")
        return out

    CASES_REWRITE_LEVEL = 0
    """bitwuzla's rewrite level for :meth:`check_cases`.  Measured on the closure queries
    of the shipped decision-diagram invariants (``Inv ∧ Trans ∧ ¬Inv'``, one case per
    scheduler choice): level 0 about halves the CPU time of the default level 2 (the
    rewriting multiplies the diagram's nodes before bit-blasting and the SAT search is
    then slower; README "Tests" has the numbers).  Rewriting is an optimisation: the
    answers are the same at every level."""

    def check_cases(self, query: z3.BoolRef, cases: Sequence[z3.BoolRef],
                    want: Sequence[z3.ExprRef]) -> Answer:
        """As :meth:`Backend.check_cases` (the same answer as :meth:`check` of ``query``
        when the cases cover every value), on one parse and one bit-blasting: the
        permanent assertions and ``query`` are asserted, case *i* is named by a fresh
        boolean ``(= c_i case_i)`` and checked as the assumption ``c_i`` (retracted after
        the check; what the SAT solver learnt stays, as it follows from the assertions
        alone).  Each case is a smaller search than the whole: with the scheduler choice
        fixed the next-state ``ite`` chains collapse under propagation."""
        names = [z3.Bool(f"spte-verify!case!{i}", self.ctx) for i in range(len(cases))]
        s = z3.Solver(ctx=self.ctx)
        s.add(*self.assertions, query, *[n == c for n, c in zip(names, cases, strict=True)])
        deadline = (time.monotonic() + self.timeout_ms / 1000
                    if self.timeout_ms is not None else None)
        parser, solver = self._parse(str(s.to_smt2()).replace("(check-sat)", ""),
                                     rewrite_level=self.CASES_REWRITE_LEVEL,
                                     deadline=deadline)
        funs = {_unquote(str(t.symbol())): t for t in parser.get_declared_funs()}
        unknown: Answer | None = None
        for n in names:
            with interrupt.native():
                r = solver.check_sat(funs[n.decl().name()])
            if r == self.lib.Result.SAT:
                return self._model(parser, solver, [w.decl().name() for w in want])
            if r != self.lib.Result.UNSAT and unknown is None:
                unknown = Answer("unknown", reason=str(r))
        return unknown if unknown is not None else Answer("unsat")

    def _solve(self, text: str, want: list[str]) -> Answer:
        bw = self.lib
        parser, solver = self._parse(text)
        with interrupt.native():
            r = solver.check_sat()
        if r == bw.Result.UNSAT:
            return Answer("unsat")
        if r != bw.Result.SAT:
            return Answer("unknown", reason=str(r))
        return self._model(parser, solver, want)

    def _model(self, parser: Any, solver: Any, want: list[str]) -> Answer:
        """A sat answer with the values of the constants named ``want``."""
        funs = {_unquote(str(t.symbol())): t for t in parser.get_declared_funs()}
        vals: dict[str, int] = {}
        for name in want:
            t = funs.get(name)
            if t is None:
                vals[name] = 0
                continue
            val = solver.get_value(t)
            vals[name] = (int(bool(val.value())) if val.sort().is_bool()
                          else int(val.value(10)))
        return Answer("sat", vals)


class Cvc5Backend(_TextBackend):
    name = "cvc5"
    module = "cvc5"

    def _solve(self, text: str, want: list[str]) -> Answer:
        cvc5 = self.lib
        tm = cvc5.TermManager()
        solver = cvc5.Solver(tm)
        solver.setOption("produce-models", "true")
        if self.timeout_ms is not None:
            solver.setOption("tlimit-per", str(int(self.timeout_ms)))
        solver.setLogic("QF_BV")
        sm = cvc5.SymbolManager(tm)
        parser = cvc5.InputParser(solver, sm)
        parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "spte-verify")
        while True:
            cmd = parser.nextCommand()
            if cmd.isNull():
                break
            cmd.invoke(solver, sm)
        r = solver.checkSat()
        if r.isUnsat():
            return Answer("unsat")
        if not r.isSat():
            return Answer("unknown", reason=str(r))
        terms = {_unquote(t.getSymbol()): t for t in sm.getDeclaredTerms()}
        vals: dict[str, int] = {}
        for name in want:
            t = terms.get(name)
            if t is None:
                vals[name] = 0
                continue
            val = solver.getValue(t)
            vals[name] = (int(val.getBooleanValue()) if val.getSort().isBoolean()
                          else int(val.getBitVectorValue(10)))
        return Answer("sat", vals)


_BACKENDS: dict[str, type[Backend]] = {
    "z3": Z3Backend,
    "z3-inc": Z3IncrementalBackend,
    "bitwuzla": BitwuzlaBackend,
    "cvc5": Cvc5Backend,
}


def make_backend(name: str, ctx: z3.Context, timeout_ms: int | None = None) -> Backend:
    """A fresh backend for solver ``name``; InputError if unknown or not installed."""
    cls = _BACKENDS.get(name)
    if cls is None:
        raise InputError(f"unknown solver {name!r} (choose from {', '.join(SOLVERS)})")
    return cls(ctx, timeout_ms)


def available_solvers() -> list[str]:
    """The solvers usable here (z3 always; others if their Python package imports)."""
    out = []
    for name in SOLVERS:
        cls = _BACKENDS[name]
        if issubclass(cls, _TextBackend):
            try:
                importlib.import_module(cls.module)
            except ImportError:
                continue
        out.append(name)
    return out
