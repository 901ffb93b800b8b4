"""Golden traces of R1-R29 and ``spte-verify replay``.

For each race, ``spte-verify check --variant Rn --property <its property> --engine
explicit`` is deterministic; its trace (table, explanation, the minimization line) is
stored in ``tests/golden/Rn.txt`` and its witness file (``--save-witness``) in
``tests/golden/Rn.json``.  A run regenerates both and compares; with
``SPTE_VERIFY_UPDATE_GOLDEN=1`` it rewrites them instead (then re-check by hand).

``ORDER`` pins, per race, the steps of the race description (primer §4 and
``Documentation/virt/kvm/locking.rst``) as (column, text, change) triples that must
appear in this order in the parsed table -- hand-checked against the golden tables, so a
change that reorders or loses a step fails even after the golden files are rewritten.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from cli_runner import run
from test_trace import rst_rows

from verify.protocols import submodule

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SPTE_VERIFY_UPDATE_GOLDEN") == "1"
RACES = submodule("scenarios").RACES

FF, CPU = "vCPU0 (fast page fault)", "vCPU0 (CPU)"
ZA = "CPU (zapat: zap collapsible SPTEs)"
RC = "CPU (recover: recover huge pages)"
SP = "vCPU0 (slow page fault)"
TF = "vCPU0 (TDP page fault, 4K goal level)"
HF = "vCPU1 (TDP page fault, 2M goal level)"
XF = "vCPU1 (TDP page fault, 4K goal level)"

# (column title, step text substring, "After the step" substring or "")
ORDER: dict[str, list[tuple[str, str, str]]] = {
    # Fast fault reads the spte; the other CPU zaps it, pfn1 is re-allocated for gfn2 and
    # the gpte changed, the spte is re-installed; the cmpxchg succeeds; gfn1 is marked
    # dirty; the guest's write to gfn2 is lost from the dirty log.
    "R1": [(FF, "spte = READ_ONCE(*spte0)", ""),
           ("CPU (remap)", "old_spte = xchg(spte0, 0x0)", "zapped"),
           ("CPU (remap)", "re-allocated for gfn 0x2; guest gpte -> gfn 0x2", ""),
           ("CPU (remap)", "mmu_spte_set(spte0, pfn 0x100", "installed"),
           (FF, "try_cmpxchg64(spte0, &spte, new_spte) succeeds", "W 0→1"),
           (FF, "mark_page_dirty_in_slot", ""),
           (CPU, "guest writes via spte0", "")],
    # The lock holder reads the spte (W=0, MMU-writable) and finds it not volatile; fast
    # fault sets W; the CPU sets D; the plain store wipes D.
    "R2": [("CPU (wrtrack)", "write_lock(&kvm->mmu_lock)", ""),
           ("CPU (wrtrack)", "old_spte = *spte0", ""),
           (FF, "try_cmpxchg64(spte0, &spte, new_spte) succeeds", "W 0→1"),
           (CPU, "guest writes via spte0", "D 0→1"),
           ("CPU (wrtrack)", "WRITE_ONCE(*spte0, new_spte) (old not volatile)", "D 1→0")],
    # mmu_spte_update reads the old spte; fast fault sets W; the guest caches a writable
    # TLB entry; xchg; no flush (decided from the plain read); the stale entry lives on.
    "R3": [("CPU (wrtrack)", "old_spte = *spte0", ""),
           (FF, "try_cmpxchg64(spte0, &spte, new_spte) succeeds", "W 0→1"),
           (CPU, "guest writes via spte0", "TLB caches spte0 (W=1"),
           ("CPU (wrtrack)", "old_spte = xchg(spte0, new_spte)", "W 1→0"),
           ("CPU (wrtrack)", "no flush needed", ""),
           ("CPU (wrtrack)", "write_unlock(&kvm->mmu_lock)", "")],
    # A writable TLB entry exists; dirty logging clears W without a flush (it flushes
    # after unlock); write tracking finds W=0, clears MMU-writable and, under the W-based
    # rule, does not flush: the writable TLB entry lives on.
    "R4": [(CPU, "guest writes via spte0", "TLB caches spte0 (W=1"),
           ("CPU (harvest)", "spte &= ~PT_WRITABLE_MASK", ""),
           ("CPU (harvest)", "WRITE_ONCE(*spte0, new_spte)", "W 1→0"),
           ("CPU (harvest)", "write_unlock(&kvm->mmu_lock)", ""),
           ("CPU (wrtrack)", "spte &= ~PT_WRITABLE_MASK & ~shadow_mmu_writable_mask", ""),
           ("CPU (wrtrack)", "old_spte = xchg(spte0, new_spte)", "MmuW 1→0"),
           ("CPU (wrtrack)", "no flush needed", ""),
           ("CPU (wrtrack)", "write_unlock(&kvm->mmu_lock)", "")],
    # Fast fault walks (parent present) before the zap and sets W in the child; the zap
    # clears the parent and reads the child; the CPU sets D in the child through the
    # cached parent entry; the plain store of FROZEN/REMOVED loses D.
    "R5": [(FF, "lockless walk: parent = READ_ONCE(*spte0) (present)", ""),
           (FF, "try_cmpxchg64(spte1, &spte, new_spte) succeeds", "W 0→1"),
           ("CPU (zap_pt)", "tdp_mmu_iter_set_spte(spte0, 0)", "zapped"),
           ("CPU (zap_pt)", "old_spte = kvm_tdp_mmu_read_spte(spte1)", ""),
           (CPU, "guest writes via spte1", "D 0→1"),
           ("CPU (zap_pt)", "REMOVED_SPTE) (plain store)", "frozen")],
    # The guest caches a TLB entry; the zap clears the SPTE and unlocks with no flush:
    # the entry for the zapped page outlives the zap.
    "R6": [(CPU, "guest reads via spte0", "TLB caches spte0"),
           ("CPU (zap)", "old_spte = xchg(spte0, 0x0)", "zapped"),
           ("CPU (zap)", "write_unlock(&kvm->mmu_lock)", "")],
    # The guest caches the child and its parent; the page-table zap clears the parent,
    # freezes the child and unlocks with no flush: the paging-structure cache still
    # holds the freed table.
    "R7": [(CPU, "guest reads via spte1", "paging-structure cache caches the parent"),
           ("CPU (zap_pt)", "tdp_mmu_iter_set_spte(spte0, 0)", "zapped"),
           ("CPU (zap_pt)", "REMOVED_SPTE", "frozen"),
           ("CPU (zap_pt)", "write_unlock(&kvm->mmu_lock)", "")],
    # Write tracking clears W only (MMU-writable stays) and returns; fast page fault
    # makes the SPTE writable again.
    "R8": [("CPU (wrtrack)", "spte0 not writable: return false", ""),
           ("CPU (wrtrack)", "write_unlock(&kvm->mmu_lock)", ""),
           (FF, "try_cmpxchg64(spte0, &spte, new_spte) succeeds", "W 0→1")],
    # The guest caches spte0; the range zap zaps it and yields mmu_lock without the flush
    # it owes; write tracking finds spte0 not present, owes no flush and returns while
    # the writable TLB entry lives on.
    "R9": [(CPU, "guest reads via spte0", "TLB caches spte0 (W=1"),
           ("CPU (zaprange)", "old_spte = xchg(spte0, 0x0)", "zapped"),
           ("CPU (zaprange)", "flush_on_yield absent", ""),
           ("CPU (zaprange)", "write_unlock(&kvm->mmu_lock)", ""),
           ("CPU (wrtrack)", "spte0 not writable: return false", ""),
           ("CPU (wrtrack)", "no flush needed", ""),
           ("CPU (wrtrack)", "write_unlock(&kvm->mmu_lock)", "")],
    # Fast page fault makes the SPTE writable and pushes the gfn; userspace collects the
    # entry; the reset marks it invalid, then returns -EINTR before resetting the batch;
    # the guest's next write needs no fault and is pushed nowhere.
    "R10": [(FF, "try_cmpxchg64(spte0, &spte, new_spte) succeeds", "W 0→1"),
            (FF, "mark_page_dirty_in_slot", "dirty ring: gfn 0x1 pushed"),
            ("CPU (ring)", "collect it, set KVM_DIRTY_GFN_F_RESET", "collected"),
            ("CPU (ring)", "kvm_dirty_gfn_set_invalid()", ""),
            ("CPU (ring)", "return -EINTR", ""),
            (CPU, "guest writes via spte0", "")],
    # The slow fault's lockless page-track test finds the gfn untracked; write tracking
    # counts the gfn, write-protects and unlocks; the fault takes mmu_lock and, with no
    # re-check of the count, installs a writable SPTE for the tracked gfn.
    "R11": [("vCPU0 (slow page fault)", "page_fault_handle_page_track(): gfn 0x1 not tracked",
             ""),
            ("CPU (wrtrack)", "update_gfn_write_track(slot, 0x1, 1)", ""),
            ("CPU (wrtrack)", "write_unlock(&kvm->mmu_lock)", ""),
            ("vCPU0 (slow page fault)", "write tracking not re-checked", ""),
            ("vCPU0 (slow page fault)", "WRITE_ONCE(*spte0, new_spte)", "W 0→1")],
    # Fast page fault, on 4K page 0 of a write-protected huge SPTE of a dirty-logged slot,
    # makes the whole huge SPTE writable and logs gfn 0x2 only; the guest writes 4K page
    # 1 (gfn 0x3) through it without a fault, and nothing logs that write.
    "R12": [(FF, "on spte0, 4K page 0 (gfn 0x2)", ""),
            (FF, "try_cmpxchg64(spte0, &spte, new_spte) succeeds", "W 0→1"),
            (FF, "mark_page_dirty_in_slot", "dirty bitmap: gfn 0x2 set"),
            (CPU, "guest writes via spte0 (4K page 1 of the huge page)", "")],
    # Test-age, without A/D bits, tests the (absent) Accessed bit of an SPTE the guest
    # has accessed (present, not access-tracked) and reports it old.
    "R13": [("CPU (testage)", "write_lock(&kvm->mmu_lock)", ""),
            ("CPU (testage)", "spte = READ_ONCE(*spte0)", ""),
            ("CPU (testage)", "spte0 not accessed: not young", "")],
    # The guest caches the child and the page table above it; the atomic zap freezes the
    # parent and the child, skips the flush and clears the parent: the zap returns while
    # the vCPU still holds both entries for the removed page table.
    "R14": [(CPU, "guest reads via spte1", "paging-structure cache caches the parent"),
            (ZA, "tdp_mmu_set_spte_atomic(spte0, REMOVED_SPTE) (cmpxchg) succeeds", "frozen"),
            (ZA, "kvm_tdp_mmu_write_spte_atomic(spte1, REMOVED_SPTE) (xchg)", "frozen"),
            (ZA, "(no kvm_flush_remote_tlbs_gfn", ""),
            (ZA, "__kvm_tdp_mmu_write_spte(spte0, 0)", "zapped"),
            (ZA, "read_unlock(&kvm->mmu_lock)", "")],
    # A TDP fault walks the parent before the atomic zap freezes it; the zap reads the
    # child (clean); the fault installs a writable, dirty child; the guest writes through
    # the cached parent; the zap's plain store of REMOVED_SPTE wipes D and
    # handle_changed_spte() sees only the clean value it read.
    "R15": [("vCPU1 (TDP page fault)", "kvm_tdp_mmu_read_spte(spte0) (present): step down",
             ""),
            (ZA, "tdp_mmu_set_spte_atomic(spte0, REMOVED_SPTE) (cmpxchg) succeeds", "frozen"),
            (ZA, "old = READ_ONCE(*spte1)", ""),
            ("vCPU1 (TDP page fault)", "tdp_mmu_set_spte_atomic(spte1, make_spte(writable))",
             "W 0→1"),
            (CPU, "guest writes via spte1", ""),
            (ZA, "WRITE_ONCE(*spte1, REMOVED_SPTE)", "frozen"),
            (ZA, "kvm_flush_remote_tlbs_gfn", "")],
    # The split fills the new table from the clean huge SPTE it read; the guest then
    # writes through the huge SPTE (CPU sets D); the split links the table with a plain
    # store, so the children say clean and (V-MID) handle_changed_spte, given the stale
    # old value, never marks the pfn dirty.
    "R16": [("CPU (split)", "iter.old_spte = kvm_tdp_mmu_read_spte(spte0)", ""),
            ("CPU (split)", "make_huge_page_split_spte(", "D=0"),
            (CPU, "guest writes via spte0 (4K page 0 of the huge page)", "D 0→1"),
            ("CPU (split)", "WRITE_ONCE(*spte0,", "D 1→0")],
    # The guest caches a child and the table's parent entry; the recovery installs the
    # huge leaf, freezes both children and returns without the flush: the vCPU still holds
    # entries for the page table handle_removed_pt hands to call_rcu.
    "R17": [(CPU, "guest reads via spte1", "paging-structure cache caches the parent"),
            (RC, "tdp_mmu_set_spte_atomic(spte0, huge_spte) (cmpxchg) succeeds", "pfn"),
            (RC, "kvm_tdp_mmu_write_spte_atomic(spte1, FROZEN_SPTE) (xchg)", "frozen"),
            (RC, "kvm_tdp_mmu_write_spte_atomic(spte2, FROZEN_SPTE) (xchg)", "frozen"),
            (RC, "no kvm_flush_remote_tlbs_memslot", ""),
            (RC, "read_unlock(&kvm->mmu_lock)", "")],
    # In a slot that is still dirty-logged, a TDP fault makes child0 writable and logs its
    # gfn only; the recovery (without its bail-out) copies W into the huge SPTE, and the
    # guest writes the other 4K page through it without a fault: gfn 0x3 is never logged.
    "R18": [("vCPU1 (TDP page fault)", "make_spte(writable)", "dirty bitmap: gfn 0x2 set"),
            (RC, "make_huge_spte(spte1, PG_LEVEL_2M)", ""),
            (RC, "tdp_mmu_set_spte_atomic(spte0, huge_spte) (cmpxchg) succeeds", "pfn"),
            (RC, "kvm_flush_remote_tlbs_memslot", ""),
            (CPU, "guest writes via spte0 (4K page 1 of the huge page)", "W=1")],
    # With PML (EPT with A/D): the guest has cached the huge page's entry with W=1, D=1;
    # clear-dirty clears D, the 2M write-protect clears W, and the caller does not flush:
    # the guest writes the other 4K page through the cached entry after the enabling
    # returned, without a fault and without a D 0->1 for PML to log.
    "R19": [(CPU, "guest writes via spte0 (4K page 0 of the huge page)", "W=1, D=1"),
            ("CPU (cleardirty)", "spte0, old & ~shadow_dirty_mask) (cmpxchg) succeeds",
             "D 1→0"),
            ("CPU (cleardirty)", "spte0, old & ~PT_WRITABLE_MASK) (cmpxchg) succeeds",
             "W 1→0"),
            ("CPU (cleardirty)", "flags.flush absent)", ""),
            (CPU, "guest writes via TLB entry for spte0 (4K page 1 of the huge page)", "")],
    # The guest caches a writable entry for spte0; the TDP range zap zaps spte0 (a flush
    # is now owed), yields in tdp_mmu_iter_cond_resched without flushing it and drops
    # mmu_lock; write tracking finds spte0 non-present, owes no flush and returns while
    # the vCPU's writable TLB entry is still live.
    "R20": [(CPU, "guest reads via spte0", "TLB caches spte0 (W=1"),
            ("CPU (zaprange)", "iter.old_spte = kvm_tdp_mmu_read_spte(spte0)", ""),
            ("CPU (zaprange)", "xchg(spte0, 0) (volatile); flush = true", "zapped"),
            ("CPU (zaprange)", "resched.flush absent)", ""),
            ("CPU (zaprange)", "write_unlock(&kvm->mmu_lock)", ""),
            ("CPU (wrtrack)", "write_lock(&kvm->mmu_lock)", ""),
            ("CPU (wrtrack)", "spte0 not present or not a leaf: continue", ""),
            ("CPU (wrtrack)", "no flush needed", ""),
            ("CPU (wrtrack)", "write_unlock(&kvm->mmu_lock)", "")],
    # The guest caches the (write-protected) huge page; a write fault takes the slow path,
    # which drops the huge SPTE and links a new shadow page without the flush its
    # link_shadow_page asks for, then maps only 4K page 0: the vCPU still reaches page 1,
    # now unmapped, through its huge TLB entry.
    "R21": [(CPU, "guest reads via spte0", "vCPU0 TLB caches spte0"),
            (SP, "is_shadow_present_pte(*spte0): a huge leaf", ""),
            (SP, "old_spte = xchg(spte0, 0x0)", "zapped"),
            (SP, "(no kvm_flush_remote_tlbs_sptep: site drop_large_spte.flush absent)", ""),
            (SP, "mmu_spte_set(spte0, make_nonleaf_spte(sp->spt))", "installed"),
            (SP, "mmu_spte_set(spte1, new_spte)", "installed"),
            (SP, "write_unlock(&kvm->mmu_lock)", "")],
    # The eager split fills the child shadow page from the clean huge SPTE it read; the
    # drop reads the huge SPTE (D clear), the guest writes through it (CPU sets D), and
    # the drop's plain store wipes D: the children say clean and (V-MID) the
    # kvm_set_pfn_dirty decided from the plain read never happens.
    "R22": [("CPU (ssplit)", "huge_spte = READ_ONCE(*spte0)", ""),
            ("CPU (ssplit)", "make_huge_page_split_spte(", "D=0"),
            ("CPU (ssplit)", "old_spte = *spte0", ""),
            (CPU, "guest writes via spte0 (4K page 0 of the huge page)", "D 0→1"),
            ("CPU (ssplit)", "WRITE_ONCE(*spte0, 0x0)", "zapped"),
            ("CPU (ssplit)", "flush == false: no TLB flush", ""),
            ("CPU (ssplit)", "mmu_spte_set(spte0, make_nonleaf_spte(sp->spt))", "installed")],
    # A TDP fault walks the parent before the atomic zap freezes it; the zap's shared path
    # xchg's the child to REMOVED_SPTE (handle_changed_spte: the table is processed, off to
    # call_rcu); the fault, with no back-off on a frozen SPTE, reads REMOVED_SPTE and its
    # cmpxchg installs a present child in the freed table.
    "R23": [("vCPU1 (TDP page fault)", "kvm_tdp_mmu_read_spte(spte0) (present): step down",
             ""),
            (ZA, "tdp_mmu_set_spte_atomic(spte0, REMOVED_SPTE) (cmpxchg) succeeds", "frozen"),
            (ZA, "kvm_tdp_mmu_write_spte_atomic(spte1, REMOVED_SPTE) (xchg)", "frozen"),
            ("vCPU1 (TDP page fault)", "iter.old_spte = kvm_tdp_mmu_read_spte(spte1)", ""),
            ("vCPU1 (TDP page fault)", "tdp_mmu_set_spte_atomic(spte1, make_spte(writable))",
             "Present 0→1")],
    # The guest caches child1 and the table's parent entry; the recovery (as a walk) makes
    # the table huge, freezes both children (flush = true), yields at the next 2M entry
    # without the owed flush, sets flush = false, finds nothing else and skips the end
    # flush: it returns while the vCPU holds entries for the table call_rcu frees.
    "R27": [(CPU, "guest reads via spte2", "paging-structure cache caches the parent"),
            (RC, "max_mapping_level", ""),
            (RC, "tdp_mmu_set_spte_atomic(spte0, huge_spte) (cmpxchg) succeeds", "pfn"),
            (RC, "kvm_tdp_mmu_write_spte_atomic(spte2, FROZEN_SPTE) (xchg)", "frozen"),
            (RC, "flush = true", ""),
            (RC, "yield_flush absent); (the caller) flush = false", ""),
            (RC, "read_unlock(&kvm->mmu_lock)", ""),
            (RC, "flush is false, no flush", ""),
            (RC, "read_unlock(&kvm->mmu_lock)", "")],
    # Write tracking of gfn 0x2 counts it (disallow_lpage) and finds no SPTE to protect
    # (child0 not present); the recovery, without the kvm_mmu_max_mapping_level test,
    # makes the table huge from the writable child1: the huge leaf maps gfn 0x2 writable.
    "R28": [("CPU (wrtrack)", "kvm_mmu_gfn_disallow_lpage()", ""),
            ("CPU (wrtrack)", "spte1 not present or not a leaf: continue", ""),
            ("CPU (wrtrack)", "write_unlock(&kvm->mmu_lock)", ""),
            (RC, "no kvm_mmu_max_mapping_level test", ""),
            (RC, "make_huge_spte(spte2, PG_LEVEL_2M)", ""),
            (RC, "tdp_mmu_set_spte_atomic(spte0, huge_spte) (cmpxchg) succeeds", "pfn")],
    # The guest caches the (write-protected) huge page; a write fault on 4K page 0 takes
    # the pre-v6.2 path of kvm_tdp_mmu_map: tdp_mmu_zap_spte_atomic freezes the huge leaf
    # and, without its flush, clears it; an empty table is linked and only page 0 mapped:
    # the vCPU still reaches page 1, now unmapped, through its huge TLB entry.
    "R25": [(CPU, "guest reads via spte0", "vCPU0 TLB caches spte0"),
            (TF, "kvm_tdp_mmu_read_spte(spte0) (the huge level)", ""),
            (TF, "tdp_mmu_set_spte_atomic(spte0, REMOVED_SPTE) (cmpxchg) succeeds", "frozen"),
            (TF, "(no kvm_flush_remote_tlbs_gfn: site tdp_mmu_zap_spte_atomic.flush absent)",
             ""),
            (TF, "__kvm_tdp_mmu_write_spte(spte0, 0)", "zapped"),
            (TF, "tdp_mmu_set_spte_atomic(spte0, make_nonleaf_spte()) of an empty table",
             "installed"),
            (TF, "tdp_mmu_set_spte_atomic(spte1, make_spte(writable))", "installed"),
            (TF, "read_unlock(&kvm->mmu_lock)", "")],
    # The guest walks to a 4K child (TLB and paging-structure cache filled); a fault at 2M
    # cmpxchgs the huge leaf over the page table and handle_removed_pt freezes both
    # children, but without the flush the fault owes for replacing a non-leaf the vCPU
    # keeps its 4K entry into the table being freed.
    "R26": [(CPU, "guest reads via spte1", "paging-structure cache caches the parent"),
            (HF, "kvm_tdp_mmu_read_spte(spte0) (the goal level)", ""),
            (HF, "tdp_mmu_set_spte_atomic(spte0, make_spte(huge)) (cmpxchg) succeeds over a "
                 "non-leaf", "pfn 0x200→0x100"),
            (HF, "kvm_tdp_mmu_write_spte_atomic(spte1, REMOVED_SPTE)", "frozen"),
            (HF, "kvm_tdp_mmu_write_spte_atomic(spte2, REMOVED_SPTE)", "frozen"),
            (HF, "(no flush: site tdp_mmu_map_handle_target_level.flush absent)", ""),
            (HF, "read_unlock(&kvm->mmu_lock)", "")],
    # With PML and no 2M write-protect after clear-dirty: clear-dirty clears the huge
    # page's D and the enabling returns with the huge SPTE writable; the guest's first
    # write sets D 0->1 (PML logs its 4K gfn), the second, to the other 4K page, finds D
    # set and is logged by nothing.
    "R24": [("CPU (cleardirty)", "spte0, old & ~shadow_dirty_mask) (cmpxchg) succeeds",
             "D 1→0"),
            ("CPU (cleardirty)", "kvm_mmu_slot_leaf_clear_dirty() returns", ""),
            (CPU, "guest writes via spte0 (4K page 0 of the huge page)", "D 0→1"),
            (CPU, "guest writes via spte0 (4K page 1 of the huge page)", "")],
    # vCPU1's instruction fetch reads the writable huge leaf; the enabling's write-protect
    # clears its W and returns with its flush; vCPU1 fills its table from the value it
    # read, its cmpxchg fails, and instead of freeing the table it retries the cmpxchg
    # with the refreshed old_spte: the children are writable, and the guest's write to
    # 4K page 1 is logged by nothing.
    "R29": [(XF, "kvm_tdp_mmu_read_spte(spte0) (the huge level)", ""),
            ("CPU (wrprot)", "tdp_mmu_set_spte_atomic(spte0, old & ~PT_WRITABLE_MASK)",
             "W 1→0"),
            ("CPU (wrprot)", "kvm_flush_remote_tlbs(kvm)", ""),
            (XF, "fill its own new table sp->spt from huge_spte = old_spte", ""),
            (XF, "cmpxchg on spte0 fails: old_spte refreshed, the cmpxchg retried", ""),
            (XF, "tdp_mmu_set_spte_atomic(spte0, make_nonleaf_spte()) (cmpxchg) succeeds",
             "spte2 (child1): installed"),
            (CPU, "guest writes via spte2", "")],
}




ANY_GUEST_ACCESS: dict[str, tuple[tuple[str, ...], int]] = {
    # two interchangeable writer vCPUs, and a read or a write both fill the TLB
    "R6": (("CPU (zap)",), 0),
    # a guest write between the zap's read and its xchg cannot be moved before the read
    # (the read would see D=1 and take the plain store instead of the xchg), so the
    # reordering search stops one context switch above the golden read-first trace
    "R9": (("CPU (zaprange)", "CPU (wrtrack)"), 1),
    # the same for the TDP MMU's range zap: a write instead of the read fills the TLB
    "R20": (("CPU (zaprange)", "CPU (wrtrack)"), 1),
}
"""Races whose shortest witnesses differ in the guest access that fills the TLB: the host
operations' columns must be the golden ones step for step, with at most this many extra
context switches."""


def trace_block(stdout: str) -> str:
    """The trace part of ``check`` output: from the violation's heading line to the
    minimization line (no timings)."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("+")) - 1
    end = next(i for i, line in enumerate(lines) if line.startswith("(trace replayed"))
    return "\n".join(lines[start:end + 1]) + "\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, dict[str, Any]]]:
    out = {}
    for rid, race in sorted(RACES.items()):
        d = tmp_path_factory.mktemp(rid)
        r = run("check", "--variant", rid, "--property", race.property, "--engine",
                "explicit", "--save-witness", str(d))
        assert r.exit_code == 1, r.stdout + r.stderr
        files = list(d.glob("*.json"))
        assert len(files) == 1
        out[rid] = (trace_block(r.stdout), json.loads(files[0].read_text(encoding="utf-8")))
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        for rid, (table, wit) in out.items():
            (GOLDEN / f"{rid}.txt").write_text(table, encoding="utf-8")
            (GOLDEN / f"{rid}.json").write_text(json.dumps(wit, indent=2, ensure_ascii=False)
                                                + "\n", encoding="utf-8")
    return out


def _strip(w: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in w.items() if k != "tool"}


@pytest.mark.parametrize("rid", sorted(RACES))
def test_golden_trace_matches_a_fresh_run(rid: str, generated: Any) -> None:
    table, wit = generated[rid]
    assert (GOLDEN / f"{rid}.txt").read_text(encoding="utf-8") == table, \
        f"{rid}: trace changed; if intended, SPTE_VERIFY_UPDATE_GOLDEN=1 and re-check by hand"
    golden = json.loads((GOLDEN / f"{rid}.json").read_text(encoding="utf-8"))
    assert _strip(golden) == _strip(wit)


@pytest.mark.parametrize("rid", sorted(RACES))
def test_golden_table_names_the_race_steps_in_order(rid: str) -> None:
    text = (GOLDEN / f"{rid}.txt").read_text(encoding="utf-8")
    head, body = rst_rows(text)
    race = RACES[rid]
    assert text.startswith(f"{race.scenario} [{race.version}/{race.mode}, variant ")
    assert f"{race.property} broken" in text
    k = 1  # body[0] is "At the beginning"
    for col, step, change in ORDER[rid]:
        c = head.index(col)
        # cells wrap, breaking a long identifier: compare without spaces
        while k < len(body) and not (_sq(step) in _sq(body[k][c])
                                     and _sq(change) in _sq(body[k][-1])):
            k += 1
        assert k < len(body), f"{rid}: {col}: {step!r} ({change!r}) missing or out of order"
        k += 1


def _sq(text: str) -> str:
    return "".join(text.split())


def test_r2_starts_from_a_read_only_mmu_writable_spte() -> None:
    _head, body = rst_rows((GOLDEN / "R2.txt").read_text(encoding="utf-8"))
    assert "W=0" in body[0][0] and "MmuW=1" in body[0][0] and "A=1" in body[0][0]


@pytest.mark.parametrize("rid", sorted(RACES))
def test_replay_of_golden_witness_reproduces(rid: str) -> None:
    r = run("replay", str(GOLDEN / f"{rid}.json"))
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "Status: REPRODUCED" in r.stdout
    table = (GOLDEN / f"{rid}.txt").read_text(encoding="utf-8")
    # the replay prints the same table and explanation as the check did
    assert "\n".join(table.splitlines()[1:-1]) in r.stdout


def test_replay_reports_a_witness_that_no_longer_violates(tmp_path: Path) -> None:
    w = json.loads((GOLDEN / "R2.json").read_text(encoding="utf-8"))
    w["schedule"] = w["schedule"][:-1]  # stop before the lock holder returns: quiescent no more
    w["length"] = len(w["schedule"])
    f = tmp_path / "short.json"
    f.write_text(json.dumps(w), encoding="utf-8")
    r = run("replay", str(f))
    assert r.exit_code == 1
    assert "Status: NOT REPRODUCED" in r.stdout


def test_replay_reports_a_schedule_that_does_not_run(tmp_path: Path) -> None:
    w = json.loads((GOLDEN / "R2.json").read_text(encoding="utf-8"))
    w["schedule"] = list(reversed(w["schedule"]))
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(w), encoding="utf-8")
    r = run("replay", str(f))
    assert r.exit_code == 1
    assert "does not run on this model" in r.stdout


def test_replay_of_check_json_output(tmp_path: Path) -> None:
    r = run("check", "--variant", "R3", "--property", "no-stale-tlb", "--engine", "explicit",
            "--json")
    assert r.exit_code == 1
    f = tmp_path / "check.json"
    f.write_text(r.stdout, encoding="utf-8")
    rr = run("replay", str(f))
    assert rr.exit_code == 0, rr.stdout + rr.stderr
    assert rr.stdout.count("Status: REPRODUCED") == 1


def test_replay_on_different_hardware_does_not_reproduce(tmp_path: Path) -> None:
    # R5 needs the paging-structure cache: without it the recorded schedule cannot run
    w = json.loads((GOLDEN / "R5.json").read_text(encoding="utf-8"))
    w["hardware"]["paging_structure_cache"] = False
    f = tmp_path / "nopsc.json"
    f.write_text(json.dumps(w), encoding="utf-8")
    r = run("replay", str(f))
    assert r.exit_code == 1
    assert "NOT REPRODUCED" in r.stdout


@pytest.mark.parametrize("rid", sorted(RACES))
def test_smt_witness_minimizes_to_the_golden_trace(rid: str) -> None:
    """The SMT engine finds a different shortest witness; minimized, it is as short and
    has as few context switches as the golden trace, with the same steps (the local
    search may settle on another order of independent steps: which one depends on the
    model z3 returns).  A few seconds per race."""
    race = RACES[rid]
    r = run("check", "--variant", rid, "--property", race.property, "--engine", "smt")
    assert r.exit_code == 1, r.stdout + r.stderr
    got = trace_block(r.stdout)
    want = (GOLDEN / f"{rid}.txt").read_text(encoding="utf-8")
    tail = re.compile(r"trace replayed on the concrete MMU: (\d+) steps, (\d+) context")
    g, w = tail.search(got), tail.search(want)
    assert g is not None and w is not None
    cols, slack = ANY_GUEST_ACCESS.get(rid, ((), 0))
    assert g.group(1) == w.group(1)
    assert int(w.group(2)) <= int(g.group(2)) <= int(w.group(2)) + slack

    def steps(table: str) -> list[str]:
        return sorted(line for line in table.splitlines() if line.startswith("|"))

    if cols:
        def column(table: str, col: str) -> list[str]:
            head, body = rst_rows(table)
            c = head.index(col)
            # a read leaves D clear (volatile: xchg), a write sets it (plain store)
            return ["<the zap's store of 0x0>" if "spte0,0x0)" in _sq(row[c]) else _sq(row[c])
                    for row in body[1:] if _sq(row[c])]

        for col in cols:
            assert column(got, col) == column(want, col), col
        return
    if got.split("\n(trace replayed")[0] != want.split("\n(trace replayed")[0]:
        # a different order of the same steps: compare the cells, not the rows' order
        cells = sorted(c.strip() for line in steps(got) for c in line.split("|") if c.strip())
        cells_w = sorted(c.strip() for line in steps(want) for c in line.split("|")
                         if c.strip())
        assert len(cells) == len(cells_w)
