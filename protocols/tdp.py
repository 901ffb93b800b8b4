"""TDP MMU (tdp_mmu.c / tdp_iter.h) operations where they differ from the shadow MMU.

``add_zap_page_table``: zapping a non-leaf SPTE under the write lock
(``tdp_mmu_set_spte`` of the parent → ``handle_changed_spte`` → ``handle_removed_pt``):
the parent is cleared, then each child leaf is read and frozen with
``kvm_tdp_mmu_write_spte`` — xchg if ``kvm_tdp_mmu_spte_need_atomic_update``, else a plain
store — and ``handle_changed_spte`` propagates a dirty old value to the pfn (V-MID), then
the TLBs are flushed.  The exclusive path's comment in the kernel names R5: a fast fault
that walked before the zap, and an A/D assist through a cached upper-level entry, can
still set W and D in the child (docs/kernel-notes.md §3.8).
"""

from __future__ import annotations

from typing import Any

from verify import spte as P
from verify.expr import CONCRETE as _C
from verify.expr import Ops
from verify.layouts import Layout
from verify.model import St

from . import sites as S
from .host_ops import (
    ELIDED_AGING_FLUSH,
    age_clear_a_atomic,
    age_old,
    age_read,
    age_track_cmpxchg,
    flush_site,
    lock_write,
    unlock_write,
)
from .world import Upd, Value, World, store_plain_or_xchg

TDP_C = "arch/x86/kvm/mmu/tdp_mmu.c"


def _k(fn: str, w: World, file: str = TDP_C) -> str:
    return f"{fn}() {file} @ {w.L.tag}"


def _nonpresent_name(L: Layout) -> str:
    """What the version writes to zap: SHADOW_NONPRESENT_VALUE (BIT(63), v6.10+) or 0."""
    return "SHADOW_NONPRESENT_VALUE" if L.nonpresent_value else "0"


def add_zap_page_table(w: World, parent: int, name: str = "zap_pt") -> None:
    L = w.L
    pn = w.s(parent)
    children = [i for i, d in enumerate(w.sptes) if d.parent == parent]
    frozen = L.frozen_value if L.has_frozen else L.nonpresent_value
    fname = "FROZEN_SPTE" if L.version == "V-NEW" else "REMOVED_SPTE"
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.register_unmap_op(a.name, ("done",), tuple(children), parent)
    lock_write(w, a, "start", "locked", site=S.ZAPPT_LOCK)
    parent_kind = w.site(S.ZAPPT_PARENT)
    a.step("locked", "c0", "zap_parent", spte=parent,
           effect=lambda o, st: w.store(o, st, parent, o.lit(L.nonpresent_value),
                                        kind=parent_kind, ctx="write"),
           text=f"tdp_mmu_iter_set_spte({pn}, {_nonpresent_name(L)}) (non-leaf)"
                + ("" if parent_kind == "plain" else f" (site {S.ZAPPT_PARENT}: xchg)"),
           kernel=_k("tdp_mmu_set_spte", w))
    skip_site = w.guard(S.REMOVED_PT_SKIP)
    for n, i in enumerate(children):
        cn = w.s(i)
        level = w.sptes[i].level
        old = a.var(f"c{n}.old", 64)
        cur, rd, nxt = f"c{n}", f"c{n}.read", f"c{n + 1}"
        def e_read(o: Ops[Any, Any], st: St, cn: str = cn, old: str = old) -> Upd:
            return {old: st[cn]}

        def g_skip(o: Ops[Any, Any], st: St, old: str = old) -> Value:
            return skip_site(o, st[old],
                                o.not_(P.is_shadow_present_pte(o, L, st[old])))

        a.step(cur, rd, f"c{n}.read", spte=i, effect=e_read,
               text=f"old_spte = kvm_tdp_mmu_read_spte({cn})",
               kernel=_k("handle_removed_pt", w))
        a.step(rd, nxt, f"c{n}.skip", spte=i, guard=g_skip,
               text=f"{cn} not present: skip", kernel=_k("handle_removed_pt", w))

        def volatile(o: Ops[Any, Any], st: St, old: str = old, level: int = level) -> Value:
            return w.tdp_needs_atomic(o, st[old], level)

        def present(o: Ops[Any, Any], st: St, g_skip: Any = g_skip) -> Value:
            return o.not_(g_skip(o, st))

        store_plain_or_xchg(
            w, a, i, rd, nxt, names=(f"c{n}.store", f"c{n}.xchg"),
            texts=(f"__kvm_tdp_mmu_write_spte({cn}, {fname}) (plain store)",
                   f"old_spte = kvm_tdp_mmu_write_spte_atomic({cn}, {fname}) (xchg)"),
            kernel=_k("kvm_tdp_mmu_write_spte", w, "arch/x86/kvm/mmu/tdp_iter.h"),
            guard=present, volatile=volatile, new=lambda o, st: o.lit(frozen), old=old,
            level=level, site=S.REMOVED_PT_FREEZE,
            # handle_changed_spte(old, FROZEN): V-MID pushes a dirty/accessed old value
            after=lambda o, st, prior, atomic: w.propagate_ad(o, st, prior, None))
    last = f"c{len(children)}"
    flush_site(w, a, S.ZAPPT_FLUSH, last, "flushed", "done",
               unlock=lambda src, dst: unlock_write(w, a, src, dst, site=S.ZAPPT_LOCK))


def _read_lock(w: World, a: Any, src: str, dst: str, site: str) -> None:
    if w.site(site) == "absent":
        a.step(src, dst, "read_lock", text=f"(no read_lock: site {site} absent)",
               kernel=_k("KVM_MMU_LOCK", w, "virt/kvm/kvm_main.c"))
        return
    a.step(src, dst, "read_lock", guard=w.lock_read_guard(),
           effect=lambda o, st: {"lock.r": o.add(st["lock.r"], o.lit(1, 2))},
           text="read_lock(&kvm->mmu_lock)", kernel=_k("KVM_MMU_LOCK", w, "virt/kvm/kvm_main.c"))


def _read_unlock(w: World, a: Any, src: str, dst: str, site: str) -> None:
    if w.site(site) == "absent":
        a.step(src, dst, "read_unlock", text=f"(no read_unlock: site {site} absent)",
               kernel=_k("KVM_MMU_UNLOCK", w, "virt/kvm/kvm_main.c"))
        return
    a.step(src, dst, "read_unlock",
           effect=lambda o, st: {"lock.r": o.add(st["lock.r"], o.lit(3, 2))},  # -1 mod 4
           text="read_unlock(&kvm->mmu_lock)",
           kernel=_k("KVM_MMU_UNLOCK", w, "virt/kvm/kvm_main.c"))


def add_tdp_wrprot(w: World, i: int, name: str = "wrprot", attempts: int = 3) -> None:
    """Enabling dirty logging on the TDP MMU (``kvm_tdp_mmu_wrprot_slot`` →
    ``wrprot_gfn_range``) under mmu_lock held for **read**: for a present writable leaf,
    ``tdp_mmu_set_spte_atomic`` (cmpxchg) to ``old & ~W`` (MMU-writable kept), retrying
    with the refreshed old value on failure; the caller flushes after dropping the lock
    (``kvm_flush_remote_tlbs_memslot``).  The kernel retries without limit; here a
    retry beyond ``attempts`` blocks (an under-approximation within the bound)."""
    L = w.L
    sn = w.s(i)
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.register_wp_op(name)
    old = a.var("old", 64)
    tries = a.var("tries", 4, 0)
    _read_lock(w, a, "start", "locked", S.WRPROT_LOCK)
    a.step("locked", "read", "read", spte=i, effect=lambda o, st: {old: st[sn]},
           text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn})", kernel=_k("wrprot_gfn_range", w))

    skip_site = w.guard(S.WRPROT_SKIP)

    def skip(o: Ops[Any, Any], st: St) -> Value:
        v = st[old]
        return skip_site(o, v, o.or_(
            o.not_(P.is_shadow_present_pte(o, L, v)), o.not_(P.is_writable_pte(o, L, v))))

    cx = w.site(S.WRPROT_CMPXCHG) == "cmpxchg"

    a.step("read", "wp_done", "skip", guard=skip, spte=i,
           effect=lambda o, st: w.mark_stale(o, st, name, i),
           text=f"{sn} not present or not writable: skip", kernel=_k("wrprot_gfn_range", w))

    def e_ok(o: Ops[Any, Any], st: St) -> Upd:
        new = o.clear_bits(st[old], L.w)
        upd = w.store(o, st, i, new, kind="cmpxchg" if cx else "plain", ctx="read")
        upd.update(w.mark_stale(o, st, name, i))
        # handle_changed_spte(): before v6.13 a leaf that stops being dirty/accessed
        # pushes that to the pfn (kvm_set_pfn_dirty / kvm_set_pfn_accessed)
        upd.update(w.propagate_ad(o, st, st[old], new))
        return upd

    a.step("read", "wp_done", "cmpxchg_ok", spte=i,
           guard=lambda o, st: o.and_(o.not_(skip(o, st)),
                                      o.eq(st[sn], st[old]) if cx else o.true()),
           effect=e_ok, text=f"tdp_mmu_set_spte_atomic({sn}, old & ~PT_WRITABLE_MASK) "
                             "(cmpxchg) succeeds" if cx else
                             f"WRITE_ONCE(*{sn}, old & ~PT_WRITABLE_MASK) "
                             f"(site {S.WRPROT_CMPXCHG}: plain)",
           kernel=_k("tdp_mmu_set_spte_atomic", w))
    a.step("read", "read", "cmpxchg_fail", spte=i,
           guard=lambda o, st: o.and_(o.boolean(cx), o.not_(skip(o, st)), o.ne(st[sn], st[old]),
                                      o.ult(st[tries], o.lit(attempts - 1, 4))),
           effect=lambda o, st: {old: st[sn], tries: o.add(st[tries], o.lit(1, 4))},
           text=f"cmpxchg on {sn} fails: old_spte refreshed, retry",
           kernel=_k("wrprot_gfn_range", w))
    flush_site(w, a, S.WRPROT_FLUSH, "wp_done", "unlocked", "done",
               unlock=lambda src, dst: _read_unlock(w, a, src, dst, S.WRPROT_LOCK))


def add_tdp_map(w: World, v: int, i: int, name: str | None = None) -> None:
    """The TDP MMU write fault (``kvm_tdp_mmu_map`` → ``tdp_mmu_map_handle_target_level``)
    under mmu_lock held for read: ``make_spte`` for a writable mapping and
    ``tdp_mmu_set_spte_atomic`` (cmpxchg); on failure ``RET_PF_RETRY`` (the vCPU faults
    again).  A dirty-logged gfn is marked by make_spte; V-NEW marks the page dirty for the
    host at fault-in."""
    L = w.L
    d = w.sptes[i]
    sn = w.s(i)
    name = name or f"tdpmap{v}"
    a = w.mb.actor(name, "host", f"vCPU{v} (TDP page fault)")
    a.idle_at("done")
    old = a.var("old", 64)
    writable = P.make_spte(_C, L, P.MakeSpteArgs(pfn=d.pfn))
    a.step("start", "faulted", "fault", spte=i,
           guard=lambda o, st: o.not_(P.is_writable_pte(o, L, st[sn])),
           text="EPT violation (write): kvm_tdp_page_fault()",
           kernel=_k("kvm_tdp_page_fault", w, "arch/x86/kvm/mmu/mmu.c"))
    _read_lock(w, a, "faulted", "locked", S.TDPMAP_LOCK)
    a.step("locked", "read", "read", spte=i, effect=lambda o, st: {old: st[sn]},
           text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn})", kernel=_k("kvm_tdp_mmu_map", w))
    a.step("read", "mapped", "spurious", spte=i,
           guard=lambda o, st: P.is_writable_pte(o, L, st[old]),
           text=f"{sn} already writable: RET_PF_SPURIOUS",
           kernel=_k("tdp_mmu_map_handle_target_level", w))

    cx = w.site(S.TDPMAP_CMPXCHG) == "cmpxchg"
    marks = w.site(S.TDPMAP_MARK) == "marked"

    def e_ok(o: Ops[Any, Any], st: St) -> Upd:
        upd = w.store(o, st, i, o.lit(writable), kind="cmpxchg" if cx else "plain", ctx="read")
        upd.update(w.mark_page_dirty(o, st, o.lit(d.gfn, 8), o.boolean(marks)))
        if L.pfn_dirty_at_fault:
            upd.update(w.set_pfn_dirty_if(o, st, o.true(), o.lit(d.pfn)))
        return upd

    a.step("read", "mapped", "cmpxchg_ok", spte=i, effect=e_ok,
           guard=lambda o, st: o.and_(o.not_(P.is_writable_pte(o, L, st[old])),
                                      o.eq(st[sn], st[old]) if cx else o.true()),
           text=(f"tdp_mmu_set_spte_atomic({sn}, make_spte(writable)) succeeds" if cx else
                 f"WRITE_ONCE(*{sn}, make_spte(writable)) (site {S.TDPMAP_CMPXCHG}: plain)")
                + ("; mark_page_dirty_in_slot()" if marks else
                   f" (no mark_page_dirty_in_slot: site {S.TDPMAP_MARK} absent)"),
           kernel=_k("tdp_mmu_map_handle_target_level", w))
    a.step("read", "mapped", "cmpxchg_fail", spte=i,
           guard=lambda o, st: o.and_(o.boolean(cx), o.not_(P.is_writable_pte(o, L, st[old])),
                                      o.ne(st[sn], st[old])),
           text=f"cmpxchg on {sn} fails: RET_PF_RETRY",
           kernel=_k("tdp_mmu_map_handle_target_level", w))
    _read_unlock(w, a, "mapped", "done", S.TDPMAP_LOCK)


def add_tdp_age(w: World, i: int, name: str = "tdpage") -> None:
    """TDP aging (``kvm_tdp_mmu_age_gfn_range`` → ``age_gfn_range`` /
    ``kvm_tdp_mmu_age_spte``).  V-NEW: no mmu_lock; A/D on → unconditional
    ``atomic64_fetch_and(~A)``; off → cmpxchg to the access-tracked form, failure
    ignored.  Before: under the write lock, ``tdp_mmu_clear_spte_bits`` (fetch_and if
    volatile, else plain store) or, A/D off, ``kvm_set_pfn_dirty`` if W and
    ``kvm_tdp_mmu_write_spte(mark_spte_for_access_track(old))``."""
    L = w.L
    sn = w.s(i)
    level = w.sptes[i].level
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.track_accessed(i)
    old = a.var("old", 64)
    young = a.var("young", 0, False)
    expect = a.var("expect", 0, False)
    locked = not L.lockless_aging
    src = "start"
    if locked:
        lock_write(w, a, "start", "locked", site=S.TDPAGE_LOCK)
        src = "locked"
    fn = "age_gfn_range" if locked else "kvm_tdp_mmu_age_spte"
    age_read(w, a, i, src, "read", s=old, expect=expect, young=young, name="read",
             text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn})", kernel=_k(fn, w))
    age_old(w, a, i, "read", "aged", s=old, expect=expect, name="old", kernel=_k(fn, w))

    def g_ad(o: Ops[Any, Any], st: St) -> Value:
        return o.and_(P.is_accessed_spte(o, L, st[old]), P.spte_ad_enabled(o, L, st[old]))

    if locked:
        def volatile(o: Ops[Any, Any], st: St) -> Value:
            return w.tdp_needs_atomic(o, st[old], level)

        def young_after(o: Ops[Any, Any], st: St, prior: Value, atomic: bool) -> Upd:
            upd: Upd = {young: o.true()}
            upd.update(w.aged(o, i))
            return upd

        store_plain_or_xchg(
            w, a, i, "read", "aged", names=("store_clear_a", "fetch_and_a"),
            texts=(f"WRITE_ONCE(*{sn}, old & ~A) (not volatile)",
                   f"atomic64_fetch_and(~A, {sn}) (volatile)"),
            kernel=_k("tdp_mmu_clear_spte_bits", w, "arch/x86/kvm/mmu/tdp_iter.h"),
            guard=g_ad, volatile=volatile, old=old, level=level, atomic_kind="bitop",
            new=lambda o, st: o.clear_bits(st[old], L.accessed),
            new_atomic=lambda o, st: o.clear_bits(st[sn], L.accessed), after=young_after,
            site=S.TDPAGE_CLEAR_A)

        def g_track(o: Ops[Any, Any], st: St) -> Value:
            return o.and_(P.is_accessed_spte(o, L, st[old]),
                          o.not_(P.spte_ad_enabled(o, L, st[old])))

        def track_after(o: Ops[Any, Any], st: St, prior: Value, atomic: bool) -> Upd:
            # kvm_set_pfn_dirty(pfn) if is_writable_pte(iter->old_spte), before the write
            v = st[old]
            upd = w.set_pfn_dirty_if(o, st, P.is_writable_pte(o, L, v), P.spte_to_pfn(o, L, v))
            upd.update(young_after(o, st, prior, atomic))
            return upd

        store_plain_or_xchg(
            w, a, i, "read", "aged", names=("store_track", "xchg_track"),
            texts=(f"kvm_set_pfn_dirty() if W; WRITE_ONCE(*{sn}, "
                   "mark_spte_for_access_track(old))",
                   f"kvm_set_pfn_dirty() if W; xchg({sn}, mark_spte_for_access_track(old))"),
            kernel=_k("kvm_tdp_mmu_write_spte", w, "arch/x86/kvm/mmu/tdp_iter.h"),
            guard=g_track, volatile=volatile, old=old, level=level,
            new=lambda o, st: P.mark_spte_for_access_track(o, L, st[old]), after=track_after,
            site=S.TDPAGE_TRACK)
        unlock_write(w, a, "aged", "unlocked", site=S.TDPAGE_LOCK)
        flush_site(w, a, S.TDPAGE_FLUSH, "unlocked", "done", "done", cond=young, unlock=None,
                   kernel_absent=ELIDED_AGING_FLUSH)
        return

    age_clear_a_atomic(w, a, i, "read", "aged", s=old, young=young, ctx="none",
                       name="fetch_and_a", text=f"atomic64_fetch_and(~A, {sn})",
                       kernel=_k("tdp_mmu_clear_spte_bits_atomic", w,
                                 "arch/x86/kvm/mmu/tdp_iter.h"), site=S.TDPAGE_FETCH_AND)
    age_track_cmpxchg(
        w, a, i, "read", "aged", s=old, young=young, names=("cmpxchg_ok", "cmpxchg_fail"),
        texts=(f"__tdp_mmu_set_spte_atomic({sn}, mark_spte_for_access_track(old))",
               f"cmpxchg on {sn} fails: ignored"),
        kernel=_k("kvm_tdp_mmu_age_spte", w), site=S.TDPAGE_CMPXCHG)
    flush_site(w, a, S.TDPAGE_FLUSH, "aged", "done", "done", cond=young, unlock=None,
               kernel_absent=ELIDED_AGING_FLUSH)
