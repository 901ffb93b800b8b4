"""The third expression backend: whole columns of states at once.

:class:`ArrayOps` implements :class:`verify.expr.Ops` on numpy arrays: a bitvector is a
``uint64`` array (one value per state of a batch), a boolean a ``bool`` array; literals
are numpy scalars that broadcast.  The same guards, effects and properties that run on
Python ints (:data:`verify.expr.CONCRETE`) and on z3 terms (:class:`verify.expr.Z3Ops`)
run here on an entire BFS frontier per call, which is what makes the fast explicit engine
(:mod:`verify.engines.fast`) fast without a second copy of the model.

Meaning is that of :class:`~verify.expr.IntOps` elementwise: 64-bit unsigned arithmetic
that wraps, shifts by a constant (by 64 or more: 0), comparisons unsigned.  Tests check
the three backends agree (``tests/test_vector_ops.py``).
"""

from __future__ import annotations

from functools import reduce
from typing import Any

import numpy as np
import numpy.typing as npt

from verify.expr import WORD, Ops

Arr = npt.NDArray[Any]

_U64 = np.uint64


class ArrayOps(Ops[Any, Any]):
    """Vectorised concrete backend over numpy arrays (uint64 / bool)."""

    symbolic = False

    def lit(self, value: int, width: int = WORD) -> Any:
        return _U64(value & ((1 << width) - 1))

    def true(self) -> Any:
        return np.True_

    def false(self) -> Any:
        return np.False_

    def and_(self, *xs: Any) -> Any:
        if not xs:
            return np.True_
        return reduce(np.logical_and, xs)

    def or_(self, *xs: Any) -> Any:
        if not xs:
            return np.False_
        return reduce(np.logical_or, xs)

    def not_(self, x: Any) -> Any:
        return np.logical_not(x)

    def ite(self, c: Any, a: Any, b: Any) -> Any:
        return np.where(c, a, b).astype(_U64, copy=False)

    def ite_b(self, c: Any, a: Any, b: Any) -> Any:
        return np.where(c, a, b).astype(np.bool_, copy=False)

    def beq(self, a: Any, b: Any) -> Any:
        return np.equal(a, b)

    def eq(self, a: Any, b: Any) -> Any:
        return np.equal(a, b)

    def ult(self, a: Any, b: Any) -> Any:
        return np.less(a, b)

    def band(self, a: Any, b: Any) -> Any:
        return np.bitwise_and(a, b)

    def bor(self, a: Any, b: Any) -> Any:
        return np.bitwise_or(a, b)

    def shl(self, a: Any, n: int) -> Any:
        if n >= WORD:
            return np.zeros_like(a)
        return np.left_shift(a, _U64(n))

    def lshr(self, a: Any, n: int) -> Any:
        if n >= WORD:
            return np.zeros_like(a)
        return np.right_shift(a, _U64(n))

    def add(self, a: Any, b: Any) -> Any:
        return np.add(a, b, dtype=_U64)


VECTOR = ArrayOps()
"""The shared array backend (stateless)."""


__all__ = ["VECTOR", "ArrayOps"]
