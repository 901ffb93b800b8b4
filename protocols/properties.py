"""The properties of primer §5, as bad-state formulas over a World's state and ghosts.

* ``no-stale-tlb``: once a write-protect operation has returned (with the flush it and its
  caller owe), no TLB entry that was writable when its store took effect is still live.
* ``dirty-log``: no lost dirty bit, dirty-log face (and the right gfn, R1): in a quiescent
  state every guest write to a dirty-logged gfn since its last harvest is in the log.
* ``host-dirty``: no lost dirty bit, host face: in a quiescent state every written pfn is
  dirty for the host, or still dirty in a present SPTE that maps it (V-MID propagates D
  at zap; V-613+ marks the page dirty at fault-in).
* ``spte-invariant``: every present leaf satisfies the writable invariant; a frozen SPTE
  is never present; host-writable never changes on a present SPTE.
* ``accessed``: (where the version promises it: V-OLD, V-MID, and every version without
  A/D bits, :func:`promises_accessed`) an aging pass does not
  report "old" after a guest walk accessed the SPTE since the previous pass cleared A,
  unless the host page was marked accessed (``kvm_set_pfn_accessed``) meanwhile.
* ``no-stale-translation``: in a quiescent state every live TLB entry maps what its
  SPTE maps now (the SPTE is present, with the entry's pfn and, for an indirect SPTE,
  its gfn), and every live paging-structure cache entry caches a present parent: after
  an operation that changed or removed a mapping has returned with the flush it owes, no
  vCPU can reach a pfn the SPTE no longer maps (use after free of the old page).
* ``zap-leaves-nothing``: once a zap has returned (with its flush), while the zapped
  SPTE is still not present, no vCPU holds a TLB entry for it, nor a paging-structure
  cache entry for a zapped parent (no new entry can be filled from a non-present SPTE,
  so any such entry predates the zap).
* ``write-tracking``: once shadow-page write tracking of a gfn has returned, no guest
  write to it can succeed: its SPTE is not writable and no vCPU holds a writable TLB
  entry for it.
* ``freed-table-empty``: once ``handle_removed_pt`` has processed an entry of a page
  table it removes (the table then goes to ``call_rcu``), that entry is never present
  again: no mapping is installed into, or left in, a freed table (:func:`_freed_table_empty`).
* ``lock-discipline`` (a *rule check*, not a consequence): no plain store to an SPTE that
  needs an atomic update **by the variant's own rule** under the write lock; nothing but
  cmpxchg / atomic writers outside it; a store the code makes "under mmu_lock" really is.

Every property but ``lock-discipline`` is a *consequence*: a variant that breaks none of
them is safe on the modelled scenarios, whatever its rules say (:data:`KINDS`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from verify import spte as P
from verify.errors import InputError
from verify.expr import Ops
from verify.layouts import AD_DISABLED, Layout
from verify.model import Property, St

from .world import Value, World

SUMMARIES = {
    "no-stale-tlb": "no stale writable TLB entry after write-protect + flush",
    "dirty-log": "no lost dirty bit (dirty-log face): every write is logged under its gfn",
    "host-dirty": "no lost dirty bit (host face): every written pfn is known dirty",
    "spte-invariant": "writable invariant and well-formedness of every SPTE",
    "lock-discipline": "atomic writes where the variant's own lock rules require them "
                       "(rule check)",
    "accessed": "no lost accessed information between two aging passes (V-OLD, V-MID only)",
    "no-stale-translation": "no TLB or paging-structure entry maps a pfn its SPTE no longer "
                            "maps once the change has returned",
    "zap-leaves-nothing": "after a zap and its flush return, no vCPU holds an entry for the "
                          "zapped SPTE",
    "write-tracking": "once a gfn is write-tracked, no guest write to it succeeds",
    "freed-table-empty": "once handle_removed_pt has processed an entry of a removed page "
                         "table (handed to call_rcu), the entry is never present again",
}


KINDS = {name: ("rule" if name == "lock-discipline" else "consequence") for name in SUMMARIES}
"""Which properties are consequences and which are rule checks."""


def _no_stale(w: World) -> Property:
    def bad(o: Ops[Any, Any], st: St) -> Value:
        terms = []
        for op in w.wp_ops:
            returned = w.mb.at(o, st, w.wp_actor[op], "done")
            live = [o.and_(st[w.stale(op, v, i)], st[w.tlb(v, i, "valid")], st[w.tlb(v, i, "w")])
                    for v in range(w.vcpus) for i in w.leaves()]
            terms.append(o.and_(returned, o.any_of(live)))
        return o.any_of(terms)
    return Property("no-stale-tlb", SUMMARIES["no-stale-tlb"], bad)


def _dirty_log(w: World) -> Property:
    def bad(o: Ops[Any, Any], st: St) -> Value:
        return o.any_of([o.and_(st[w.written(g)], o.not_(st[w.dlog(g)]))
                         for g in w.gfns if g in w.logged_gfns])
    return Property("dirty-log", SUMMARIES["dirty-log"], bad, quiescent=True)


def _host_dirty(w: World) -> Property:
    L = w.L

    def bad(o: Ops[Any, Any], st: St) -> Value:
        terms = []
        for p in w.pfns:
            held = [o.and_(P.is_shadow_present_pte(o, L, st[w.s(i)]),
                           *_leaf_now(o, w, i, st[w.s(i)]),
                           w.maps_pfn(o, st[w.s(i)], i, p),
                           P.is_dirty_spte(o, L, st[w.s(i)]))
                    for i in w.leaves()]
            terms.append(o.and_(st[w.hwritten(p)], o.not_(st[w.pfn_dirty(p)]),
                                o.not_(o.any_of(held))))
        return o.any_of(terms)
    return Property("host-dirty", SUMMARIES["host-dirty"], bad, quiescent=True)


def _invariant(w: World) -> Property:
    L = w.L

    def bad(o: Ops[Any, Any], st: St) -> Value:
        terms = [st["bad.hostw"]]
        for i in w.leaves():
            s = st[w.s(i)]
            terms.append(o.and_(P.is_shadow_present_pte(o, L, s), *_leaf_now(o, w, i, s),
                                o.not_(P.writable_invariant(o, L, s))))
            terms.append(o.and_(P.is_frozen_spte(o, L, s), P.is_shadow_present_pte(o, L, s)))
        return o.any_of(terms)
    return Property("spte-invariant", SUMMARIES["spte-invariant"], bad)


def _lock(w: World) -> Property:
    return Property("lock-discipline", SUMMARIES["lock-discipline"],
                    lambda o, st: st["bad.lock"], kind="rule")


def _accessed(w: World) -> Property:
    return Property("accessed", SUMMARIES["accessed"], lambda o, st: st["bad.age"])


def _leaf_now(o: Ops[Any, Any], w: World, i: int, s: Value) -> list[Value]:
    """A leaf's properties hold of SPTE i only while it is a leaf (a test only where a
    split can make it a non-leaf)."""
    return [w.is_leaf_now(o, i, s)] if w.level_changes(i) else []


def _tlb_consistent(o: Ops[Any, Any], w: World, st: St, v: int, i: int) -> Value:
    """vCPU v's TLB entry for SPTE i, if live, maps what SPTE i maps now (for a split
    huge leaf: what its children map, page by page)."""
    L = w.L
    s = st[w.s(i)]
    same = [P.is_shadow_present_pte(o, L, s),
            o.eq(P.spte_to_pfn(o, L, s), st[w.tlb(v, i, "pfn")])]
    if not w.sptes[i].direct:
        same.append(o.eq(st[w.sgfn(i)], st[w.tlb(v, i, "gfn")]))
    if w.sptes[i].collapses:
        same.append(w.is_leaf_now(o, i, s))
    if w.sptes[i].splits:
        pfn = st[w.tlb(v, i, "pfn")]
        split = [P.is_shadow_present_pte(o, L, s), o.not_(w.is_leaf_now(o, i, s))]
        for k, c in enumerate(w.children(i)):
            sc = st[w.s(c)]
            split += [P.is_shadow_present_pte(o, L, sc),
                      o.eq(P.spte_to_pfn(o, L, sc), o.add(pfn, o.lit(k)) if k else pfn)]
        return o.or_(o.not_(st[w.tlb(v, i, "valid")]),
                     o.and_(w.is_leaf_now(o, i, s), *same), o.all_of(split))
    return o.or_(o.not_(st[w.tlb(v, i, "valid")]), o.all_of(same))


def _table_gone(o: Ops[Any, Any], w: World, st: St, p: int) -> Value:
    """The page table under SPTE p is gone: p is not present or (where a recovery can
    replace it by a huge leaf, ``SpteDecl.collapses``) no longer a non-leaf."""
    s = st[w.s(p)]
    gone = o.not_(P.is_shadow_present_pte(o, w.L, s))
    return o.or_(gone, w.is_leaf_now(o, p, s)) if w.sptes[p].collapses else gone


def _no_stale_translation(w: World) -> Property:
    parents = sorted({d.parent for d in w.sptes if d.parent is not None})

    def bad(o: Ops[Any, Any], st: St) -> Value:
        terms = [o.not_(_tlb_consistent(o, w, st, v, i))
                 for v in range(w.vcpus) for i in w.leaves()]
        for p in parents:
            terms += [o.and_(st[w.psc(v)], _table_gone(o, w, st, p)) for v in range(w.vcpus)]
        return o.any_of(terms)
    return Property("no-stale-translation", SUMMARIES["no-stale-translation"], bad,
                    quiescent=True)


def _zap_leaves_nothing(w: World) -> Property:
    L = w.L

    def bad(o: Ops[Any, Any], st: St) -> Value:
        terms = []
        for actor, labels, sptes, parent in w.unmap_ops:
            returned = o.any_of([w.mb.at(o, st, actor, lab) for lab in labels])
            cached = [o.and_(o.not_(P.is_shadow_present_pte(o, L, st[w.s(i)])),
                             st[w.tlb(v, i, "valid")])
                      for v in range(w.vcpus) for i in sptes]
            if parent is not None:
                gone = _table_gone(o, w, st, parent)
                cached += [o.and_(gone, st[w.psc(v)]) for v in range(w.vcpus)]
            terms.append(o.and_(returned, o.any_of(cached)))
        return o.any_of(terms)
    return Property("zap-leaves-nothing", SUMMARIES["zap-leaves-nothing"], bad)


def _write_tracking(w: World) -> Property:
    L = w.L

    def bad(o: Ops[Any, Any], st: St) -> Value:
        terms = []
        for actor, i in w.wrtrack_ops:
            s = st[w.s(i)]
            # a 2M entry a recovery may make huge maps the gfn only while it is a leaf
            writable = [o.and_(P.is_writable_pte(o, L, s), w.is_leaf_now(o, i, s))
                        if w.level_changes(i) else P.is_writable_pte(o, L, s)]
            writable += [o.and_(st[w.tlb(v, i, "valid")], st[w.tlb(v, i, "w")])
                         for v in range(w.vcpus)]
            terms.append(o.and_(w.mb.at(o, st, actor, "done"), o.any_of(writable)))
        return o.any_of(terms)
    return Property("write-tracking", SUMMARIES["write-tracking"], bad)


def _freed_table_empty(w: World) -> Property:
    """An entry of a page table that ``handle_removed_pt`` has processed (the table is
    unlinked: its parent SPTE is not present, frozen, or a huge leaf now) is not
    shadow-present, except in the remover's own window between the unlink and its
    processing of that entry.  The kernel's intent: the shared path sets each child "to a
    nonpresent value that other threads will not overwrite" (the xchg loop), the caller of
    ``tdp_mmu_set_spte_atomic`` "is responsible for ensuring the old SPTE is not a
    REMOVED SPTE" (the TDP fault's back-off), the exclusive path's "exclusive ownership of
    mmu_lock ensures the SPTE can't be made present"; then the table goes to
    ``call_rcu``.  A present entry there maps a pfn through a freed page: nothing ever
    runs ``handle_changed_spte`` on it (its dirty / accessed state is never pushed to the
    page, the page stats never drop it) and a vCPU still walking the table (before the
    flush) reaches the pfn through freed memory."""
    L = w.L

    removers: dict[int, list[tuple[str, dict[int, tuple[str, ...]]]]] = {}
    for actor, parent, windows in w.removed_tables:
        removers.setdefault(parent, []).append((actor, windows))

    def bad(o: Ops[Any, Any], st: St) -> Value:
        terms = []
        for actor, parent, windows in w.removed_tables:
            if len(removers[parent]) > 1:
                continue
            gone = _table_gone(o, w, st, parent)
            for i, labels in windows.items():
                pending = o.any_of([w.mb.at(o, st, actor, lab) for lab in labels])
                terms.append(o.and_(gone, P.is_shadow_present_pte(o, L, st[w.s(i)]),
                                    o.not_(pending)))
        # a table two operations may remove (whichever's cmpxchg wins processes it): a
        # child is pending while either remover is in its window
        for parent, rs in removers.items():
            if len(rs) < 2:
                continue
            gone = _table_gone(o, w, st, parent)
            for i in rs[0][1]:
                pending = o.any_of([w.mb.at(o, st, actor, lab)
                                    for actor, windows in rs for lab in windows[i]])
                terms.append(o.and_(gone, P.is_shadow_present_pte(o, L, st[w.s(i)]),
                                    o.not_(pending)))
        return o.any_of(terms)

    def explain(o: Ops[Any, Any], st: St) -> str:
        for actor, parent, windows in w.removed_tables:
            for i in windows:
                s = st[w.s(i)]
                if bool(P.is_shadow_present_pte(o, L, s)) and \
                        bool(_table_gone(o, w, st, parent)) and \
                        not any(bool(w.mb.at(o, st, act, lab))
                                for act, win in removers[parent] for lab in win[i]):
                    return (f"{w.s(i)} = {int(s):#x} is present in the page table that "
                            f"{actor} unlinked from {w.s(parent)}, after handle_removed_pt "
                            "processed it and handed the table to call_rcu: a mapping in a "
                            "freed page table, on which handle_changed_spte never runs.")
        return "a present entry in a removed page table."

    return Property("freed-table-empty", SUMMARIES["freed-table-empty"], bad, explain=explain)


def promises_accessed(L: Layout) -> bool:
    """Where the version promises that accessed information is not lost: V-OLD/V-MID
    everywhere (A is volatile, or pushed to the page by kvm_set_pfn_accessed); V-613+
    only without A/D bits (``ept-noad``), where "accessed" is "not access-tracked": the
    A bit of an A/D-enabled SPTE may be lost by design from v6.13 (A is no longer
    volatile), but an access-tracked SPTE stays volatile in every version
    (``spte_has_volatile_bits`` / ``spte_needs_atomic_update``: ``is_access_track_spte``),
    so a plain store never undoes fast page fault's restore."""
    return L.promises_accessed or L.ad_mode == AD_DISABLED


Maker = Callable[[World], "Property | None"]

MAKERS: dict[str, Maker] = {
    "no-stale-tlb": lambda w: _no_stale(w) if w.wp_ops else None,
    "dirty-log": lambda w: _dirty_log(w) if any(g in w.logged_gfns for g in w.gfns) else None,
    "host-dirty": _host_dirty,
    "spte-invariant": _invariant,
    "lock-discipline": _lock,
    "accessed": lambda w: _accessed(w) if w.accessed_tracked and promises_accessed(w.L) else None,
    "no-stale-translation": _no_stale_translation,
    "zap-leaves-nothing": lambda w: _zap_leaves_nothing(w) if w.unmap_ops else None,
    "write-tracking": lambda w: _write_tracking(w) if w.wrtrack_ops else None,
    "freed-table-empty": lambda w: _freed_table_empty(w) if w.removed_tables else None,
}
"""Each property's maker: a Property for the world, or None where it does not apply."""


def register_property(name: str, summary: str, maker: Maker, kind: str = "consequence") -> None:
    """Add a property to every scenario it applies to (``maker`` returns None where it
    does not): the hook of ``verify.api.register_property``."""
    if name in MAKERS:
        raise InputError(f"property {name!r} is already defined")
    if kind not in ("consequence", "rule"):
        raise InputError(f"property {name!r}: kind must be 'consequence' or 'rule'")
    def make(w: World) -> Property | None:
        p = maker(w)
        return dataclasses.replace(p, kind=kind) if p is not None else None

    MAKERS[name] = make
    SUMMARIES[name] = summary
    KINDS[name] = kind


def add_properties(w: World, names: list[str] | None = None) -> None:
    for n in names or list(MAKERS):
        p = MAKERS[n](w)
        if p is not None:
            w.mb.add_property(p)
