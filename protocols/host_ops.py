"""Host-side KVM MMU operations (shadow MMU / rmap paths of mmu.c), step by step.

Each ``add_*`` function adds one actor — one kernel thread running one operation once —
whose steps are the memory accesses another CPU can interleave with: a read of the SPTE,
a plain store, an xchg, an atomic bit operation, a dirty-log mark, a flush, taking and
dropping mmu_lock.  The shared sub-procedures (``mmu_spte_update``,
``spte_write_protect``, ``mmu_spte_clear_track_bits``) are emitted by one function each
and reused, as in the kernel.  Versions follow the layout (``L.version``); the kernel
source read for each is cited in docs/kernel-notes.md:

* V-MID: mmu.c @ v6.6-era (alvinsun039/linux-torvalds@M3 in the notes);
* V-NEW: mmu.c @ v6.15+ (Kingxukai/linux@0291023e);
* V-OLD / V-613 share the V-MID step structure with their own predicates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from verify import spte as P
from verify.expr import CONCRETE, Ops
from verify.model import ActorBuilder, Effect, St

from . import sites as S
from .world import Upd, Value, World, store_plain_or_xchg

MMU_C = "arch/x86/kvm/mmu/mmu.c"
KVM_MAIN = "virt/kvm/kvm_main.c"


def _k(fn: str, w: World, file: str = MMU_C) -> str:
    return f"{fn}() {file} @ {w.L.tag}"


# -- lock steps ---------------------------------------------------------------------------


def lock_write(w: World, a: ActorBuilder, src: str, dst: str, name: str = "write_lock",
               site: str | None = None) -> None:
    """``write_lock(&kvm->mmu_lock)``; at a lock ``site`` a variant may leave it out."""
    if site is not None and w.site(site) == "absent":
        a.step(src, dst, name, text=f"(no write_lock: site {site} absent)",
               kernel=_k("KVM_MMU_LOCK", w, KVM_MAIN))
        return
    a.step(src, dst, name, guard=w.lock_write_guard(),
           effect=lambda o, st: {"lock.w": o.true()},
           text="write_lock(&kvm->mmu_lock)", kernel=_k("KVM_MMU_LOCK", w, KVM_MAIN))


def unlock_write(w: World, a: ActorBuilder, src: str, dst: str, name: str = "write_unlock",
                 site: str | None = None) -> None:
    if site is not None and w.site(site) == "absent":
        a.step(src, dst, name, text=f"(no write_unlock: site {site} absent)",
               kernel=_k("KVM_MMU_UNLOCK", w, KVM_MAIN))
        return
    a.step(src, dst, name, effect=lambda o, st: {"lock.w": o.false()},
           text="write_unlock(&kvm->mmu_lock)", kernel=_k("KVM_MMU_UNLOCK", w, KVM_MAIN))


def flush_step(w: World, a: ActorBuilder, src: str, dst: str, name: str = "flush",
               cond: str | None = None, extra: Effect | None = None) -> None:
    """``kvm_flush_remote_tlbs()``; if ``cond`` (a local bool var) is given, a flush step
    when it is true and a skip step when false.  ``extra``: more effect of the step(s)."""
    def e_flush(o: Ops[Any, Any], st: St) -> dict[str, Any]:
        upd = w.flush_all(o)
        if extra is not None:
            upd.update(extra(o, st))
        return upd

    if cond is None:
        a.step(src, dst, name, effect=e_flush,
               text="kvm_flush_remote_tlbs(kvm)", kernel=_k("kvm_flush_remote_tlbs", w))
        return
    a.step(src, dst, name, guard=lambda o, st: st[cond], effect=e_flush,
           text="kvm_flush_remote_tlbs(kvm)", kernel=_k("kvm_flush_remote_tlbs", w))
    a.step(src, dst, f"{name}_skip", guard=lambda o, st: o.not_(st[cond]), effect=extra,
           text="no flush needed", kernel=_k("kvm_flush_remote_tlbs", w))


Unlock = Callable[[str, str], None]


class Protect(Protocol):
    """A write-protect of SPTE i from ``src`` to ``dst`` for write tracking that ORs its
    "a TLB flush is needed" into the local ``flush`` (``tdp.write_protect_gfn``)."""

    def __call__(self, w: World, a: ActorBuilder, i: int, src: str, dst: str, *,
                 flush: str, op: str, tag: str) -> None: ...


ELIDED_AGING_FLUSH = ("return young: no TLB flush (x86 selects "
                      "KVM_ELIDE_TLB_FLUSH_IF_YOUNG)")


def flush_site(w: World, a: ActorBuilder, site: str, src: str, mid: str, dst: str, *,
               unlock: Unlock | None, cond: str | None = None, name: str = "flush",
               kernel_absent: str = "", extra: Effect | None = None) -> None:
    """A flush ``site`` with the unlock next to it: from ``src`` through ``mid`` to
    ``dst``, in the order the site's alternative says (``before-unlock``: flush, then
    unlock; ``after-unlock``: unlock, then flush; ``done``: a flush with no unlock next to
    it; ``absent``: only the unlock).  ``kernel_absent`` says why, where the kernel
    itself has no flush there.  ``extra``: more effect of a flush step that reaches
    ``dst`` (an ``unlock`` that reaches it adds its own)."""
    alt = w.site(site)
    if alt == "absent":
        if unlock is not None:
            unlock(src, dst)
        else:
            own = S.SITES[site].kernel_default(w.L) == "absent"
            a.step(src, dst, f"{name}_absent", effect=extra,
                   text=(kernel_absent if own and kernel_absent
                         else f"(no flush: site {site} absent)"),
                   kernel=S.SITES[site].function + "() " + S.SITES[site].file
                   + f" @ {w.L.tag}")
        return
    if unlock is None or alt == "done":
        flush_step(w, a, src, dst, name=name, cond=cond, extra=extra)
        return
    if alt == "before-unlock":
        flush_step(w, a, src, mid, name=name, cond=cond)
        unlock(mid, dst)
    else:
        unlock(src, mid)
        flush_step(w, a, mid, dst, name=name, cond=cond, extra=extra)


def _unlocker(w: World, a: ActorBuilder, lock_site: str | None = None,
              name: str = "write_unlock") -> Unlock:
    return lambda src, dst: unlock_write(w, a, src, dst, name=name, site=lock_site)


# -- mmu_spte_update ----------------------------------------------------------------------


def mmu_spte_update(w: World, a: ActorBuilder, i: int, src: str, dst: str, *,
                    new: str, flush: str, op: str | None, tag: str,
                    track: bool = True, guard: Any = None,
                    clears_accessed: bool = False) -> None:
    """``mmu_spte_update(sptep, new)`` (``_no_track`` when ``track`` is false): re-read the
    old value; plain store if it is not volatile, else ``xchg``; OR the flush rule's
    verdict into the local ``flush``; before v6.13 propagate a cleared A/D to the pfn."""
    L = w.L
    old = a.var(f"{tag}.old", 64)
    sn = w.s(i)
    rd = f"{tag}.read"
    a.step(src, rd, f"{tag}.read_old", spte=i, guard=guard,
           effect=lambda o, st: {old: st[sn]},
           text=f"old_spte = *{sn}", kernel=_k("mmu_spte_update", w))

    def effects(o: Ops[Any, Any], st: St, prior: Value) -> Upd:
        """Flush verdict and A/D propagation from ``prior`` (the old value the code uses)."""
        n = st[new]
        upd: Upd = {}
        if track:
            upd[flush] = o.or_(st[flush], w.flush_needed(o, prior, n))
            upd.update(w.propagate_ad(o, st, prior, n))
        if op is not None:
            upd.update(w.mark_stale(o, st, op, i))
        if clears_accessed:
            upd.update(w.aged(o, i))
        return upd

    def g_set(o: Ops[Any, Any], st: St) -> Value:
        return o.not_(P.is_shadow_present_pte(o, L, st[old]))

    set_kind = w.site(S.MMU_SPTE_SET_STORE)

    def e_set(o: Ops[Any, Any], st: St) -> Upd:
        upd = w.store(o, st, i, st[new], kind=set_kind, ctx="write")
        if op is not None:
            upd.update(w.mark_stale(o, st, op, i))
        return upd

    a.step(rd, dst, f"{tag}.set", guard=g_set, effect=e_set, spte=i,
           text=f"mmu_spte_set({sn}, new_spte) (old not present)" if set_kind == "plain" else
                f"xchg({sn}, new_spte) (old not present; site {S.MMU_SPTE_SET_STORE})",
           kernel=_k("mmu_spte_update", w))
    from_plain_read = w.site(S.MMU_SPTE_UPDATE_FLUSH_FROM) == "plain-read"

    def after(o: Ops[Any, Any], st: St, prior: Value, atomic: bool) -> Upd:
        if atomic and from_plain_read:
            prior = st[old]  # R3's bug: decide from the plain read, not xchg's old value
        return effects(o, st, prior)

    store_plain_or_xchg(
        w, a, i, rd, dst, names=(f"{tag}.store", f"{tag}.xchg"),
        texts=(f"WRITE_ONCE(*{sn}, new_spte) (old not volatile)",
               f"old_spte = xchg({sn}, new_spte) (old volatile)"),
        kernel=_k("mmu_spte_update_no_track", w),
        guard=lambda o, st: P.is_shadow_present_pte(o, L, st[old]),
        volatile=lambda o, st: w.needs_atomic(o, st[old]),
        new=lambda o, st: st[new], old=old, after=after, site=S.MMU_SPTE_UPDATE_STORE)


# -- spte_write_protect --------------------------------------------------------------------


def spte_write_protect(w: World, a: ActorBuilder, i: int, src: str, dst: str, *,
                       pt_protect: bool, flush: str, op: str | None, tag: str) -> None:
    """``spte_write_protect(sptep, pt_protect)``: read; return if neither W nor (with
    pt_protect) MMU-writable is set; else clear W (and MMU-writable) via mmu_spte_update."""
    L = w.L
    s = a.var(f"{tag}.s", 64)
    new = a.var(f"{tag}.new", 64)
    sn = w.s(i)
    rd = f"{tag}.read"
    clear = L.w | (L.mmu_writable if pt_protect else 0)

    def e_read(o: Ops[Any, Any], st: St) -> Upd:
        v = st[sn]
        return {s: v, new: o.clear_bits(v, clear)}

    a.step(src, rd, f"{tag}.read", effect=e_read, spte=i,
           text=f"spte = *{sn}", kernel=_k("spte_write_protect", w))

    skip_site = w.guard(S.SPTE_WRITE_PROTECT_SKIP)

    def skip_cond(o: Ops[Any, Any], st: St) -> Value:
        v = st[s]
        cond = o.not_(P.is_writable_pte(o, L, v))
        if pt_protect:
            cond = o.and_(cond, o.not_(P.is_mmu_writable_spte(o, L, v)))
        return skip_site(o, v, cond)

    def e_skip(o: Ops[Any, Any], st: St) -> Upd:
        return w.mark_stale(o, st, op, i) if op is not None else {}

    a.step(rd, dst, f"{tag}.skip", guard=skip_cond, effect=e_skip, spte=i,
           text=f"{sn} not writable: return false", kernel=_k("spte_write_protect", w))
    go = f"{tag}.go"
    a.step(rd, go, f"{tag}.clear", guard=lambda o, st: o.not_(skip_cond(o, st)),
           text="spte &= ~PT_WRITABLE_MASK" + (" & ~shadow_mmu_writable_mask" if pt_protect
                                                 else ""),
           kernel=_k("spte_write_protect", w))
    mmu_spte_update(w, a, i, go, dst, new=new, flush=flush, op=op, tag=f"{tag}.upd")


# -- mmu_spte_clear_track_bits (zap a leaf) ------------------------------------------------


def clear_track_bits(w: World, a: ActorBuilder, i: int, src: str, dst: str, *,
                     tag: str, pages: int = 1, site: str = S.CLEAR_TRACK_BITS_STORE) -> str:
    """``mmu_spte_clear_track_bits``: read old; plain store of the non-present value if
    it is not volatile, else xchg; before v6.13 ``kvm_set_pfn_dirty`` from the old D (of
    every 4K page of a huge SPTE: ``pages``).  ``site``: the store's site (the caller's,
    where a variant may change one caller alone: ``drop_large_spte.store``)."""
    L = w.L
    old = a.var(f"{tag}.old", 64)
    sn = w.s(i)
    rd = f"{tag}.read"
    nonpresent = L.nonpresent_value
    a.step(src, rd, f"{tag}.read", spte=i, effect=lambda o, st: {old: st[sn]},
           text=f"old_spte = *{sn}", kernel=_k("mmu_spte_clear_track_bits", w))

    def propagate(o: Ops[Any, Any], st: St, prior: Value) -> Upd:
        upd = w.propagate_ad(o, st, prior, None, pages)
        if not L.zap_propagates_ad and i in w.accessed_tracked:
            # v6.13+ does not mark the page accessed when zapping ("KVM: x86/mmu: Don't
            # mark "struct page" accessed when zapping SPTEs"): the zap comes from the
            # primary MMU's invalidation, which owns the page's accessed state from here.
            # The access window of the `accessed` promise ends with the zap.
            upd[w.acc(i)] = o.and_(st[w.acc(i)],
                                   o.not_(P.is_shadow_present_pte(o, L, prior)))
        return upd

    store_plain_or_xchg(
        w, a, i, rd, dst, names=(f"{tag}.store", f"{tag}.xchg"),
        texts=(f"WRITE_ONCE(*{sn}, {nonpresent:#x}) (old not volatile)",
               f"old_spte = xchg({sn}, {nonpresent:#x}) (old volatile)"),
        kernel=_k("mmu_spte_clear_track_bits", w),
        guard=lambda o, st: o.true(),
        volatile=lambda o, st: o.and_(P.is_shadow_present_pte(o, L, st[old]),
                                      w.needs_atomic(o, st[old])),
        new=lambda o, st: o.lit(nonpresent), old=old,
        after=lambda o, st, prior, atomic: propagate(o, st, prior), site=site)
    return old


# -- operations (actors) --------------------------------------------------------------------


def add_write_tracking(w: World, i: int, name: str = "wrtrack",
                       protect: Protect | None = None) -> None:
    """Shadow-page write tracking (``kvm_mmu_slot_gfn_write_protect`` from
    ``account_shadowed``): ``spte_write_protect(pt_protect=true)`` under the write lock,
    flush before unlocking if it returned true.  With the write-track count
    (:meth:`World.enable_write_track_count`) it is ``__kvm_write_track_add_gfn``
    (page_track.c): count the gfn first, then write-protect and flush, all under the
    write lock.  ``protect`` replaces the rmap's ``spte_write_protect`` for a TDP MMU
    SPTE (``tdp.write_protect_gfn``: ``kvm_tdp_mmu_write_protect_gfn``)."""
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.register_wp_op(name)
    w.register_wrtrack_op(name, i)
    flush = a.var("flush", 0, False)
    lock_write(w, a, "start", "locked", site=S.WRTRACK_LOCK)
    wp_from = "locked"
    if w.write_track_count:
        g = w.sptes[i].gfn
        a.step("locked", "counted", "track_add", spte=i,
               effect=lambda o, st: {w.wtracked(g): o.true()},
               text=f"update_gfn_write_track(slot, {g:#x}, 1); kvm_mmu_gfn_disallow_lpage()",
               kernel=_k("__kvm_write_track_add_gfn", w, "arch/x86/kvm/mmu/page_track.c"))
        wp_from = "counted"
    if protect is not None:
        protect(w, a, i, wp_from, "wp_done", flush=flush, op=name, tag="wp")
    else:
        spte_write_protect(w, a, i, wp_from, "wp_done",
                           pt_protect=w.site(S.WRTRACK_PROTECT) == "pt-protect", flush=flush,
                           op=name, tag="wp")
    flush_site(w, a, S.WRTRACK_FLUSH, "wp_done", "flushed", "done", cond=flush,
               unlock=_unlocker(w, a, S.WRTRACK_LOCK))


def add_harvest(w: World, name: str = "harvest", *, mode: str = "wp",
                into: ActorBuilder | None = None) -> None:
    """Dirty-log harvest (``kvm_get_dirty_log_protect``), in the kernel's order: take
    mmu_lock; for the bitmap word, ``if (!dirty_bitmap[i]) continue; flush = true;`` (a
    plain read), then ``mask = xchg(&dirty_bitmap[i], 0)`` and write-protect
    (``mode='wp'``: ``rmap_write_protect(pt_protect=false)``) or clear D
    (``mode='clear_dirty'``, PML) of each gfn in the mask; drop the lock, then flush if
    the word was non-zero, then report to userspace."""
    a = into if into is not None else w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.register_wp_op(name, a.name)
    flush = a.var("flush", 0, False)
    any_ = a.var("any", 0, False)
    logged = [g for g in w.gfns if g in w.logged_gfns]
    mask = {g: a.var(f"mask.g{g:x}", 0, False) for g in logged}

    lock_write(w, a, "start", "locked", site=S.HARVEST_LOCK)

    def some_bit(o: Ops[Any, Any], st: St) -> Value:
        return o.any_of([st[w.dlog(g)] for g in logged])

    a.step("locked", "nonzero", "word_set", guard=some_bit,
           effect=lambda o, st: {any_: o.true()},
           text="if (!dirty_bitmap[i]) continue; flush = true",
           kernel=_k("kvm_get_dirty_log_protect", w, KVM_MAIN))

    def e_collect(o: Ops[Any, Any], st: St) -> Upd:
        upd: Upd = {}
        for g in logged:
            upd[mask[g]] = st[w.dlog(g)]
            upd[w.dlog(g)] = o.false()
        return upd

    if w.site(S.HARVEST_COLLECT) == "xchg":
        a.step("nonzero", "h0", "collect", effect=e_collect,
               text="mask = xchg(&dirty_bitmap[i], 0)",
               kernel=_k("kvm_get_dirty_log_protect", w, KVM_MAIN))
    else:  # two plain accesses: a mark between them is lost
        a.step("nonzero", "mask_read", "collect",
               effect=lambda o, st: {mask[g]: st[w.dlog(g)] for g in logged},
               text="mask = dirty_bitmap[i] (plain read)",
               kernel=_k("kvm_get_dirty_log_protect", w, KVM_MAIN))
        a.step("mask_read", "h0", "clear_bitmap",
               effect=lambda o, st: {w.dlog(g): o.false() for g in logged},
               text="dirty_bitmap[i] = 0 (plain store)",
               kernel=_k("kvm_get_dirty_log_protect", w, KVM_MAIN))
    cur = "h0"
    for n, i in enumerate(w.leaves()):
        d = w.sptes[i]
        if d.gfn not in w.logged_gfns:
            continue
        nxt = f"h{n + 1}"
        m = mask[d.gfn]
        body = f"h{n}.body"
        def in_mask(o: Ops[Any, Any], st: St, m: str = m) -> Value:
            return st[m]

        def not_in_mask(o: Ops[Any, Any], st: St, m: str = m) -> Value:
            return o.not_(st[m])

        a.step(cur, body, f"h{n}.harvested", guard=in_mask,
               text=f"gfn {d.gfn:#x} is in the mask",
               kernel=_k("kvm_arch_mmu_enable_log_dirty_pt_masked", w))
        a.step(cur, nxt, f"h{n}.not_in_mask", guard=not_in_mask,
               text=f"gfn {d.gfn:#x} not in the mask",
               kernel=_k("kvm_arch_mmu_enable_log_dirty_pt_masked", w))
        if mode == "wp":
            spte_write_protect(w, a, i, body, nxt, pt_protect=False, flush=flush, op=name,
                               tag=f"h{n}")
        else:
            clear_dirty(w, a, i, body, nxt, flush=flush, op=name, tag=f"h{n}")
        cur = nxt

    def nothing(o: Ops[Any, Any], st: St) -> Upd:
        upd: Upd = {mask[g]: o.false() for g in logged}
        upd[any_] = o.false()
        return upd

    a.step("locked", cur, "word_clear", guard=lambda o, st: o.not_(some_bit(o, st)),
           effect=nothing, text="dirty_bitmap[i] == 0: continue",
           kernel=_k("kvm_get_dirty_log_protect", w, KVM_MAIN))
    flush_site(w, a, S.HARVEST_FLUSH, cur, "unlocked", "fl", cond=any_,
               unlock=_unlocker(w, a, S.HARVEST_LOCK))

    def e_report(o: Ops[Any, Any], st: St) -> Upd:
        return {w.written(g): o.and_(st[w.written(g)], o.not_(st[mask[g]])) for g in logged}

    a.step("fl", "done", "report", effect=e_report,
           text="copy_to_user(dirty bitmap): userspace copies the harvested pages",
           kernel=_k("kvm_get_dirty_log_protect", w, KVM_MAIN))


def clear_dirty(w: World, a: ActorBuilder, i: int, src: str, dst: str, *, flush: str,
                op: str | None, tag: str) -> None:
    """``__rmap_clear_dirty`` on one SPTE: AD_WRPROT_ONLY/disabled → atomic
    ``test_and_clear_bit(W)`` (V-MID: ``kvm_set_pfn_dirty`` if it was writable and A/D is
    off); else ``spte_clear_dirty``: read, clear D, ``mmu_spte_update``."""
    L = w.L
    sn = w.s(i)
    s = a.var(f"{tag}.s", 64)
    new = a.var(f"{tag}.new", 64)
    rd = f"{tag}.read"

    def e_read(o: Ops[Any, Any], st: St) -> Upd:
        v = st[sn]
        return {s: v, new: o.clear_bits(v, L.dirty)}

    a.step(src, rd, f"{tag}.read", effect=e_read, spte=i, text=f"spte = *{sn}",
           kernel=_k("__rmap_clear_dirty", w))

    def g_wp(o: Ops[Any, Any], st: St) -> Value:
        return P.spte_ad_need_write_protect(o, L, st[s])

    tcb_atomic = w.site(S.CLEAR_DIRTY_TCB) == "bitop"

    def e_tcb(o: Ops[Any, Any], st: St) -> Upd:
        cur = st[sn] if tcb_atomic else st[s]  # a plain RMW works on the earlier read
        was_w = P.is_writable_pte(o, L, cur)
        upd = w.store(o, st, i, o.clear_bits(cur, L.w), kind="bitop" if tcb_atomic else "plain",
                      ctx="write")
        if L.zap_propagates_ad:
            cond = o.and_(was_w, o.not_(P.spte_ad_enabled(o, L, cur)))
            upd.update(w.set_pfn_dirty_if(o, st, cond, P.spte_to_pfn(o, L, cur)))
        upd[flush] = o.or_(st[flush], was_w)
        if op is not None:
            upd.update(w.mark_stale(o, st, op, i))
        return upd

    a.step(rd, dst, f"{tag}.test_and_clear_w", guard=g_wp, effect=e_tcb, spte=i,
           text=f"test_and_clear_bit(PT_WRITABLE_SHIFT, {sn})" if tcb_atomic else
                f"WRITE_ONCE(*{sn}, spte & ~PT_WRITABLE_MASK) (site {S.CLEAR_DIRTY_TCB}: plain)",
           kernel=_k("spte_wrprot_for_clear_dirty", w))

    clean_site = w.guard(S.CLEAR_DIRTY_SKIP)

    def clean(o: Ops[Any, Any], st: St) -> Value:
        return clean_site(o, st[s], o.not_(o.test(st[s], L.dirty)))

    a.step(rd, dst, f"{tag}.clean", spte=i,
           guard=lambda o, st: o.and_(o.not_(g_wp(o, st)), clean(o, st)),
           text=f"{sn} not dirty", kernel=_k("__rmap_clear_dirty", w))
    go = f"{tag}.go"
    a.step(rd, go, f"{tag}.clear_d",
           guard=lambda o, st: o.and_(o.not_(g_wp(o, st)), o.not_(clean(o, st))),
           text="spte &= ~shadow_dirty_mask", kernel=_k("spte_clear_dirty", w))
    mmu_spte_update(w, a, i, go, dst, new=new, flush=flush, op=op, tag=f"{tag}.upd")


def add_zap(w: World, i: int, name: str = "zap", *, into: ActorBuilder | None = None) -> None:
    """mmu-notifier invalidate of one gfn (``kvm_unmap_gfn_range`` → ``kvm_zap_rmap``):
    under the write lock, ``mmu_spte_clear_track_bits`` of the SPTE if the rmap holds it,
    then -- only if something was zapped -- flush, then unlock."""
    a = into if into is not None else w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.register_unmap_op(a.name, ("done",), (i,))
    lock_write(w, a, "start", "locked", site=S.ZAP_LOCK)
    rmap_walk(w, a, i, "locked", "walk", "empty")
    clear_track_bits(w, a, i, "walk", "zapped", tag="z")
    flush_site(w, a, S.ZAP_FLUSH, "zapped", "flushed", "done",
               unlock=_unlocker(w, a, S.ZAP_LOCK))
    _unlocker(w, a, S.ZAP_LOCK, name="write_unlock_noflush")("empty", "done")


def rmap_walk(w: World, a: ActorBuilder, i: int, src: str, present: str, empty: str,
              tag: str = "") -> None:
    """``kvm_zap_rmap`` walks the gfn's rmap, which holds only present SPTEs: a
    non-present SPTE is not visited and the walk returns false, so
    ``kvm_handle_hva_range`` owes no flush (``flush |= handler()``)."""
    L = w.L
    sn = w.s(i)
    kernel = _k("kvm_zap_rmap", w)
    a.step(src, present, f"{tag}rmap_present", spte=i,
           guard=lambda o, st: P.is_shadow_present_pte(o, L, st[sn]),
           text=f"for_each_rmap_spte: {sn} is in the rmap", kernel=kernel)
    a.step(src, empty, f"{tag}rmap_empty", spte=i,
           guard=lambda o, st: o.not_(P.is_shadow_present_pte(o, L, st[sn])),
           text=f"rmap empty ({sn} not present): nothing zapped, no flush owed",
           kernel=kernel)


def add_zap_range(w: World, sptes: tuple[int, ...], name: str = "zaprange") -> None:
    """``kvm_zap_gfn_range`` on the shadow MMU (``kvm_rmap_zap_gfn_range`` →
    ``__walk_slot_rmaps(__kvm_zap_rmap, can_yield=true, flush_on_yield=true)``), one gfn
    per SPTE of ``sptes``, in order, under the write lock: zap the gfn's SPTE if the rmap
    holds it (``flush |= ...``); between gfns the walk may yield (``need_resched() ||
    rwlock_needbreak()``): it first flushes what is owed and clears ``flush``
    (site ``__walk_slot_rmaps.flush_on_yield``), then ``cond_resched_rwlock_write`` drops
    and retakes mmu_lock; after the last gfn, flush if owed, then unlock."""
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.register_unmap_op(a.name, ("done",), sptes)
    flush = a.var("flush", 0, False)
    lock_write(w, a, "start", "g0", site=S.ZAPRANGE_LOCK)
    yield_flush = w.site(S.ZAPRANGE_YIELD_FLUSH) == "done"
    walk = _k("__walk_slot_rmaps", w)
    for n, i in enumerate(sptes):
        g, nxt = f"g{n}", f"g{n}.next"
        rmap_walk(w, a, i, g, f"{g}.walk", nxt, tag=f"{g}.")
        clear_track_bits(w, a, i, f"{g}.walk", f"{g}.zapped", tag=f"z{n}")
        a.step(f"{g}.zapped", nxt, f"{g}.owed", local=True,
               effect=lambda o, st: {flush: o.true()},
               text="flush |= __kvm_zap_rmap(): true", kernel=walk)
        if n == len(sptes) - 1:
            break
        after = f"g{n + 1}"
        a.step(nxt, after, f"{g}.no_resched", text="no need_resched(): next gfn", kernel=walk)
        if yield_flush:
            a.step(nxt, f"{g}.flushed", f"{g}.yield_flush", guard=lambda o, st: st[flush],
                   effect=lambda o, st: {**w.flush_all(o), flush: o.false()},
                   text="need_resched(): flush && flush_on_yield: "
                        "kvm_flush_remote_tlbs_range(); flush = false", kernel=walk)
            a.step(nxt, f"{g}.flushed", f"{g}.yield_noflush",
                   guard=lambda o, st: o.not_(st[flush]),
                   text="need_resched(): nothing owed", kernel=walk)
        else:
            a.step(nxt, f"{g}.flushed", f"{g}.yield", text="need_resched(): (no flush: site "
                   f"{S.ZAPRANGE_YIELD_FLUSH} absent)", kernel=walk)
        unlock_write(w, a, f"{g}.flushed", f"{g}.yielded", name=f"{g}.yield_unlock",
                     site=S.ZAPRANGE_LOCK)
        lock_write(w, a, f"{g}.yielded", after, name=f"{g}.yield_relock",
                   site=S.ZAPRANGE_LOCK)
    last = f"g{len(sptes) - 1}.next"
    flush_site(w, a, S.ZAPRANGE_FLUSH, last, "flushed", "done", cond=flush,
               unlock=_unlocker(w, a, S.ZAPRANGE_LOCK))


def add_dirty_ring(w: World, i: int, name: str = "ring") -> None:
    """Dirty-ring harvest (``KVM_CAP_DIRTY_LOG_RING``) of SPTE i's gfn: userspace collects
    a DIRTY entry (sets ``KVM_DIRTY_GFN_F_RESET``), then ``KVM_RESET_DIRTY_RINGS``
    (``kvm_vm_ioctl_reset_dirty_pages`` → ``kvm_dirty_ring_reset``): for each harvested
    entry, mark it invalid and add its gfn to the batch ``mask``; when the next entry is
    not harvested, ``kvm_reset_dirty_gfn`` write-protects the batch under mmu_lock
    (``kvm_arch_mmu_enable_log_dirty_pt_masked``); then flush if anything was reset.
    From v6.17 the loop returns ``-EINTR`` when a signal is pending, at the top of each
    entry (site ``kvm_dirty_ring_reset.signal_exit``).  The harvested gfn counts as
    reported to userspace once the ioctl returns (the page is sent after the reset)."""
    from .world import RING_DIRTY, RING_RESET
    d = w.sptes[i]
    g = d.gfn
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.register_wp_op(name, a.name)
    got = a.var("got", 0, False, doc="userspace collected the gfn")
    mask = a.var("mask", 0, False, doc="the batch holds the gfn")
    cleared = a.var("cleared", 0, False, doc="nr_entries_reset > 0")
    flush = a.var("flush", 0, False)
    rn = w.ring(g)
    ring_c = "virt/kvm/dirty_ring.c"
    k_reset = f"kvm_dirty_ring_reset() {ring_c} @ {w.L.tag}"
    k_user = ("userspace dirty-ring protocol (Documentation/virt/kvm/api.rst, "
              "KVM_CAP_DIRTY_LOG_RING)")

    a.step("start", "collected", "collect",
           guard=lambda o, st: o.eq(st[rn], o.lit(RING_DIRTY, 2)),
           effect=lambda o, st: {rn: o.lit(RING_RESET, 2), w.dlog(g): o.false(),
                                 got: o.true()},
           text=f"userspace: entry for gfn {g:#x} is DIRTY: collect it, set "
                "KVM_DIRTY_GFN_F_RESET", kernel=k_user)
    a.step("start", "collected", "collect_none",
           guard=lambda o, st: o.ne(st[rn], o.lit(RING_DIRTY, 2)),
           text="userspace: no DIRTY entry", kernel=k_user)
    a.step("collected", "final", "r0.not_harvested",
           guard=lambda o, st: o.ne(st[rn], o.lit(RING_RESET, 2)),
           text="KVM_RESET_DIRTY_RINGS: entry not harvested: break", kernel=k_reset)
    a.step("collected", "r1", "r0.harvested",
           guard=lambda o, st: o.eq(st[rn], o.lit(RING_RESET, 2)),
           effect=lambda o, st: {rn: o.lit(0, 2), mask: o.true(), cleared: o.true()},
           text=f"KVM_RESET_DIRTY_RINGS: entry harvested: kvm_dirty_gfn_set_invalid(); "
                f"reset_index++; mask = gfn {g:#x}", kernel=k_reset)
    if w.site(S.RING_SIGNAL_EXIT) == "present":
        a.step("r1", "returned", "r1.signal",
               text="signal_pending(current): return -EINTR (the batch in mask is "
                    "never reset)", kernel=k_reset)
    a.step("r1", "final", "r1.not_harvested",
           text="next entry not harvested: break", kernel=k_reset)
    a.step("final", "returned", "no_batch", guard=lambda o, st: o.not_(st[mask]),
           text="mask == 0: nothing to reset", kernel=k_reset)
    a.step("final", "batch", "batch", guard=lambda o, st: st[mask],
           text=f"if (mask) kvm_reset_dirty_gfn(kvm, slot, offset {g:#x}, mask)",
           kernel=k_reset)
    lock_write(w, a, "batch", "locked", site=S.RING_LOCK)
    if w.pml:
        clear_dirty(w, a, i, "locked", "protected", flush=flush, op=name, tag="h")
    else:
        spte_write_protect(w, a, i, "locked", "protected", pt_protect=False, flush=flush,
                           op=name, tag="h")
    unlock_write(w, a, "protected", "returned", site=S.RING_LOCK)
    flush_site(w, a, S.RING_FLUSH, "returned", "fl", "fl", cond=cleared, unlock=None)
    a.step("fl", "done", "report",
           effect=lambda o, st: {w.written(g): o.and_(st[w.written(g)], o.not_(st[got]))},
           text="KVM_RESET_DIRTY_RINGS returns: userspace sends the collected pages",
           kernel=k_user)


def add_zap_remap(w: World, i: int, new_gfn: int, name: str = "remap") -> None:
    """R1's other CPU: zap SPTE i (pfn swapped out), the pfn is reallocated to
    ``new_gfn`` and the guest points its page-table entry at ``new_gfn``; a fault then
    installs the same SPTE value again (pfn, read-only, MMU-writable)."""
    d = w.sptes[i]
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.register_unmap_op(a.name, ("unlocked", "gpte", "relocked"), (i,))
    lock_write(w, a, "start", "locked", site=S.ZAP_LOCK)
    rmap_walk(w, a, i, "locked", "walk", "empty")
    clear_track_bits(w, a, i, "walk", "zapped", tag="z")
    flush_site(w, a, S.REMAP_FLUSH, "zapped", "flushed", "unlocked",
               unlock=_unlocker(w, a, S.ZAP_LOCK, name="write_unlock0"))
    _unlocker(w, a, S.ZAP_LOCK, name="write_unlock_noflush")("empty", "unlocked")
    a.step("unlocked", "gpte", "guest_remaps",
           effect=lambda o, st: {w.sgfn(i): o.lit(new_gfn, 8)},
           text=f"pfn {d.pfn:#x} re-allocated for gfn {new_gfn:#x}; guest gpte -> gfn "
                f"{new_gfn:#x}", kernel="guest page-table write / host page reclaim")
    a.step("gpte", "relocked", "write_lock1", guard=w.lock_write_guard(),
           effect=lambda o, st: {"lock.w": o.true()},
           text="write_lock(&kvm->mmu_lock)", kernel=_k("KVM_MMU_LOCK", w, KVM_MAIN))

    install_kind = w.site(S.REMAP_INSTALL)

    def e_install(o: Ops[Any, Any], st: St) -> Upd:
        return w.store(o, st, i, o.lit(d.value), kind=install_kind, ctx="write")

    a.step("relocked", "installed", "install", effect=e_install, spte=i,
           text=f"mmu_spte_set({w.s(i)}, pfn {d.pfn:#x} read-only, MMU-writable)"
                + ("" if install_kind == "plain" else f" (site {S.REMAP_INSTALL}: xchg)"),
           kernel=_k("mmu_set_spte", w))
    unlock_write(w, a, "installed", "done", name="write_unlock1")


# -- aging steps shared by the rmap and TDP paths ----------------------------------------------


def age_read(w: World, a: ActorBuilder, i: int, src: str, dst: str, *, s: str, expect: str,
             young: str, name: str, text: str, kernel: str) -> None:
    """The aging pass's read of the SPTE; also snapshots the ``accessed`` ghost (was the
    SPTE accessed by a guest walk since the previous pass cleared A)."""
    sn = w.s(i)
    a.step(src, dst, name, spte=i, text=text, kernel=kernel,
           effect=lambda o, st: {s: st[sn], expect: st[w.acc(i)], young: o.false()})


def age_old(w: World, a: ActorBuilder, i: int, src: str, dst: str, *, s: str, expect: str,
            name: str, kernel: str,
            accessed: Callable[[Ops[Any, Any], Value], Value] | None = None) -> None:
    """Not accessed: the pass reports "old".  The ``accessed`` property breaks if a guest
    walk accessed the SPTE since A was cleared and the host page was not told
    (``kvm_set_pfn_accessed``) meanwhile.  ``accessed`` is the test the code makes
    (default ``is_accessed_spte``)."""
    L = w.L
    test = accessed or (lambda o, v: P.is_accessed_spte(o, L, v))

    def e_old(o: Ops[Any, Any], st: St) -> Upd:
        host_knows = o.any_of([st[w.pfn_accessed(q)] for q in w.pfns])
        return {"bad.age": o.or_(st["bad.age"], o.and_(st[expect], o.not_(host_knows)))}

    a.step(src, dst, name, spte=i, effect=e_old, kernel=kernel,
           guard=lambda o, st: o.not_(test(o, st[s])),
           text=f"{w.s(i)} not accessed: not young")


def age_clear_a_atomic(w: World, a: ActorBuilder, i: int, src: str, dst: str, *, s: str,
                       young: str, ctx: str, name: str, text: str, kernel: str,
                       site: str) -> None:
    """A/D enabled and accessed: clear A with an atomic bit operation (clear_bit /
    fetch_and): young, and a new access window."""
    L = w.L
    atomic = w.site(site) == "bitop"

    def g(o: Ops[Any, Any], st: St) -> Value:
        return o.and_(P.is_accessed_spte(o, L, st[s]), P.spte_ad_enabled(o, L, st[s]))

    def e(o: Ops[Any, Any], st: St) -> Upd:
        cur = st[w.s(i)] if atomic else st[s]  # a plain RMW works on the earlier read
        upd = w.store(o, st, i, o.clear_bits(cur, L.accessed), kind="bitop" if atomic else "plain",
                      ctx=ctx)
        upd[young] = o.true()
        upd.update(w.aged(o, i))
        return upd

    a.step(src, dst, name, guard=g, effect=e, spte=i, kernel=kernel,
           text=text if atomic else f"WRITE_ONCE(*{w.s(i)}, spte & ~A) (site {site}: plain)")


def age_track_cmpxchg(w: World, a: ActorBuilder, i: int, src: str, dst: str, *, s: str,
                      young: str, names: tuple[str, str], texts: tuple[str, str],
                      kernel: str, site: str) -> None:
    """V-NEW lockless aging of an A/D-disabled SPTE: cmpxchg to
    ``mark_spte_for_access_track(spte)``; a failure is ignored (still young)."""
    L = w.L
    sn = w.s(i)
    cx = w.site(site) == "cmpxchg"

    def g(o: Ops[Any, Any], st: St, ok: bool) -> Value:
        same = o.eq(st[sn], st[s]) if cx else o.true()  # a plain store never fails
        return o.and_(P.is_accessed_spte(o, L, st[s]), o.not_(P.spte_ad_enabled(o, L, st[s])),
                      same if ok else o.not_(same))

    if not cx:
        texts = (f"WRITE_ONCE(*{sn}, mark_spte_for_access_track(spte)) (site {site}: plain)",
                 texts[1])

    def e_ok(o: Ops[Any, Any], st: St) -> Upd:
        upd = w.store(o, st, i, P.mark_spte_for_access_track(o, L, st[s]),
                      kind="cmpxchg" if cx else "plain", ctx="none")
        upd[young] = o.true()
        upd.update(w.aged(o, i))
        return upd

    a.step(src, dst, names[0], spte=i, guard=lambda o, st: g(o, st, True), effect=e_ok,
           text=texts[0], kernel=kernel)
    a.step(src, dst, names[1], spte=i, guard=lambda o, st: g(o, st, False),
           effect=lambda o, st: {young: o.true()}, text=texts[1], kernel=kernel)


def add_aging(w: World, i: int, name: str = "age", passes: int = 1, *,
              into: ActorBuilder | None = None) -> None:
    """``kvm_age_gfn`` run ``passes`` times: V-MID ``mmu_spte_age`` under the write lock;
    V-NEW ``kvm_rmap_age_gfn_range`` without mmu_lock (clear_bit(A), or cmpxchg to the
    access-tracked form with failure ignored).  Before v6.13 each pass flushes if young
    (clear_flush_young); from v6.13 x86 elides that flush (site ``kvm_age_gfn.flush``)."""
    L = w.L
    sn = w.s(i)
    a = into if into is not None else w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.track_accessed(i)
    young = a.var("young", 0, False)
    expect = a.var("expect", 0, False, doc="accessed since the last pass (ghost)")
    s = a.var("s", 64)
    locked = not L.lockless_aging
    fn_age = "mmu_spte_age" if locked else "kvm_rmap_age_gfn_range"

    for n in range(passes):
        p = f"p{n}." if passes > 1 else ""
        src = "start" if n == 0 else f"p{n - 1}.end"
        last = "done" if n == passes - 1 else f"{p}end"
        if locked:
            lock_write(w, a, src, f"{p}locked", name=f"{p}write_lock", site=S.AGE_LOCK)
            src = f"{p}locked"
        age_read(w, a, i, src, f"{p}read", s=s, expect=expect, young=young, name=f"{p}read",
                 text=f"spte = READ_ONCE(*{sn})", kernel=_k(fn_age, w))
        end = f"{p}aged"
        age_old(w, a, i, f"{p}read", end, s=s, expect=expect, name=f"{p}old",
                kernel=_k(fn_age, w))
        age_clear_a_atomic(w, a, i, f"{p}read", end, s=s, young=young,
                           ctx="write" if locked else "none", name=f"{p}clear_bit_a",
                           text=f"clear_bit(A, {sn})", kernel=_k(fn_age, w),
                           site=S.AGE_CLEAR_A)
        if locked:
            new = a.var(f"{p}new", 64)
            flush = a.var(f"{p}flush", 0, False)

            def g_track(o: Ops[Any, Any], st: St) -> Value:
                return o.and_(P.is_accessed_spte(o, L, st[s]),
                              o.not_(P.spte_ad_enabled(o, L, st[s])))

            def e_dirty(o: Ops[Any, Any], st: St, new: str = new) -> Upd:
                v = st[s]
                upd = w.set_pfn_dirty_if(o, st, P.is_writable_pte(o, L, v),
                                         P.spte_to_pfn(o, L, v))
                upd[new] = P.mark_spte_for_access_track(o, L, v)
                upd[young] = o.true()
                return upd

            a.step(f"{p}read", f"{p}track", f"{p}set_pfn_dirty", guard=g_track, effect=e_dirty,
                   text="if (is_writable_pte(spte)) kvm_set_pfn_dirty(pfn)",
                   kernel=_k("mmu_spte_age", w))
            mmu_spte_update(w, a, i, f"{p}track", end, new=new, flush=flush, op=None,
                            tag=f"{p}upd", track=False, clears_accessed=True)
            unlock_write(w, a, end, f"{p}unlocked", name=f"{p}write_unlock", site=S.AGE_LOCK)
            end = f"{p}unlocked"
        else:
            age_track_cmpxchg(
                w, a, i, f"{p}read", end, s=s, young=young,
                names=(f"{p}cmpxchg_ok", f"{p}cmpxchg_fail"),
                texts=(f"cmpxchg64({sn}, spte, mark_spte_for_access_track(spte)) succeeds",
                       f"cmpxchg64({sn}, ...) fails: ignored"),
                kernel=_k("kvm_rmap_age_gfn_range", w), site=S.AGE_TRACK_CMPXCHG)
        flush_site(w, a, S.AGE_FLUSH, end, last, last, name=f"{p}flush", cond=young,
                   unlock=None, kernel_absent=ELIDED_AGING_FLUSH)


def add_test_age(w: World, i: int, name: str = "testage") -> None:
    """``kvm_test_age_gfn`` (mmu_notifier ``test_young``): read the SPTE and report young
    if ``is_accessed_spte``; nothing is written and nothing flushed.  Shadow MMU:
    ``kvm_test_age_rmap`` (V-NEW ``kvm_rmap_age_gfn_range(test_only=true)``, a lockless
    rmap walk).  The TDP MMU's ``test_age_gfn`` (V-NEW ``__kvm_tdp_mmu_age_gfn_range
    (test_only)`` under RCU) makes the same read and test.  Before lockless aging, under
    the write lock (site ``kvm_test_age_gfn.lock``).  A "not young" answer while a guest
    walk accessed the SPTE since the last aging pass (and the host page was not told) is
    the ``accessed`` property's violation, as for an aging pass."""
    L = w.L
    sn = w.s(i)
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.track_accessed(i)
    s = a.var("s", 64)
    young = a.var("young", 0, False)
    expect = a.var("expect", 0, False, doc="accessed since the last aging pass (ghost)")
    locked = not L.lockless_aging
    kernel = _k("kvm_test_age_rmap" if locked else "kvm_rmap_age_gfn_range", w)
    src = "start"
    if locked:
        lock_write(w, a, src, "locked", site=S.TESTAGE_LOCK)
        src = "locked"
    age_read(w, a, i, src, "read", s=s, expect=expect, young=young, name="read",
             text=f"spte = READ_ONCE(*{sn})", kernel=kernel)
    site = w.guard(S.TESTAGE_YOUNG)
    rule = w.site(S.TESTAGE_YOUNG) != "present"

    def accessed(o: Ops[Any, Any], v: Value) -> Value:
        return site(o, v, P.is_accessed_spte(o, L, v))

    end = "tested" if locked else "done"
    age_old(w, a, i, "read", end, s=s, expect=expect, name="old", kernel=kernel,
            accessed=accessed)
    a.step("read", end, "young", spte=i, guard=lambda o, st: accessed(o, st[s]),
           effect=lambda o, st: {young: o.true()}, kernel=kernel,
           text=f"is_accessed_spte({sn}): young (test only, nothing written)"
                + (f" (site {S.TESTAGE_YOUNG}: the variant's test)" if rule else ""))
    if locked:  # test_young never flushes
        unlock_write(w, a, end, "done", site=S.TESTAGE_LOCK)


def add_slow_fault(w: World, v: int, i: int, name: str | None = None) -> None:
    """The slow write-fault path (``direct_page_fault`` / ``FNAME(page_fault)``): under
    the write lock, if the SPTE is still not writable, install ``make_spte`` for a
    writable mapping (``mmu_spte_update`` on a present SPTE, else ``mmu_spte_set``),
    ``mark_page_dirty_in_slot(gfn)`` for a dirty-logged slot; V-NEW marks the page dirty
    for the host at fault-in (``kvm_mmu_finish_page_fault``)."""
    L = w.L
    d = w.sptes[i]
    sn = w.s(i)
    name = name or f"slowpf{v}"
    a = w.mb.actor(name, "host", f"vCPU{v} (slow page fault)")
    a.idle_at("done")
    gfn = a.var("gfn", 8)
    new = a.var("new", 64)
    flush = a.var("flush", 0, False)
    writable = P.make_spte(CONCRETE, L, P.MakeSpteArgs(pfn=d.pfn))

    a.step("start", "faulted", "fault", spte=i,
           guard=lambda o, st: o.not_(P.is_writable_pte(o, L, st[sn])),
           text="EPT violation / #PF (write): kvm_mmu_page_fault()",
           kernel=_k("kvm_mmu_page_fault", w))
    lock_from = "faulted"
    tracked = w.wtracked(d.gfn)
    if w.write_track_count:
        pre = w.guard(S.SLOWPF_PAGE_TRACK)

        def g_emulate(o: Ops[Any, Any], st: St) -> Value:
            return pre(o, st[sn], st[tracked])

        a.step("faulted", "done", "page_track_emulate", guard=g_emulate,
               text=f"page_fault_handle_page_track(): gfn {d.gfn:#x} write-tracked: "
                    "RET_PF_WRITE_PROTECTED (emulate the write)",
               kernel=_k("page_fault_handle_page_track", w))
        a.step("faulted", "untracked", "page_track_miss",
               guard=lambda o, st: o.not_(g_emulate(o, st)),
               text=f"page_fault_handle_page_track(): gfn {d.gfn:#x} not tracked "
                    "(read without mmu_lock)",
               kernel=_k("page_fault_handle_page_track", w))
        lock_from = "untracked"
    lock_write(w, a, lock_from, "locked", site=S.SLOWPF_LOCK)

    def e_walk(o: Ops[Any, Any], st: St) -> Upd:
        return {gfn: w.gfn_of(o, st, i), new: o.lit(writable)}

    made = "walked"
    a.step("locked", "walked", "walk", effect=e_walk,
           text="fault->gfn from the guest walk; new_spte = make_spte(writable)",
           kernel=_k("make_spte", w, "arch/x86/kvm/mmu/spte.c"))
    if w.write_track_count:
        under = w.guard(S.SLOWPF_UNSYNC_TRACKED)
        readonly = P.make_spte(CONCRETE, L, P.MakeSpteArgs(pfn=d.pfn, write=False))

        def g_eperm(o: Ops[Any, Any], st: St) -> Value:
            return under(o, st[sn], st[tracked])

        a.step("walked", "made", "unsync_eperm", guard=g_eperm,
               effect=lambda o, st: {new: o.lit(readonly)},
               text=f"mmu_try_to_unsync_pages(): gfn {d.gfn:#x} write-tracked: -EPERM; "
                    "make_spte clears W and MMU-writable",
               kernel=_k("mmu_try_to_unsync_pages", w))
        rechecks = w.site(S.SLOWPF_UNSYNC_TRACKED) != "absent"
        a.step("walked", "made", "unsync_ok", guard=lambda o, st: o.not_(g_eperm(o, st)),
               text="mmu_try_to_unsync_pages(): not write-tracked: 0" if rechecks else
                    "mmu_try_to_unsync_pages(): write tracking not re-checked (site "
                    f"{S.SLOWPF_UNSYNC_TRACKED} absent): 0",
               kernel=_k("mmu_try_to_unsync_pages", w))
        made = "made"
    spurious_site = w.guard(S.SLOWPF_RECHECK)

    def spurious(o: Ops[Any, Any], st: St) -> Value:
        return spurious_site(o, st[sn], P.is_writable_pte(o, L, st[sn]))

    a.step(made, "installed", "spurious", spte=i, guard=spurious,
           text=f"{sn} already writable: spurious", kernel=_k("mmu_set_spte", w))
    mmu_spte_update(w, a, i, made, "upd_done", new=new, flush=flush, op=None, tag="upd",
                    guard=lambda o, st: o.not_(spurious(o, st)))
    marks = w.site(S.SLOWPF_MARK) == "marked"

    def e_mark(o: Ops[Any, Any], st: St) -> Upd:
        cond = o.boolean(marks)
        if w.write_track_count:  # make_spte: mark only if ACC_WRITE survived -EPERM
            cond = o.and_(cond, P.is_writable_pte(o, L, st[new]))
        upd = w.mark_page_dirty(o, st, st[gfn], cond)
        if L.pfn_dirty_at_fault:
            upd.update(w.set_pfn_dirty_if(o, st, o.true(), o.lit(d.pfn)))
        return upd

    a.step("upd_done", "installed", "mark_page_dirty", effect=e_mark,
           text="mark_page_dirty_in_slot(kvm, slot, gfn)" if marks else
                f"(no mark_page_dirty_in_slot: site {S.SLOWPF_MARK} absent)",
           kernel=_k("make_spte", w, "arch/x86/kvm/mmu/spte.c"))
    unlock_write(w, a, "installed", "done", site=S.SLOWPF_LOCK)



# -- huge-page split on the shadow MMU: the eager split (nested MMUs) and the fault path's ---


SPLIT_SP_PFN = 0x200
"""The pfn of the shadow page a split links in (``sp->spt``, a page of its own)."""


def link_shadow_page(w: World, a: ActorBuilder, i: int, src: str, dst: str, *,
                     flush: str | None, tag: str) -> None:
    """``__link_shadow_page(kvm, cache, sptep, sp, flush)`` (mmu.c, v6.0+; V-OLD's
    ``__direct_map`` makes the same memory steps: ``drop_large_spte`` = test, drop,
    flush, then link): if ``is_shadow_present_pte(*sptep)`` (a huge leaf),
    ``drop_large_spte(kvm, sptep, flush)`` = ``drop_spte`` (``mmu_spte_clear_track_bits``:
    plain store unless volatile, else xchg; before v6.13 ``kvm_set_pfn_dirty/accessed``
    of the huge page) and, if ``flush``, ``kvm_flush_remote_tlbs_sptep``; then
    ``mmu_spte_set(sptep, make_nonleaf_spte(sp->spt, ...))`` (a plain store over the
    non-present SPTE).  ``flush``: a local bool var (the eager split's), or None for the
    constant true of ``link_shadow_page`` (the fault path).  The rmap and parent-pte
    bookkeeping is not memory another CPU reads and is not modelled."""
    L = w.L
    sn = w.s(i)
    kern = _k("__link_shadow_page", w)
    dropped_at = f"{tag}.dropping"
    a.step(src, dropped_at, f"{tag}.present", spte=i,
           guard=lambda o, st: P.is_shadow_present_pte(o, L, st[sn]),
           text=f"is_shadow_present_pte(*{sn}): a huge leaf, drop_large_spte() it",
           kernel=kern)
    a.step(src, f"{tag}.set", f"{tag}.absent", spte=i,
           guard=lambda o, st: o.not_(P.is_shadow_present_pte(o, L, st[sn])),
           text=f"{sn} not present: nothing to drop", kernel=kern)
    if i in w.rmap_sptes:
        old = clear_track_bits(w, a, i, dropped_at, f"{tag}.unmapped", tag=f"{tag}.drop",
                               pages=w.sptes[i].pages, site=S.DROP_LARGE_STORE)
        rmap_remove(w, a, i, f"{tag}.unmapped", f"{tag}.dropped", old=old, tag=f"{tag}.rmap")
    else:
        clear_track_bits(w, a, i, dropped_at, f"{tag}.dropped", tag=f"{tag}.drop",
                         pages=w.sptes[i].pages, site=S.DROP_LARGE_STORE)
    kflush = _k("drop_large_spte", w)
    if w.site(S.DROP_LARGE_FLUSH) == "absent":
        a.step(f"{tag}.dropped", f"{tag}.set", f"{tag}.flush_absent",
               text=f"(no kvm_flush_remote_tlbs_sptep: site {S.DROP_LARGE_FLUSH} absent)",
               kernel=kflush)
    else:
        def want(o: Ops[Any, Any], st: St) -> Value:
            return o.true() if flush is None else st[flush]

        a.step(f"{tag}.dropped", f"{tag}.set", f"{tag}.flush", guard=want,
               effect=lambda o, st: w.flush_all(o),
               text="flush: kvm_flush_remote_tlbs_sptep(kvm, sptep)", kernel=kflush)
        if flush is not None:
            a.step(f"{tag}.dropped", f"{tag}.set", f"{tag}.no_flush",
                   guard=lambda o, st: o.not_(want(o, st)),
                   text="flush == false: no TLB flush", kernel=kflush)
    set_kind = w.site(S.MMU_SPTE_SET_STORE)

    def e_set(o: Ops[Any, Any], st: St) -> Upd:
        return w.store(o, st, i, P.make_nonleaf_spte(o, L, SPLIT_SP_PFN), kind=set_kind,
                       ctx="write")

    a.step(f"{tag}.set", dst, f"{tag}.link", spte=i, effect=e_set,
           text=f"mmu_spte_set({sn}, make_nonleaf_spte(sp->spt))" if set_kind == "plain" else
                f"xchg({sn}, make_nonleaf_spte(sp->spt)) (site {S.MMU_SPTE_SET_STORE})",
           kernel=kern)


def add_shadow_split(w: World, i: int, name: str = "ssplit") -> None:
    """Eager huge-page split on the shadow MMU (``kvm_mmu_slot_try_split_huge_pages`` →
    ``kvm_shadow_mmu_try_split_huge_pages`` → ``shadow_mmu_try_split_huge_pages`` (the
    rmap walk at the huge level) → ``shadow_mmu_try_split_huge_page`` →
    ``shadow_mmu_split_huge_page``), v6.0+, for the nested MMUs' huge SPTEs (with the TDP
    MMU on, the rmaps hold only ``role.guest_mode`` shadow pages), under mmu_lock held for
    **write**: ``huge_spte = READ_ONCE(*huge_sptep)``; fill the child shadow page (direct):
    an entry already present is kept (``flush |= !is_last_spte(...)``: never for 4K
    children), else ``mmu_spte_set(sptep, make_huge_page_split_spte(huge_spte, k))``;
    then :func:`link_shadow_page` with that ``flush`` (drop the huge SPTE, flush only if
    asked, link).  Not modelled: the cache top-up that may drop and retake mmu_lock
    (``-EAGAIN``, the rmap walk restarts), ``kvm_mmu_available_pages``."""
    L = w.L
    sn = w.s(i)
    kids = w.children(i)
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    huge = a.var("huge", 64, doc="huge_spte")
    flush = a.var("flush", 0, False)
    lock_write(w, a, "start", "locked", site=S.SSPLIT_LOCK)

    def large(o: Ops[Any, Any], st: St) -> Value:
        s = st[sn]
        return o.and_(P.is_shadow_present_pte(o, L, s), P.is_large_pte(o, L, s))

    walk = _k("shadow_mmu_try_split_huge_pages", w)
    a.step("locked", "found", "rmap_huge", spte=i, guard=large,
           text=f"for_each_rmap_spte (level 2): {sn} is a huge leaf", kernel=walk)
    a.step("locked", "scanned", "rmap_none", spte=i, guard=lambda o, st: o.not_(large(o, st)),
           text=f"{sn} not in the level-2 rmap (not a present huge leaf): nothing to split",
           kernel=walk)
    fn = "shadow_mmu_split_huge_page"
    a.step("found", "read", "read", spte=i, effect=lambda o, st: {huge: st[sn]},
           text=f"huge_spte = READ_ONCE(*{sn})", kernel=_k(fn, w))

    def e_fill(o: Ops[Any, Any], st: St) -> Upd:
        upd: Upd = {}
        keep_flush = st[flush]
        for k, c in enumerate(kids):
            cur = st[w.s(c)]
            present = P.is_shadow_present_pte(o, L, cur)
            keep_flush = o.or_(keep_flush, o.and_(
                present, o.not_(P.is_last_spte(o, L, cur, w.sptes[c].level))))
            child = o.ite(present, cur, P.make_huge_page_split_spte(o, L, st[huge], k))
            more = w.store(o, st, c, child, kind="plain", ctx="write")
            for ghost in ("bad.lock", "bad.hostw"):
                if ghost in upd:
                    more[ghost] = o.or_(upd[ghost], more[ghost])
            upd.update(more)
        upd[flush] = keep_flush
        return upd

    names = ", ".join(w.s(c) for c in kids)
    a.step("read", "filled", "fill", effect=e_fill,
           text=f"fill the child shadow page, for each of {names}: if present keep it "
                "(flush |= !is_last_spte), else mmu_spte_set(sptep, "
                "make_huge_page_split_spte(huge_spte, k))",
           kernel=_k(fn, w))
    link_shadow_page(w, a, i, "filled", "scanned", flush=flush, tag="link")
    unlock_write(w, a, "scanned", "done", site=S.SSPLIT_LOCK)


def add_huge_slow_fault(w: World, v: int, i: int, k: int = 0, name: str | None = None) -> None:
    """The slow write-fault path on 4K page ``k`` of a huge SPTE ``i`` of a dirty-logged
    slot, after ``fast_page_fault`` gave up on it (``fast_page_fault.huge_dirty_log``):
    ``direct_page_fault`` → ``direct_map`` under the write lock, with
    ``kvm_mmu_hugepage_adjust`` forcing ``goal_level`` = 4K (dirty logging disallows huge
    pages).  At the huge level ``kvm_mmu_get_child_sp``: a present non-leaf → -EEXIST, step
    down; else a new direct shadow page and ``link_shadow_page`` =
    ``__link_shadow_page(..., flush=true)`` (drop the huge SPTE, flush, link); at 4K
    ``mmu_set_spte``: ``make_spte`` (writable; ``mark_page_dirty_in_slot``), spurious if
    equal, else ``mmu_spte_update`` (``mmu_spte_set`` over a non-present entry) and a
    flush if it asks for one."""
    L = w.L
    d = w.sptes[i]
    sn = w.s(i)
    c = w.children(i)[k]
    cn = w.s(c)
    gfn = d.gfn + k
    pfn = d.pfn + k
    name = name or f"slowpf{v}"
    a = w.mb.actor(name, "host", f"vCPU{v} (slow page fault)")
    a.idle_at("done")
    new = a.var("new", 64)
    flush = a.var("flush", 0, False)
    writable = P.make_spte(CONCRETE, L, P.MakeSpteArgs(pfn=pfn))

    def denied(o: Ops[Any, Any], st: St) -> Value:
        s, sc = st[sn], st[cn]
        via_child = o.and_(P.is_shadow_present_pte(o, L, sc), P.is_writable_pte(o, L, sc))
        return o.ite_b(w.is_leaf_now(o, i, s), o.not_(P.is_writable_pte(o, L, s)),
                       o.not_(via_child))

    a.step("start", "faulted", f"fault.p{k}", spte=i, guard=denied,
           text=f"EPT violation / #PF (write) on 4K page {k} (gfn {gfn:#x}); fast_page_fault "
                "gave up: kvm_mmu_page_fault -> direct_page_fault",
           kernel=_k("kvm_mmu_page_fault", w))
    lock_write(w, a, "faulted", "locked", site=S.SLOWPF_LOCK)
    kmap = _k("direct_map", w)

    def table(o: Ops[Any, Any], st: St) -> Value:
        s = st[sn]
        return o.and_(P.is_shadow_present_pte(o, L, s), o.not_(P.is_large_pte(o, L, s)))

    a.step("locked", "level1", "get_child_eexist", spte=i, guard=table,
           text=f"kvm_mmu_get_child_sp: {sn} is a present non-leaf: -EEXIST, step down",
           kernel=kmap)
    a.step("locked", "linking", "get_child_sp", spte=i, guard=lambda o, st: o.not_(table(o, st)),
           text=f"kvm_mmu_get_child_sp: {sn} huge or not present: a direct shadow page for "
                "the 2M region, link_shadow_page", kernel=kmap)
    link_shadow_page(w, a, i, "linking", "level1", flush=None, tag="link")
    marks = w.site(S.SLOWPF_MARK) == "marked"

    def e_make(o: Ops[Any, Any], st: St) -> Upd:
        upd = w.mark_page_dirty(o, st, o.lit(gfn, 8), o.boolean(marks))
        if L.pfn_dirty_at_fault:
            upd.update(w.set_pfn_dirty_if(o, st, o.true(), o.lit(pfn)))
        upd[new] = o.lit(writable)
        return upd

    a.step("level1", "made", "make_spte", effect=e_make,
           text=f"mmu_set_spte({cn}): new_spte = make_spte(writable), which calls "
                f"mark_page_dirty_in_slot(gfn {gfn:#x})" if marks else
                f"mmu_set_spte({cn}): new_spte = make_spte(writable) (no "
                f"mark_page_dirty_in_slot: site {S.SLOWPF_MARK} absent)",
           kernel=_k("make_spte", w, "arch/x86/kvm/mmu/spte.c"))

    def spurious(o: Ops[Any, Any], st: St) -> Value:
        return o.eq(st[cn], st[new])

    a.step("made", "installed", "spurious", spte=c, guard=spurious,
           text=f"*{cn} == new_spte: RET_PF_SPURIOUS", kernel=_k("mmu_set_spte", w))
    mmu_spte_update(w, a, c, "made", "updated", new=new, flush=flush, op=None, tag="upd",
                    guard=lambda o, st: o.not_(spurious(o, st)))
    a.step("updated", "installed", "flush_gfn", guard=lambda o, st: st[flush],
           effect=lambda o, st: w.flush_all(o),
           text="kvm_flush_remote_tlbs_gfn(kvm, gfn, level)", kernel=_k("mmu_set_spte", w))
    a.step("updated", "installed", "no_flush", guard=lambda o, st: o.not_(st[flush]),
           text="no flush needed", kernel=_k("mmu_set_spte", w))
    unlock_write(w, a, "installed", "done", site=S.SLOWPF_LOCK)


# -- V-NEW's lockless rmap aging against the shadow MMU's writers (the rmap lock, v6.15) -------


def rmap_remove(w: World, a: ActorBuilder, i: int, src: str, dst: str, *, old: str,
                tag: str) -> None:
    """``drop_spte``'s second half (V-NEW mmu.c): ``if (is_shadow_present_pte(old_spte))
    rmap_remove(kvm, sptep)`` -> ``pte_list_remove``: ``kvm_rmap_lock`` (which spins while
    ``KVM_RMAP_LOCKED`` is set, e.g. by a lockless aging walk's
    ``kvm_rmap_lock_readonly``), the entry removed (``rmap_val = 0`` for the only entry),
    ``kvm_rmap_unlock(kvm, rmap_head, 0)``.  One step: no other CPU can observe the rmap
    between this writer's lock and its unlock (a taker spins).  Only for SPTEs whose rmap
    the world models (:meth:`World.enable_rmap_lock`)."""
    L = w.L
    rv, rl = w.rmap(i), w.rmap_locked(i)
    kern = _k("pte_list_remove", w)
    a.step(src, dst, f"{tag}.remove", spte=i,
           guard=lambda o, st: o.and_(P.is_shadow_present_pte(o, L, st[old]),
                                      o.not_(st[rl])),
           effect=lambda o, st: {rv: o.false()},
           text="drop_spte: old_spte present: rmap_remove -> pte_list_remove: "
                "kvm_rmap_lock (waits while KVM_RMAP_LOCKED), rmap_val = 0, "
                "kvm_rmap_unlock(rmap_head, 0)", kernel=kern)
    a.step(src, dst, f"{tag}.skip", spte=i,
           guard=lambda o, st: o.not_(P.is_shadow_present_pte(o, L, st[old])),
           text="drop_spte: old_spte not present: no rmap_remove", kernel=_k("drop_spte", w))


def add_rmap_age(w: World, i: int, name: str = "age") -> None:
    """V-NEW ``kvm_age_gfn`` -> ``kvm_rmap_age_gfn_range(range, test_only=false)`` on the
    rmap of SPTE i, without mmu_lock (v6.15+, "KVM: x86/mmu: Walk rmaps (shadow MMU)
    without holding mmu_lock when aging gfns"): ``rmap_val =
    kvm_rmap_lock_readonly(rmap_head)`` (an empty rmap is not locked and not walked; else
    wait for ``KVM_RMAP_LOCKED`` to clear and ``try_cmpxchg_acquire`` it set);
    ``for_each_rmap_spte_lockless``: ``spte = mmu_spte_get_lockless(sptep)`` (READ_ONCE),
    skip it unless ``is_shadow_present_pte``; ``if (!is_accessed_spte(spte)) continue``;
    A/D enabled: ``clear_bit(A, sptep)``; else ``cmpxchg64(sptep, spte,
    mark_spte_for_access_track(spte))``, a failure ignored ("the spte is being
    concurrently modified and should most likely stay young"); ``young = true``;
    ``kvm_rmap_unlock_readonly`` (store-release of ``rmap_val``).  No TLB flush
    (``KVM_ELIDE_TLB_FLUSH_IF_YOUNG``, v6.13+).  The rmap lock protects the chain, not
    the SPTE: a writer holding mmu_lock may drop the SPTE while the walk uses it
    (``mmu_spte_clear_track_bits`` takes no rmap lock), but its ``pte_list_remove``
    waits for the walk's unlock, so the SPTE cannot be re-linked (``mmu_spte_set`` of a
    non-leaf by ``__link_shadow_page``) before the walk is done with it.

    Only the rmap of SPTE i (the huge page's level-2 rmap) is walked: the walk's 4K level
    over the children's rmaps, which the split's fill adds them to, is not modelled."""
    L = w.L
    sn = w.s(i)
    rv, rl = w.rmap(i), w.rmap_locked(i)
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.track_accessed(i)
    young = a.var("young", 0, False)
    expect = a.var("expect", 0, False, doc="accessed since the last pass (ghost)")
    s = a.var("s", 64)
    kernel = _k("kvm_rmap_age_gfn_range", w)
    locks = w.site(S.RMAP_AGE_LOCK) != "absent"

    def e_empty(o: Ops[Any, Any], st: St) -> Upd:
        host_knows = o.any_of([st[w.pfn_accessed(q)] for q in w.pfns])
        return {"bad.age": o.or_(st["bad.age"], o.and_(st[w.acc(i)], o.not_(host_knows)))}

    a.step("start", "unlocked", "rmap_empty", guard=lambda o, st: o.not_(st[rv]),
           effect=e_empty, kernel=kernel,
           text="kvm_rmap_lock_readonly: rmap_head->val == 0: empty, not locked, not walked")
    if locks:
        a.step("start", "locked", "rmap_lock",
               guard=lambda o, st: o.and_(st[rv], o.not_(st[rl])),
               effect=lambda o, st: {rl: o.true()}, kernel=kernel,
               text="kvm_rmap_lock_readonly: preempt_disable; __kvm_rmap_lock: val != 0 and "
                    "not KVM_RMAP_LOCKED: try_cmpxchg_acquire(&rmap_head->val, val | "
                    "KVM_RMAP_LOCKED)")
    else:
        a.step("start", "locked", "rmap_get", guard=lambda o, st: st[rv], kernel=kernel,
               text=f"(no kvm_rmap_lock_readonly: site {S.RMAP_AGE_LOCK} absent) "
                    f"rmap_get_first: sptep = {sn}")
    age_read(w, a, i, "locked", "read", s=s, expect=expect, young=young, name="read",
             text=f"for_each_rmap_spte_lockless: spte = mmu_spte_get_lockless({sn})",
             kernel=kernel)

    def present_accessed(o: Ops[Any, Any], v: Value) -> Value:
        return o.and_(P.is_shadow_present_pte(o, L, v), P.is_accessed_spte(o, L, v))

    age_old(w, a, i, "read", "aged", s=s, expect=expect, name="old", kernel=kernel,
            accessed=present_accessed)
    age_clear_a_atomic(w, a, i, "read", "aged", s=s, young=young, ctx="none",
                       name="clear_bit_a", text=f"clear_bit(A, {sn}); young = true",
                       kernel=kernel, site=S.AGE_CLEAR_A)
    age_track_cmpxchg(
        w, a, i, "read", "aged", s=s, young=young, names=("cmpxchg_ok", "cmpxchg_fail"),
        texts=(f"cmpxchg64({sn}, spte, mark_spte_for_access_track(spte)) succeeds; "
               "young = true",
               f"cmpxchg64({sn}, ...) fails: ignored (\"should most likely stay young\"); "
               "young = true"),
        kernel=kernel, site=S.AGE_TRACK_CMPXCHG)
    if locks:
        a.step("aged", "unlocked", "rmap_unlock", effect=lambda o, st: {rl: o.false()},
               kernel=_k("kvm_rmap_unlock_readonly", w),
               text="kvm_rmap_unlock_readonly: atomic_long_set_release(&rmap_head->val, "
                    "rmap_val); preempt_enable")
    else:
        a.step("aged", "unlocked", "rmap_done", kernel=kernel,
               text=f"(no kvm_rmap_unlock_readonly: site {S.RMAP_AGE_LOCK} absent)")
    flush_site(w, a, S.AGE_FLUSH, "unlocked", "done", "done", name="flush", cond=young,
               unlock=None, kernel_absent=ELIDED_AGING_FLUSH)
