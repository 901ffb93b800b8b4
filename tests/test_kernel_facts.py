"""Facts read from the kernel (primer §1-2) that the layouts and verify.spte must satisfy.

The expected values here are written from the kernel source / primer, never taken from the
code under test; the code under test computes, the test compares.
"""

from __future__ import annotations

import itertools

import pytest
import z3

from verify import spte
from verify.expr import CONCRETE as C
from verify.expr import Z3Ops
from verify.layouts import AD_DISABLED, MODES, VERSIONS, Layout, all_layouts, get_layout

Z = Z3Ops()
X = z3.BitVec("x", 64)
LAYOUTS = all_layouts()
EPT_MODES = ("ept-ad", "ept-noad")
MID_PLUS = ("V-MID", "V-613", "V-NEW")


def _lid(L: Layout) -> str:
    return L.name


def prove(claim: z3.BoolRef) -> None:
    s = z3.Solver()
    s.add(z3.Not(claim))
    res = s.check()
    assert res == z3.unsat, f"counterexample: {s.model() if res == z3.sat else res}"


def satisfiable(*cs: z3.BoolRef) -> z3.ModelRef | None:
    s = z3.Solver()
    s.add(*cs)
    return s.model() if s.check() == z3.sat else None


# --- frozen / removed -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("version", ["V-613", "V-NEW"])
def test_frozen_spte_value_and_not_present(version: str, mode: str) -> None:
    L = get_layout(version, mode)
    frozen = 0x80000000000005A0  # SHADOW_NONPRESENT_VALUE (BIT 63) | 0x5a0
    assert spte.is_frozen_spte(C, L, frozen) is True
    assert spte.is_shadow_present_pte(C, L, frozen) is False
    assert spte.is_mmio_spte(C, L, frozen) is False
    assert spte.is_frozen_spte(C, L, 0x5A0) is False
    prove(z3.Implies(spte.is_frozen_spte(Z, L, X), X == frozen))
    prove(z3.Not(z3.And(spte.is_frozen_spte(Z, L, X), spte.is_shadow_present_pte(Z, L, X))))


@pytest.mark.parametrize("mode", MODES)
def test_removed_spte_v_mid(mode: str) -> None:
    L = get_layout("V-MID", mode)
    assert spte.is_frozen_spte(C, L, 0x5A0) is True  # REMOVED_SPTE
    assert spte.is_shadow_present_pte(C, L, 0x5A0) is False
    assert spte.is_mmio_spte(C, L, 0x5A0) is False
    prove(z3.Not(z3.And(spte.is_frozen_spte(Z, L, X), spte.is_shadow_present_pte(Z, L, X))))


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
def test_frozen_is_never_present(L: Layout) -> None:
    prove(z3.Not(z3.And(spte.is_frozen_spte(Z, L, X), spte.is_shadow_present_pte(Z, L, X))))


# --- writable invariant -----------------------------------------------------------------------


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
def test_legal_writable_triples(L: Layout) -> None:
    base = spte.make_spte(C, L, spte.MakeSpteArgs(pfn=0x1234, host_writable=False, write=False))
    legal = set()
    for h, m, w in itertools.product((False, True), repeat=3):
        s = C.assign_bits(base, L.host_writable, C.boolean(h))
        s = C.assign_bits(s, L.mmu_writable, C.boolean(m))
        s = C.assign_bits(s, L.w, C.boolean(w))
        assert spte.is_shadow_present_pte(C, L, s)
        if spte.writable_invariant(C, L, s):
            legal.add(f"{int(h)}{int(m)}{int(w)}")
    assert legal == {"111", "110", "100", "000"}
    # and for every 64-bit value, symbolically
    h, m, w = (Z.test(X, L.host_writable), Z.test(X, L.mmu_writable), Z.test(X, L.w))
    allowed = z3.Or(z3.And(h, m, w), z3.And(h, m, z3.Not(w)),
                    z3.And(h, z3.Not(m), z3.Not(w)), z3.And(z3.Not(h), z3.Not(m), z3.Not(w)))
    prove(spte.writable_invariant(Z, L, X) == allowed)


# --- access tracking round trip ---------------------------------------------------------------


@pytest.mark.parametrize("L", [L for L in LAYOUTS if L.mode in EPT_MODES], ids=_lid)
def test_restore_of_mark_gives_back_r_and_x_not_w(L: Layout) -> None:
    pre = z3.And(
        z3.Not(spte.spte_ad_enabled(Z, L, X)),
        spte.is_shadow_present_pte(Z, L, X),
        z3.Not(spte.is_access_track_spte(Z, L, X)),
        spte.well_formed_present(Z, L, X),
        spte.writable_invariant(Z, L, X),
    )
    marked = spte.mark_spte_for_access_track(Z, L, X)
    back = spte.restore_acc_track_spte(Z, L, marked)
    # not vacuous: a writable, readable, executable such SPTE exists
    assert satisfiable(pre, Z.test(X, L.w), Z.test(X, L.r), Z.test(X, L.x)) is not None
    prove(z3.Implies(pre, z3.And(
        spte.is_access_track_spte(Z, L, marked),
        spte.is_shadow_present_pte(Z, L, marked),
        Z.test(back, L.r) == Z.test(X, L.r),
        Z.test(back, L.x) == Z.test(X, L.x),
        z3.Not(Z.test(back, L.w)),
        z3.Not(Z.test(back, L.saved_bits_mask)),
        # nothing else moves except A (V-NEW's mark clears the software A bit)
        Z.clear_bits(back, L.w | L.accessed) == Z.clear_bits(X, L.w | L.accessed),
    )))


def test_legacy_has_no_access_tracking() -> None:
    for v in VERSIONS:
        L = get_layout(v, "legacy")
        s = spte.make_spte(C, L, spte.MakeSpteArgs(pfn=0x42))
        assert spte.is_access_track_spte(C, L, s) is False
        assert spte.is_access_track_spte(C, L, spte.mark_spte_for_access_track(C, L, s)) is False


# --- volatile / needs-atomic ------------------------------------------------------------------


def _primer_formula(version: str, L: Layout, s: z3.BitVecRef) -> z3.BoolRef:
    """Primer §2, written independently from the primitive bit tests."""
    W = Z.test(s, L.w)
    mmu_w = Z.test(s, L.mmu_writable)
    host_w = Z.test(s, L.host_writable)
    A = Z.test(s, L.accessed)
    D = Z.test(s, L.dirty)
    ad = spte.spte_ad_enabled(Z, L, s)
    track = z3.And(z3.Not(ad), Z.masked_eq(s, L.acc_track_mask, 0))
    if version == "V-OLD":
        return z3.Or(z3.And(host_w, mmu_w), track,
                     z3.And(ad, z3.Or(z3.Not(A), z3.And(W, z3.Not(D)))))
    if version == "V-MID":
        return z3.Or(z3.And(z3.Not(W), mmu_w), track,
                     z3.And(ad, z3.Or(z3.Not(A), z3.And(W, z3.Not(D)))))
    if version == "V-613":
        return z3.Or(z3.And(z3.Not(W), mmu_w), track, z3.And(ad, W, z3.Not(D)))
    assert version == "V-NEW"
    return z3.Or(z3.And(z3.Not(W), mmu_w), z3.Not(ad), z3.And(W, z3.Not(D)))


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
def test_needs_atomic_matches_primer(L: Layout) -> None:
    prove(spte.needs_atomic(Z, L, X) == _primer_formula(L.version, L, X))


def _legal_present(L: Layout, s: z3.BitVecRef) -> z3.BoolRef:
    """Present, well formed, not MMIO, with an A/D type the mode can have: ept-noad makes
    every SPTE A/D-disabled, legacy/NPT every SPTE A/D-enabled; ept-ad also has the
    A/D-disabled and write-protect-only SPTEs of nested EPT."""
    ad = spte.ad_field(Z, L, s)
    mode_ok = {
        "ept-noad": ad == AD_DISABLED << 52,
        "legacy": ad == 0,
    }.get(L.mode, z3.BoolVal(True))
    return z3.And(spte.is_shadow_present_pte(Z, L, s), spte.well_formed_present(Z, L, s),
                  z3.Not(spte.is_mmio_spte(Z, L, s)), mode_ok)


@pytest.mark.parametrize("v1,v2", list(itertools.combinations(VERSIONS, 2)))
def test_versions_volatile_predicates_differ(v1: str, v2: str) -> None:
    """A value, legal and present in both versions' EPT-with-A/D layouts, on which the two
    volatile predicates disagree: found by z3, then checked on the concrete backend."""
    mode = "ept-ad"
    L1, L2 = get_layout(v1, mode), get_layout(v2, mode)
    model = satisfiable(_legal_present(L1, X), _legal_present(L2, X),
                        spte.needs_atomic(Z, L1, X) != spte.needs_atomic(Z, L2, X))
    assert model is not None, f"{v1} and {v2} volatile predicates agree on every {mode} SPTE"
    s = model.eval(X, model_completion=True).as_long()
    assert spte.needs_atomic(C, L1, s) != spte.needs_atomic(C, L2, s), hex(s)
    assert spte.is_shadow_present_pte(C, L1, s) and spte.is_shadow_present_pte(C, L2, s)


def test_v_mid_and_v613_agree_without_ad_bits() -> None:
    """V-MID → V-613 only stopped treating a clear Accessed bit as volatile, which concerns
    A/D-enabled SPTEs: on ept-noad SPTEs the two predicates are the same."""
    Lmid, L613 = get_layout("V-MID", "ept-noad"), get_layout("V-613", "ept-noad")
    prove(z3.Implies(z3.And(_legal_present(Lmid, X), _legal_present(L613, X)),
                     spte.needs_atomic(Z, Lmid, X) == spte.needs_atomic(Z, L613, X)))


def test_v613_and_v_new_differ_only_on_ad_disabled() -> None:
    """V-613 → V-NEW: 'every A/D-disabled SPTE is volatile' and nothing else changed."""
    for mode in MODES:
        L613, Lnew = get_layout("V-613", mode), get_layout("V-NEW", mode)
        differ = spte.needs_atomic(Z, L613, X) != spte.needs_atomic(Z, Lnew, X)
        prove(z3.Implies(z3.And(_legal_present(Lnew, X), differ),
                         z3.Not(spte.spte_ad_enabled(Z, Lnew, X))))


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
def test_tdp_needs_atomic_wrapper(L: Layout) -> None:
    for level in (1, 2, 3):
        prove(spte.tdp_needs_atomic(Z, L, X, level) == z3.And(
            spte.is_shadow_present_pte(Z, L, X),
            z3.BoolVal(True) if level == 1 else Z.test(X, L.page_size),
            spte.needs_atomic(Z, L, X)))


# --- bit positions ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", MID_PLUS)
@pytest.mark.parametrize("mode", EPT_MODES)
def test_ept_bit_positions(version: str, mode: str) -> None:
    L = get_layout(version, mode)
    assert spte.is_writable_pte(C, L, 1 << 1) and not spte.is_writable_pte(C, L, 1 << 0)
    assert spte.is_access_allowed(C, L, spte.Access.READ, 1 << 0)
    assert spte.is_executable_pte(C, L, 1 << 2) and not spte.is_executable_pte(C, L, 1 << 1)
    assert spte.is_host_writable_spte(C, L, 1 << 57)
    assert spte.is_mmu_writable_spte(C, L, 1 << 58)
    assert not spte.is_host_writable_spte(C, L, 1 << 9)
    assert spte.is_shadow_present_pte(C, L, 1 << 11)
    assert not spte.is_shadow_present_pte(C, L, 0x7)
    assert spte.is_mmio_spte(C, L, 0x6)  # W|X: EPT misconfig
    assert not spte.is_mmio_spte(C, L, 0x6 | 1 << 63) or version != "V-NEW"
    if mode == "ept-ad":
        ad = (1 << 11) | 0x7
        assert spte.is_accessed_spte(C, L, ad | 1 << 8) and not spte.is_accessed_spte(C, L, ad)
        assert spte.is_dirty_spte(C, L, ad | 1 << 9) and not spte.is_dirty_spte(C, L, ad)
    # access tracking saves R at 54 and X at 56 (A/D-disabled SPTE)
    s = (1 << 11) | (1 << 52) | 0x7 | (1 << 57) | (1 << 58)
    marked = spte.mark_spte_for_access_track(C, L, s)
    assert C.field(marked, 0x7) == 0
    assert C.test(marked, 1 << 54) and C.test(marked, 1 << 56) and not C.test(marked, 1 << 55)


@pytest.mark.parametrize("version", MID_PLUS)
def test_legacy_bit_positions(version: str) -> None:
    L = get_layout(version, "legacy")
    assert spte.is_host_writable_spte(C, L, 1 << 9)
    assert spte.is_mmu_writable_spte(C, L, 1 << 10)
    assert spte.is_access_allowed(C, L, spte.Access.READ, 1 << 0)
    assert spte.is_writable_pte(C, L, 1 << 1)
    assert not spte.is_executable_pte(C, L, 1 << 63) and spte.is_executable_pte(C, L, 0)
    p = (1 << 11) | 1
    assert spte.is_accessed_spte(C, L, p | 1 << 5) and not spte.is_accessed_spte(C, L, p)
    assert spte.is_dirty_spte(C, L, p | 1 << 6) and not spte.is_dirty_spte(C, L, p | 1 << 1)
    assert spte.is_large_pte(C, L, 1 << 7)


@pytest.mark.parametrize("mode", MODES)
def test_v_old_bit_positions(mode: str) -> None:
    L = get_layout("V-OLD", mode)
    assert spte.is_host_writable_spte(C, L, 1 << 10)
    assert spte.is_mmu_writable_spte(C, L, 1 << 11)
    assert not spte.is_host_writable_spte(C, L, 1 << 57)
    # no MMU-present bit: present is "non-zero and not MMIO (3 << 52)"
    assert spte.is_shadow_present_pte(C, L, 1 << 40)
    assert not spte.is_shadow_present_pte(C, L, 0)
    assert spte.is_mmio_spte(C, L, 3 << 52) and not spte.is_shadow_present_pte(C, L, 3 << 52)


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
def test_tdp_ad_field(L: Layout) -> None:
    """SPTE_TDP_AD at bits 53:52: 0 enabled, 1 disabled, 2 write-protect-only."""
    for val, enabled, need_wp in ((0, True, False), (1, False, True), (2, True, True)):
        s = (val << 52) | 0x7 | (1 << 11)
        assert spte.spte_ad_enabled(C, L, s) is enabled
        assert spte.spte_ad_need_write_protect(C, L, s) is need_wp


# --- make_spte --------------------------------------------------------------------------------


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
def test_make_spte_writable_mapping(L: Layout) -> None:
    s = spte.make_spte(C, L, spte.MakeSpteArgs(pfn=0x1234, write=True))
    assert spte.is_shadow_present_pte(C, L, s)
    assert not spte.is_mmio_spte(C, L, s) and not spte.is_frozen_spte(C, L, s)
    assert spte.writable_invariant(C, L, s) and spte.well_formed_present(C, L, s)
    assert spte.is_writable_pte(C, L, s) and spte.is_mmu_writable_spte(C, L, s)
    assert spte.is_host_writable_spte(C, L, s)
    assert spte.is_dirty_spte(C, L, s) and spte.is_accessed_spte(C, L, s)
    assert spte.spte_to_pfn(C, L, s) == 0x1234
    assert spte.is_access_allowed(C, L, spte.Access.WRITE, s)
    assert spte.is_access_allowed(C, L, spte.Access.READ, s)
    ad_enabled_layout = L.ad_mode != AD_DISABLED
    assert spte.spte_ad_enabled(C, L, s) is ad_enabled_layout
    if ad_enabled_layout and L.version in MID_PLUS:
        assert spte.needs_atomic(C, L, s) is False
    if L.version == "V-OLD":  # host- and MMU-writable: volatile (lockless writable)
        assert spte.needs_atomic(C, L, s) is True
    if L.version == "V-NEW" and not ad_enabled_layout:  # every A/D-disabled SPTE
        assert spte.needs_atomic(C, L, s) is True


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
def test_make_spte_not_host_writable(L: Layout) -> None:
    s = spte.make_spte(C, L, spte.MakeSpteArgs(pfn=7, host_writable=False, write=True))
    assert spte.is_shadow_present_pte(C, L, s)
    assert not spte.is_writable_pte(C, L, s)
    assert not spte.is_mmu_writable_spte(C, L, s) and not spte.is_host_writable_spte(C, L, s)
    assert spte.writable_invariant(C, L, s)


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
def test_make_spte_prefetch(L: Layout) -> None:
    s = spte.make_spte(C, L, spte.MakeSpteArgs(pfn=7, write=False, prefetch=True))
    assert spte.is_shadow_present_pte(C, L, s)
    assert not spte.is_accessed_spte(C, L, s)
    if L.ad_mode == AD_DISABLED:
        assert spte.is_access_track_spte(C, L, s)


def test_zap_spte_atomic_only_where_the_kernel_has_it() -> None:
    """``tdp_mmu_zap_spte_atomic`` (cmpxchg to REMOVED_SPTE, flush, plain 0) is in V-MID
    (M4 tdp_mmu.c, its caller zap_collapsible_spte_range); v5.10 has no REMOVED_SPTE and
    v6.13 (13e2e4f62a4b) replaced its last caller by an in-place huge-page recovery (N1
    has neither the function nor a caller).  The scenario built on it exists there only."""
    from verify.protocols import submodule

    has = tuple(v for v in VERSIONS if get_layout(v, "ept-ad").tdp_zap_spte_atomic)
    assert has == ("V-MID",)
    assert all(get_layout(v, "ept-ad").has_frozen for v in has)
    assert submodule("scenarios").SCENARIOS["tdp-zap-atomic-vs-fault"].versions == has


@pytest.mark.parametrize("L", LAYOUTS, ids=_lid)
def test_make_huge_spte_undoes_the_split(L: Layout) -> None:
    """``make_huge_spte`` (spte.c, v6.13+) of any 4K child that
    ``make_huge_page_split_spte`` made from a huge SPTE gives that huge SPTE back: the
    child's page offset is cleared, PT_PAGE_SIZE_MASK set, every other bit kept."""
    huge = spte.make_spte(C, L, spte.MakeSpteArgs(pfn=0x100, huge=True))
    assert spte.is_large_pte(C, L, huge)
    for k in range(2):
        child = spte.make_huge_page_split_spte(C, L, huge, k)
        assert not spte.is_large_pte(C, L, child)
        assert spte.spte_to_pfn(C, L, child) == 0x100 + k
        assert spte.make_huge_spte(C, L, child, 2) == huge


def test_recovery_in_place_only_from_v6_13() -> None:
    """``recover_huge_pages_range`` replaces the zap of a collapsible page table from v6.13
    (13e2e4f62a4b): the versions with ``tdp_recover_in_place`` are exactly those without
    ``tdp_zap_spte_atomic`` that have a frozen value, and the recovery scenarios exist
    there only."""
    from verify.protocols import submodule

    has = tuple(v for v in VERSIONS if get_layout(v, "ept-ad").tdp_recover_in_place)
    assert has == ("V-613", "V-NEW")
    assert not any(get_layout(v, "ept-ad").tdp_zap_spte_atomic for v in has)
    scenarios = submodule("scenarios").SCENARIOS
    for name in ("tdp-recover-vs-fault", "tdp-recover-logged"):
        assert scenarios[name].versions == has


@pytest.mark.parametrize("L", all_layouts(), ids=lambda L: L.name)
def test_make_spte_over_a_writable_spte_skips_dirty_before_v613(L: Layout) -> None:
    """make_spte given old_spte: before v6.13 ``if (is_writable_pte(old_spte)) goto out;``
    jumps over the D bit; from v6.13 a writable SPTE gets D whatever the old one.  The
    concrete and the z3 evaluation agree on every old value tried."""
    args = spte.MakeSpteArgs(pfn=0x100)
    plain = spte.make_spte(C, L, args)
    writable_old, clean_old = plain, 0
    got_w = spte.make_spte_over(C, L, args, writable_old)
    assert spte.make_spte_over(C, L, args, clean_old) == plain
    skips = L.version in ("V-OLD", "V-MID")
    assert got_w == (plain & ~L.dirty if skips else plain)
    o = Z3Ops()
    x = z3.BitVec("old", 64)
    sym = spte.make_spte_over(o, L, args, x)
    for old in (writable_old, clean_old, C.clear_bits(plain, L.w)):
        val = z3.simplify(z3.substitute(sym, (x, z3.BitVecVal(old, 64))))
        assert val.as_long() == spte.make_spte_over(C, L, args, old)
