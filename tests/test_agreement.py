"""The symbolic (z3) and concrete (int) forms of every predicate/helper of verify.spte agree.

Method, for every layout (version × mode) and every function ``f``:

1. ``R`` is the set of bits ``f`` reads, derived from the layout's masks.
2. z3 proves that the *symbolic* term depends on ``x`` only through ``x & R``: for a
   predicate ``f(x) == f(x & R)``; for a helper returning an SPTE
   ``f(x) ^ x == f(x & R) ^ (x & R)`` (bits outside ``R`` pass through unchanged).
   V-OLD's ``is_shadow_present_pte`` is ``s != 0 && !mmio``: it also reads "are the other
   bits all zero", so there the proof is made in the two regimes ``x & ~R == 0`` and
   ``x & ~R != 0`` and both regimes are enumerated.
3. Every assignment of the ``R`` bits, with random values in the other bits, is evaluated
   by the concrete backend and by z3 (substitute + simplify); they must be equal.

Together, (2) and (3) cover every 64-bit input of the symbolic form.  Where ``R`` of a
two-argument flush rule is too wide to enumerate, (3) takes every ``old`` assignment and
a few random ``new`` ones (the dependency proof still covers all inputs).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import z3

from verify import spte
from verify.expr import CONCRETE, WORD_MASK, Z3Ops
from verify.layouts import Layout, all_layouts

Z = Z3Ops()
X = z3.BitVec("x", 64)
Y = z3.BitVec("y", 64)
LAYOUTS = all_layouts()
SEED = 20240613
MAX_EXHAUSTIVE_BITS = 12


# --- harness ----------------------------------------------------------------------------------


def bit_positions(mask: int) -> list[int]:
    return [i for i in range(64) if (mask >> i) & 1]


def assignments(mask: int) -> Iterator[int]:
    """Every value whose set bits are a subset of ``mask``."""
    pos = bit_positions(mask)
    for n in range(1 << len(pos)):
        v = 0
        for j, p in enumerate(pos):
            if (n >> j) & 1:
                v |= 1 << p
        yield v


def z3_value(term: Any, *subs: tuple[z3.BitVecRef, int]) -> int | bool:
    """Evaluate a z3 term at concrete inputs with substitute + simplify."""
    pairs = [(var, z3.BitVecVal(v, 64)) for var, v in subs]
    r = z3.simplify(z3.substitute(term, *pairs))
    if z3.is_true(r):
        return True
    if z3.is_false(r):
        return False
    assert z3.is_bv_value(r), f"term did not simplify to a constant: {r}"
    return int(r.as_long())


def prove(claim: Any) -> None:
    s = z3.Solver()
    s.add(z3.Not(claim))
    res = s.check()
    why = s.model() if res == z3.sat else res
    assert res == z3.unsat, f"not valid; counterexample {why}"


def rand_fill(rng: random.Random, mask: int, nonzero: bool = False) -> int:
    free = ~mask & WORD_MASK
    while True:
        v = rng.getrandbits(64) & free
        if v or not nonzero or not free:
            return v


# --- read masks, from the layout ---------------------------------------------------------------


def m_track(L: Layout) -> int:
    return L.tdp_ad_mask | L.acc_track_mask


def m_accessed(L: Layout) -> int:
    return L.accessed | m_track(L)


def m_dirty(L: Layout) -> int:
    return L.dirty | L.w | L.tdp_ad_mask


def m_present(L: Layout) -> int:
    return L.mmu_present if L.mmu_present else L.mmio_mask


NA_READ: dict[str, Callable[[Layout], int]] = {
    "v_old": lambda L: L.host_writable | L.mmu_writable | m_track(L) | L.accessed | m_dirty(L),
    "v_mid": lambda L: L.w | L.mmu_writable | m_track(L) | L.accessed | m_dirty(L),
    "v_613": lambda L: L.w | L.mmu_writable | m_track(L) | m_dirty(L),
    "v_new": lambda L: L.w | L.mmu_writable | m_dirty(L),
}


@dataclass(frozen=True)
class Unary:
    name: str
    fn: Callable[[Any, Layout, Any], Any]
    read: Callable[[Layout], int]
    returns_spte: bool = False

    def wide(self, L: Layout) -> bool:
        """Reads "all other bits are zero" too (V-OLD presence)."""
        return not L.mmu_present and self.name.startswith(("is_shadow_present", "tdp_needs"))


def _na(rule: str) -> Unary:
    return Unary(f"needs_atomic[{rule}]", lambda o, L, s: spte.needs_atomic(o, L, s, rule),
                 NA_READ[rule])


def _tdp(level: int) -> Unary:
    return Unary(
        f"tdp_needs_atomic[level={level}]",
        lambda o, L, s: spte.tdp_needs_atomic(o, L, s, level),
        lambda L: m_present(L) | NA_READ[L.needs_atomic](L) | (L.page_size if level > 1 else 0),
    )


def _allowed(access: spte.Access, read: Callable[[Layout], int]) -> Unary:
    return Unary(f"is_access_allowed[{access.value}]",
                 lambda o, L, s: spte.is_access_allowed(o, L, access, s), read)


UNARY: list[Unary] = [
    Unary("is_shadow_present_pte", spte.is_shadow_present_pte, m_present),
    Unary("is_mmio_spte", spte.is_mmio_spte, lambda L: L.mmio_mask),
    Unary("spte_ad_enabled", spte.spte_ad_enabled, lambda L: L.tdp_ad_mask),
    Unary("spte_ad_need_write_protect", spte.spte_ad_need_write_protect,
          lambda L: L.tdp_ad_mask),
    Unary("is_access_track_spte", spte.is_access_track_spte, m_track),
    Unary("is_writable_pte", spte.is_writable_pte, lambda L: L.w),
    Unary("is_mmu_writable_spte", spte.is_mmu_writable_spte, lambda L: L.mmu_writable),
    Unary("is_host_writable_spte", spte.is_host_writable_spte, lambda L: L.host_writable),
    Unary("is_executable_pte", spte.is_executable_pte, lambda L: L.x | L.nx),
    _allowed(spte.Access.READ, lambda L: L.r),
    _allowed(spte.Access.WRITE, lambda L: L.w),
    _allowed(spte.Access.EXEC, lambda L: L.x | L.nx),
    Unary("is_accessed_spte", spte.is_accessed_spte, m_accessed),
    Unary("is_dirty_spte", spte.is_dirty_spte, m_dirty),
    Unary("is_large_pte", spte.is_large_pte, lambda L: L.page_size),
    Unary("writable_invariant", spte.writable_invariant,
          lambda L: L.host_writable | L.mmu_writable | L.w),
    Unary("well_formed_present", spte.well_formed_present,
          lambda L: L.host_writable | L.mmu_writable | L.w | m_track(L) | L.saved_bits_mask),
    *(_na(rule) for rule in spte.NEEDS_ATOMIC),
    _tdp(1),
    _tdp(2),
    Unary("mark_spte_for_access_track", spte.mark_spte_for_access_track,
          lambda L: m_accessed(L) | L.acc_track_saved_mask | L.saved_bits_mask,
          returns_spte=True),
    Unary("restore_acc_track_spte", spte.restore_acc_track_spte,
          lambda L: L.acc_track_mask | L.acc_track_saved_mask | L.saved_bits_mask,
          returns_spte=True),
]


def _lid(L: Layout) -> str:
    return L.name


# --- unary predicates and helpers --------------------------------------------------------------


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
@pytest.mark.parametrize("u", UNARY, ids=lambda u: u.name)
def test_unary_agrees(u: Unary, L: Layout) -> None:
    R = u.read(L)
    assert len(bit_positions(R)) <= MAX_EXHAUSTIVE_BITS, f"{u.name}: read set too wide"
    term = u.fn(Z, L, X)
    wide = u.wide(L)

    # (2) the symbolic term depends on x only through x & R
    outside = ~R & WORD_MASK
    if u.returns_spte:
        claim = (term ^ X) == (u.fn(Z, L, X & R) ^ (X & R))
        prove(claim)
    elif not wide:
        prove(term == u.fn(Z, L, X & R))
    else:
        same_class = z3.And((X & R) == (Y & R), (X & outside) != 0, (Y & outside) != 0)
        prove(z3.Implies(same_class, term == u.fn(Z, L, Y)))

    # (3) exhaustive over R, random elsewhere (both regimes when wide)
    rng = random.Random(f"{SEED}/{L.name}/{u.name}")
    n = 0
    for a in assignments(R):
        fills = [0, rand_fill(rng, R, nonzero=True)] if wide else [rand_fill(rng, R)]
        for fill in fills:
            v = a | fill
            conc = u.fn(CONCRETE, L, v)
            sym = z3_value(term, (X, v))
            assert conc == sym, f"{u.name} on {L.name}: concrete {conc!r} != symbolic {sym!r} " \
                                f"at {v:#018x}"
            if u.returns_spte:
                assert isinstance(conc, int) and 0 <= conc <= WORD_MASK
            else:
                assert isinstance(conc, bool)
            n += 1
    assert n >= 1 << len(bit_positions(R))


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
def test_is_frozen_spte_agrees(L: Layout) -> None:
    """An equality with a constant reads all 64 bits: prove the symbolic term has exactly
    one solution, and compare both forms there, on its 64 one-bit neighbours and on
    random values."""
    term = spte.is_frozen_spte(Z, L, X)
    s = z3.Solver()
    s.add(term)
    rng = random.Random(f"{SEED}/{L.name}/frozen")
    randoms = [rng.getrandbits(64) for _ in range(64)]
    if s.check() == z3.unsat:  # a version without a frozen value: false everywhere
        assert not L.has_frozen
        for v in [0, WORD_MASK, 0x5A0, 0x80000000000005A0, *randoms]:
            assert spte.is_frozen_spte(CONCRETE, L, v) is False
        return
    m = s.model()[X].as_long()
    prove(z3.Implies(term, X == m))
    probes = [m, 0, WORD_MASK, *(m ^ (1 << i) for i in range(64)), *randoms]
    for v in probes:
        assert spte.is_frozen_spte(CONCRETE, L, v) == z3_value(term, (X, v)), hex(v)
    assert spte.is_frozen_spte(CONCRETE, L, m) is True


# --- two-argument flush rules ------------------------------------------------------------------


def _flush_reads(rule: str, L: Layout) -> tuple[int, int]:
    if rule == "w_old_and_not_w_new":
        return L.w, L.w
    ad_sets = m_accessed(L) | m_dirty(L)
    if rule == "hostw_mmuw_old_and_not_w_new":
        return L.host_writable | L.mmu_writable | ad_sets, L.w | ad_sets
    if rule == "mmuw_old_and_not_mmuw_new":
        return L.mmu_writable, L.mmu_writable
    if rule == "mmuw_old_and_not_w_new":
        return L.mmu_writable | ad_sets, L.w | ad_sets
    raise AssertionError(f"no read masks for flush rule {rule}")


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
@pytest.mark.parametrize("rule", list(spte.FLUSH_RULES))
def test_flush_rule_agrees(rule: str, L: Layout) -> None:
    Ro, Rn = _flush_reads(rule, L)
    term = spte.flush_needed(Z, L, X, Y, rule)
    prove(term == spte.flush_needed(Z, L, X & Ro, Y & Rn, rule))
    rng = random.Random(f"{SEED}/{L.name}/{rule}")
    nbits = len(bit_positions(Ro)) + len(bit_positions(Rn))
    news = list(assignments(Rn))
    for old in assignments(Ro):
        picked = news if nbits <= MAX_EXHAUSTIVE_BITS else rng.sample(news, min(4, len(news)))
        for new in picked:
            o = old | rand_fill(rng, Ro)
            n = new | rand_fill(rng, Rn)
            conc = spte.flush_needed(CONCRETE, L, o, n, rule)
            sym = z3_value(term, (X, o), (Y, n))
            assert conc == sym, f"{rule} on {L.name}: old {o:#x} new {n:#x}"
    # the layout's own rule is one of the registered ones
    assert L.flush_rule in spte.FLUSH_RULES


# --- make_spte -----------------------------------------------------------------------------------


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
def test_make_spte_agrees(L: Layout) -> None:
    max_pfn = L.base_addr >> L.pfn_shift
    for pfn in (0, 0x1234, max_pfn, max_pfn + 1):
        for flags in range(1 << 6):
            a = spte.MakeSpteArgs(
                pfn=pfn, host_writable=bool(flags & 1), write=bool(flags & 2),
                exec_=bool(flags & 4), user=bool(flags & 8), prefetch=bool(flags & 16),
                huge=bool(flags & 32))
            conc = spte.make_spte(CONCRETE, L, a)
            sym = z3_value(spte.make_spte(Z, L, a))
            assert conc == sym, f"make_spte{a} on {L.name}: {conc:#x} != {sym:#x}"


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
def test_split_helpers_agree(L: Layout) -> None:
    """make_huge_page_split_spte and make_nonleaf_spte: both backends, and the kernel's
    shape (a child inherits every bit but the page size, at its 4K page's address)."""
    huge = spte.make_spte(CONCRETE, L, spte.MakeSpteArgs(pfn=0x1200, huge=True))
    for k in range(4):
        conc = spte.make_huge_page_split_spte(CONCRETE, L, huge, k)
        sym = z3_value(spte.make_huge_page_split_spte(Z, L, X, k), (X, huge))
        assert conc == sym
        assert spte.spte_to_pfn(CONCRETE, L, conc) == 0x1200 + k
        assert conc & ~(L.base_addr | L.page_size) == huge & ~(L.base_addr | L.page_size)
    nonleaf = spte.make_nonleaf_spte(CONCRETE, L, 0x200)
    assert nonleaf == z3_value(spte.make_nonleaf_spte(Z, L, 0x200))
    assert spte.is_shadow_present_pte(CONCRETE, L, nonleaf)
    assert not spte.is_large_pte(CONCRETE, L, nonleaf)
