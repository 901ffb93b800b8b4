"""The kernel's SPTE predicates and helpers, written once for both backends.

Each function takes an :class:`~verify.expr.Ops` backend, a :class:`~verify.layouts.Layout`
and backend values.  With :data:`verify.expr.CONCRETE` it is the concrete MMU's code; with
a :class:`~verify.expr.Z3Ops` it is the SMT encoding.  Names follow the kernel
(``arch/x86/kvm/mmu/spte.h`` and ``spte.c``); the version differences are driven by the
layout's switches and by the pluggable registries :data:`NEEDS_ATOMIC` and
:data:`FLUSH_RULES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from verify.expr import CONCRETE, Ops
from verify.layouts import AD_DISABLED, AD_ENABLED, TDP_AD_SHIFT, Layout

B = TypeVar("B")
V = TypeVar("V")


class Access(Enum):
    """The kind of guest access / fault (``is_access_allowed``'s fault->exec/write)."""

    READ = "read"
    WRITE = "write"
    EXEC = "exec"


# --- presence and special values ---------------------------------------------------------


def is_mmio_spte(o: Ops[B, V], L: Layout, s: V) -> B:
    """``is_mmio_spte``: (s & shadow_mmio_mask) == shadow_mmio_value (V-OLD: SPECIAL = 3<<52)."""
    return o.masked_eq(s, L.mmio_mask, L.mmio_value)


def is_shadow_present_pte(o: Ops[B, V], L: Layout, s: V) -> B:
    """``is_shadow_present_pte``: bit 11 (V-MID+); V-OLD: ``s != 0 && !is_mmio_spte(s)``."""
    if L.mmu_present:
        return o.test(s, L.mmu_present)
    return o.and_(o.ne(s, o.lit(0)), o.not_(is_mmio_spte(o, L, s)))


def is_frozen_spte(o: Ops[B, V], L: Layout, s: V) -> B:
    """``is_frozen_spte`` (V-NEW; ``is_removed_spte`` with REMOVED_SPTE in V-MID)."""
    if not L.has_frozen:
        return o.false()
    return o.eq(s, o.lit(L.frozen_value))


def is_large_pte(o: Ops[B, V], L: Layout, s: V) -> B:
    return o.test(s, L.page_size)


def is_last_spte(o: Ops[B, V], L: Layout, s: V, level: int) -> B:
    """``is_last_spte``: a 4K leaf, or a huge-page leaf above level 1."""
    if level == 1:
        return o.true()
    return is_large_pte(o, L, s)


# --- A/D mode ------------------------------------------------------------------------------


def ad_field(o: Ops[B, V], L: Layout, s: V) -> V:
    return o.field(s, L.tdp_ad_mask)


def spte_ad_enabled(o: Ops[B, V], L: Layout, s: V) -> B:
    """``spte_ad_enabled``: SPTE_TDP_AD is ENABLED or WRPROT_ONLY (not DISABLED)."""
    return o.ne(ad_field(o, L, s), o.lit(AD_DISABLED << TDP_AD_SHIFT))


def spte_ad_need_write_protect(o: Ops[B, V], L: Layout, s: V) -> B:
    """``spte_ad_need_write_protect``: SPTE_TDP_AD is not ENABLED (DISABLED or WRPROT_ONLY)."""
    return o.ne(ad_field(o, L, s), o.lit(AD_ENABLED << TDP_AD_SHIFT))


def spte_shadow_accessed_mask_on(o: Ops[B, V], L: Layout, s: V) -> B:
    """Whether ``spte_shadow_accessed_mask(s)`` is non-zero for this SPTE.

    V-MID: the mask applies only to A/D-enabled SPTEs.  V-NEW: bit 8 is used for
    A/D-disabled SPTEs too (software Accessed), so the mask is the global one."""
    if not L.accessed:
        return o.false()
    if L.global_ad_masks:
        return o.true()
    return spte_ad_enabled(o, L, s)


def is_access_track_spte(o: Ops[B, V], L: Layout, s: V) -> B:
    """``is_access_track_spte``: ``!spte_ad_enabled(s) && (s & shadow_acc_track_mask) == 0``."""
    return o.and_(o.not_(spte_ad_enabled(o, L, s)), o.masked_eq(s, L.acc_track_mask, 0))


# --- permissions ---------------------------------------------------------------------------


def is_writable_pte(o: Ops[B, V], L: Layout, s: V) -> B:
    return o.test(s, L.w)


def is_mmu_writable_spte(o: Ops[B, V], L: Layout, s: V) -> B:
    return o.test(s, L.mmu_writable)


def is_host_writable_spte(o: Ops[B, V], L: Layout, s: V) -> B:
    return o.test(s, L.host_writable)


def is_executable_pte(o: Ops[B, V], L: Layout, s: V) -> B:
    """``is_executable_pte``: ``(s & (shadow_x_mask | shadow_nx_mask)) == shadow_x_mask``."""
    return o.masked_eq(s, L.x | L.nx, L.x)


def is_readable_hw(o: Ops[B, V], L: Layout, s: V) -> B:
    """Bit 0 (EPT R / PT_PRESENT): what the hardware walk and a read fault test."""
    return o.test(s, L.r)


def is_access_allowed(o: Ops[B, V], L: Layout, access: Access, s: V) -> B:
    """``is_access_allowed``: exec → executable; write → W; otherwise bit 0."""
    if access is Access.EXEC:
        return is_executable_pte(o, L, s)
    if access is Access.WRITE:
        return is_writable_pte(o, L, s)
    return is_readable_hw(o, L, s)


def is_accessed_spte(o: Ops[B, V], L: Layout, s: V) -> B:
    """``is_accessed_spte``: the A bit where it exists, else "not access-tracked"."""
    return o.ite_b(
        spte_shadow_accessed_mask_on(o, L, s), o.test(s, L.accessed),
        o.not_(is_access_track_spte(o, L, s)),
    )


def is_dirty_spte(o: Ops[B, V], L: Layout, s: V) -> B:
    """``is_dirty_spte``: D for A/D-enabled SPTEs, else W."""
    if not L.dirty:
        return is_writable_pte(o, L, s)
    if L.global_ad_masks:
        return o.test(s, L.dirty)
    return o.ite_b(spte_ad_enabled(o, L, s), o.test(s, L.dirty), is_writable_pte(o, L, s))


def spte_to_pfn(o: Ops[B, V], L: Layout, s: V) -> V:
    return o.lshr(o.field(s, L.base_addr), L.pfn_shift)


# --- invariants ----------------------------------------------------------------------------


def writable_invariant(o: Ops[B, V], L: Layout, s: V) -> B:
    """``check_spte_writable_invariants``: MMU-writable ⇒ host-writable; W ⇒ MMU-writable.

    The legal (host-writable, MMU-writable, W) triples are 111, 110, 100 and 000."""
    return o.and_(
        o.implies(is_mmu_writable_spte(o, L, s), is_host_writable_spte(o, L, s)),
        o.implies(is_writable_pte(o, L, s), is_mmu_writable_spte(o, L, s)),
    )


def well_formed_present(o: Ops[B, V], L: Layout, s: V) -> B:
    """A present SPTE as KVM builds it: the writable invariant, a valid SPTE_TDP_AD value
    (not 3), and no saved access-track bits unless it is access-tracked."""
    ad_ok = o.ne(ad_field(o, L, s), o.lit(L.tdp_ad_mask)) if L.mmu_present else o.true()
    saved_ok = o.implies(o.test(s, L.saved_bits_mask), is_access_track_spte(o, L, s))
    return o.and_(writable_invariant(o, L, s), ad_ok, saved_ok)


# --- volatile / needs-atomic ---------------------------------------------------------------

NeedsAtomic = Callable[[Ops[Any, Any], Layout, Any], Any]


def needs_atomic_v_old(o: Ops[B, V], L: Layout, s: V) -> B:
    """v5.10 ``spte_has_volatile_bits``:
    ``(host_w && mmu_w) || acc_track || (ad_enabled && (!A || (W && !D)))``."""
    lockless_w = o.all_set(s, L.host_writable | L.mmu_writable)
    return o.or_(
        lockless_w,
        is_access_track_spte(o, L, s),
        o.and_(
            spte_ad_enabled(o, L, s),
            o.or_(o.not_(o.test(s, L.accessed)),
                  o.and_(is_writable_pte(o, L, s), o.not_(o.test(s, L.dirty)))),
        ),
    )


def needs_atomic_v_mid(o: Ops[B, V], L: Layout, s: V) -> B:
    """``spte_has_volatile_bits``:
    ``(!W && mmu_w) || acc_track || (ad_enabled && (!A || (W && !D)))``."""
    return o.or_(
        o.and_(o.not_(is_writable_pte(o, L, s)), is_mmu_writable_spte(o, L, s)),
        is_access_track_spte(o, L, s),
        o.and_(
            spte_ad_enabled(o, L, s),
            o.or_(o.not_(o.test(s, L.accessed)),
                  o.and_(is_writable_pte(o, L, s), o.not_(o.test(s, L.dirty)))),
        ),
    )


def needs_atomic_v_613(o: Ops[B, V], L: Layout, s: V) -> B:
    """``spte_needs_atomic_update`` (v6.13):
    ``(!W && mmu_w) || acc_track || (ad_enabled && W && !D)``."""
    return o.or_(
        o.and_(o.not_(is_writable_pte(o, L, s)), is_mmu_writable_spte(o, L, s)),
        is_access_track_spte(o, L, s),
        o.and_(spte_ad_enabled(o, L, s), is_writable_pte(o, L, s),
               o.not_(o.test(s, L.dirty))),
    )


def needs_atomic_v_new(o: Ops[B, V], L: Layout, s: V) -> B:
    """``spte_needs_atomic_update`` (v6.15): ``(!W && mmu_w) || !ad_enabled || (W && !D)``."""
    return o.or_(
        o.and_(o.not_(is_writable_pte(o, L, s)), is_mmu_writable_spte(o, L, s)),
        o.not_(spte_ad_enabled(o, L, s)),
        o.and_(is_writable_pte(o, L, s), o.not_(o.test(s, L.dirty))),
    )


NEEDS_ATOMIC: dict[str, NeedsAtomic] = {
    "v_old": needs_atomic_v_old,
    "v_mid": needs_atomic_v_mid,
    "v_613": needs_atomic_v_613,
    "v_new": needs_atomic_v_new,
}
"""Volatile / needs-atomic predicates by name; a layout names its version's entry."""


def needs_atomic(o: Ops[B, V], L: Layout, s: V, rule: str | None = None) -> B:
    """The version's volatile predicate (or ``rule`` by name).  The caller checks present."""
    fn: Any = NEEDS_ATOMIC[rule or L.needs_atomic]
    r: B = fn(o, L, s)
    return r


def tdp_needs_atomic(o: Ops[B, V], L: Layout, s: V, level: int = 1,
                     rule: str | None = None) -> B:
    """TDP wrapper: ``present(old) && is_last_spte(old, level) && needs_atomic(old)``."""
    return o.and_(is_shadow_present_pte(o, L, s), is_last_spte(o, L, s, level),
                  needs_atomic(o, L, s, rule))


# --- flush rules of mmu_spte_update ---------------------------------------------------------

FlushRule = Callable[[Ops[Any, Any], Layout, Any, Any], Any]


def flush_w_old_and_not_w_new(o: Ops[B, V], L: Layout, old: V, new: V) -> B:
    """2012 rule: ``W(old) && !W(new)``."""
    return o.and_(is_writable_pte(o, L, old), o.not_(is_writable_pte(o, L, new)))


def _ad_cleared(o: Ops[B, V], L: Layout, old: V, new: V) -> B:
    """``mmu_spte_update`` before v6.13 also flushes when A or D goes 1→0."""
    return o.or_(
        o.and_(is_accessed_spte(o, L, old), o.not_(is_accessed_spte(o, L, new))),
        o.and_(is_dirty_spte(o, L, old), o.not_(is_dirty_spte(o, L, new))),
    )


def flush_hostw_mmuw_old_and_not_w_new(o: Ops[B, V], L: Layout, old: V, new: V) -> B:
    """2014 rule (V-OLD): ``(host_w && mmu_w)(old) && !W(new)``, plus A/D 1→0."""
    return o.or_(o.and_(o.all_set(old, L.host_writable | L.mmu_writable),
                        o.not_(is_writable_pte(o, L, new))),
                 _ad_cleared(o, L, old, new))


def flush_mmuw_old_and_not_w_new(o: Ops[B, V], L: Layout, old: V, new: V) -> B:
    """2022 rule (V-MID): ``mmu_w(old) && !W(new)``, plus a flush when A or D goes 1→0."""
    return o.or_(
        o.and_(is_mmu_writable_spte(o, L, old), o.not_(is_writable_pte(o, L, new))),
        _ad_cleared(o, L, old, new),
    )


def flush_mmuw_old_and_not_mmuw_new(o: Ops[B, V], L: Layout, old: V, new: V) -> B:
    """v6.13 rule (``leaf_spte_change_needs_tlb_flush``): ``mmu_w(old) && !mmu_w(new)``."""
    return o.and_(is_mmu_writable_spte(o, L, old), o.not_(is_mmu_writable_spte(o, L, new)))


FLUSH_RULES: dict[str, FlushRule] = {
    "w_old_and_not_w_new": flush_w_old_and_not_w_new,
    "hostw_mmuw_old_and_not_w_new": flush_hostw_mmuw_old_and_not_w_new,
    "mmuw_old_and_not_w_new": flush_mmuw_old_and_not_w_new,
    "mmuw_old_and_not_mmuw_new": flush_mmuw_old_and_not_mmuw_new,
}


def flush_needed(o: Ops[B, V], L: Layout, old: V, new: V, rule: str | None = None) -> B:
    """What ``mmu_spte_update`` returns for a present ``old`` (the version's flush rule)."""
    fn: Any = FLUSH_RULES[rule or L.flush_rule]
    r: B = fn(o, L, old, new)
    return r


# --- access tracking -----------------------------------------------------------------------


def mark_spte_for_access_track(o: Ops[B, V], L: Layout, s: V) -> V:
    """``mark_spte_for_access_track``: A/D on → clear A.  Tracked → unchanged.  Else save
    R and X at bits 54/56 and clear RWX (V-NEW also clears the software A bit 8)."""
    clear_a = o.clear_bits(s, L.accessed)
    saved = o.shl(o.field(s, L.acc_track_saved_mask), L.acc_track_saved_shift)
    cleared = L.acc_track_mask | (L.accessed if L.mark_clears_accessed else 0)
    tracked = o.clear_bits(o.bor(s, saved), cleared)
    return o.ite(spte_ad_enabled(o, L, s), clear_a,
                 o.ite(is_access_track_spte(o, L, s), s, tracked))


def restore_acc_track_spte(o: Ops[B, V], L: Layout, s: V) -> V:
    """``restore_acc_track_spte``: move the saved R/X back to bits 0/2, clear 54/56.
    W and A are not restored (V-NEW's fast fault ORs A in afterwards)."""
    saved = o.field(o.lshr(s, L.acc_track_saved_shift), L.acc_track_saved_mask)
    s2 = o.clear_bits(s, L.acc_track_mask | L.saved_bits_mask)
    return o.bor(s2, saved)


# --- make_spte ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MakeSpteArgs:
    """The inputs of ``make_spte`` that matter here (concrete, from the fault)."""

    pfn: int
    host_writable: bool = True
    write: bool = True          # pte_access & ACC_WRITE_MASK
    exec_: bool = True          # pte_access & ACC_EXEC_MASK
    user: bool = True           # pte_access & ACC_USER_MASK
    prefetch: bool = False
    huge: bool = False


def make_spte(o: Ops[B, V], L: Layout, a: MakeSpteArgs) -> V:
    """``make_spte`` (spte.c), the parts that matter here.  Concrete inputs, so the
    result is a constant; it goes through the backend so both engines share it."""
    v = L.mmu_present | L.ad_bits | L.present_bits  # MMU-present | AD mode | shadow_present
    ad_on = L.ad_mode != AD_DISABLED or L.global_ad_masks  # spte_shadow_*_mask(spte) != 0
    if not a.prefetch and ad_on:
        v |= L.accessed  # spte_shadow_accessed_mask(spte)
    if a.huge:
        v |= L.page_size
    v |= L.x if a.exec_ else L.nx
    if a.user:
        v |= L.user
    write = a.write
    if a.host_writable:
        v |= L.host_writable
    else:
        write = False
    v |= L.pfn_bits(a.pfn)
    if write:
        v |= L.w | L.mmu_writable
        if ad_on:
            v |= L.dirty  # spte_shadow_dirty_mask(spte)
    s = o.lit(v)
    if a.prefetch:
        s = mark_spte_for_access_track(o, L, s)
    return s


def make_spte_over(o: Ops[B, V], L: Layout, a: MakeSpteArgs, old: V) -> V:
    """``make_spte`` given ``old_spte`` (a value the caller read): before v6.13
    (``L.make_spte_skips_dirty_if_writable``) a writable result over an old SPTE that is
    already writable leaves D out (``if (is_writable_pte(old_spte)) goto out;``, jumping
    over ``spte |= spte_shadow_dirty_mask(spte)``); v6.13+ sets D with W whatever the old
    SPTE."""
    made = make_spte(CONCRETE, L, a)  # concrete inputs: a constant (see make_spte)
    if not L.make_spte_skips_dirty_if_writable:
        return o.lit(made)
    keep = o.and_(is_shadow_present_pte(o, L, old), is_writable_pte(o, L, old))
    return o.ite(keep, o.lit(made & ~L.dirty), o.lit(made))


def make_huge_page_split_spte(o: Ops[B, V], L: Layout, huge: V, index: int) -> V:
    """``make_huge_page_split_spte`` (spte.c; ``make_small_spte`` in v6.16+) for a 4K
    child: the huge SPTE with the 4K page ``index`` ORed into its address and
    PT_PAGE_SIZE_MASK cleared, every other bit (W, MMU-writable, A, D, ...) inherited.
    The NX-hugepage fix-up (``make_spte_executable``) is left out: the modelled huge
    SPTEs are executable already."""
    return o.clear_bits(o.set_bits(huge, L.pfn_bits(index)), L.page_size)


def make_huge_spte(o: Ops[B, V], L: Layout, small: V, pages: int) -> V:
    """``make_huge_spte(kvm, small_spte, level)`` (spte.c, v6.13+): the 4K SPTE with
    PT_PAGE_SIZE_MASK set and the address bits below the huge page cleared
    (``KVM_HPAGE_MASK(level) | ~PAGE_MASK``), every other bit (W, MMU-writable, A, D, ...)
    kept; the huge page spans ``pages`` 4K pages (2 in the model's small form).  The
    NX-hugepage step (``make_spte_nonexecutable``) is left out, as in the split."""
    return o.clear_bits(o.set_bits(small, L.page_size), L.pfn_bits(pages - 1))


def make_nonleaf_spte(o: Ops[B, V], L: Layout, pt_pfn: int) -> V:
    """``make_nonleaf_spte(child_pt, !kvm_ad_enabled())`` (spte.c): MMU-present, the
    table's address, shadow_present_mask, W, shadow_user_mask, shadow_x_mask, and
    SPTE_TDP_AD_DISABLED without A/D bits, else shadow_accessed_mask."""
    v = L.mmu_present | L.pfn_bits(pt_pfn) | L.present_bits | L.w | L.user | L.x
    v |= L.ad_bits if L.ad_mode == AD_DISABLED else L.accessed
    return o.lit(v)
