"""Sites: every place where a built-in protocol stores to an SPTE, flushes, takes or
drops mmu_lock, marks the dirty log or gives up, with a stable id, its kernel default per
version and the alternatives a variant may choose.

A site id is ``<kernel function>.<what it does>`` (``mmu_spte_update.store``,
``account_shadowed.flush``).  Sites of a shared sub-procedure (``mmu_spte_update``,
``spte_write_protect``, ``mmu_spte_clear_track_bits``) are one site for every caller, as
a change to that kernel function is.  The protocol code asks :meth:`World.site
<protocols.world.World.site>` which alternative the model's variant chose at each site;
the default is what the modelled kernel version does.  ``spte-verify list --sites``
prints this table; variant files (``variants/*.toml``) choose alternatives by id.

Alternatives by kind:

* ``store``: ``plain`` (WRITE_ONCE), ``xchg``, ``cmpxchg`` (a failed compare retries or
  gives up as the kernel does), ``plain-unless-volatile`` (the kernel's "plain store
  unless the SPTE needs an atomic update, else xchg / fetch_and"), ``bitop`` (an atomic
  clear_bit / test_and_clear_bit / fetch_and).  A ``plain`` replacement of an atomic
  read-modify-write stores the value computed from the code's earlier read.
* ``flush``: ``before-unlock`` / ``after-unlock`` (where the kernel's order is the
  point), ``done`` (a flush step with no lock around it), ``absent``.
* ``lock``: ``taken`` / ``absent`` (both the lock and its unlock; stores keep the context
  the code believes it has, so the lock-discipline rule check sees the difference).
* ``dirty``: ``marked`` / ``absent`` (``mark_page_dirty_in_slot``).
* ``guard``: ``present`` / ``absent`` (the give-up or skip test is not made), or a rule
  expression over the SPTE the code read (``{ rule = "..." }`` in a variant file).
* ``flush-from``: ``returned-old`` / ``plain-read`` (which old value mmu_spte_update's
  flush verdict is computed from).
* ``protect``: ``pt-protect`` / ``w-only`` (``spte_write_protect``'s ``pt_protect``
  argument: clear MMU-writable with W, or W alone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from verify.layouts import VERSIONS, Layout

KINDS: dict[str, tuple[str, ...]] = {
    "store": ("plain", "xchg", "cmpxchg", "plain-unless-volatile", "bitop"),
    "flush": ("before-unlock", "after-unlock", "done", "absent"),
    "lock": ("taken", "absent"),
    "dirty": ("marked", "absent"),
    "guard": ("present", "absent", "rule"),
    "flush-from": ("returned-old", "plain-read"),
    "protect": ("pt-protect", "w-only"),
}


@dataclass(frozen=True)
class Site:
    """One site: id, kind, the kernel function and file, what happens there, the
    alternatives a variant may choose, and the kernel's choice per version."""

    id: str
    kind: str
    function: str
    file: str
    what: str
    alternatives: tuple[str, ...]
    default: str | Callable[[Layout], str]
    versions: tuple[str, ...] = VERSIONS

    def kernel_default(self, L: Layout) -> str:
        return self.default if isinstance(self.default, str) else self.default(L)

    def default_for(self, version: str) -> str:
        """The default as text for ``list --sites`` (per version if it differs)."""
        if isinstance(self.default, str):
            return self.default
        from verify.layouts import get_layout
        return self.default(get_layout(version, "ept-ad"))


SITES: dict[str, Site] = {}
USED: set[str] = set()
"""Site ids the protocol code has asked about (coverage: every site fires somewhere)."""

MMU = "arch/x86/kvm/mmu/mmu.c"
TDP = "arch/x86/kvm/mmu/tdp_mmu.c"
ITER = "arch/x86/kvm/mmu/tdp_iter.h"
MAIN = "virt/kvm/kvm_main.c"


def site(id: str, kind: str, function: str, file: str, what: str,
         default: str | Callable[[Layout], str], *, alternatives: tuple[str, ...] = (),
         versions: tuple[str, ...] = VERSIONS) -> str:
    """Declare a site (once, at import); returns its id."""
    alts = alternatives or KINDS[kind]
    assert id not in SITES, id
    assert kind in KINDS, kind
    if isinstance(default, str):
        assert default in alts, (id, default)
    SITES[id] = Site(id, kind, function, file, what, alts, default, versions)
    return id


_ATOMIC_RMW = ("plain-unless-volatile", "plain", "xchg")
_CMPXCHG = ("cmpxchg", "plain")
_BITOP = ("bitop", "plain")
_PLAIN = ("plain", "xchg")

# -- shared sub-procedures of mmu.c ---------------------------------------------------------
MMU_SPTE_UPDATE_STORE = site(
    "mmu_spte_update.store", "store", "mmu_spte_update_no_track", MMU,
    "store the new SPTE over a present one", "plain-unless-volatile", alternatives=_ATOMIC_RMW)
MMU_SPTE_UPDATE_FLUSH_FROM = site(
    "mmu_spte_update.flush_from", "flush-from", "mmu_spte_update", MMU,
    "the old value the flush verdict is computed from (xchg's return when atomic)",
    "returned-old")
MMU_SPTE_SET_STORE = site(
    "mmu_spte_set.store", "store", "mmu_spte_set", MMU,
    "store a new SPTE over a non-present one", "plain", alternatives=_PLAIN)
SPTE_WRITE_PROTECT_SKIP = site(
    "spte_write_protect.skip", "guard", "spte_write_protect", MMU,
    "return early if the SPTE is not writable (nor MMU-writable with pt_protect)",
    "present")
CLEAR_TRACK_BITS_STORE = site(
    "mmu_spte_clear_track_bits.store", "store", "mmu_spte_clear_track_bits", MMU,
    "store the non-present value over a leaf", "plain-unless-volatile",
    alternatives=_ATOMIC_RMW)
CLEAR_DIRTY_TCB = site(
    "spte_wrprot_for_clear_dirty.test_and_clear_w", "store", "spte_wrprot_for_clear_dirty",
    MMU, "clear W of an AD_WRPROT_ONLY / A/D-disabled SPTE", "bitop", alternatives=_BITOP)
CLEAR_DIRTY_SKIP = site(
    "__rmap_clear_dirty.skip_clean", "guard", "__rmap_clear_dirty", MMU,
    "skip an SPTE whose D is already clear", "present")

# -- operations -----------------------------------------------------------------------------
WRTRACK_LOCK = site("account_shadowed.lock", "lock", "kvm_mmu_slot_gfn_write_protect", MMU,
                    "write_lock(mmu_lock) around shadow-page write tracking", "taken")
WRTRACK_PROTECT = site(
    "account_shadowed.pt_protect", "protect", "kvm_mmu_slot_gfn_write_protect", MMU,
    "spte_write_protect(sptep, pt_protect=true): clear MMU-writable too, so that fast page "
    "fault cannot make the SPTE writable again", "pt-protect")
WRTRACK_FLUSH = site("account_shadowed.flush", "flush", "kvm_mmu_slot_gfn_write_protect", MMU,
                     "kvm_flush_remote_tlbs if spte_write_protect returned true",
                     "before-unlock", alternatives=("before-unlock", "after-unlock", "absent"))
HARVEST_COLLECT = site(
    "kvm_get_dirty_log_protect.collect", "store", "kvm_get_dirty_log_protect", MAIN,
    "take the dirty bitmap word: mask = xchg(&dirty_bitmap[i], 0)", "xchg",
    alternatives=("xchg", "plain"))
HARVEST_LOCK = site("kvm_get_dirty_log_protect.lock", "lock", "kvm_get_dirty_log_protect", MAIN,
                    "write_lock(mmu_lock) around the harvest's write-protect", "taken")
HARVEST_FLUSH = site("kvm_get_dirty_log_protect.flush", "flush", "kvm_get_dirty_log_protect",
                     MAIN, "kvm_flush_remote_tlbs if anything was harvested", "after-unlock",
                     alternatives=("before-unlock", "after-unlock", "absent"))
ZAP_LOCK = site("kvm_unmap_gfn_range.lock", "lock", "kvm_mmu_notifier_invalidate_range_start",
                MAIN, "write_lock(mmu_lock) around the zap", "taken")
ZAP_FLUSH = site("kvm_unmap_gfn_range.flush", "flush", "kvm_handle_hva_range", MAIN,
                 "kvm_flush_remote_tlbs after zapping", "before-unlock",
                 alternatives=("before-unlock", "after-unlock", "absent"))
REMAP_FLUSH = site("kvm_unmap_gfn_range.remap_flush", "flush", "kvm_handle_hva_range", MAIN,
                   "kvm_flush_remote_tlbs after zapping (before the pfn is reused)",
                   "before-unlock", alternatives=("before-unlock", "after-unlock", "absent"))
ZAPRANGE_LOCK = site("kvm_zap_gfn_range.lock", "lock", "kvm_zap_gfn_range", MMU,
                     "write_lock(mmu_lock) around a gfn-range zap", "taken")
ZAPRANGE_YIELD_FLUSH = site(
    "__walk_slot_rmaps.flush_on_yield", "flush", "__walk_slot_rmaps", MMU,
    "at a yield in the middle of the range (need_resched / rwlock_needbreak): flush what "
    "is owed before cond_resched_rwlock_write drops mmu_lock (flush_on_yield)", "done",
    alternatives=("done", "absent"))
ZAPRANGE_FLUSH = site("kvm_zap_gfn_range.flush", "flush", "kvm_zap_gfn_range", MMU,
                      "kvm_flush_remote_tlbs_range if anything was zapped since the last "
                      "flush", "before-unlock",
                      alternatives=("before-unlock", "after-unlock", "absent"))
RING_SIGNAL_EXIT = site(
    "kvm_dirty_ring_reset.signal_exit", "guard", "kvm_dirty_ring_reset",
    "virt/kvm/dirty_ring.c",
    "return -EINTR if a signal is pending, at the top of each entry (v6.17, commit "
    "series 'KVM: Dirty ring fixes and cleanups'); no modelled version has it", "absent",
    alternatives=("present", "absent"))
RING_LOCK = site("kvm_reset_dirty_gfn.lock", "lock", "kvm_reset_dirty_gfn",
                 "virt/kvm/dirty_ring.c",
                 "KVM_MMU_LOCK around kvm_arch_mmu_enable_log_dirty_pt_masked", "taken")
RING_FLUSH = site("kvm_vm_ioctl_reset_dirty_pages.flush", "flush",
                  "kvm_vm_ioctl_reset_dirty_pages", MAIN,
                  "kvm_flush_remote_tlbs if any entry was reset (after the rings are done)",
                  "done", alternatives=("done", "absent"))
REMAP_INSTALL = site("mmu_set_spte.install", "store", "mmu_set_spte", MMU,
                     "install the re-faulted SPTE (read-only, MMU-writable)", "plain",
                     alternatives=_PLAIN)
AGE_LOCK = site("kvm_age_gfn.lock", "lock", "kvm_age_gfn", MMU,
                "write_lock(mmu_lock) around aging (before lockless aging)", "taken",
                versions=("V-OLD", "V-MID", "V-613"))
AGE_CLEAR_A = site("kvm_age_gfn.clear_bit_a", "store", "mmu_spte_age / kvm_rmap_age_gfn_range",
                   MMU, "clear A of an A/D-enabled SPTE", "bitop", alternatives=_BITOP)
AGE_TRACK_CMPXCHG = site(
    "kvm_rmap_age_gfn_range.cmpxchg", "store", "kvm_rmap_age_gfn_range", MMU,
    "lockless: cmpxchg an A/D-disabled SPTE to its access-tracked form", "cmpxchg",
    alternatives=_CMPXCHG, versions=("V-NEW",))
def _age_flush(L: Layout) -> str:
    """x86 selects KVM_ELIDE_TLB_FLUSH_IF_YOUNG from v6.13 (b9883ee40d7e, "KVM: x86: Don't
    emit TLB flushes when aging SPTEs for mmu_notifiers"): clear_flush_young does not
    flush; before, kvm_handle_hva_range flushed when a handler returned young."""
    return "absent" if L.version in ("V-613", "V-NEW") else "done"


AGE_FLUSH = site("kvm_age_gfn.flush", "flush", "kvm_mmu_notifier_clear_flush_young", MAIN,
                 "kvm_flush_remote_tlbs if young (not on x86 from v6.13: "
                 "KVM_ELIDE_TLB_FLUSH_IF_YOUNG)", _age_flush, alternatives=("done", "absent"))
TESTAGE_LOCK = site("kvm_test_age_gfn.lock", "lock", "kvm_test_age_gfn", MMU,
                    "write_lock(mmu_lock) around test-age (before lockless aging)", "taken",
                    versions=("V-OLD", "V-MID", "V-613"))
TESTAGE_YOUNG = site("kvm_test_age_gfn.young", "guard", "kvm_test_age_rmap / "
                     "kvm_rmap_age_gfn_range(test_only)", MMU,
                     "the SPTE read is accessed (is_accessed_spte: A, or not access-tracked "
                     "without A/D bits): young", "present")
SLOWPF_LOCK = site("direct_page_fault.lock", "lock", "direct_page_fault", MMU,
                   "write_lock(mmu_lock) around the slow fault's install", "taken")
SLOWPF_RECHECK = site("direct_page_fault.spurious", "guard", "mmu_set_spte", MMU,
                      "the SPTE is already writable: nothing to install (spurious)", "present")
SLOWPF_PAGE_TRACK = site(
    "page_fault_handle_page_track.test", "guard", "page_fault_handle_page_track", MMU,
    "lockless: a write fault on a write-tracked gfn is emulated (RET_PF_WRITE_PROTECTED), "
    "before fast_page_fault and before mmu_lock", "present")
SLOWPF_UNSYNC_TRACKED = site(
    "mmu_try_to_unsync_pages.write_tracked", "guard", "mmu_try_to_unsync_pages", MMU,
    "under mmu_lock, from make_spte: a write-tracked gfn gets no writable SPTE (-EPERM: "
    "make_spte clears W and MMU-writable)", "present")
SLOWPF_MARK = site("direct_page_fault.mark_page_dirty", "dirty", "mark_page_dirty_in_slot",
                   MAIN, "log the gfn of the new writable SPTE", "marked")

# -- fast_page_fault --------------------------------------------------------------------------
FASTPF_DIRECT_ONLY = site(
    "fast_page_fault.direct_only", "guard", "kvm_mmu_page_fault", MMU,
    "no fast page fault on an indirect shadow page (sp->role.direct)", "present",
    alternatives=("present", "absent"))
FASTPF_CAN_BE_FAST = site(
    "page_fault_can_be_fast.test", "guard", "page_fault_can_be_fast", MMU,
    "only write faults on present SPTEs (and not-present faults with access tracking)",
    "present", alternatives=("present", "absent"))
FASTPF_GIVE_UP = site(
    "fast_page_fault.give_up", "guard", "fast_page_fault", MMU,
    "give up if the read SPTE is not a present leaf, already allows the access, or "
    "cannot be fixed", "present", alternatives=("present", "rule"))
FASTPF_HUGE = site(
    "fast_page_fault.huge_dirty_log", "guard", "fast_page_fault", MMU,
    "give up a write fault on a huge SPTE (sp->role.level > PG_LEVEL_4K; from v5.17 only in "
    "a dirty-logged slot): only fault->gfn would be marked dirty", "present",
    alternatives=("present", "absent"))
FASTPF_CMPXCHG = site("fast_pf_fix_direct_spte.cmpxchg", "store", "fast_pf_fix_direct_spte",
                      MMU, "try_cmpxchg64(sptep, &old, new)", "cmpxchg", alternatives=_CMPXCHG)
FASTPF_MARK = site("fast_pf_fix_direct_spte.mark_page_dirty", "dirty", "fast_pf_fix_direct_spte",
                   MMU, "mark_page_dirty_in_slot if W went 0->1", "marked")

# -- TDP MMU ----------------------------------------------------------------------------------
ZAPPT_LOCK = site("kvm_tdp_mmu_zap_sp.lock", "lock", "kvm_tdp_mmu_zap_sp", TDP,
                  "write_lock(mmu_lock) around zapping a page table", "taken")
ZAPPT_PARENT = site("tdp_mmu_set_spte.zap_parent", "store", "tdp_mmu_set_spte", TDP,
                    "clear the non-leaf parent SPTE", "plain", alternatives=_PLAIN)
REMOVED_PT_FREEZE = site(
    "handle_removed_pt.freeze", "store", "handle_removed_pt / kvm_tdp_mmu_write_spte", ITER,
    "freeze each child leaf (FROZEN_SPTE / REMOVED_SPTE)", "plain-unless-volatile",
    alternatives=_ATOMIC_RMW)
REMOVED_PT_SKIP = site("handle_removed_pt.skip_nonpresent", "guard", "handle_removed_pt", TDP,
                       "skip a child that is not present", "present",
                       alternatives=("present", "absent"))
ZAPPT_FLUSH = site("kvm_tdp_mmu_zap_sp.flush", "flush", "kvm_tdp_mmu_zap_sp", TDP,
                   "kvm_flush_remote_tlbs after the page table is gone", "before-unlock",
                   alternatives=("before-unlock", "after-unlock", "absent"))
REMOVED_PT_FREEZE_SHARED = site(
    "handle_removed_pt.freeze_shared", "store", "handle_removed_pt", TDP,
    "shared path (mmu_lock held for read): old = kvm_tdp_mmu_write_spte_atomic(child, "
    "FROZEN) (xchg), again while old is frozen", "xchg", alternatives=("xchg", "plain"),
    versions=("V-MID", "V-613", "V-NEW"))
ZAPAT_LOCK = site("kvm_mmu_zap_collapsible_sptes.lock", "lock",
                  "kvm_mmu_zap_collapsible_sptes", MMU,
                  "read_lock(mmu_lock) around kvm_tdp_mmu_zap_collapsible_sptes", "taken",
                  versions=("V-MID",))
ZAPAT_FREEZE = site("tdp_mmu_zap_spte_atomic.freeze", "store", "tdp_mmu_zap_spte_atomic", TDP,
                    "tdp_mmu_set_spte_atomic(iter, REMOVED_SPTE): cmpxchg; on failure the "
                    "caller re-reads and retries", "cmpxchg", alternatives=_CMPXCHG,
                    versions=("V-MID",))
ZAPAT_FLUSH = site("tdp_mmu_zap_spte_atomic.flush", "flush", "tdp_mmu_zap_spte_atomic", TDP,
                   "kvm_flush_remote_tlbs_gfn between freezing the SPTE and clearing it",
                   "done", alternatives=("done", "absent"), versions=("V-MID",))
WRPROT_LOCK = site("kvm_tdp_mmu_wrprot_slot.lock", "lock", "kvm_mmu_slot_remove_write_access",
                    MMU, "read_lock(mmu_lock) around wrprot_gfn_range", "taken")
WRPROT_SKIP = site("wrprot_gfn_range.skip", "guard", "wrprot_gfn_range", TDP,
                   "skip an SPTE that is not present or not writable", "present")
WRPROT_CMPXCHG = site("wrprot_gfn_range.cmpxchg", "store", "tdp_mmu_set_spte_atomic", TDP,
                      "cmpxchg the SPTE to old & ~W under the read lock", "cmpxchg",
                      alternatives=_CMPXCHG)
WRPROT_FLUSH = site("kvm_tdp_mmu_wrprot_slot.flush", "flush", "kvm_flush_remote_tlbs_memslot",
                    MMU, "flush after dropping the read lock", "after-unlock",
                    alternatives=("after-unlock", "absent"))
WRPROT_LEAF = site("wrprot_gfn_range.leaf_recheck", "guard", "wrprot_gfn_range", TDP,
                   "skip an SPTE that is not a leaf (is_last_spte), re-checked with the "
                   "refreshed old_spte after a failed cmpxchg: a huge leaf a concurrent "
                   "split turned into a non-leaf is not write-protected, the walk goes down "
                   "to its children", "present", alternatives=("present", "absent"))
_SPLIT = ("V-MID", "V-613", "V-NEW")  # eager split: v5.18+ (layout tdp_eager_split)
SPLIT_LOCK = site("kvm_mmu_slot_try_split_huge_pages.lock", "lock",
                  "kvm_mmu_slot_try_split_huge_pages", MMU,
                  "read_lock(mmu_lock) around tdp_mmu_split_huge_pages_root", "taken",
                  versions=_SPLIT)
SPLIT_LINK = site("tdp_mmu_link_sp.cmpxchg", "store", "tdp_mmu_link_sp", TDP,
                  "tdp_mmu_set_spte_atomic: cmpxchg the huge leaf to the non-leaf SPTE of "
                  "the new table under the read lock; on failure old_spte is refreshed and "
                  "the split retried (goto retry)", "cmpxchg", alternatives=_CMPXCHG,
                  versions=_SPLIT)
SPLIT_REBUILD = site(
    "tdp_mmu_split_huge_page.rebuild", "guard", "tdp_mmu_split_huge_pages_root", TDP,
    "on retry, re-check the refreshed old_spte (present, is_large_pte) and fill the child "
    "table again from it (tdp_mmu_init_child_sp, make_huge_page_split_spte)", "present",
    alternatives=("present", "absent"), versions=_SPLIT)
CLEARD_LOCK = site("kvm_mmu_slot_leaf_clear_dirty.lock", "lock",
                   "kvm_mmu_slot_leaf_clear_dirty", MMU,
                   "read_lock(mmu_lock) around kvm_tdp_mmu_clear_dirty_slot", "taken",
                   versions=_SPLIT)
CLEARD_CMPXCHG = site("clear_dirty_gfn_range.cmpxchg", "store", "tdp_mmu_set_spte_atomic", TDP,
                      "cmpxchg the SPTE to old & ~dbit (D, or W where A/D is off) under the "
                      "read lock; on failure old_spte is refreshed and goto retry", "cmpxchg",
                      alternatives=_CMPXCHG, versions=_SPLIT)
CLEARD_LEAF = site("clear_dirty_gfn_range.leaf_recheck", "guard", "clear_dirty_gfn_range", TDP,
                   "skip an SPTE that is not a leaf (is_last_spte), re-checked with the "
                   "refreshed old_spte after a failed cmpxchg: a huge leaf a concurrent "
                   "split turned into a non-leaf is left alone, the walk goes down to its "
                   "children", "present", alternatives=("present", "absent"), versions=_SPLIT)
CLEARD_FLUSH = site("kvm_mmu_slot_apply_flags.flush", "flush", "kvm_mmu_slot_apply_flags",
                    "arch/x86/kvm/x86.c",
                    "kvm_flush_remote_tlbs_memslot after kvm_mmu_slot_leaf_clear_dirty returns "
                    "(unconditional, after dropping the read lock)", "done",
                    alternatives=("done", "absent"), versions=_SPLIT)
_RECOVER = ("V-613", "V-NEW")  # in-place recovery: v6.13+ (layout tdp_recover_in_place)
RECOVER_LOCK = site("kvm_mmu_recover_huge_pages.lock", "lock", "kvm_mmu_recover_huge_pages",
                    MMU, "read_lock(mmu_lock) around kvm_tdp_mmu_recover_huge_pages", "taken",
                    versions=_RECOVER)
RECOVER_FLUSH = site("recover_huge_pages_range.flush", "flush", "recover_huge_pages_range", TDP,
                     "kvm_flush_remote_tlbs_memslot at the end of the walk if a non-leaf SPTE "
                     "was replaced by a huge one (flush = true), before rcu_read_unlock and "
                     "the caller's read_unlock", "done", alternatives=("done", "absent"),
                     versions=_RECOVER)
RECOVER_LOGGED = site("recover_huge_pages_range.dirty_logged", "guard",
                      "recover_huge_pages_range", TDP,
                      "WARN_ON_ONCE(kvm_slot_dirty_track_enabled(slot)): return before the "
                      "walk (make_huge_spte does not write-protect the huge SPTE)", "present",
                      alternatives=("present", "absent"), versions=_RECOVER)
TDPMAP_LOCK = site("kvm_tdp_mmu_map.lock", "lock", "kvm_tdp_page_fault", MMU,
                   "read_lock(mmu_lock) around the TDP fault", "taken")
TDPMAP_FROZEN = site("kvm_tdp_mmu_map.frozen", "guard", "kvm_tdp_mmu_map", TDP,
                     "give up (RET_PF_RETRY) on an SPTE another thread froze "
                     "(is_removed_spte / is_frozen_spte), at every level of the walk",
                     "present", alternatives=("present", "absent"),
                     versions=("V-MID", "V-613", "V-NEW"))
TDPMAP_CMPXCHG = site("tdp_mmu_map_handle_target_level.cmpxchg", "store",
                      "tdp_mmu_map_handle_target_level", TDP,
                      "cmpxchg the new writable SPTE under the read lock", "cmpxchg",
                      alternatives=_CMPXCHG)
TDPMAP_MARK = site("tdp_mmu_map_handle_target_level.mark_page_dirty", "dirty", "make_spte",
                   "arch/x86/kvm/mmu/spte.c", "mark_page_dirty_in_slot of the new mapping",
                   "marked")
TDPAGE_LOCK = site("age_gfn_range.lock", "lock", "kvm_tdp_mmu_age_gfn_range", TDP,
                   "write_lock(mmu_lock) around TDP aging (before lockless aging)", "taken",
                   versions=("V-OLD", "V-MID", "V-613"))
TDPAGE_CLEAR_A = site("tdp_mmu_clear_spte_bits.store", "store", "tdp_mmu_clear_spte_bits", ITER,
                      "clear A (fetch_and if volatile, else a plain store)",
                      "plain-unless-volatile", alternatives=_ATOMIC_RMW,
                      versions=("V-OLD", "V-MID", "V-613"))
TDPAGE_TRACK = site("age_gfn_range.track", "store", "kvm_tdp_mmu_write_spte", ITER,
                    "write the access-tracked form of an A/D-disabled SPTE",
                    "plain-unless-volatile", alternatives=_ATOMIC_RMW,
                    versions=("V-OLD", "V-MID", "V-613"))
TDPAGE_FETCH_AND = site("kvm_tdp_mmu_age_spte.fetch_and", "store",
                        "tdp_mmu_clear_spte_bits_atomic", ITER,
                        "lockless: atomic64_fetch_and(~A)", "bitop", alternatives=_BITOP,
                        versions=("V-NEW",))
TDPAGE_CMPXCHG = site("kvm_tdp_mmu_age_spte.cmpxchg", "store", "kvm_tdp_mmu_age_spte", TDP,
                      "lockless: cmpxchg an A/D-disabled SPTE to its access-tracked form",
                      "cmpxchg", alternatives=_CMPXCHG, versions=("V-NEW",))
TDPAGE_FLUSH = site("kvm_tdp_mmu_age_gfn_range.flush", "flush",
                    "kvm_mmu_notifier_clear_flush_young", MAIN,
                    "kvm_flush_remote_tlbs if young (not on x86 from v6.13: "
                    "KVM_ELIDE_TLB_FLUSH_IF_YOUNG)", _age_flush, alternatives=("done", "absent"))

_TDP_YIELD = ("V-MID", "V-613", "V-NEW")
TDPZAP_STORE = site("tdp_mmu_zap_leafs.store", "store", "tdp_mmu_iter_set_spte / "
                    "kvm_tdp_mmu_write_spte", ITER,
                    "zap a present leaf under the write lock (the non-present value: xchg "
                    "if the SPTE needs an atomic update, else a plain store)",
                    "plain-unless-volatile", alternatives=_ATOMIC_RMW, versions=_TDP_YIELD)
TDPZAP_YIELD_FLUSH = site(
    "tdp_mmu_iter_cond_resched.flush", "flush", "tdp_mmu_iter_cond_resched", TDP,
    "at a yield in the middle of the walk (need_resched / rwlock_needbreak, once the walk "
    "has made progress): kvm_flush_remote_tlbs if a flush is owed, before "
    "cond_resched_rwlock_write drops mmu_lock (a835429cda91)", "done",
    alternatives=("done", "absent"), versions=_TDP_YIELD)
WPGFN_STORE = site("write_protect_gfn.store", "store", "tdp_mmu_iter_set_spte / "
                   "kvm_tdp_mmu_write_spte", ITER,
                   "write-protect a leaf for write tracking (old & ~(W | MMU-writable)) under "
                   "the write lock: xchg if the SPTE needs an atomic update, else a plain "
                   "store", "plain-unless-volatile", alternatives=_ATOMIC_RMW,
                   versions=_TDP_YIELD)


def get_site(id: str) -> Site:
    from verify.errors import InputError
    if id not in SITES:
        import difflib
        near = difflib.get_close_matches(id, list(SITES), n=3)
        hint = f" (did you mean {', '.join(near)}?)" if near else " (see spte-verify list --sites)"
        raise InputError(f"unknown site {id!r}{hint}")
    return SITES[id]

# -- huge-page split on the shadow MMU (eager: nested MMUs, v6.0+; lazy: the fault path) ------
_SSPLIT = ("V-MID", "V-613", "V-NEW")  # shadow MMU eager split: v6.0+ (layout shadow_eager_split)
SSPLIT_LOCK = site("kvm_shadow_mmu_try_split_huge_pages.lock", "lock",
                   "kvm_mmu_slot_try_split_huge_pages", MMU,
                   "write_lock(mmu_lock) around kvm_shadow_mmu_try_split_huge_pages (the rmap "
                   "walk, shadow_mmu_split_huge_page and __link_shadow_page)", "taken",
                   versions=_SSPLIT)
DROP_LARGE_STORE = site(
    "drop_large_spte.store", "store", "drop_large_spte / mmu_spte_clear_track_bits", MMU,
    "__link_shadow_page drops the huge SPTE a split replaces (drop_large_spte -> drop_spte -> "
    "mmu_spte_clear_track_bits): plain store of the non-present value unless volatile, else "
    "xchg", "plain-unless-volatile", alternatives=_ATOMIC_RMW)
DROP_LARGE_FLUSH = site(
    "drop_large_spte.flush", "flush", "drop_large_spte", MMU,
    "kvm_flush_remote_tlbs_sptep after dropping the huge SPTE when the caller's flush "
    "argument is true (link_shadow_page from the fault path: always; the eager split: only if "
    "an entry of the child table is a non-leaf)", "done", alternatives=("done", "absent"))

# -- the in-place recovery's yield point and kvm_mmu_max_mapping_level test (v6.13+) --------
RECOVER_YIELD_FLUSH = site(
    "recover_huge_pages_range.yield_flush", "flush", "recover_huge_pages_range", TDP,
    "at the top of every iteration tdp_mmu_iter_cond_resched(kvm, &iter, flush, true): if "
    "the walk yields (need_resched / rwlock_needbreak, progress made) it flushes what the "
    "recovery owes (kvm_flush_remote_tlbs) before dropping the read lock, and the caller "
    "sets flush = false; absent: the owed flush is dropped with it (as if the recovery "
    "passed false, as wrprot_gfn_range does)", "done", alternatives=("done", "absent"),
    versions=_RECOVER)
RECOVER_MAX_LEVEL = site(
    "recover_huge_pages_range.max_level", "guard", "recover_huge_pages_range", TDP,
    "kvm_mmu_max_mapping_level(kvm, slot, iter.gfn) < iter.level: continue (a gfn of the "
    "region is write-tracked: lpage_info disallow_lpage, counted under the write lock by "
    "__kvm_write_track_add_gfn)", "present", alternatives=("present", "absent"),
    versions=_RECOVER)
# -- the TDP fault path's huge-page split (v6.2+, c4b33d28ea51) ------------------------------
_FSPLIT = ("V-MID", "V-613", "V-NEW")  # layout tdp_fault_split
TDPFAULT_SPLIT = site(
    "kvm_tdp_mmu_map.split", "guard", "kvm_tdp_mmu_map", TDP,
    "a present huge leaf above the fault's goal level is split in place "
    "(tdp_mmu_split_huge_page: fill the new table from it, tdp_mmu_link_sp's cmpxchg, no "
    "flush; v6.2+); absent: the path before c4b33d28ea51, tdp_mmu_zap_spte_atomic of the "
    "huge leaf (cmpxchg to REMOVED_SPTE, kvm_flush_remote_tlbs_gfn, clear), then "
    "tdp_mmu_link_sp of an empty table", "present", alternatives=("present", "absent"),
    versions=_FSPLIT)
TDPMAP_FLUSH = site(
    "tdp_mmu_map_handle_target_level.flush", "flush", "tdp_mmu_map_handle_target_level", TDP,
    "kvm_flush_remote_tlbs_gfn(gfn, level) after the cmpxchg when the old SPTE was a present "
    "non-leaf (a huge leaf replaced a page table); the kernel has it in every TDP version "
    "read (M4, N1); the model reaches it only in V-MID's tdp-zap-collapsible-vs-huge-fault "
    "(tests/test_flushes.py checks it there)", "done",
    alternatives=("done", "absent"), versions=_FSPLIT)
# -- V-NEW's lockless rmap aging against the shadow MMU's writers (the rmap lock, v6.15) -----
RMAP_AGE_LOCK = site(
    "kvm_rmap_age_gfn_range.rmap_lock", "lock", "kvm_rmap_age_gfn_range", MMU,
    "kvm_rmap_lock_readonly / kvm_rmap_unlock_readonly around the lockless walk of one rmap "
    "(KVM_RMAP_LOCKED: a writer's pte_list_remove waits for it, so an SPTE the walk found "
    "can be dropped but not re-linked while the walk uses it)", "taken", versions=("V-NEW",))
# -- the 2M write-protect that follows clear-dirty when dirty logging is enabled with PML -----
CLEARD_WRPROT_2M = site(
    "kvm_mmu_slot_apply_flags.wrprot_2m", "guard", "kvm_mmu_slot_apply_flags",
    "arch/x86/kvm/x86.c",
    "with PML, kvm_mmu_slot_remove_write_access(kvm, new, PG_LEVEL_2M) after "
    "kvm_mmu_slot_leaf_clear_dirty (wrprot_gfn_range from min_level 2M: huge leaves only), "
    "so that a write to a huge page faults and is logged at 4K ('present'); 'absent': not "
    "made (R24); 'first': made before clear-dirty (no kernel has this order)", "present",
    alternatives=("present", "absent", "first"), versions=_SPLIT)
# -- two splitters of one huge page (each fills a table of its own) -------------------------
TDPFAULT_SPLIT_FAIL = site(
    "kvm_tdp_mmu_map.split_fail", "guard", "kvm_tdp_mmu_map", TDP,
    "the fault path's split lost its tdp_mmu_link_sp cmpxchg (another splitter linked its "
    "own table, or the huge leaf changed): tdp_mmu_free_sp(sp), goto retry (RET_PF_RETRY: "
    "the vCPU faults again, walks and reads again) ('free'); 'relink': retry the cmpxchg "
    "with the refreshed old_spte and the table as filled, without testing or filling again",
    "free", alternatives=("free", "relink"), versions=_FSPLIT)
