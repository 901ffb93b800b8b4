"""The "all initial SPTEs" form of a scenario: an initial *set* instead of one state.

Every leaf SPTE may start as any legal present SPTE of its class — the scenario's pfn,
memory type, user/exec bits and host-writable bit are kept (they come from the host page
and the guest mapping, not from the protocols), while the bits the protocols change are
free: W, MMU-writable, A, D and, where access tracking exists (A/D disabled), R and X
with their saved copies.  The constraint keeps what KVM itself guarantees of such an SPTE
(``check_spte_writable_invariants``, a valid ``SPTE_TDP_AD`` value, saved bits only in
an access-tracked SPTE whose R/X they hold, R set in one that is not tracked; on V-NEW,
whose software A bit is used on A/D-disabled SPTEs too, A set exactly when such an SPTE is
not access-tracked, with D kept by the tracked form).

The rest of the state starts consistent with the SPTEs:

* a vCPU's TLB entry is empty, or holds what a walk of the SPTE could have cached: its
  pfn (and gfn), writable only if the SPTE is writable, dirty only if the SPTE is dirty
  where the CPU keeps D (``tlb.d`` is true where it does not);
* a paging-structure cache bit may be set while the parent is present;
* a dirty-logged gfn with a writable SPTE is in the dirty bitmap (a fault that makes an
  SPTE writable in a logged slot marks the page dirty first); with PML, an SPTE whose D
  the CPU logs is in the bitmap when D is set; where the log is counted from the enabling
  of dirty logging (``World.log_from_enabling``) the bitmap starts empty, whatever the
  SPTEs (they were made before logging was enabled);
* the accessed ghost says "accessed since A was cleared" exactly when the SPTE is
  accessed; every other ghost starts false (nothing has happened yet).

Non-present initial SPTEs are not in the set: every scenario's operations reach them
(zap, remap, page-table zap) from the present ones.  The entries of a table a split has
not linked yet (``World.in_split_table``) start unused, with empty TLB entries, and no
paging-structure cache points at it.  A non-leaf SPTE a recovery may make huge
(``SpteDecl.collapses``) starts as declared, with an empty TLB entry for the huge page;
so does an entry of its table declared non-present (a 4K page of the region nothing maps,
``World.declared_absent``: the form would otherwise have no initial state at all).
"""

from __future__ import annotations

from typing import Any

from verify import spte as P
from verify.expr import CONCRETE, Ops
from verify.model import InitSet, St

from .world import Value, World


def _free_bits(w: World) -> int:
    L = w.L
    mask = L.w | L.mmu_writable | L.accessed | L.dirty
    if L.acc_track_mask:
        mask |= L.r | L.x | L.saved_bits_mask
    return mask


def _spte_ok(w: World, o: Ops[Any, Any], s: Value, init: int) -> Value:
    L = w.L
    conds = [P.is_shadow_present_pte(o, L, s), P.well_formed_present(o, L, s)]
    if L.acc_track_mask:
        rx = init & (L.r | L.x)
        saved = (rx & L.acc_track_saved_mask) << L.acc_track_saved_shift
        tracked = P.is_access_track_spte(o, L, s)
        # tracked: R/X moved to the saved bits; otherwise R/X as built, nothing saved
        conds.append(o.ite_b(tracked,
                             o.masked_eq(s, L.r | L.x | L.saved_bits_mask, saved),
                             o.masked_eq(s, L.r | L.x | L.saved_bits_mask, rx)))
        if L.global_ad_masks and not P.spte_ad_enabled(CONCRETE, L, init):
            # V-NEW: bits 8/9 are KVM's software A/D on A/D-disabled SPTEs too.  make_spte
            # sets A on every non-prefetch SPTE and restore_acc_track_spte ORs it back in;
            # mark_spte_for_access_track clears A but keeps D (kernel-notes §2.8, item 5).
            # So such an SPTE is access-tracked exactly when A is clear; D is free.  (The
            # A/D type bits are not free, so ``ad_off`` always holds here; it stays in the
            # formula because the shipped V-NEW ept-noad certificates name its digest.)
            ad_off = o.not_(P.spte_ad_enabled(o, L, s))
            conds.append(o.implies(ad_off, o.ite_b(tracked, o.not_(o.test(s, L.accessed)),
                                                   o.test(s, L.accessed))))
        else:
            # an access-tracked SPTE keeps no A or D bit (A/D are disabled for it)
            conds.append(o.implies(tracked, o.masked_eq(s, L.accessed | L.dirty, 0)))
    return o.all_of(conds)


def _cpu_keeps_ad(w: World, o: Ops[Any, Any], s: Value) -> Value:
    if not w.L.accessed or w.L.mode == "ept-noad":
        return o.false()
    return P.spte_ad_enabled(o, w.L, s)


def all_initial(w: World) -> InitSet:
    """The initial set of ``w``'s scenario (see the module docstring)."""
    L = w.L
    free: dict[str, int] = {}
    leaves = [i for i in w.leaves() if not w.in_split_table(i) and not w.sptes[i].collapses
              and not w.declared_absent(i)]
    for i in leaves:
        free[w.s(i)] = _free_bits(w)
        d = w.sptes[i]
        for v in range(w.vcpus):
            free[w.tlb(v, i, "valid")] = 1
            free[w.tlb(v, i, "w")] = 1
            free[w.tlb(v, i, "d")] = 1
            free[w.tlb(v, i, "pfn")] = d.pfn
            if not d.direct:
                free[w.tlb(v, i, "gfn")] = d.gfn
        if i in w.accessed_tracked:
            free[w.acc(i)] = 1
    cached = [d for d in w.sptes if d.parent is not None and not w.sptes[d.parent].splits]
    if cached:
        for v in range(w.vcpus):
            free[w.psc(v)] = 1
    for g in w.gfns:
        if g in w.logged_gfns and not w.log_from_enabling:
            free[w.dlog(g)] = 1
            if w.dirty_ring:
                free[w.ring(g)] = 1  # DIRTY exactly when the gfn is logged, else empty
    inits = {i: w.sptes[i].value for i in leaves}

    def constraint(o: Ops[Any, Any], st: St) -> Value:
        conds = []
        for i in leaves:
            s = st[w.s(i)]
            d = w.sptes[i]
            conds.append(_spte_ok(w, o, s, inits[i]))
            keeps_ad = _cpu_keeps_ad(w, o, s)
            for v in range(w.vcpus):
                valid = st[w.tlb(v, i, "valid")]
                tw, td = st[w.tlb(v, i, "w")], st[w.tlb(v, i, "d")]
                pfn_ok = o.eq(st[w.tlb(v, i, "pfn")],
                              o.ite(valid, P.spte_to_pfn(o, L, s), o.lit(0)))
                entry = [pfn_ok,
                         o.implies(o.not_(valid), o.and_(o.not_(tw), o.not_(td))),
                         o.implies(tw, P.is_writable_pte(o, L, s)),
                         o.implies(valid, o.ite_b(keeps_ad, o.implies(td, o.test(s, L.dirty)),
                                                  td))]
                if not d.direct:
                    entry.append(o.eq(st[w.tlb(v, i, "gfn")],
                                      o.ite(valid, st[w.sgfn(i)], o.lit(0, 8))))
                conds.append(o.all_of(entry))
            if i in w.accessed_tracked:
                young = P.is_accessed_spte(o, L, s)
                conds.append(o.and_(o.implies(st[w.acc(i)], young),
                                    o.implies(young, st[w.acc(i)])))
            # a huge leaf: every 4K page it maps (a writable huge SPTE of a logged slot
            # has all of them logged: enabling dirty logging write-protects huge pages)
            for g in d.gfn_list():
                if g not in w.logged_gfns or not w.mb.has_var(w.dlog(g)) \
                        or w.log_from_enabling:
                    continue
                if w.pml:
                    logs_d = o.and_(keeps_ad, o.not_(P.spte_ad_need_write_protect(o, L, s)))
                    dirty = o.ite_b(logs_d, o.test(s, L.dirty), P.is_writable_pte(o, L, s))
                else:
                    dirty = P.is_writable_pte(o, L, s)
                conds.append(o.implies(dirty, st[w.dlog(g)]))
                if w.dirty_ring:
                    conds.append(o.eq(st[w.ring(g)], o.ite(st[w.dlog(g)], o.lit(1, 2),
                                                          o.lit(0, 2))))
        if cached:
            for v in range(w.vcpus):
                for d in w.sptes:
                    if d.parent is not None and d.leaf:
                        conds.append(o.implies(st[w.psc(v)], P.is_shadow_present_pte(
                            o, L, st[w.s(d.parent)])))
                        break
        return o.all_of(conds)

    return InitSet(free, constraint,
                   "every legal present SPTE of the scenario's class, with consistent TLBs, "
                   "dirty log and ghosts")
