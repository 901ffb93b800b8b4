"""The expression backend: one API, two meanings.

Every SPTE predicate, helper and protocol step in spte-verify is written once, as a
function that takes an ``Ops`` object first. Called with :data:`CONCRETE` it computes on
Python ``int``/``bool`` (the concrete MMU and the explicit explorer); called with a
:class:`Z3Ops` it builds z3 bitvector/bool terms (the SMT encoding). Nothing else in the
code base may compute on SPTE values with raw Python operators, so the simulator and the
verifier cannot drift apart.

Conventions:

* bitvector values default to 64 bits (an SPTE); small counters and program counters use
  narrower widths given to :meth:`Ops.lit` / variable creation.
* masks and shift amounts are Python ``int`` constants (they come from a layout), values
  are backend values.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Generic, TypeVar

import z3

B = TypeVar("B")  # the backend's boolean type
V = TypeVar("V")  # the backend's bitvector type

WORD = 64
WORD_MASK = (1 << WORD) - 1


class Ops(ABC, Generic[B, V]):
    """Operations every backend provides.  ``B`` is its boolean, ``V`` its bitvector."""

    symbolic: bool

    # -- constants ---------------------------------------------------------------
    @abstractmethod
    def lit(self, value: int, width: int = WORD) -> V: ...

    @abstractmethod
    def true(self) -> B: ...

    @abstractmethod
    def false(self) -> B: ...

    def boolean(self, value: bool) -> B:
        return self.true() if value else self.false()

    # -- booleans ----------------------------------------------------------------
    @abstractmethod
    def and_(self, *xs: B) -> B: ...

    @abstractmethod
    def or_(self, *xs: B) -> B: ...

    @abstractmethod
    def not_(self, x: B) -> B: ...

    def implies(self, a: B, b: B) -> B:
        return self.or_(self.not_(a), b)

    @abstractmethod
    def ite(self, c: B, a: V, b: V) -> V: ...

    @abstractmethod
    def ite_b(self, c: B, a: B, b: B) -> B: ...

    @abstractmethod
    def beq(self, a: B, b: B) -> B: ...

    # -- comparisons -------------------------------------------------------------
    @abstractmethod
    def eq(self, a: V, b: V) -> B: ...

    def ne(self, a: V, b: V) -> B:
        return self.not_(self.eq(a, b))

    def eq_lit(self, a: V, value: int, width: int = WORD) -> B:
        return self.eq(a, self.lit(value, width))

    @abstractmethod
    def ult(self, a: V, b: V) -> B: ...

    # -- bit operations (masks are constants) ------------------------------------
    @abstractmethod
    def band(self, a: V, b: V) -> V: ...

    @abstractmethod
    def bor(self, a: V, b: V) -> V: ...

    @abstractmethod
    def shl(self, a: V, n: int) -> V:
        """Shift left by a constant, within the value's width."""

    @abstractmethod
    def lshr(self, a: V, n: int) -> V:
        """Logical shift right by a constant."""

    @abstractmethod
    def add(self, a: V, b: V) -> V:
        """Modular addition (used for small counters)."""

    def field(self, x: V, mask: int) -> V:
        """``x & mask``."""
        return self.band(x, self.lit(mask))

    def set_bits(self, x: V, mask: int) -> V:
        """``x | mask``."""
        return self.bor(x, self.lit(mask))

    def clear_bits(self, x: V, mask: int) -> V:
        """``x & ~mask``."""
        return self.band(x, self.lit(~mask & WORD_MASK))

    def test(self, x: V, mask: int) -> B:
        """``(x & mask) != 0``; false when ``mask`` is 0 (a bit the layout lacks)."""
        if mask == 0:
            return self.false()
        return self.ne(self.field(x, mask), self.lit(0))

    def all_set(self, x: V, mask: int) -> B:
        return self.eq(self.field(x, mask), self.lit(mask))

    def masked_eq(self, x: V, mask: int, value: int) -> B:
        """``(x & mask) == value``."""
        return self.eq(self.field(x, mask), self.lit(value))

    def assign_bits(self, x: V, mask: int, on: B) -> V:
        """``on ? x | mask : x & ~mask``."""
        return self.ite(on, self.set_bits(x, mask), self.clear_bits(x, mask))

    def any_of(self, xs: Sequence[B]) -> B:
        return self.or_(*xs) if xs else self.false()

    def all_of(self, xs: Sequence[B]) -> B:
        return self.and_(*xs) if xs else self.true()


class IntOps(Ops[bool, int]):
    """Concrete backend: Python ints (64-bit unsigned) and bools."""

    symbolic = False

    def lit(self, value: int, width: int = WORD) -> int:
        return value & ((1 << width) - 1)

    def true(self) -> bool:
        return True

    def false(self) -> bool:
        return False

    def and_(self, *xs: bool) -> bool:
        return all(xs)

    def or_(self, *xs: bool) -> bool:
        return any(xs)

    def not_(self, x: bool) -> bool:
        return not x

    def ite(self, c: bool, a: int, b: int) -> int:
        return a if c else b

    def ite_b(self, c: bool, a: bool, b: bool) -> bool:
        return a if c else b

    def beq(self, a: bool, b: bool) -> bool:
        return a == b

    def eq(self, a: int, b: int) -> bool:
        return a == b

    def ult(self, a: int, b: int) -> bool:
        return a < b

    def band(self, a: int, b: int) -> int:
        return a & b

    def bor(self, a: int, b: int) -> int:
        return a | b

    def shl(self, a: int, n: int) -> int:
        return (a << n) & WORD_MASK

    def lshr(self, a: int, n: int) -> int:
        return a >> n

    def add(self, a: int, b: int) -> int:
        # Counters are small; wrap-around at 64 bits matches the symbolic meaning for
        # 64-bit values, and narrower counters never reach their limit in a model.
        return (a + b) & WORD_MASK


class Z3Ops(Ops[z3.BoolRef, z3.BitVecRef]):
    """Symbolic backend: z3 terms.  Solver-neutral text comes from ``z3`` SMT-LIB2 export."""

    symbolic = True

    def __init__(self, ctx: z3.Context | None = None) -> None:
        self.ctx = ctx if ctx is not None else z3.main_ctx()
        self._true = z3.BoolVal(True, self.ctx)
        self._false = z3.BoolVal(False, self.ctx)

    def lit(self, value: int, width: int = WORD) -> z3.BitVecRef:
        return z3.BitVecVal(value & ((1 << width) - 1), width, self.ctx)

    def _lit_like(self, value: int, like: z3.BitVecRef) -> z3.BitVecRef:
        return z3.BitVecVal(value & ((1 << like.size()) - 1), like.size(), self.ctx)

    def true(self) -> z3.BoolRef:
        return self._true

    def false(self) -> z3.BoolRef:
        return self._false

    def and_(self, *xs: z3.BoolRef) -> z3.BoolRef:
        if not xs:
            return self._true
        if len(xs) == 1:
            return xs[0]
        return z3.And(*xs)

    def or_(self, *xs: z3.BoolRef) -> z3.BoolRef:
        if not xs:
            return self._false
        if len(xs) == 1:
            return xs[0]
        return z3.Or(*xs)

    def not_(self, x: z3.BoolRef) -> z3.BoolRef:
        return z3.Not(x)

    def ite(self, c: z3.BoolRef, a: z3.BitVecRef, b: z3.BitVecRef) -> z3.BitVecRef:
        r = z3.If(c, a, b)
        assert isinstance(r, z3.BitVecRef)
        return r

    def ite_b(self, c: z3.BoolRef, a: z3.BoolRef, b: z3.BoolRef) -> z3.BoolRef:
        r = z3.If(c, a, b)
        assert isinstance(r, z3.BoolRef)
        return r

    def beq(self, a: z3.BoolRef, b: z3.BoolRef) -> z3.BoolRef:
        r = a == b
        assert isinstance(r, z3.BoolRef)
        return r

    def eq(self, a: z3.BitVecRef, b: z3.BitVecRef) -> z3.BoolRef:
        r = a == b
        assert isinstance(r, z3.BoolRef)
        return r

    def ult(self, a: z3.BitVecRef, b: z3.BitVecRef) -> z3.BoolRef:
        return z3.ULT(a, b)

    def band(self, a: z3.BitVecRef, b: z3.BitVecRef) -> z3.BitVecRef:
        return a & b

    def bor(self, a: z3.BitVecRef, b: z3.BitVecRef) -> z3.BitVecRef:
        return a | b

    def shl(self, a: z3.BitVecRef, n: int) -> z3.BitVecRef:
        return a << self._lit_like(n, a)

    def lshr(self, a: z3.BitVecRef, n: int) -> z3.BitVecRef:
        return z3.LShR(a, self._lit_like(n, a))

    def add(self, a: z3.BitVecRef, b: z3.BitVecRef) -> z3.BitVecRef:
        return a + b

    def field(self, x: z3.BitVecRef, mask: int) -> z3.BitVecRef:
        return x & self._lit_like(mask, x)

    def set_bits(self, x: z3.BitVecRef, mask: int) -> z3.BitVecRef:
        return x | self._lit_like(mask, x)

    def clear_bits(self, x: z3.BitVecRef, mask: int) -> z3.BitVecRef:
        return x & self._lit_like(~mask, x)

    def test(self, x: z3.BitVecRef, mask: int) -> z3.BoolRef:
        if mask == 0:
            return self._false
        r = (x & self._lit_like(mask, x)) != self._lit_like(0, x)
        assert isinstance(r, z3.BoolRef)
        return r

    def masked_eq(self, x: z3.BitVecRef, mask: int, value: int) -> z3.BoolRef:
        r = (x & self._lit_like(mask, x)) == self._lit_like(value, x)
        assert isinstance(r, z3.BoolRef)
        return r

    def all_set(self, x: z3.BitVecRef, mask: int) -> z3.BoolRef:
        return self.masked_eq(x, mask, mask)

    def eq_lit(self, a: z3.BitVecRef, value: int, width: int = WORD) -> z3.BoolRef:
        r = a == self._lit_like(value, a)
        assert isinstance(r, z3.BoolRef)
        return r


CONCRETE = IntOps()
"""The shared concrete backend (stateless)."""
