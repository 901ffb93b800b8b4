"""The CPU as an actor: guest accesses through a per-vCPU TLB, A/D assists, TLB drops.

Intel SDM vol. 3 §4.8/§29.3 (EPT A/D flags) and AMD APM §5.4: a walk that allows the
access may fill the TLB and, on legacy paging or A/D-enabled EPT, sets A (and D for a
write) with a locked OR on the SPTE in memory; a write through a TLB entry whose cached
D is 0 sets D with a locked read-modify-write (whether it re-checks the SPTE first is
``HwParams.d_assist_recheck``); any entry may be dropped at any time.  Each access is one
atomic step.  The guest's writes are recorded in the ghost ``written``/``hwritten`` bits
that the dirty-bit properties read.
"""

from __future__ import annotations

from typing import Any

from verify import spte as P
from verify.expr import Ops
from verify.model import St

from .world import Upd, Value, World

SDM = "Intel SDM vol.3 28.3.5 (EPT A/D) / 4.8 (paging A/D), hardware"


def _reachable(w: World, o: Ops[Any, Any], st: St, v: int, i: int) -> Value:
    """Can vCPU v's walk reach SPTE i: its parent is present, or cached (psc)."""
    d = w.sptes[i]
    if d.parent is None:
        return o.true()
    parent_ok = _points_down(w, o, st, d.parent)
    if not w.hw.paging_structure_cache:
        return parent_ok
    return o.or_(parent_ok, st[w.psc(v)])


def _points_down(w: World, o: Ops[Any, Any], st: St, p: int) -> Value:
    """Does the walk go down through SPTE p: present, and (for a splittable huge leaf)
    no longer a leaf."""
    s = st[w.s(p)]
    present = P.is_shadow_present_pte(o, w.L, s)
    if not w.level_changes(p):
        return present
    return o.and_(present, o.not_(w.is_leaf_now(o, p, s)))


def _hw_ad_on(w: World, o: Ops[Any, Any], s: Value) -> Value:
    """Does the hardware maintain A/D for this SPTE (legacy, or EPT with A/D enabled)."""
    if not w.L.accessed or w.L.mode == "ept-noad":
        return o.false()
    return P.spte_ad_enabled(o, w.L, s)


def _pml_log(w: World, o: Ops[Any, Any], st: St, gfn: Value, sets_d: Value) -> Upd:
    """PML: setting D 0→1 on an A/D-enabled SPTE appends the gfn to the PML log, which
    KVM moves into the dirty bitmap (vmx_flush_pml_buffer) before a harvest."""
    if not w.pml:
        return {}
    return w.mark_page_dirty(o, st, gfn, sets_d)


def _pml_on(w: World, o: Ops[Any, Any], s: Value) -> Value:
    """PML logs only for SPTE_TDP_AD_ENABLED SPTEs (WRPROT_ONLY exists to avoid it)."""
    return o.not_(P.spte_ad_need_write_protect(o, w.L, s))


def _leaf_now(w: World, o: Ops[Any, Any], i: int, s: Value) -> list[Value]:
    """The walk stops at SPTE i only if it is a leaf (a test only where it can change)."""
    return [w.is_leaf_now(o, i, s)] if w.level_changes(i) else []


def _record_write(w: World, o: Ops[Any, Any], st: St, gfn: Value, pfn: Value) -> Upd:
    upd: Upd = {}
    for g in w.gfns:
        hit = o.eq(gfn, o.lit(g, 8))
        if w.log_from_enabling:  # counted only once dirty logging is enabled
            hit = o.and_(hit, w.write_counts(o, st))
        upd[w.written(g)] = o.or_(st[w.written(g)], hit)
    for p in w.pfns:
        upd[w.hwritten(p)] = o.or_(st[w.hwritten(p)], o.eq(pfn, o.lit(p)))
    return upd


def _fill(w: World, o: Ops[Any, Any], st: St, v: int, i: int, s: Value, writable: Value,
          dirty: Value) -> Upd:
    upd: Upd = {
        w.tlb(v, i, "valid"): o.true(),
        w.tlb(v, i, "w"): writable,
        w.tlb(v, i, "d"): dirty,
        w.tlb(v, i, "pfn"): P.spte_to_pfn(o, w.L, s),
    }
    if not w.sptes[i].direct:
        upd[w.tlb(v, i, "gfn")] = st[w.sgfn(i)]
    for op in w.wp_ops:
        upd[w.stale(op, v, i)] = o.false()
    if i in w.accessed_tracked:
        upd[w.acc(i)] = o.true()  # a walk is an access the next aging pass must see
    d = w.sptes[i]
    if d.parent is not None:
        upd[w.psc(v)] = o.or_(st[w.psc(v)], _points_down(w, o, st, d.parent))
    return upd


def add_cpu(w: World, v: int, *, reads: bool = True, writes: bool = True) -> None:
    """vCPU ``v``'s hardware: walks, TLB hits with D assists, drops; for every leaf."""
    L = w.L
    a = w.mb.actor(f"cpu{v}", "cpu", f"vCPU{v} (CPU)")
    for i in w.leaves():
        sn = w.s(i)

        if reads:
            def g_rd(o: Ops[Any, Any], st: St, i: int = i) -> Value:
                s = st[w.s(i)]
                return o.and_(_reachable(w, o, st, v, i), P.is_shadow_present_pte(o, L, s),
                              *_leaf_now(w, o, i, s),
                              P.is_access_allowed(o, L, P.Access.READ, s))

            def e_rd(o: Ops[Any, Any], st: St, i: int = i) -> Upd:
                s = st[w.s(i)]
                ad = _hw_ad_on(w, o, s)
                new = o.ite(ad, o.set_bits(s, L.accessed), s)
                dirty = o.ite_b(ad, o.test(s, L.dirty), o.true())
                upd = _fill(w, o, st, v, i, s, P.is_writable_pte(o, L, s), dirty)
                upd.update(w.store(o, st, i, new, kind="cpu", ctx="none"))
                return upd

            a.step("start", "start", f"read.s{i}", guard=g_rd, effect=e_rd, spte=i,
                   text=f"guest reads via {sn}: walk, TLB fill, CPU sets A", kernel=SDM)

        if not writes:
            continue

        def g_wr(o: Ops[Any, Any], st: St, i: int = i) -> Value:
            s = st[w.s(i)]
            return o.and_(_reachable(w, o, st, v, i), P.is_shadow_present_pte(o, L, s),
                          *_leaf_now(w, o, i, s),
                          P.is_writable_pte(o, L, s), P.is_readable_hw(o, L, s))

        def tlb_gfn(o: Ops[Any, Any], st: St, i: int = i) -> Value:
            return st[w.tlb(v, i, "gfn")] if not w.sptes[i].direct else w.gfn_of(o, st, i)

        def g_hit(o: Ops[Any, Any], st: St, i: int = i) -> Value:
            return o.and_(st[w.tlb(v, i, "valid")], st[w.tlb(v, i, "w")], st[w.tlb(v, i, "d")])

        recheck = w.hw.d_assist_recheck

        def g_assist(o: Ops[Any, Any], st: St, i: int = i, recheck: bool = recheck) -> Value:
            base = o.and_(st[w.tlb(v, i, "valid")], st[w.tlb(v, i, "w")],
                          o.not_(st[w.tlb(v, i, "d")]))
            if recheck:
                return o.and_(base, P.is_shadow_present_pte(o, L, st[w.s(i)]))
            return base

        pages = w.sptes[i].pages
        for k in range(pages):
            # a huge leaf: one TLB entry; a write may go to any 4K page k it maps
            at = "" if pages == 1 else f".p{k}"
            page = "" if pages == 1 else f" (4K page {k} of the huge page)"

            def off(o: Ops[Any, Any], x: Value, k: int = k) -> Value:
                return x if k == 0 else o.add(x, o.lit(k, 8))

            def poff(o: Ops[Any, Any], x: Value, k: int = k) -> Value:
                return x if k == 0 else o.add(x, o.lit(k))

            def e_wr(o: Ops[Any, Any], st: St, i: int = i, off: Any = off,
                     poff: Any = poff) -> Upd:
                s = st[w.s(i)]
                ad = _hw_ad_on(w, o, s)
                new = o.ite(ad, o.set_bits(s, L.accessed | L.dirty), s)
                upd = _fill(w, o, st, v, i, s, o.true(), o.true())
                upd.update(w.store(o, st, i, new, kind="cpu", ctx="none"))
                upd.update(_record_write(w, o, st, off(o, w.gfn_of(o, st, i)),
                                         poff(o, P.spte_to_pfn(o, w.L, s))))
                sets_d = o.and_(ad, _pml_on(w, o, s), o.not_(o.test(s, L.dirty)))
                upd.update(_pml_log(w, o, st, off(o, w.gfn_of(o, st, i)), sets_d))
                return upd

            a.step("start", "start", f"write.s{i}{at}", guard=g_wr, effect=e_wr, spte=i,
                   text=f"guest writes via {sn}{page}: walk, TLB fill, CPU sets A and D",
                   kernel=SDM)

            def e_hit(o: Ops[Any, Any], st: St, i: int = i, off: Any = off,
                      poff: Any = poff) -> Upd:
                return _record_write(w, o, st, off(o, tlb_gfn(o, st, i)),
                                     poff(o, st[w.tlb(v, i, "pfn")]))

            a.step("start", "start", f"write_hit.s{i}{at}", guard=g_hit, effect=e_hit, spte=i,
                   text=f"guest writes via TLB entry for {sn}{page} (cached W=1, D=1)",
                   kernel=SDM)

            if w.sptes[i].splits:
                _add_split_assist(w, a, v, i, k, off, poff)
                continue

            def e_assist(o: Ops[Any, Any], st: St, i: int = i, off: Any = off,
                         poff: Any = poff) -> Upd:
                s = st[w.s(i)]
                upd = w.store(o, st, i, o.set_bits(s, L.dirty), kind="cpu", ctx="none")
                upd[w.tlb(v, i, "d")] = o.true()
                upd.update(_record_write(w, o, st, off(o, tlb_gfn(o, st, i)),
                                         poff(o, st[w.tlb(v, i, "pfn")])))
                sets_d = o.and_(_hw_ad_on(w, o, s), _pml_on(w, o, s),
                                o.not_(o.test(s, L.dirty)))
                upd.update(_pml_log(w, o, st, off(o, tlb_gfn(o, st, i)), sets_d))
                return upd

            a.step("start", "start", f"write_assist.s{i}{at}", guard=g_assist,
                   effect=e_assist, spte=i, kernel=SDM,
                   text=f"guest writes via TLB entry for {sn}{page} (cached D=0): CPU sets "
                        f"D in {sn}")

        if recheck and not w.sptes[i].splits:
            def g_afault(o: Ops[Any, Any], st: St, i: int = i) -> Value:
                return o.and_(st[w.tlb(v, i, "valid")], st[w.tlb(v, i, "w")],
                              o.not_(st[w.tlb(v, i, "d")]),
                              o.not_(P.is_shadow_present_pte(o, L, st[w.s(i)])))

            def e_afault(o: Ops[Any, Any], st: St, i: int = i) -> Upd:
                return w.tlb_invalidate(o, v, i)

            a.step("start", "start", f"assist_fault.s{i}", guard=g_afault, effect=e_afault,
                   spte=i, kernel=SDM,
                   text=f"D assist finds {sn} not present: TLB entry dropped, fault")

        if w.hw.tlb_drops:
            def g_drop(o: Ops[Any, Any], st: St, i: int = i) -> Value:
                return st[w.tlb(v, i, "valid")]

            def e_drop(o: Ops[Any, Any], st: St, i: int = i) -> Upd:
                return w.tlb_invalidate(o, v, i)

            a.step("start", "start", f"tlb_drop.s{i}", guard=g_drop, effect=e_drop, spte=i,
                   text=f"TLB drops the entry for {sn}", kernel=SDM)

    if w.has_parents and w.hw.paging_structure_cache and w.hw.tlb_drops:
        def g_pdrop(o: Ops[Any, Any], st: St) -> Value:
            return st[w.psc(v)]

        def e_pdrop(o: Ops[Any, Any], st: St) -> Upd:
            return {w.psc(v): o.false()}

        a.step("start", "start", "psc_drop", guard=g_pdrop, effect=e_pdrop,
               text="paging-structure cache drops the parent entry", kernel=SDM)


def _add_split_assist(w: World, a: Any, v: int, i: int, k: int, off: Any, poff: Any) -> None:
    """The D assist through vCPU v's TLB entry for 4K page k of a splittable huge leaf i:
    the CPU re-walks the paging structures to set D (what the kernel's "the translation
    is the same either way" relies on), so once a split has linked the new table, D goes
    into the child of page k, not into the non-leaf SPTE.  With ``d_assist_recheck`` a
    walk that finds no present leaf faults and drops the entry."""
    L = w.L
    sn = w.s(i)
    c = w.children(i)[k]
    cn = w.s(c)

    def targets(o: Ops[Any, Any], st: St) -> tuple[Value, Value, Value]:
        s0, sc = st[sn], st[cn]
        leaf = w.is_leaf_now(o, i, s0)
        on_huge = o.and_(P.is_shadow_present_pte(o, L, s0), leaf)
        on_child = o.and_(P.is_shadow_present_pte(o, L, s0), o.not_(leaf),
                          P.is_shadow_present_pte(o, L, sc))
        return leaf, on_huge, on_child

    def base(o: Ops[Any, Any], st: St) -> Value:
        return o.and_(st[w.tlb(v, i, "valid")], st[w.tlb(v, i, "w")],
                      o.not_(st[w.tlb(v, i, "d")]))

    def g_assist(o: Ops[Any, Any], st: St) -> Value:
        if not w.hw.d_assist_recheck:
            return base(o, st)
        _, on_huge, on_child = targets(o, st)
        return o.and_(base(o, st), o.or_(on_huge, on_child))

    def e_assist(o: Ops[Any, Any], st: St) -> Upd:
        s0, sc = st[sn], st[cn]
        leaf, _, _ = targets(o, st)
        upd = w.store(o, st, i, o.ite(leaf, o.set_bits(s0, L.dirty), s0), kind="cpu",
                      ctx="none")
        more = w.store(o, st, c, o.ite(leaf, sc, o.set_bits(sc, L.dirty)), kind="cpu",
                       ctx="none")
        for ghost in ("bad.lock", "bad.hostw"):
            more[ghost] = o.or_(upd[ghost], more[ghost])
        upd.update(more)
        # the walk that found the child fills a 4K entry for it in place of the huge one
        keep = {w.tlb(v, i, "d"): o.true()}
        inv = w.tlb_invalidate(o, v, i)
        fill = _fill(w, o, st, v, c, o.set_bits(sc, L.dirty), o.true(), o.true())
        for key in {**keep, **inv, **fill}:
            now = keep.get(key, st[key])
            then = inv.get(key, fill.get(key, st[key]))
            bv = key.endswith((".pfn", ".gfn"))
            upd[key] = o.ite(leaf, now, then) if bv else o.ite_b(leaf, now, then)
        gfn = off(o, w.gfn_of(o, st, i))
        upd.update(_record_write(w, o, st, gfn, poff(o, st[w.tlb(v, i, "pfn")])))
        target = o.ite(leaf, s0, sc)
        sets_d = o.and_(_hw_ad_on(w, o, target), _pml_on(w, o, target),
                        o.not_(o.test(target, L.dirty)))
        upd.update(_pml_log(w, o, st, gfn, sets_d))
        return upd

    a.step("start", "start", f"write_assist.s{i}.p{k}", guard=g_assist, effect=e_assist,
           spte=i, kernel=SDM,
           text=f"guest writes via TLB entry for {sn} (4K page {k} of the huge page, cached "
                f"D=0): CPU walks and sets D in {sn}, or, once {sn} points to the new "
                f"table, in {cn} (and caches {cn} in place of the huge entry)")
    if not w.hw.d_assist_recheck:
        return

    def g_afault(o: Ops[Any, Any], st: St) -> Value:
        _, on_huge, on_child = targets(o, st)
        return o.and_(base(o, st), o.not_(o.or_(on_huge, on_child)))

    a.step("start", "start", f"assist_fault.s{i}.p{k}", guard=g_afault, spte=i,
           effect=lambda o, st: w.tlb_invalidate(o, v, i), kernel=SDM,
           text=f"D assist finds no present leaf for 4K page {k} of {sn}: TLB entry "
                "dropped, fault")
