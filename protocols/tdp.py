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
from verify.expr import Ops
from verify.model import St

from .host_ops import flush_step, lock_write, unlock_write
from .world import Upd, Value, World

TDP_C = "arch/x86/kvm/mmu/tdp_mmu.c"


def _k(fn: str, w: World, file: str = TDP_C) -> str:
    return f"{fn}() {file} @ {w.L.tag}"


def add_zap_page_table(w: World, parent: int, name: str = "zap_pt") -> None:
    L = w.L
    pn = w.s(parent)
    children = [i for i, d in enumerate(w.sptes) if d.parent == parent]
    frozen = L.frozen_value if L.has_frozen else L.nonpresent_value
    fname = "FROZEN_SPTE" if L.version == "V-NEW" else "REMOVED_SPTE"
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    lock_write(w, a, "start", "locked")
    a.step("locked", "c0", "zap_parent", spte=parent,
           effect=lambda o, st: w.store(o, st, parent, o.lit(L.nonpresent_value),
                                        kind="plain", ctx="write"),
           text=f"tdp_mmu_iter_set_spte({pn}, SHADOW_NONPRESENT_VALUE) (non-leaf)",
           kernel=_k("tdp_mmu_set_spte", w))
    for n, i in enumerate(children):
        cn = w.s(i)
        level = w.sptes[i].level
        old = a.var(f"c{n}.old", 64)
        cur, rd, nxt = f"c{n}", f"c{n}.read", f"c{n + 1}"
        a.step(cur, rd, f"c{n}.read", spte=i, effect=lambda o, st, cn=cn, old=old: {old: st[cn]},
               text=f"old_spte = kvm_tdp_mmu_read_spte({cn})",
               kernel=_k("handle_removed_pt", w))
        a.step(rd, nxt, f"c{n}.skip", spte=i,
               guard=lambda o, st, old=old: o.not_(P.is_shadow_present_pte(o, L, st[old])),
               text=f"{cn} not present: skip", kernel=_k("handle_removed_pt", w))

        def propagate(o: Ops[Any, Any], st: St, prior: Value) -> Upd:
            if not L.zap_propagates_ad:
                return {}
            cond = o.and_(P.is_shadow_present_pte(o, L, prior), P.is_dirty_spte(o, L, prior))
            return w.set_pfn_dirty_if(o, st, cond, P.spte_to_pfn(o, L, prior))

        def volatile(o: Ops[Any, Any], st: St, old: str = old, level: int = level) -> Value:
            if w.variant.removed_pt_plain_store:
                return o.false()
            return w.tdp_needs_atomic(o, st[old], level)

        def g_plain(o: Ops[Any, Any], st: St, old: str = old) -> Value:
            return o.and_(P.is_shadow_present_pte(o, L, st[old]), o.not_(volatile(o, st)))

        def e_plain(o: Ops[Any, Any], st: St, i: int = i, old: str = old,
                    level: int = level) -> Upd:
            upd = w.store(o, st, i, o.lit(frozen), kind="plain", ctx="write", level=level)
            upd.update(propagate(o, st, st[old]))
            return upd

        a.step(rd, nxt, f"c{n}.store", guard=g_plain, effect=e_plain, spte=i,
               text=f"__kvm_tdp_mmu_write_spte({cn}, {fname}) (plain store)",
               kernel=_k("kvm_tdp_mmu_write_spte", w, "arch/x86/kvm/mmu/tdp_iter.h"))

        def g_xchg(o: Ops[Any, Any], st: St, old: str = old) -> Value:
            return o.and_(P.is_shadow_present_pte(o, L, st[old]), volatile(o, st))

        def e_xchg(o: Ops[Any, Any], st: St, i: int = i, cn: str = cn, old: str = old,
                   level: int = level) -> Upd:
            prior = st[cn]
            upd = w.store(o, st, i, o.lit(frozen), kind="xchg", ctx="write", level=level)
            upd.update(propagate(o, st, prior))
            upd[old] = prior
            return upd

        a.step(rd, nxt, f"c{n}.xchg", guard=g_xchg, effect=e_xchg, spte=i,
               text=f"old_spte = kvm_tdp_mmu_write_spte_atomic({cn}, {fname}) (xchg)",
               kernel=_k("kvm_tdp_mmu_write_spte", w, "arch/x86/kvm/mmu/tdp_iter.h"))
    last = f"c{len(children)}"
    flush_step(w, a, last, "flushed")
    unlock_write(w, a, "flushed", "done")
