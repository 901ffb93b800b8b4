"""Protocol variants: the kernel's real code and the buggy variants that re-open R1–R5.

Each buggy variant is one documented deviation (a field of :class:`Variant`) and names
the race of primer §4 / locking.rst it re-opens.  Select by name or race id.
"""

from __future__ import annotations

from typing import Any

from verify import spte as P
from verify.errors import InputError
from verify.expr import Ops

from .world import Variant


def needs_atomic_pre_fast_pf(o: Ops[Any, Any], L: Any, s: Any) -> Any:
    """The volatile rule from before lockless write-protection fixes existed
    (locking.rst: "the spte can be fast updated (non-atomically) if the spte is read-only
    and the Accessed bit has already been set"): it lacks ``!W && mmu_w``."""
    return o.or_(
        P.is_access_track_spte(o, L, s),
        o.and_(P.spte_ad_enabled(o, L, s),
               o.or_(o.not_(o.test(s, L.accessed)),
                     o.and_(P.is_writable_pte(o, L, s), o.not_(o.test(s, L.dirty))))),
    )


P.NEEDS_ATOMIC.setdefault("pre_fast_pf", needs_atomic_pre_fast_pf)

FIXED = Variant("fixed", None, "the kernel version's real code")

VARIANTS: dict[str, Variant] = {v.name: v for v in [
    FIXED,
    Variant("fast-fault-indirect", "R1",
            "fast_page_fault allowed on indirect shadow pages: the cmpxchg succeeds on an "
            "SPTE that now maps another gfn (gfn->pfn ABA) and the old gfn is logged",
            fast_fault_indirect=True),
    Variant("plain-store-mmu-writable", "R2",
            "mmu_spte_update treats an MMU-writable read-only SPTE as not volatile and "
            "plain-stores it, wiping W/D set meanwhile by fast page fault and the CPU",
            needs_atomic="pre_fast_pf"),
    Variant("flush-from-plain-read", "R3",
            "mmu_spte_update decides its flush with the 2012 rule W(old) && !W(new) on the "
            "plain read of the old SPTE instead of the value xchg returned",
            flush_rule="w_old_and_not_w_new", flush_from_plain_read=True),
    Variant("flush-on-w-only", "R4",
            "mmu_spte_update flushes only when W goes 1->0, not when MMU-writable does: "
            "write tracking after a dirty-log write-protect skips its flush",
            flush_rule="w_old_and_not_w_new"),
    Variant("accessed-not-volatile", None,
            "the v6.13 volatile rule on an older kernel: a clear Accessed bit no longer makes "
            "an SPTE volatile, so a plain store can wipe an A set by the CPU meanwhile",
            needs_atomic="v_613"),
    Variant("removed-pt-plain-store", "R5",
            "handle_removed_pt freezes a child SPTE with a plain store under the write lock "
            "even when it is volatile, losing D set through a cached parent entry",
            removed_pt_plain_store=True),
]}


def get_variant(name: str) -> Variant:
    """A variant by name or race id (``R1`` … ``R5``)."""
    if name in VARIANTS:
        return VARIANTS[name]
    for v in VARIANTS.values():
        if v.race is not None and v.race.lower() == name.lower():
            return v
    choices = ", ".join(list(VARIANTS) + [v.race for v in VARIANTS.values() if v.race])
    raise InputError(f"unknown variant {name!r} (choose from {choices})")
