"""TDP MMU (tdp_mmu.c / tdp_iter.h) operations where they differ from the shadow MMU.

``add_zap_page_table``: zapping a non-leaf SPTE under the write lock
(``tdp_mmu_set_spte`` of the parent → ``handle_changed_spte`` → ``handle_removed_pt``):
the parent is cleared, then each child leaf is read and frozen with
``kvm_tdp_mmu_write_spte`` — xchg if ``kvm_tdp_mmu_spte_need_atomic_update``, else a plain
store — and ``handle_changed_spte`` propagates a dirty old value to the pfn (V-MID), then
the TLBs are flushed.  The exclusive path's comment in the kernel names R5: a fast fault
that walked before the zap, and an A/D assist through a cached upper-level entry, can
still set W and D in the child (docs/kernel-notes.md §3.8).

``add_zap_spte_atomic``: the frozen-SPTE protocol under mmu_lock held for **read**
(``tdp_mmu_zap_spte_atomic``, V-MID: its caller ``zap_collapsible_spte_range`` zaps a
page table so that a huge page can replace it): cmpxchg the parent to REMOVED_SPTE,
then ``handle_removed_pt``'s shared path (each child ``xchg``'d to REMOVED_SPTE until the
old value is not frozen, ``handle_changed_spte`` on it), ``kvm_flush_remote_tlbs_gfn``,
then a plain write of 0 to the parent.  Where a scenario has such an actor
(``World.enable_frozen_spte``), ``add_tdp_map`` walks the parent and backs off
(RET_PF_RETRY) on a frozen SPTE at either level, as ``kvm_tdp_mmu_map`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from verify import spte as P
from verify.decode import frozen_name
from verify.errors import InputError
from verify.expr import CONCRETE as _C
from verify.expr import Ops
from verify.layouts import AD_ENABLED, Layout
from verify.model import Effect, St

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


READ_AT = {"V-MID": "alvinsun039/linux-torvalds@075a76cde590 (M4)",
           "V-613": "Kingxukai/linux@0291023e7330 (N1; M4 reads the same)",
           "V-NEW": "Kingxukai/linux@0291023e7330 (N1)"}
"""Where the split and the leaf re-check were read (docs/kernel-notes.md §0, §3.8)."""


def _ks(fn: str, w: World) -> str:
    """A kernel reference with the tree it was read in (split paths, v5.18+)."""
    return f"{fn}() {TDP_C} @ {w.L.tag}, read at {READ_AT.get(w.L.version, '-')}"


FROZEN_READ_AT = {"V-MID": "alvinsun039/linux-torvalds@075a76cde5904710206609993c8f5c02869f08a7",
                  "V-NEW": "Kingxukai/linux@0291023e7330da28f2f7453c87c2ab7082d8360f"}
"""Where tdp_mmu.c was read for the frozen-SPTE steps (docs/kernel-notes.md §0: M4, N1)."""


def _kc(fn: str, w: World) -> str:
    """``_k`` with the commit the frozen-SPTE steps were read at, where there is one."""
    at = FROZEN_READ_AT.get(w.L.version)
    return _k(fn, w) + (f" (read at {at})" if at else "")


def _nonpresent_name(L: Layout) -> str:
    """What the version writes to zap: SHADOW_NONPRESENT_VALUE (BIT(63), v6.10+) or 0."""
    return "SHADOW_NONPRESENT_VALUE" if L.nonpresent_value else "0"


def add_zap_page_table(w: World, parent: int, name: str = "zap_pt") -> None:
    L = w.L
    pn = w.s(parent)
    children = w.children(parent)
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
    w.register_removed_table(a.name, parent, _windows(children, True))
    last = f"c{len(children)}"
    flush_site(w, a, S.ZAPPT_FLUSH, last, "flushed", "done",
               unlock=lambda src, dst: unlock_write(w, a, src, dst, site=S.ZAPPT_LOCK))


def add_zap_spte_atomic(w: World, parent: int, name: str = "zapat",
                        attempts: int = 2) -> None:
    """``tdp_mmu_zap_spte_atomic`` of the non-leaf SPTE ``parent`` (M4 tdp_mmu.c, V-MID),
    as ``zap_collapsible_spte_range`` calls it with mmu_lock held for read: read the
    SPTE (skip it if not present); ``tdp_mmu_set_spte_atomic(REMOVED_SPTE)`` (cmpxchg; on
    failure ``old_spte`` is refreshed and the caller retries — here at most ``attempts``
    times, a retry beyond blocks); ``handle_changed_spte`` → ``handle_removed_pt(shared)``:
    each child ``old = xchg(child, REMOVED_SPTE)`` until ``old`` is not frozen, then
    ``handle_changed_spte(old, REMOVED_SPTE)`` (``kvm_set_pfn_dirty/accessed``);
    ``kvm_flush_remote_tlbs_gfn``; ``__kvm_tdp_mmu_write_spte(sptep, 0)``; read_unlock."""
    L = w.L
    if not L.tdp_zap_spte_atomic or not L.has_frozen:
        raise InputError(f"{L.version} has no tdp_mmu_zap_spte_atomic (only V-MID: v5.13 to "
                         "v6.12)")
    pn = w.s(parent)
    frozen = L.frozen_value
    children = w.children(parent)
    a = w.mb.actor(name, "host", f"CPU ({name}: zap collapsible SPTEs)")
    a.idle_at("done")
    if not w.sptes[parent].collapses:
        # where a fault at 2M may remove the table instead (SpteDecl.collapses), the zap
        # can return having zapped nothing while that removal's flush is still owed: the
        # per-operation zap-leaves-nothing does not apply; no-stale-translation and
        # freed-table-empty check both removers
        w.register_unmap_op(a.name, ("done",), tuple(children), parent)
    old = a.var("old", 64)
    tries = a.var("tries", 4, 0)
    _read_lock(w, a, "start", "locked", S.ZAPAT_LOCK)
    fn = "zap_collapsible_spte_range"
    a.step("locked", "read", "read", spte=parent, effect=lambda o, st: {old: st[pn]},
           text=f"iter.old_spte = kvm_tdp_mmu_read_spte({pn})", kernel=_kc(fn, w))
    a.step("read", "cleared", "skip", spte=parent,
           guard=lambda o, st: o.not_(P.is_shadow_present_pte(o, L, st[old])),
           text=f"{pn} not present: continue", kernel=_kc(fn, w))
    cx = w.site(S.ZAPAT_FREEZE) == "cmpxchg"
    # where a fault at 2M may replace the table by a huge leaf (SpteDecl.collapses):
    # "Don't zap leaf SPTEs" (is_last_spte: continue)
    collapses = w.sptes[parent].collapses
    if collapses:
        a.step("read", "cleared", "skip_leaf", spte=parent,
               guard=lambda o, st: o.and_(P.is_shadow_present_pte(o, L, st[old]),
                                          w.is_leaf_now(o, parent, st[old])),
               text=f"{pn} is a leaf (is_last_spte): continue", kernel=_kc(fn, w))

    def present(o: Ops[Any, Any], st: St) -> Value:
        if collapses:
            return o.and_(P.is_shadow_present_pte(o, L, st[old]),
                          o.not_(w.is_leaf_now(o, parent, st[old])))
        return P.is_shadow_present_pte(o, L, st[old])

    a.step("read", "c0", "freeze", spte=parent,
           guard=lambda o, st: o.and_(present(o, st), o.eq(st[pn], st[old]) if cx else o.true()),
           effect=lambda o, st: w.store(o, st, parent, o.lit(frozen),
                                        kind="cmpxchg" if cx else "plain", ctx="read"),
           text=(f"tdp_mmu_set_spte_atomic({pn}, REMOVED_SPTE) (cmpxchg) succeeds" if cx else
                 f"WRITE_ONCE(*{pn}, REMOVED_SPTE) (site {S.ZAPAT_FREEZE}: plain)"),
           kernel=_kc("tdp_mmu_zap_spte_atomic", w))
    a.step("read", "read", "freeze_fail", spte=parent,
           guard=lambda o, st: o.and_(o.boolean(cx), present(o, st), o.ne(st[pn], st[old]),
                                      o.ult(st[tries], o.lit(attempts - 1, 4))),
           effect=lambda o, st: {old: st[pn], tries: o.add(st[tries], o.lit(1, 4))},
           text=f"cmpxchg on {pn} fails: -EBUSY, old_spte refreshed: goto retry",
           kernel=_kc(fn, w))
    last = _remove_table_shared(w, a, parent, children)
    if w.site(S.ZAPAT_FLUSH) == "absent":
        a.step(last, "flushed", "flush_absent",
               text=f"(no kvm_flush_remote_tlbs_gfn: site {S.ZAPAT_FLUSH} absent)",
               kernel=_kc("tdp_mmu_zap_spte_atomic", w))
    else:
        a.step(last, "flushed", "flush", effect=lambda o, st: w.flush_all(o),
               text=f"kvm_flush_remote_tlbs_gfn(kvm, gfn of {pn}, level)",
               kernel=_kc("tdp_mmu_zap_spte_atomic", w))
    a.step("flushed", "cleared", "clear", spte=parent,
           effect=lambda o, st: w.store(o, st, parent, o.lit(L.nonpresent_value), kind="plain",
                                        ctx="read"),
           text=f"__kvm_tdp_mmu_write_spte({pn}, 0) (plain: nobody else writes REMOVED_SPTE)",
           kernel=_kc("tdp_mmu_zap_spte_atomic", w))
    _read_unlock(w, a, "cleared", "done", S.ZAPAT_LOCK)


def _windows(children: list[int], reads: bool) -> dict[int, tuple[str, ...]]:
    """``handle_removed_pt``'s loop, built as labels ``c<n>`` (before child n) and, where
    the child is read before its store, ``c<n>.read``: for each child, the labels from
    the unlink (``c0``) up to its processing, where it may still change."""
    out: dict[int, tuple[str, ...]] = {}
    for n, i in enumerate(children):
        labels = [f"c{m}" for m in range(n + 1)]
        if reads:
            labels += [f"c{m}.read" for m in range(n + 1)]
        out[i] = tuple(labels)
    return out


def _remove_table_shared(w: World, a: Any, parent: int, children: list[int]) -> str:
    """``handle_removed_pt(shared=true)`` on the table under ``parent``: each child frozen
    in turn (:func:`_freeze_shared`, xchg or, per the site, read + plain store), the table
    registered as removed (``freed-table-empty``); returns the label after the last."""
    xchg = w.site(S.REMOVED_PT_FREEZE_SHARED) == "xchg"
    for n, i in enumerate(children):
        _freeze_shared(w, a, n, i, xchg)
    w.register_removed_table(a.name, parent, _windows(children, not xchg))
    return f"c{len(children)}"


def _freeze_shared(w: World, a: Any, n: int, i: int, xchg: bool) -> None:
    """``handle_removed_pt(shared=true)`` on child ``n`` (SPTE ``i``): ``old =
    xchg(child, REMOVED_SPTE)`` until ``old`` is not frozen, then
    ``handle_changed_spte(old, REMOVED_SPTE)``; with the site's ``plain`` alternative a
    read and a ``WRITE_ONCE`` instead (what the loop exists to avoid)."""
    L = w.L
    frozen = L.frozen_value
    cn = w.s(i)
    cur, nxt = f"c{n}", f"c{n + 1}"
    kernel = _kc("handle_removed_pt", w)
    fz = frozen_name(L)

    def is_frozen(o: Ops[Any, Any], v: Value) -> Value:
        return P.is_frozen_spte(o, L, v)

    def freeze(o: Ops[Any, Any], st: St, kind: str, prior: Value) -> Upd:
        upd = w.store(o, st, i, o.lit(frozen), kind=kind, ctx="read")
        # handle_changed_spte(old, REMOVED_SPTE): V-MID pushes D / A to the pfn
        upd.update(w.propagate_ad(o, st, prior, None))
        return upd

    if xchg:
        def e_xchg(o: Ops[Any, Any], st: St) -> Upd:
            # the old value xchg returns is used in this step only (handle_changed_spte)
            return freeze(o, st, "xchg", st[cn])

        def e_again(o: Ops[Any, Any], st: St) -> Upd:
            return w.store(o, st, i, o.lit(frozen), kind="xchg", ctx="read")

        a.step(cur, nxt, f"c{n}.xchg", spte=i, effect=e_xchg, kernel=kernel,
               guard=lambda o, st: o.not_(is_frozen(o, st[cn])),
               text=f"old = kvm_tdp_mmu_write_spte_atomic({cn}, {fz}) (xchg); "
                    f"handle_changed_spte(old, {fz})")
        a.step(cur, cur, f"c{n}.xchg_frozen", spte=i, effect=e_again, kernel=kernel,
               guard=lambda o, st: is_frozen(o, st[cn]),
               text=f"xchg({cn}, {fz}) returned {fz}: cpu_relax(), again")
        return
    rd = f"c{n}.read"
    cold = a.var(f"c{n}.old", 64)
    a.step(cur, rd, f"c{n}.read", spte=i, effect=lambda o, st: {cold: st[cn]},
           text=f"old = READ_ONCE(*{cn})", kernel=kernel)
    def e_store(o: Ops[Any, Any], st: St) -> Upd:
        upd = freeze(o, st, "plain", st[cold])
        upd[cold] = o.lit(0)  # the local is dead after handle_changed_spte
        return upd

    a.step(rd, nxt, f"c{n}.store", spte=i, kernel=kernel, effect=e_store,
           guard=lambda o, st: o.not_(is_frozen(o, st[cold])),
           text=f"WRITE_ONCE(*{cn}, {fz}) (site {S.REMOVED_PT_FREEZE_SHARED}: "
                f"plain); handle_changed_spte(old, {fz})")
    a.step(rd, cur, f"c{n}.read_frozen", spte=i, kernel=kernel,
           guard=lambda o, st: is_frozen(o, st[cold]),
           text=f"{cn} is {fz}: cpu_relax(), again")


def add_tdp_recover(w: World, parent: int, name: str = "recover", attempts: int = 2, *,
                    walk: bool = False) -> None:
    """In-place huge-page recovery (v6.13+, N1 tdp_mmu.c: ``kvm_mmu_recover_huge_pages`` →
    ``kvm_tdp_mmu_recover_huge_pages`` → ``recover_huge_pages_range``) of the non-leaf SPTE
    ``parent`` with mmu_lock held for read: skip it unless present and not a leaf;
    ``tdp_mmu_make_huge_spte``: the first present leaf of its table (children read in gfn
    order; none: ``continue``) gives ``huge = make_huge_spte(child, level)``;
    ``tdp_mmu_set_spte_atomic(parent, huge)`` (cmpxchg; on failure ``old_spte`` is
    refreshed and ``goto retry`` tests it again, here at most ``attempts`` times), whose
    ``handle_changed_spte`` runs ``handle_removed_pt(shared)`` on the old table (each
    child xchg'd to FROZEN_SPTE until not frozen); ``flush = true``; after the walk
    ``if (flush) kvm_flush_remote_tlbs_memslot``, then the caller's read_unlock.  In a
    dirty-logged slot it returns at once (``WARN_ON_ONCE(kvm_slot_dirty_track_enabled)``:
    ``make_huge_spte`` would keep W and writes through the huge page would go unlogged).

    ``walk``: the walk as :func:`add_recover_walk` describes it (the
    ``kvm_mmu_max_mapping_level`` test, ``flush`` as a variable, the next 2M entry of the
    slot with the yield point at the top of its iteration); without it the recovery is the
    one candidate and its end flush, as the scenarios before it were built."""
    L = w.L
    if not L.tdp_recover_in_place:
        raise InputError(f"{L.version} has no in-place huge-page recovery (v6.13+)")
    pn = w.s(parent)
    kids = w.children(parent)
    pages = w.sptes[parent].pages
    a = w.mb.actor(name, "host", f"CPU ({name}: recover huge pages)")
    a.idle_at("done")
    w.register_unmap_op(a.name, ("done",), tuple(kids), parent)
    old = a.var("old", 64)
    huge = a.var("huge", 64)
    tries = a.var("tries", 4, 0)
    fn = "recover_huge_pages_range"
    _read_lock(w, a, "start", "locked", S.RECOVER_LOCK)
    logged = any(g in w.logged_gfns for g in w.sptes[parent].gfn_list())
    if logged and w.site(S.RECOVER_LOGGED) == "present":
        a.step("locked", "scanned", "dirty_logged",
               text="WARN_ON_ONCE(kvm_slot_dirty_track_enabled(slot)): return (no huge page "
                    "is recovered in a dirty-logged slot)", kernel=_kc(fn, w))
        _read_unlock(w, a, "scanned", "done", S.RECOVER_LOCK)
        return
    a.step("locked", "check", "read", spte=parent, effect=lambda o, st: {old: st[pn]},
           text=f"iter.old_spte = kvm_tdp_mmu_read_spte({pn})", kernel=_kc(fn, w))

    def table(o: Ops[Any, Any], st: St) -> Value:
        v = st[old]
        return o.and_(P.is_shadow_present_pte(o, L, v), o.not_(w.is_leaf_now(o, parent, v)))

    end = "n1" if walk else "scanned"
    a.step("check", end, "skip", spte=parent, guard=lambda o, st: o.not_(table(o, st)),
           text=f"{pn} not present or a leaf (is_last_spte): continue", kernel=_kc(fn, w))
    if walk:
        _recover_max_level(w, a, parent, table, end)
    for k, c in enumerate(kids):
        cn = w.s(c)
        src = ("sized" if walk else "check") if k == 0 else f"mk{k}"
        nxt = f"mk{k + 1}" if k + 1 < len(kids) else end
        first = k == 0 and not walk

        def present(o: Ops[Any, Any], st: St, cn: str = cn) -> Value:
            return P.is_shadow_present_pte(o, L, st[cn])

        def g_leaf(o: Ops[Any, Any], st: St, present: Any = present, first: bool = first) -> Value:
            return o.and_(table(o, st), present(o, st)) if first else present(o, st)

        def g_next(o: Ops[Any, Any], st: St, present: Any = present,
                   first: bool = first) -> Value:
            gone = o.not_(present(o, st))
            return o.and_(table(o, st), gone) if first else gone

        def e_huge(o: Ops[Any, Any], st: St, cn: str = cn) -> Upd:
            return {huge: P.make_huge_spte(o, L, st[cn], pages)}

        a.step(src, "built", f"mk{k}.leaf", spte=c, guard=g_leaf, effect=e_huge,
               text=f"tdp_mmu_make_huge_spte: {cn} is the first present leaf: huge_spte = "
                    f"make_huge_spte({cn}, PG_LEVEL_2M)",
               kernel=_kc("tdp_mmu_make_huge_spte", w))
        a.step(src, nxt, f"mk{k}.next", spte=c, guard=g_next,
               text=f"{cn} not present: next leaf"
                    + ("" if nxt != end else " (none: -ENOENT, continue)"),
               kernel=_kc("tdp_mmu_make_huge_spte", w))

    def e_install(o: Ops[Any, Any], st: St) -> Upd:
        upd = w.store(o, st, parent, st[huge], kind="cmpxchg", ctx="read")
        upd[huge] = o.lit(0)  # the local is dead once installed
        return upd

    a.step("built", "c0", "cmpxchg_ok", spte=parent, effect=e_install,
           guard=lambda o, st: o.eq(st[pn], st[old]),
           text=f"tdp_mmu_set_spte_atomic({pn}, huge_spte) (cmpxchg) succeeds; "
                "handle_changed_spte: non-leaf replaced by a leaf: handle_removed_pt(shared)",
           kernel=_kc("tdp_mmu_set_spte_atomic", w))
    a.step("built", "check", "cmpxchg_fail", spte=parent,
           guard=lambda o, st: o.and_(o.ne(st[pn], st[old]),
                                      o.ult(st[tries], o.lit(attempts - 1, 4))),
           effect=lambda o, st: {old: st[pn], huge: o.lit(0),
                                 tries: o.add(st[tries], o.lit(1, 4))},
           text=f"cmpxchg on {pn} fails: old_spte refreshed, goto retry", kernel=_kc(fn, w))
    last = _remove_table_shared(w, a, parent, kids)
    if walk:
        _recover_next_gfn(w, a, last)
        return
    if w.site(S.RECOVER_FLUSH) == "absent":
        a.step(last, "scanned", "flush_absent",
               text=f"(flush = true, but no kvm_flush_remote_tlbs_memslot: site "
                    f"{S.RECOVER_FLUSH} absent)", kernel=_kc(fn, w))
    else:
        a.step(last, "scanned", "flush", effect=lambda o, st: w.flush_all(o),
               text="end of the walk, flush = true: kvm_flush_remote_tlbs_memslot(kvm, slot)",
               kernel=_kc(fn, w))
    _read_unlock(w, a, "scanned", "done", S.RECOVER_LOCK)


def _read_lock(w: World, a: Any, src: str, dst: str, site: str, extra: Effect | None = None,
               tag: str = "") -> None:
    """``read_lock``; ``extra``: more effect of the step (an actor-local reset);
    ``tag``: a prefix of the step's name where an actor takes the lock twice."""
    if w.site(site) == "absent":
        a.step(src, dst, f"{tag}read_lock", text=f"(no read_lock: site {site} absent)",
               effect=extra, kernel=_k("KVM_MMU_LOCK", w, "virt/kvm/kvm_main.c"))
        return

    def e_lock(o: Ops[Any, Any], st: St) -> Upd:
        upd: Upd = {"lock.r": o.add(st["lock.r"], o.lit(1, 2))}
        if extra is not None:
            upd.update(extra(o, st))
        return upd

    a.step(src, dst, f"{tag}read_lock", guard=w.lock_read_guard(), effect=e_lock,
           text="read_lock(&kvm->mmu_lock)", kernel=_k("KVM_MMU_LOCK", w, "virt/kvm/kvm_main.c"))


def _read_unlock(w: World, a: Any, src: str, dst: str, site: str,
                 extra: Effect | None = None, tag: str = "") -> None:
    """``read_unlock``; ``extra``: more effect of the step (the return of an operation);
    ``tag`` as for :func:`_read_lock`."""
    if w.site(site) == "absent":
        a.step(src, dst, f"{tag}read_unlock", text=f"(no read_unlock: site {site} absent)",
               effect=extra, kernel=_k("KVM_MMU_UNLOCK", w, "virt/kvm/kvm_main.c"))
        return

    def e_unlock(o: Ops[Any, Any], st: St) -> Upd:
        upd: Upd = {"lock.r": o.add(st["lock.r"], o.lit(3, 2))}  # -1 mod 4
        if extra is not None:
            upd.update(extra(o, st))
        return upd

    a.step(src, dst, f"{tag}read_unlock", effect=e_unlock,
           text="read_unlock(&kvm->mmu_lock)",
           kernel=_k("KVM_MMU_UNLOCK", w, "virt/kvm/kvm_main.c"))


def add_tdp_wrprot(w: World, i: int, name: str = "wrprot", attempts: int = 3) -> None:
    """Enabling dirty logging on the TDP MMU (``kvm_tdp_mmu_wrprot_slot`` →
    ``wrprot_gfn_range``) under mmu_lock held for **read**: for a present writable leaf,
    ``tdp_mmu_set_spte_atomic`` (cmpxchg) to ``old & ~W`` (MMU-writable kept), retrying
    with the refreshed old value on failure; the caller flushes after dropping the lock
    (``kvm_flush_remote_tlbs_memslot``).  The kernel retries without limit; here a
    retry beyond ``attempts`` blocks (an under-approximation within the bound).

    A splittable huge leaf (``SpteDecl.splits``): the test at ``retry:`` also skips a
    non-leaf (``is_last_spte``), so a huge leaf that a concurrent split replaced is left
    alone after the failed cmpxchg, and the pre-order walk then steps down through the
    (refreshed) non-leaf SPTE to the children, each write-protected the same way."""
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.register_wp_op(name)
    old = a.var("old", 64)
    tries = a.var("tries", 4, 0)
    _read_lock(w, a, "start", "locked", S.WRPROT_LOCK)
    kids = w.children(i) if w.sptes[i].splits else []
    _wrprot_spte(w, a, name, i, ("locked", "read", "wp_done"), "", old, tries, attempts,
                 down="c0" if kids else None)
    for n, c in enumerate(kids):
        nxt = f"c{n + 1}" if n + 1 < len(kids) else "wp_done"
        _wrprot_spte(w, a, name, c, (f"c{n}", f"c{n}.read", nxt), f"c{n}.", old, tries,
                     attempts, down=None)
    # where the dirty log is counted from the enabling of dirty logging, the write-protect
    # arms it as it returns (the caller's flush done: kvm_mmu_slot_apply_flags returns)
    arm = w.arm_log if w.log_from_enabling else None
    flush_site(w, a, S.WRPROT_FLUSH, "wp_done", "unlocked", "done",
               unlock=lambda src, dst: _read_unlock(w, a, src, dst, S.WRPROT_LOCK,
                                                    extra=arm if dst == "done" else None),
               extra=arm)


def _wrprot_spte(w: World, a: Any, name: str, i: int, labels: tuple[str, str, str],
                 prefix: str, old: str, tries: str, attempts: int, down: str | None,
                 bottom: bool = False) -> None:
    """``wrprot_gfn_range``'s loop body on SPTE i: read, skip, cmpxchg, retry.  ``labels``
    = (before the read, after it, the next SPTE); ``down``: where the walk goes after a
    present non-leaf SPTE (its table), for a splittable huge leaf.  ``bottom``: SPTE i
    is at the walk's ``min_level`` (``for_each_tdp_pte_min_level``, as
    ``kvm_mmu_slot_remove_write_access(PG_LEVEL_2M)`` asks under PML): a non-leaf is
    still skipped by the leaf test, but ``try_step_down`` does not go below
    ``min_level`` (``iter->level == iter->min_level``), so the walk goes on to the next
    SPTE, not into the table."""
    if bottom:
        assert down is None
        down = labels[2]
    L = w.L
    sn = w.s(i)
    src, rd, dst = labels
    a.step(src, rd, f"{prefix}read", spte=i, effect=lambda o, st: {old: st[sn]},
           text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn})", kernel=_k("wrprot_gfn_range", w))

    skip_site = w.guard(S.WRPROT_SKIP)

    def skip(o: Ops[Any, Any], st: St) -> Value:
        v = st[old]
        return skip_site(o, v, o.or_(
            o.not_(P.is_shadow_present_pte(o, L, v)), o.not_(P.is_writable_pte(o, L, v))))

    def nonleaf(o: Ops[Any, Any], st: St) -> Value:
        v = st[old]
        return o.and_(P.is_shadow_present_pte(o, L, v), o.not_(w.is_leaf_now(o, i, v)))

    # where the walk goes after this SPTE: (guard, label) pairs; one unless a variant
    # drops the leaf test, when a non-leaf is tested for W too and still stepped into
    after: list[tuple[Any, str, str]] = [(None, dst, "")]
    if down is not None:
        if w.site(S.WRPROT_LEAF) == "present":
            a.step(rd, down, f"{prefix}{'nonleaf' if bottom else 'descend'}", guard=nonleaf,
                   spte=i,
                   text=(f"{sn} is not a leaf (is_last_spte): continue; at min_level the "
                         "walk does not step down (try_step_down)" if bottom else
                         f"{sn} is not a leaf (is_last_spte): continue; the walk steps "
                         "down to its table"), kernel=_ks("wrprot_gfn_range", w))
            after = [(lambda o, st: o.not_(nonleaf(o, st)), dst, "")]
        else:
            after = [(lambda o, st: o.not_(nonleaf(o, st)), dst, ""),
                     (nonleaf, down, "_nonleaf" if bottom else "_down")]

    def when(g: Any, x: Any) -> Any:
        return x if g is None else (lambda o, st: o.and_(g(o, st), x(o, st)))

    cx = w.site(S.WRPROT_CMPXCHG) == "cmpxchg"

    def e_ok(o: Ops[Any, Any], st: St) -> Upd:
        new = o.clear_bits(st[old], L.w)
        upd = w.store(o, st, i, new, kind="cmpxchg" if cx else "plain", ctx="read")
        upd.update(w.mark_stale(o, st, name, i))
        # handle_changed_spte(): before v6.13 a leaf that stops being dirty/accessed
        # pushes that to the pfn (kvm_set_pfn_dirty / kvm_set_pfn_accessed)
        upd.update(w.propagate_ad(o, st, st[old], new, w.sptes[i].pages))
        return upd

    for g, to, tag in after:
        a.step(rd, to, f"{prefix}skip{tag}", guard=when(g, skip), spte=i,
               effect=lambda o, st: w.mark_stale(o, st, name, i),
               text=f"{sn} not present or not writable: skip", kernel=_k("wrprot_gfn_range", w))
        a.step(rd, to, f"{prefix}cmpxchg_ok{tag}", spte=i,
               guard=when(g, lambda o, st: o.and_(o.not_(skip(o, st)),
                                                  o.eq(st[sn], st[old]) if cx else o.true())),
               effect=e_ok, text=f"tdp_mmu_set_spte_atomic({sn}, old & ~PT_WRITABLE_MASK) "
                                 "(cmpxchg) succeeds" if cx else
                                 f"WRITE_ONCE(*{sn}, old & ~PT_WRITABLE_MASK) "
                                 f"(site {S.WRPROT_CMPXCHG}: plain)",
               kernel=_k("tdp_mmu_set_spte_atomic", w))
    a.step(rd, rd, f"{prefix}cmpxchg_fail", spte=i,
           guard=when(after[0][0] if len(after) == 1 else None,
                      lambda o, st: o.and_(o.boolean(cx), o.not_(skip(o, st)),
                                           o.ne(st[sn], st[old]),
                                           o.ult(st[tries], o.lit(attempts - 1, 4)))),
           effect=lambda o, st: {old: st[sn], tries: o.add(st[tries], o.lit(1, 4))},
           text=f"cmpxchg on {sn} fails: old_spte refreshed, retry",
           kernel=_k("wrprot_gfn_range", w))


CLEAR_DIRTY_READ_AT = {
    "V-MID": "tdp_mmu.c alvinsun039/linux-torvalds@075a76cde590 (M4); the caller, "
             "mmu.c, mainline mirror find_string id 20553647089",
    "V-613": "tdp_mmu.c Kingxukai/linux@0291023e7330 (N1; M4 reads the same but for the "
             "return value, which the caller ignores); mmu.c Kingxukai/linux@9b44fff655e2 (N2)",
    "V-NEW": "tdp_mmu.c Kingxukai/linux@0291023e7330 (N1); mmu.c Kingxukai/linux@9b44fff655e2 "
             "(N2)"}
"""Where clear_dirty_gfn_range and its callers were read (docs/kernel-notes.md §3.8)."""


def _kd(fn: str, w: World, file: str = TDP_C) -> str:
    """A kernel reference for the clear-dirty walk, with the trees it was read in."""
    return f"{fn}() {file} @ {w.L.tag}, read at {CLEAR_DIRTY_READ_AT.get(w.L.version, '-')}"


def clear_dirty_bit(L: Layout) -> tuple[int, str]:
    """``dbit`` of ``clear_dirty_gfn_range``: ``PT_WRITABLE_MASK`` if
    ``tdp_mmu_need_write_protect(root)`` (the root's SPTEs are not A/D-enabled: A/D
    disabled or write-protect-only), else ``shadow_dirty_mask``."""
    if L.ad_mode != AD_ENABLED or not L.dirty:
        return L.w, "PT_WRITABLE_MASK"
    return L.dirty, "shadow_dirty_mask"


def add_tdp_clear_dirty(w: World, i: int, name: str = "cleardirty", attempts: int = 2) -> None:
    """Clearing the dirty state of a slot on the TDP MMU (``kvm_mmu_slot_leaf_clear_dirty``
    → ``kvm_tdp_mmu_clear_dirty_slot`` → ``clear_dirty_gfn_range``, as
    ``kvm_mmu_slot_apply_flags`` calls it when dirty logging is enabled with PML) under
    mmu_lock held for **read**: the pre-order walk over every level (``tdp_root_for_each_pte``);
    at ``retry:`` skip an SPTE unless present and a leaf (``is_last_spte``), then unless
    ``dbit`` is set (D, or W where ``tdp_mmu_need_write_protect``);
    ``tdp_mmu_set_spte_atomic`` (cmpxchg) to ``old & ~dbit``; on failure ``old_spte`` is
    refreshed and ``goto retry`` (here at most ``attempts`` tries, a retry beyond blocks).
    A huge leaf a concurrent split replaced is then skipped as a non-leaf and the walk
    steps down (``try_step_down`` on the refreshed ``old_spte``) to its children.
    ``handle_changed_spte``: before v6.13 a leaf that loses D (W where A/D is off) marks
    the pfn dirty.  The flush: V-MID's ``clear_dirty_gfn_range`` returns ``spte_set``
    and V-NEW's returns nothing, but in both ``kvm_mmu_slot_leaf_clear_dirty`` ignores it
    ("The caller will flush the TLBs after this function returns") and
    ``kvm_mmu_slot_apply_flags`` flushes unconditionally (``kvm_flush_remote_tlbs_memslot``)
    after dropping the lock.  In between it write-protects the huge pages
    (``kvm_mmu_slot_remove_write_access(kvm, new, PG_LEVEL_2M)``: the read lock again
    around ``kvm_tdp_mmu_wrprot_slot`` → ``wrprot_gfn_range`` with ``min_level`` 2M), so
    that a write to a huge page faults and is mapped, and logged, at 4K: PML logs a D
    0→1, which a huge SPTE makes once for all its 4K pages.  Modelled where SPTE i is
    huge (``_wrprot_spte(bottom=True)``: the leaf test, no descent to the 4K children);
    the flush and the return (``arm_log``) come after it."""
    L = w.L
    dbit, dname = clear_dirty_bit(L)
    wp = dbit == L.w
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    # the 2M write-protect (a 4K SPTE: its walk from PG_LEVEL_2M visits nothing the model
    # holds): after clear-dirty as the kernel does it, or not at all (R24), or first
    wp2m = w.site(S.CLEARD_WRPROT_2M) if w.sptes[i].level >= 2 else "absent"
    if wp or wp2m != "absent":
        w.register_wp_op(name)
    old = a.var("old", 64)
    tries = a.var("tries", 4, 0)
    start = "start"
    if wp2m == "first":
        _wrprot_huge(w, a, name, i, old, tries, attempts, ("start", "protected"))
        start = "protected"
    _read_lock(w, a, start, "locked", S.CLEARD_LOCK)
    kids = w.children(i) if w.sptes[i].splits else []
    cd = _ClearDirty(w, a, name, old, tries, attempts, dbit, dname, wp)
    cd.spte(i, ("locked", "read", "cd_done"), "", down="c0" if kids else None)
    for n, c in enumerate(kids):
        nxt = f"c{n + 1}" if n + 1 < len(kids) else "cd_done"
        cd.spte(c, (f"c{n}", f"c{n}.read", nxt), f"c{n}.", down=None)
    after = wp2m == "present"
    _read_unlock(w, a, "cd_done", "cleared" if after else "unlocked", S.CLEARD_LOCK)
    if after:
        _wrprot_huge(w, a, name, i, old, tries, attempts, ("cleared", "unlocked"))
    fn = "kvm_mmu_slot_apply_flags"
    last = ("kvm_mmu_slot_remove_write_access" if wp2m == "present" else
            "kvm_mmu_slot_leaf_clear_dirty")
    # where the dirty log is counted from the enabling of dirty logging, clear-dirty arms
    # it as kvm_mmu_slot_apply_flags returns
    if w.site(S.CLEARD_FLUSH) == "absent":
        a.step("unlocked", "done", "flush_absent",
               effect=w.arm_log if w.log_from_enabling else None,
               text=f"(no kvm_flush_remote_tlbs_memslot: site {S.CLEARD_FLUSH} absent)",
               kernel=_kd(fn, w, "arch/x86/kvm/x86.c"))
    else:
        def e_flush(o: Ops[Any, Any], st: St) -> Upd:
            upd = w.flush_all(o)
            upd.update(w.arm_log(o, st))
            return upd

        a.step("unlocked", "done", "flush", effect=e_flush,
               text=f"{last}() returns; the caller flushes unconditionally: "
                    "kvm_flush_remote_tlbs_memslot(kvm, new)",
               kernel=_kd(fn, w, "arch/x86/kvm/x86.c"))


def _wrprot_huge(w: World, a: Any, name: str, i: int, old: str, tries: str, attempts: int,
                 labels: tuple[str, str]) -> None:
    """``kvm_mmu_slot_remove_write_access(kvm, new, PG_LEVEL_2M)`` on the TDP MMU, as
    ``kvm_mmu_slot_apply_flags`` calls it after ``kvm_mmu_slot_leaf_clear_dirty`` under
    PML: ``read_lock``, ``kvm_tdp_mmu_wrprot_slot(kvm, slot, PG_LEVEL_2M)`` →
    ``wrprot_gfn_range`` over the huge SPTE i only (``min_level`` 2M: its 4K children
    are not visited), ``read_unlock``; no flush of its own (the caller's comes after).
    ``labels`` = (before the lock, after the unlock); the retry budget starts anew.  The
    leaf test (``_wrprot_spte(bottom=True)``) where a split can make SPTE i a non-leaf."""
    src, dst = labels
    _read_lock(w, a, src, "wp2m", S.WRPROT_LOCK, tag="wp2m.",
               extra=lambda o, st: {tries: o.lit(0, 4)})
    _wrprot_spte(w, a, name, i, ("wp2m", "wp2m.read", "wp2m_done"), "wp2m.", old, tries,
                 attempts, down=None, bottom=w.sptes[i].splits)
    _read_unlock(w, a, "wp2m_done", dst, S.WRPROT_LOCK, tag="wp2m.")


class _ClearDirty:
    """``clear_dirty_gfn_range``'s loop body, one SPTE at a time."""

    def __init__(self, w: World, a: Any, name: str, old: str, tries: str, attempts: int,
                 dbit: int, dname: str, wp: bool) -> None:
        self.w, self.a, self.name, self.old, self.tries = w, a, name, old, tries
        self.attempts, self.dbit, self.dname, self.wp = attempts, dbit, dname, wp

    def spte(self, i: int, labels: tuple[str, str, str], prefix: str,
             down: str | None) -> None:
        """SPTE i: ``labels`` = (before the read, after it, the next SPTE); ``down``:
        where the walk goes after a present non-leaf (its table), for a splittable huge
        leaf."""
        w, a, old, tries = self.w, self.a, self.old, self.tries
        L = w.L
        sn = w.s(i)
        src, rd, dst = labels
        fn = "clear_dirty_gfn_range"
        dbit, dname = self.dbit, self.dname
        a.step(src, rd, f"{prefix}read", spte=i, effect=lambda o, st: {old: st[sn]},
               text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn})", kernel=_kd(fn, w))
        recheck = w.site(S.CLEARD_LEAF) == "present"

        def nonleaf(o: Ops[Any, Any], st: St) -> Value:
            v = st[old]
            return o.and_(P.is_shadow_present_pte(o, L, v), o.not_(w.is_leaf_now(o, i, v)))

        def absent(o: Ops[Any, Any], st: St) -> Value:
            return o.not_(P.is_shadow_present_pte(o, L, st[old]))

        def clean(o: Ops[Any, Any], st: St) -> Value:
            """Present (a leaf, where the re-check is made) without dbit."""
            g = [o.not_(absent(o, st)), o.not_(o.test(st[old], dbit))]
            return o.and_(*g, o.not_(nonleaf(o, st))) if recheck and down else o.and_(*g)

        def go(o: Ops[Any, Any], st: St) -> Value:
            """Present (a leaf, where the re-check is made) with dbit: the cmpxchg."""
            g = [o.not_(absent(o, st)), o.test(st[old], dbit)]
            return o.and_(*g, o.not_(nonleaf(o, st))) if recheck and down else o.and_(*g)

        def stale(o: Ops[Any, Any], st: St) -> Upd:
            return w.mark_stale(o, st, self.name, i) if self.wp else {}

        # after this SPTE the pre-order walk steps down through a present non-leaf (the
        # refreshed old_spte), else goes on to the next SPTE
        def to_next(o: Ops[Any, Any], st: St) -> Value:
            return o.not_(nonleaf(o, st)) if down else o.true()

        targets: list[tuple[Any, str, str]] = [(to_next, dst, "")]
        if down is not None:
            targets.append((nonleaf, down, "_down"))
            if recheck:
                a.step(rd, down, f"{prefix}descend", guard=nonleaf, spte=i,
                       text=f"{sn} is not a leaf (is_last_spte): continue; the walk steps "
                            "down to its table", kernel=_kd(fn, w))
                targets = [(to_next, dst, "")]
        a.step(rd, dst, f"{prefix}skip_absent", spte=i, guard=absent,
               text=f"{sn} not present: continue", kernel=_kd(fn, w))
        cx = w.site(S.CLEARD_CMPXCHG) == "cmpxchg"

        def e_ok(o: Ops[Any, Any], st: St) -> Upd:
            new = o.clear_bits(st[old], dbit)
            upd = w.store(o, st, i, new, kind="cmpxchg" if cx else "plain", ctx="read")
            upd.update(stale(o, st))
            # handle_changed_spte(): before v6.13 a leaf that stops being dirty marks
            # the pfn dirty (kvm_set_pfn_dirty)
            upd.update(w.propagate_ad(o, st, st[old], new, w.sptes[i].pages))
            return upd

        for g, to, tag in targets:
            def both(o: Ops[Any, Any], st: St, g: Any = g, x: Any = clean) -> Value:
                return o.and_(g(o, st), x(o, st))

            def ok(o: Ops[Any, Any], st: St, g: Any = g) -> Value:
                return o.and_(g(o, st), go(o, st), o.eq(st[sn], st[old]) if cx else o.true())

            a.step(rd, to, f"{prefix}skip_clean{tag}", guard=both, spte=i,
                   effect=stale,
                   text=f"{sn} has no {dname}: continue", kernel=_kd(fn, w))
            a.step(rd, to, f"{prefix}cmpxchg_ok{tag}", spte=i, guard=ok, effect=e_ok,
                   text=(f"tdp_mmu_set_spte_atomic({sn}, old & ~{dname}) (cmpxchg) succeeds"
                         if cx else f"WRITE_ONCE(*{sn}, old & ~{dname}) "
                                    f"(site {S.CLEARD_CMPXCHG}: plain)"),
                   kernel=_kd("tdp_mmu_set_spte_atomic", w))
        if cx:
            a.step(rd, rd, f"{prefix}cmpxchg_fail", spte=i,
                   guard=lambda o, st: o.and_(go(o, st), o.ne(st[sn], st[old]),
                                              o.ult(st[tries], o.lit(self.attempts - 1, 4))),
                   effect=lambda o, st: {old: st[sn], tries: o.add(st[tries], o.lit(1, 4))},
                   text=f"cmpxchg on {sn} fails: old_spte refreshed, goto retry",
                   kernel=_kd(fn, w))


def add_tdp_split(w: World, i: int, name: str = "split", attempts: int = 3) -> None:
    """Eager huge-page split on the TDP MMU (``kvm_mmu_slot_try_split_huge_pages`` →
    ``tdp_mmu_split_huge_pages_root`` → ``tdp_mmu_split_huge_page``, v5.18+) under
    mmu_lock held for **read**: read the huge leaf; skip it unless present and huge;
    fill the new table (not linked yet, so plain stores) with
    ``make_huge_page_split_spte`` of the value read, every child inheriting W, A, D;
    ``tdp_mmu_link_sp`` = ``tdp_mmu_set_spte_atomic`` (cmpxchg) of the huge leaf to
    ``make_nonleaf_spte``; on failure ``old_spte`` is refreshed and the split retried
    (``goto retry``: the test and the fill again).  ``handle_changed_spte`` of the old
    leaf: before v6.13 ``kvm_set_pfn_dirty/accessed`` of its pfn (the pfn changed).  No
    TLB flush (the kernel's comment: the translation is the same either way; the
    caller's write-protect or clear-dirty flushes).  Not modelled: the table's
    allocation, which may drop and retake mmu_lock and then re-reads the SPTE (the
    read here is the one after it)."""
    L = w.L
    sn = w.s(i)
    pt_pfn = SPLIT_PT_PFN
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    old = a.var("old", 64)
    tries = a.var("tries", 4, 0)
    fn = "tdp_mmu_split_huge_pages_root"
    _read_lock(w, a, "start", "locked", S.SPLIT_LOCK)
    a.step("locked", "check", "read", spte=i, effect=lambda o, st: {old: st[sn]},
           text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn})", kernel=_ks(fn, w))

    def huge(o: Ops[Any, Any], st: St) -> Value:
        v = st[old]
        return o.and_(P.is_shadow_present_pte(o, L, v), P.is_large_pte(o, L, v))

    a.step("check", "scanned", "skip", spte=i, guard=lambda o, st: o.not_(huge(o, st)),
           text=f"{sn} not present or not huge: continue", kernel=_ks(fn, w))

    table = _split_fill(w, a, i, "check", "filled", old, huge)
    cx = w.site(S.SPLIT_LINK) == "cmpxchg"
    rebuild = w.site(S.SPLIT_REBUILD) == "present"
    e_link = _split_link(w, i, old, cx, pt_pfn, table)
    a.step("filled", "scanned", "link_ok", spte=i, effect=e_link,
           guard=lambda o, st: o.eq(st[sn], st[old]) if cx else o.true(),
           text=(f"tdp_mmu_link_sp: tdp_mmu_set_spte_atomic({sn}, make_nonleaf_spte()) "
                 "(cmpxchg) succeeds; no TLB flush" if cx else
                 f"tdp_mmu_link_sp: WRITE_ONCE(*{sn}, make_nonleaf_spte()) "
                 f"(site {S.SPLIT_LINK}: plain); no TLB flush"),
           kernel=_ks("tdp_mmu_link_sp", w))
    if cx:
        a.step("filled", "check" if rebuild else "filled", "link_fail", spte=i,
               guard=lambda o, st: o.and_(o.ne(st[sn], st[old]),
                                          o.ult(st[tries], o.lit(attempts - 1, 4))),
               effect=lambda o, st: {old: st[sn], tries: o.add(st[tries], o.lit(1, 4))},
               text=f"cmpxchg on {sn} fails: old_spte refreshed, goto retry"
                    + ("" if rebuild else f" (site {S.SPLIT_REBUILD} absent: the table "
                       "is not filled again)"),
               kernel=_ks(fn, w))
    _read_unlock(w, a, "scanned", "done", S.SPLIT_LOCK)


SPLIT_PT_PFN = 0x200
"""The pfn of the page table a split links in (a page of its own)."""


def _split_fill(w: World, a: Any, i: int, src: str, dst: str, old: str,
                guard: Callable[[Ops[Any, Any], St], Value]) -> str | None:
    """``tdp_mmu_split_huge_page``'s first half, one step from ``src`` to ``dst``: every
    entry of the new table (the children of SPTE ``i``, not linked yet: plain stores)
    ``= make_huge_page_split_spte(huge_spte = old, k)`` (``make_small_spte`` in v6.16+).

    With ``World.split_tables`` (two splitters, each with a table of its own) the fill
    writes the splitter's own, unreachable table: the step keeps ``huge_spte`` in the
    actor's local ``table`` (returned, for :func:`_split_link`), which writes the children
    when the cmpxchg links that table; else ``None``."""
    L = w.L
    kids = w.children(i)
    names = ", ".join(w.s(c) for c in kids)
    if w.split_tables:
        table: str = a.var("table", 64, doc="huge_spte the splitter's own table was filled from")
        a.step(src, dst, "fill", guard=guard,
               effect=lambda o, st: {table: st[old]},
               text=f"fill its own new table sp->spt from huge_spte = old_spte: entry k = "
                    "make_huge_page_split_spte(huge_spte, k) (not linked: plain stores no "
                    f"other CPU can see; {names} take them if its link succeeds)",
               kernel=_ks("tdp_mmu_split_huge_page", w))
        return table

    def e_fill(o: Ops[Any, Any], st: St) -> Upd:
        upd: Upd = {}
        for k, c in enumerate(kids):
            child = P.make_huge_page_split_spte(o, L, st[old], k)
            more = w.store(o, st, c, child, kind="plain", ctx="private")
            for ghost in ("bad.lock", "bad.hostw"):
                if ghost in upd:
                    more[ghost] = o.or_(upd[ghost], more[ghost])
            upd.update(more)
        return upd

    a.step(src, dst, "fill", guard=guard, effect=e_fill,
           text=f"fill the new table from huge_spte = old_spte: {names} = "
                "make_huge_page_split_spte(huge_spte, k) (not linked: plain stores)",
           kernel=_ks("tdp_mmu_split_huge_page", w))
    return None


def _split_link(w: World, i: int, old: str, cx: bool, pt_pfn: int,
                table: str | None = None) -> Effect:
    """``tdp_mmu_link_sp(shared)``'s store: ``tdp_mmu_set_spte_atomic`` (cmpxchg, the
    caller's guard tests ``*sptep == old``; a plain store where the site says so) of
    ``make_nonleaf_spte`` over the huge leaf, and ``handle_changed_spte`` of the old leaf.

    ``table`` (``World.split_tables``, from :func:`_split_fill`): the children become the
    linked table's entries, ``make_huge_page_split_spte(table, k)``.  Only a deviation
    links over a live table (a present non-leaf: the winner's); ``handle_changed_spte``
    then finds the pfn of a non-leaf changed (``WARN_ON_ONCE(pfn_changed)``) and calls
    ``handle_removed_pt`` on the old table, whose shared path (before v6.13) passes each
    dirty / accessed entry's D / A to its pfn: taken here in the same step (no CPU acts in
    between in the runs this stands for), without the freezing, and with no flush, as
    the kernel has none there."""
    L = w.L
    kids = w.children(i)

    def e_link(o: Ops[Any, Any], st: St) -> Upd:
        upd = w.store(o, st, i, P.make_nonleaf_spte(o, L, pt_pfn),
                      kind="cmpxchg" if cx else "plain", ctx="read")
        # handle_changed_spte(old, non-leaf): the pfn changed, so (before v6.13)
        # kvm_set_pfn_dirty / kvm_set_pfn_accessed of a dirty / accessed old leaf
        upd.update(w.propagate_ad(o, st, st[old], None, w.sptes[i].pages))
        if table is None:
            return upd
        cur = st[w.s(i)]
        over = o.and_(P.is_shadow_present_pte(o, L, cur), o.not_(w.is_leaf_now(o, i, cur)))
        for k, c in enumerate(kids):
            more = w.store(o, st, c, P.make_huge_page_split_spte(o, L, st[table], k),
                           kind="plain", ctx="private")
            gone = o.ite(over, st[w.s(c)], o.lit(L.nonpresent_value))
            more.update(w.propagate_ad(o, st, gone, None))
            for name, val in more.items():
                upd[name] = o.or_(upd[name], val) if name in upd and name != w.s(c) else val
        return upd

    return e_link


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
    a.step("start", "faulted", "fault", spte=i,
           guard=lambda o, st: o.not_(P.is_writable_pte(o, L, st[sn])),
           text="EPT violation (write): kvm_tdp_page_fault()",
           kernel=_k("kvm_tdp_page_fault", w, "arch/x86/kvm/mmu/mmu.c"))
    _read_lock(w, a, "faulted", "locked", S.TDPMAP_LOCK)
    src = "locked"
    backoff = w.guard(S.TDPMAP_FROZEN) if w.frozen_spte else None

    def frozen(o: Ops[Any, Any], v: Value) -> Value:
        """The walk gives up on a frozen SPTE (only where the scenario freezes SPTEs)."""
        if backoff is None:
            return o.false()
        return backoff(o, v, P.is_frozen_spte(o, L, v))

    if backoff is not None and d.parent is not None:
        pn = w.s(d.parent)
        walk = _kc("kvm_tdp_mmu_map", w)
        a.step("locked", "mapped", "parent_frozen", spte=d.parent,
               guard=lambda o, st: frozen(o, st[pn]),
               text=f"iter.old_spte = {pn} is {frozen_name(L)}: goto retry (RET_PF_RETRY)",
               kernel=walk)
        collapses = w.sptes[d.parent].collapses
        p_i = d.parent

        def down(o: Ops[Any, Any], st: St) -> Value:
            s = st[pn]
            g = o.and_(o.not_(frozen(o, s)), P.is_shadow_present_pte(o, L, s))
            return o.and_(g, o.not_(w.is_leaf_now(o, p_i, s))) if collapses else g

        a.step("locked", "walked", "walk_parent", spte=d.parent, guard=down,
               text=f"iter.old_spte = kvm_tdp_mmu_read_spte({pn}) (present): step down",
               kernel=walk)
        if collapses:
            a.step("locked", "mapped", "parent_huge", spte=d.parent,
                   guard=lambda o, st: o.and_(
                       o.not_(frozen(o, st[pn])), P.is_shadow_present_pte(o, L, st[pn]),
                       w.is_leaf_now(o, p_i, st[pn])),
                   text=f"{pn} is a huge leaf now (recovered): the fault is handled at its "
                        "level (outside this scenario)", kernel=walk)
        a.step("locked", "mapped", "parent_gone", spte=d.parent,
               guard=lambda o, st: o.and_(o.not_(frozen(o, st[pn])),
                                          o.not_(P.is_shadow_present_pte(o, L, st[pn]))),
               text=f"{pn} not present: tdp_mmu_link_sp() links a new page table (not "
                    f"{sn}'s; outside this scenario)", kernel=walk)
        src = "walked"
    _map_target_level(w, a, i, src, old, frozen, backoff is not None)
    _read_unlock(w, a, "mapped", "done", S.TDPMAP_LOCK)


def _map_target_level(w: World, a: Any, i: int, src: str, old: str,
                      frozen: Callable[[Ops[Any, Any], Value], Value], backoff: bool) -> None:
    """``kvm_tdp_mmu_map`` at the goal level, SPTE ``i``, from ``src`` to ``mapped``: the
    iterator's read (``try_step_down``), the frozen back-off where the scenario freezes
    SPTEs (``backoff``), then ``tdp_mmu_map_handle_target_level``: RET_PF_SPURIOUS if
    already writable, else ``make_spte`` (writable; ``mark_page_dirty_in_slot``; V-613+
    the page is dirty for the host at fault-in) and ``tdp_mmu_set_spte_atomic`` (cmpxchg;
    RET_PF_RETRY on failure)."""
    L = w.L
    d = w.sptes[i]
    sn = w.s(i)
    writable = P.make_spte(_C, L, P.MakeSpteArgs(pfn=d.pfn))
    _goal_read(w, a, i, src, old, frozen, backoff)
    a.step("read", "mapped", "spurious", spte=i,
           guard=lambda o, st: o.and_(o.not_(frozen(o, st[old])),
                                      P.is_writable_pte(o, L, st[old]))
           if backoff else P.is_writable_pte(o, L, st[old]),
           text=f"{sn} already writable: RET_PF_SPURIOUS",
           kernel=_k("tdp_mmu_map_handle_target_level", w))

    cx = w.site(S.TDPMAP_CMPXCHG) == "cmpxchg"
    marks = w.site(S.TDPMAP_MARK) == "marked"

    def go(o: Ops[Any, Any], st: St) -> list[Value]:
        """Not writable (and, where the scenario freezes SPTEs, not frozen)."""
        g = [o.not_(P.is_writable_pte(o, L, st[old]))]
        return [*g, o.not_(frozen(o, st[old]))] if backoff else g

    def e_ok(o: Ops[Any, Any], st: St) -> Upd:
        upd = w.store(o, st, i, o.lit(writable), kind="cmpxchg" if cx else "plain", ctx="read")
        upd.update(w.mark_page_dirty(o, st, o.lit(d.gfn, 8), o.boolean(marks)))
        if L.pfn_dirty_at_fault:
            upd.update(w.set_pfn_dirty_if(o, st, o.true(), o.lit(d.pfn)))
        return upd

    a.step("read", "mapped", "cmpxchg_ok", spte=i, effect=e_ok,
           guard=lambda o, st: o.and_(*go(o, st), o.eq(st[sn], st[old]) if cx else o.true()),
           text=(f"tdp_mmu_set_spte_atomic({sn}, make_spte(writable)) succeeds" if cx else
                 f"WRITE_ONCE(*{sn}, make_spte(writable)) (site {S.TDPMAP_CMPXCHG}: plain)")
                + ("; mark_page_dirty_in_slot()" if marks else
                   f" (no mark_page_dirty_in_slot: site {S.TDPMAP_MARK} absent)"),
           kernel=_k("tdp_mmu_map_handle_target_level", w))
    a.step("read", "mapped", "cmpxchg_fail", spte=i,
           guard=lambda o, st: o.and_(o.boolean(cx), *go(o, st), o.ne(st[sn], st[old])),
           text=f"cmpxchg on {sn} fails: RET_PF_RETRY",
           kernel=_k("tdp_mmu_map_handle_target_level", w))


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
             text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn})", kernel=_ks(fn, w))
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


YIELD_READ_AT = {"V-MID": "alvinsun039/linux-torvalds@075a76cde590 (M4)",
                 "V-613": "Kingxukai/linux@0291023e7330 (N1; M4 reads the same)",
                 "V-NEW": "Kingxukai/linux@0291023e7330 (N1)"}
"""Where tdp_mmu_zap_leafs, tdp_mmu_iter_cond_resched and write_protect_gfn were read
(docs/kernel-notes.md, "The TDP MMU's range zap and its yield point")."""


def _ky(fn: str, w: World, file: str = TDP_C) -> str:
    """A kernel reference for the range zap and write tracking, with the tree read."""
    return f"{fn}() {file} @ {w.L.tag}, read at {YIELD_READ_AT.get(w.L.version, '-')}"


def add_tdp_zap_range(w: World, sptes: tuple[int, ...], name: str = "zaprange") -> None:
    """``kvm_zap_gfn_range`` (mmu.c) on the TDP MMU, one gfn per SPTE of ``sptes`` (4K
    leaves of one root, in gfn order): ``write_lock``; ``flush =
    kvm_rmap_zap_gfn_range()`` (false: no shadow pages map the range);
    ``kvm_tdp_mmu_zap_leafs(kvm, start, end, flush)`` → ``tdp_mmu_zap_leafs(root, ...,
    can_yield=true, flush)``: per SPTE, at the top of the iteration
    ``tdp_mmu_iter_cond_resched(kvm, &iter, flush, false)`` — once the walk has made
    progress (``next_last_level_gfn != yielded_gfn``: from the second gfn on) and
    ``need_resched() || rwlock_needbreak()``: ``if (flush) kvm_flush_remote_tlbs()`` (site
    ``tdp_mmu_iter_cond_resched.flush``), ``cond_resched_rwlock_write`` drops and retakes
    mmu_lock, ``flush = false``, and the walk restarts from the root at this gfn; then
    skip the SPTE unless present and a leaf, else ``tdp_mmu_iter_set_spte(iter,
    non-present)`` (``kvm_tdp_mmu_write_spte``: xchg if volatile, else a plain store;
    ``handle_changed_spte``) and ``flush = true``; after the walk the caller's ``if
    (flush) kvm_flush_remote_tlbs_range()``, then ``write_unlock``.  The iterator's read
    of an SPTE before a yield is discarded (the walk re-reads it), so the model reads
    each SPTE after the yield point."""
    from .host_ops import _unlocker
    L = w.L
    if not L.tdp_yield_flush_owed:
        raise InputError(f"{L.version} has no tdp_mmu_iter_cond_resched(flush) (v5.12+; "
                         "v5.10's zap_gfn_range yields after each zap, not modelled)")
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.register_unmap_op(a.name, ("done",), sptes)
    flush = a.var("flush", 0, False)
    old = a.var("old", 64)
    lock_write(w, a, "start", "g0", site=S.ZAPRANGE_LOCK)
    yield_flush = w.site(S.TDPZAP_YIELD_FLUSH) == "done"
    leafs = _ky("tdp_mmu_zap_leafs", w)
    resched = _ky("tdp_mmu_iter_cond_resched", w)
    nonpresent = _nonpresent_name(L)
    for n, i in enumerate(sptes):
        sn = w.s(i)
        level = w.sptes[i].level
        g = f"g{n}"
        if n > 0:
            prev, flushed = f"g{n - 1}.next", f"g{n - 1}.flushed"
            a.step(prev, g, f"{g}.no_resched", text="tdp_mmu_iter_cond_resched: no "
                   "need_resched() / rwlock_needbreak(): go on", kernel=resched)
            if yield_flush:
                a.step(prev, flushed, f"{g}.yield_flush", guard=lambda o, st: st[flush],
                       effect=lambda o, st: {**w.flush_all(o), flush: o.false()},
                       text="need_resched(), progress made: if (flush) "
                            "kvm_flush_remote_tlbs(kvm)", kernel=resched)
                a.step(prev, flushed, f"{g}.yield_noflush",
                       guard=lambda o, st: o.not_(st[flush]),
                       text="need_resched(), progress made: nothing owed", kernel=resched)
            else:
                a.step(prev, flushed, f"{g}.yield", effect=lambda o, st: {flush: o.false()},
                       text="need_resched(), progress made: (no flush: site "
                            f"{S.TDPZAP_YIELD_FLUSH} absent)", kernel=resched)
            unlock_write(w, a, flushed, f"{g}.yielded", name=f"{g}.yield_unlock",
                         site=S.ZAPRANGE_LOCK)
            lock_write(w, a, f"{g}.yielded", g, name=f"{g}.yield_relock",
                       site=S.ZAPRANGE_LOCK)
        rd, nxt = f"{g}.read", f"{g}.next"

        def e_read(o: Ops[Any, Any], st: St, sn: str = sn) -> Upd:
            return {old: st[sn]}

        def leaf(o: Ops[Any, Any], st: St, level: int = level) -> Value:
            v = st[old]
            return o.and_(P.is_shadow_present_pte(o, L, v), P.is_last_spte(o, L, v, level))

        def g_skip(o: Ops[Any, Any], st: St, leaf: Any = leaf) -> Value:
            return o.not_(leaf(o, st))

        a.step(g, rd, f"{g}.read", spte=i, effect=e_read,
               text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn})", kernel=leafs)
        a.step(rd, nxt, f"{g}.skip", spte=i, guard=g_skip,
               effect=lambda o, st: {old: o.lit(0)},
               text=f"{sn} not present or not a leaf: continue", kernel=leafs)

        def after(o: Ops[Any, Any], st: St, prior: Value, atomic: bool) -> Upd:
            # handle_changed_spte(old, non-present): V-MID pushes D / A to the pfn;
            # the root is valid: flush = true
            upd = w.propagate_ad(o, st, prior, None)
            upd[flush] = o.true()
            return upd

        _iter_set_spte(w, a, i, rd, nxt, tag=g, mid="zapped", old=old, guard=leaf,
                       new=lambda o, st: o.lit(L.nonpresent_value), new_text=nonpresent,
                       then="flush = true", site=S.TDPZAP_STORE, after=after,
                       done="handle_changed_spte() done: next SPTE", kernel=leafs)
    last = f"g{len(sptes) - 1}.next"
    flush_site(w, a, S.ZAPRANGE_FLUSH, last, "flushed", "done", cond=flush,
               unlock=_unlocker(w, a, S.ZAPRANGE_LOCK))


def write_protect_gfn(w: World, a: Any, i: int, src: str, dst: str, *, flush: str,
                      op: str, tag: str, child: int | None = None) -> None:
    """``kvm_mmu_slot_gfn_write_protect`` on a TDP MMU SPTE (no rmaps:
    ``kvm_tdp_mmu_write_protect_gfn`` → ``write_protect_gfn``, under the write lock):
    read; skip unless a present leaf; ``new = old & ~(PT_WRITABLE_MASK |
    shadow_mmu_writable_mask)``; if ``new == old`` break; else ``tdp_mmu_iter_set_spte``
    (``kvm_tdp_mmu_write_spte``: xchg if volatile, else a plain store;
    ``handle_changed_spte``) and ``spte_set = true`` (the caller's ``flush``).

    ``child``: SPTE i is the 2M entry above the gfn's 4K SPTE ``child`` and may be a huge
    leaf or a non-leaf (a recovery, ``SpteDecl.collapses``): the walk
    (``for_each_tdp_pte_min_level(..., PG_LEVEL_4K, gfn, gfn + 1)``) write-protects SPTE i
    if it is a present leaf now, steps down to ``child`` if it is a present non-leaf, and
    ends if it is not present."""
    L = w.L
    sn = w.s(i)
    level = w.sptes[i].level
    walk = child is not None
    old = a.var(f"{tag}.old", 64)
    rd = f"{tag}.read"
    fn = _ky("write_protect_gfn", w)
    clear = L.w | L.mmu_writable
    a.step(src, rd, f"{tag}.read", spte=i, effect=lambda o, st: {old: st[sn]},
           text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn})", kernel=fn)

    def leaf(o: Ops[Any, Any], st: St) -> Value:
        v = st[old]
        if walk:
            return o.and_(P.is_shadow_present_pte(o, L, v), w.is_leaf_now(o, i, v))
        return o.and_(P.is_shadow_present_pte(o, L, v), P.is_last_spte(o, L, v, level))

    def new(o: Ops[Any, Any], st: St) -> Value:
        return o.clear_bits(st[old], clear)

    def e_skip(o: Ops[Any, Any], st: St) -> Upd:
        return {**w.mark_stale(o, st, op, i), old: o.lit(0)}

    if child is not None:
        a.step(rd, dst, f"{tag}.skip", spte=i,
               guard=lambda o, st: o.not_(P.is_shadow_present_pte(o, L, st[old])),
               effect=e_skip, text=f"{sn} not present: the walk ends", kernel=fn)
        a.step(rd, f"{tag}.down", f"{tag}.down", spte=i,
               guard=lambda o, st: o.and_(P.is_shadow_present_pte(o, L, st[old]),
                                          o.not_(w.is_leaf_now(o, i, st[old]))),
               effect=lambda o, st: {old: o.lit(0)},
               text=f"{sn} present, not a leaf: continue; step down to {w.s(child)}",
               kernel=fn)
        write_protect_gfn(w, a, child, f"{tag}.down", dst, flush=flush, op=op, tag=f"{tag}c")
    else:
        a.step(rd, dst, f"{tag}.skip", spte=i, guard=lambda o, st: o.not_(leaf(o, st)),
               effect=e_skip, text=f"{sn} not present or not a leaf: continue", kernel=fn)
    a.step(rd, dst, f"{tag}.unchanged", spte=i,
           guard=lambda o, st: o.and_(leaf(o, st), o.eq(new(o, st), st[old])),
           effect=e_skip, text="new_spte == iter.old_spte (W and MMU-writable clear): break",
           kernel=fn)

    def changed(o: Ops[Any, Any], st: St) -> Value:
        return o.and_(leaf(o, st), o.ne(new(o, st), st[old]))

    def after(o: Ops[Any, Any], st: St, prior: Value, atomic: bool) -> Upd:
        # the store is the linearization point; handle_changed_spte(old, new): before
        # v6.13 a dirty old value that new (computed from the read) lacks goes to the pfn
        upd = w.mark_stale(o, st, op, i)
        upd.update(w.propagate_ad(o, st, prior, new(o, st)))
        upd[flush] = o.true()
        return upd

    _iter_set_spte(w, a, i, rd, dst, tag=tag, mid="stored", old=old, guard=changed, new=new,
                   new_text="old & ~(W | MMU-writable)", then="spte_set = true",
                   site=S.WPGFN_STORE, after=after,
                   done="handle_changed_spte() done: return spte_set", kernel=fn)


def _iter_set_spte(w: World, a: Any, i: int, src: str, dst: str, *, tag: str, mid: str,
                   old: str, guard: Callable[[Ops[Any, Any], St], Value],
                   new: Callable[[Ops[Any, Any], St], Value], new_text: str, then: str,
                   site: str, after: Callable[[Ops[Any, Any], St, Value, bool], Upd],
                   done: str, kernel: str) -> None:
    """``tdp_mmu_iter_set_spte`` under the write lock: ``kvm_tdp_mmu_write_spte`` (xchg
    if ``kvm_tdp_mmu_spte_need_atomic_update``, else a plain store; ``after`` is
    ``handle_changed_spte`` and what the caller records), from ``src`` through
    ``<tag>.<mid>`` to ``dst``, where the iterator's ``old`` is dropped."""
    sn = w.s(i)
    level = w.sptes[i].level

    def volatile(o: Ops[Any, Any], st: St) -> Value:
        return w.tdp_needs_atomic(o, st[old], level)

    store_plain_or_xchg(
        w, a, i, src, f"{tag}.{mid}", names=(f"{tag}.store", f"{tag}.xchg"),
        texts=(f"tdp_mmu_iter_set_spte: WRITE_ONCE(*{sn}, {new_text}) (not volatile); {then}",
               f"tdp_mmu_iter_set_spte: old = xchg({sn}, {new_text}) (volatile); {then}"),
        kernel=_ky("kvm_tdp_mmu_write_spte", w, "arch/x86/kvm/mmu/tdp_iter.h"),
        guard=guard, volatile=volatile, new=new, old=old, level=level, site=site, after=after)
    a.step(f"{tag}.{mid}", dst, f"{tag}.done", local=True,
           effect=lambda o, st: {old: o.lit(0)}, text=done, kernel=kernel)


# -- the recovery's walk: kvm_mmu_max_mapping_level and the yield point (v6.13+) -------------

RECOVER_WALK_READ_AT = {"V-613": "Kingxukai/linux@0291023e7330 (N1; 13e2e4f62a4b, v6.13)",
                        "V-NEW": "Kingxukai/linux@0291023e7330 (N1)"}
"""Where recover_huge_pages_range, tdp_mmu_make_huge_spte, tdp_mmu_iter_cond_resched and
kvm_tdp_mmu_fast_pf_get_last_sptep were read (docs/kernel-notes.md, "The recovery's yield
point, its kvm_mmu_max_mapping_level test and a fast page fault")."""

MMU_C = "arch/x86/kvm/mmu/mmu.c"


def _kr(fn: str, w: World, file: str = TDP_C) -> str:
    return f"{fn}() {file} @ {w.L.tag}, read at {RECOVER_WALK_READ_AT.get(w.L.version, '-')}"


def add_recover_walk(w: World, parent: int, name: str = "recover") -> None:
    """``recover_huge_pages_range`` (v6.13+) as a walk over the slot: the candidate
    ``parent`` (a non-leaf SPTE over its 4K table) and then the next 2M entry of the slot.
    Per iteration, in the kernel's order: ``retry:`` ``tdp_mmu_iter_cond_resched(kvm,
    &iter, flush, true)`` — once the walk has made progress and ``need_resched() ||
    rwlock_needbreak()``: ``if (flush) kvm_flush_remote_tlbs(kvm)``, ``rcu_read_unlock``,
    ``cond_resched_rwlock_read`` (drops and retakes the read lock), ``flush = false``, and
    the walk restarts from the root at this gfn; then skip unless present and not a leaf;
    the slot-bounds test (the region is inside the slot); ``kvm_mmu_max_mapping_level(kvm,
    slot, iter.gfn) < iter.level``: continue — ``__kvm_mmu_max_mapping_level`` reads
    ``lpage_info_slot(gfn, slot, level)->disallow_lpage`` (non-zero while a gfn of the
    region is write-tracked: ``kvm_mmu_gfn_disallow_lpage`` in
    ``__kvm_write_track_add_gfn``, under the write lock), then the host mapping level
    (taken as 2M: nothing in the model changes the host mapping); ``tdp_mmu_make_huge_spte``,
    ``tdp_mmu_set_spte_atomic`` (cmpxchg, ``handle_removed_pt(shared)``), ``flush =
    true``.  After the walk ``if (flush) kvm_flush_remote_tlbs_memslot``.

    The yield is modelled where the walk can yield: at the top of the next entry's
    iteration, after the candidate.  The candidate is the slot's first 2M entry, reached
    from the root by steps down only, so at its iteration and at its ``goto retry``
    ``next_last_level_gfn == yielded_gfn`` and ``tdp_mmu_iter_need_resched`` is false.
    The next entry is not present (a 2M region of the slot nothing maps): its read is a
    step, not a World SPTE."""
    add_tdp_recover(w, parent, name, walk=True)


def _recover_max_level(w: World, a: Any, parent: int, table: Callable[..., Value],
                       end: str) -> None:
    """The ``kvm_mmu_max_mapping_level`` test of the candidate, from ``table`` (present
    and a non-leaf) to ``sized`` or, if a huge page is not allowed, ``end`` (continue)."""
    pn = w.s(parent)
    gfns = w.sptes[parent].gfn_list()
    fn = _kr("recover_huge_pages_range", w)
    a.step("check", "table", "table", spte=parent, guard=table,
           text=f"{pn} present and not a leaf; iter.gfn inside the slot", kernel=fn)
    lvl = _kr("__kvm_mmu_max_mapping_level", w, MMU_C)
    if w.site(S.RECOVER_MAX_LEVEL) == "absent":
        a.step("table", "sized", "max_level_absent",
               text=f"(no kvm_mmu_max_mapping_level test: site {S.RECOVER_MAX_LEVEL} absent)",
               kernel=fn)
        return
    if not w.write_track_count:
        a.step("table", "sized", "max_level", kernel=lvl,
               text="kvm_mmu_max_mapping_level() >= PG_LEVEL_2M: disallow_lpage is 0 (no gfn "
                    "of the region write-tracked; nothing in this scenario tracks one), the "
                    "host maps 2M")
        return

    def disallowed(o: Ops[Any, Any], st: St) -> Value:
        return o.any_of([st[w.wtracked(g)] for g in gfns])

    a.step("table", "sized", "max_level", guard=lambda o, st: o.not_(disallowed(o, st)),
           text="kvm_mmu_max_mapping_level(): lpage_info_slot(gfn, slot, PG_LEVEL_2M)->"
                "disallow_lpage == 0, host level 2M: >= iter.level", kernel=lvl)
    a.step("table", end, "max_level_4k", guard=disallowed,
           text="kvm_mmu_max_mapping_level(): disallow_lpage != 0 (a gfn of the region is "
                "write-tracked): PG_LEVEL_4K < iter.level: continue", kernel=lvl)


def _recover_next_gfn(w: World, a: Any, last: str) -> None:
    """From ``last`` (the candidate's table processed): ``flush = true``; the next 2M
    entry's iteration with its yield point; the end flush and read_unlock."""
    flush = a.var("flush", 0, False, doc="recover_huge_pages_range's flush")
    fn = _kr("recover_huge_pages_range", w)
    resched = _kr("tdp_mmu_iter_cond_resched", w, "arch/x86/kvm/mmu/tdp_mmu.c")
    a.step(last, "n1", "flush_owed", local=True, effect=lambda o, st: {flush: o.true()},
           text="tdp_mmu_set_spte_atomic() succeeded: flush = true; next entry", kernel=fn)
    a.step("n1", "n1.top", "n1.no_resched",
           text="tdp_mmu_iter_cond_resched: no need_resched() / rwlock_needbreak(): go on",
           kernel=resched)
    if w.site(S.RECOVER_YIELD_FLUSH) == "done":
        a.step("n1", "n1.flushed", "n1.yield_flush", guard=lambda o, st: st[flush],
               effect=lambda o, st: {**w.flush_all(o), flush: o.false()},
               text="need_resched(), progress made: if (flush) kvm_flush_remote_tlbs(kvm); "
                    "(the caller) flush = false", kernel=resched)
        a.step("n1", "n1.flushed", "n1.yield_noflush", guard=lambda o, st: o.not_(st[flush]),
               text="need_resched(), progress made: nothing owed", kernel=resched)
    else:
        a.step("n1", "n1.flushed", "n1.yield", effect=lambda o, st: {flush: o.false()},
               text="need_resched(), progress made: (no flush: site "
                    f"{S.RECOVER_YIELD_FLUSH} absent); (the caller) flush = false",
               kernel=resched)
    locked = w.site(S.RECOVER_LOCK) != "absent"
    a.step("n1.flushed", "n1.yielded", "n1.yield_unlock",
           effect=(lambda o, st: {"lock.r": o.add(st["lock.r"], o.lit(3, 2))}) if locked
           else None,
           text="rcu_read_unlock(); cond_resched_rwlock_read(): read_unlock(&kvm->mmu_lock)",
           kernel=resched)
    a.step("n1.yielded", "n1.top", "n1.yield_relock",
           guard=w.lock_read_guard() if locked else None,
           effect=(lambda o, st: {"lock.r": o.add(st["lock.r"], o.lit(1, 2))}) if locked
           else None,
           text="cond_resched_rwlock_read(): read_lock(&kvm->mmu_lock); rcu_read_lock(); "
                "continue: the walk restarts from the root at this gfn", kernel=resched)
    a.step("n1.top", "end", "n1.skip",
           text="iter.old_spte = kvm_tdp_mmu_read_spte(next 2M entry of the slot): not "
                "present: continue; end of the slot", kernel=fn)
    if w.site(S.RECOVER_FLUSH) == "absent":
        a.step("end", "scanned", "flush_absent",
               text=f"(no kvm_flush_remote_tlbs_memslot: site {S.RECOVER_FLUSH} absent)",
               kernel=fn)
    else:
        a.step("end", "scanned", "flush", guard=lambda o, st: st[flush],
               effect=lambda o, st: {**w.flush_all(o), flush: o.false()},
               text="end of the walk: if (flush) kvm_flush_remote_tlbs_memslot(kvm, slot)",
               kernel=fn)
        a.step("end", "scanned", "no_flush", guard=lambda o, st: o.not_(st[flush]),
               text="end of the walk: flush is false, no flush", kernel=fn)
    _read_unlock(w, a, "scanned", "done", S.RECOVER_LOCK)


def write_protect_gfn_walk(w: World, a: Any, i: int, src: str, dst: str, *, flush: str,
                           op: str, tag: str) -> None:
    """``write_protect_gfn`` on the gfn of 4K SPTE i through the 2M entry above it (its
    ``parent``), which a recovery may have made a huge leaf; the ``Protect`` form
    ``host_ops.add_write_tracking`` takes."""
    p = w.sptes[i].parent
    if p is None:
        write_protect_gfn(w, a, i, src, dst, flush=flush, op=op, tag=tag)
        return
    write_protect_gfn(w, a, p, src, dst, flush=flush, op=op, tag=tag, child=i)
FAULT_SPLIT_READ_AT = {
    "V-MID": "alvinsun039/linux-torvalds@075a76cde590 (M4)",
    "V-613": "Kingxukai/linux@0291023e7330 (N1; M4 reads the same)",
    "V-NEW": "Kingxukai/linux@0291023e7330 (N1)"}
"""Where kvm_tdp_mmu_map's split was read (docs/kernel-notes.md, "The TDP fault path's
huge-page split"); the path before it (zap + link) in a v5.15-era tdp_mmu.c, find_string
id 211453276, and the v6.2 patch's diff, id 13724057616."""


def _kf(fn: str, w: World) -> str:
    """A kernel reference for the TDP fault path's split, with the tree read."""
    return f"{fn}() {TDP_C} @ {w.L.tag}, read at {FAULT_SPLIT_READ_AT.get(w.L.version, '-')}"


def add_tdp_fault_split(w: World, v: int, i: int, k: int = 0,
                        name: str | None = None, exec_: bool = False) -> None:
    """vCPU ``v``'s TDP write fault (``exec_``: instruction fetch) on 4K page ``k`` of the
    splittable huge leaf ``i`` of a
    dirty-logged slot (``kvm_mmu_hugepage_adjust``: dirty logging disallows huge pages, so
    ``goal_level`` is 4K; the NX huge-page workaround, ``fault->huge_page_disallowed``,
    takes the same path), mmu_lock held for read.  ``kvm_tdp_mmu_map`` at the huge level:
    ``iter.old_spte`` read by the iterator; frozen: ``goto retry`` (only where the scenario
    freezes SPTEs); a present non-leaf (a split already happened): step down; else a new
    ``sp`` (``tdp_mmu_alloc_sp``, ``sp->nx_huge_page_disallowed``, the accounting of
    ``track_possible_nx_huge_page`` after: not SPTE state) and, for a present huge leaf,
    ``tdp_mmu_split_huge_page(kvm, &iter, sp, true)`` (v6.2+, c4b33d28ea51: the table filled
    from ``huge_spte = iter.old_spte``, :func:`_split_fill`, then ``tdp_mmu_link_sp`` =
    ``tdp_mmu_set_spte_atomic``, :func:`_split_link`; no TLB flush), for a non-present one
    ``tdp_mmu_link_sp`` of the empty table (not in these scenarios); a failed cmpxchg:
    ``tdp_mmu_free_sp``, ``goto retry`` (RET_PF_RETRY, no second try in this call).  At
    the goal level :func:`_map_target_level` on child ``k``.

    Site ``kvm_tdp_mmu_map.split`` absent: the path before v6.2, ``tdp_mmu_zap_spte_atomic``
    of the huge leaf (cmpxchg to REMOVED_SPTE, failure: ``break``, RET_PF_RETRY;
    ``handle_changed_spte`` of the leaf; ``kvm_flush_remote_tlbs_gfn``, site
    ``tdp_mmu_zap_spte_atomic.flush``; ``__kvm_tdp_mmu_write_spte(0)``), the explicit
    re-read, then ``tdp_mmu_link_sp`` of an empty table (V-MID only: the function and
    REMOVED_SPTE exist there).

    ``exec_``: an EPT violation for an instruction fetch from the huge page, which the NX
    huge page mitigation (``nx_huge_pages``) maps non-executable: ``make_spte`` clears
    ACC_EXEC_MASK above 4K when ``is_nx_huge_page_enabled``, so a fetch faults on the huge
    leaf whenever it is the translation (present and a huge leaf), writable or not.  Not a
    write, so no fast path (``page_fault_can_be_fast`` returns ``fault->write`` for a
    present fault); ``kvm_mmu_hugepage_adjust`` sets ``fault->huge_page_disallowed =
    fault->exec && fault->nx_huge_page_workaround_enabled`` and, the slot being
    dirty-logged, leaves ``goal_level`` at 4K; ``disallowed_hugepage_adjust`` changes
    nothing more.  The split is the same; the 4K children are executable in the kernel
    (``make_small_spte``: ``make_spte_executable`` for a 4K child with ACC_EXEC while the
    mitigation is on), which the model's executable huge SPTE gives them already (the
    model's CPU does not fetch).  At the goal level :func:`_map_target_level_exec`."""
    L = w.L
    if not L.tdp_fault_split:
        raise InputError(f"{L.version} has no TDP fault-path split (v6.2+; before, "
                         "kvm_tdp_mmu_map zapped the huge leaf and linked an empty table)")
    d = w.sptes[i]
    sn = w.s(i)
    kids = w.children(i)
    c = kids[k]
    cn = w.s(c)
    name = name or f"tdpfault{v}"
    a = w.mb.actor(name, "host", f"vCPU{v} (TDP page fault, 4K goal level)")
    a.idle_at("done")
    old = a.var("old", 64)

    def table(o: Ops[Any, Any], s: Value) -> Value:
        return o.and_(P.is_shadow_present_pte(o, L, s), o.not_(w.is_leaf_now(o, i, s)))

    def denied(o: Ops[Any, Any], st: St) -> Value:
        s, sc = st[sn], st[cn]
        return o.not_(P.is_writable_pte(o, L, o.ite(table(o, s), sc, s)))

    def huge(o: Ops[Any, Any], s: Value) -> Value:
        return o.and_(P.is_shadow_present_pte(o, L, s), P.is_large_pte(o, L, s))

    if exec_:
        a.step("start", "faulted", f"exec_fault.p{k}", spte=i,
               guard=lambda o, st: huge(o, st[sn]),
               text=f"EPT violation (instruction fetch) on 4K page {k} (gfn "
                    f"{d.gfn + k:#x}) through the huge leaf {sn}, non-executable under the "
                    "NX huge page mitigation; not a write: no fast path; kvm_tdp_page_fault "
                    "-> kvm_mmu_hugepage_adjust (huge_page_disallowed; dirty-logged slot: "
                    "goal_level 4K) -> kvm_tdp_mmu_map",
               kernel=_k("kvm_tdp_page_fault", w, "arch/x86/kvm/mmu/mmu.c"))
    else:
        a.step("start", "faulted", f"fault.p{k}", spte=i, guard=denied,
               text=f"EPT violation (write) on 4K page {k} (gfn {d.gfn + k:#x}); "
                    "fast_page_fault gave up: kvm_tdp_page_fault -> kvm_tdp_mmu_map, "
                    "goal_level 4K",
               kernel=_k("kvm_tdp_page_fault", w, "arch/x86/kvm/mmu/mmu.c"))
    _read_lock(w, a, "faulted", "locked", S.TDPMAP_LOCK)
    backoff = w.guard(S.TDPMAP_FROZEN) if w.frozen_spte else None

    def frozen(o: Ops[Any, Any], s: Value) -> Value:
        return o.false() if backoff is None else backoff(o, s, P.is_frozen_spte(o, L, s))

    fn = _kf("kvm_tdp_mmu_map", w)
    a.step("locked", "check", "read_huge", spte=i, effect=lambda o, st: {old: st[sn]},
           text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn}) (the huge level)", kernel=fn)
    if backoff is not None:
        a.step("check", "mapped", "huge_frozen", guard=lambda o, st: frozen(o, st[old]),
               text=f"{sn} is {frozen_name(L)}: goto retry (RET_PF_RETRY)", kernel=fn)

    def ok(g: Callable[[Ops[Any, Any], Value], Value]) -> Callable[[Ops[Any, Any], St], Value]:
        return lambda o, st: o.and_(o.not_(frozen(o, st[old])), g(o, st[old]))

    a.step("check", "walked", "step_down", guard=ok(table),
           text=f"{sn} is a present non-leaf: step down into its table", kernel=fn)

    def absent(o: Ops[Any, Any], s: Value) -> Value:
        return o.not_(P.is_shadow_present_pte(o, L, s))

    a.step("check", "mapped", "link_empty", guard=ok(absent),
           text=f"{sn} not present: tdp_mmu_link_sp() of an empty table (outside this "
                "scenario)", kernel=fn)
    if w.site(S.TDPFAULT_SPLIT) == "present":
        own = _split_fill(w, a, i, "check", "filled", old, ok(huge))
        cx = w.site(S.SPLIT_LINK) == "cmpxchg"
        a.step("filled", "walked", "link_ok", spte=i, effect=_split_link(w, i, old, cx,
                                                                           SPLIT_PT_PFN, own),
               guard=lambda o, st: o.eq(st[sn], st[old]) if cx else o.true(),
               text=(f"tdp_mmu_split_huge_page -> tdp_mmu_link_sp: tdp_mmu_set_spte_atomic("
                     f"{sn}, make_nonleaf_spte()) (cmpxchg) succeeds; no TLB flush; step down"
                     if cx else f"tdp_mmu_link_sp: WRITE_ONCE(*{sn}, make_nonleaf_spte()) "
                     f"(site {S.SPLIT_LINK}: plain); no TLB flush; step down"),
               kernel=_kf("tdp_mmu_link_sp", w))
        if cx and w.site(S.TDPFAULT_SPLIT_FAIL) == "relink":
            a.step("filled", "filled", "link_fail_relink", spte=i,
                   guard=lambda o, st: o.ne(st[sn], st[old]),
                   effect=lambda o, st: {old: st[sn]},
                   text=f"cmpxchg on {sn} fails: old_spte refreshed, the cmpxchg retried with "
                        f"the table as filled (site {S.TDPFAULT_SPLIT_FAIL}: relink)",
                   kernel=fn)
        elif cx:
            a.step("filled", "mapped", "link_fail", spte=i,
                   guard=lambda o, st: o.ne(st[sn], st[old]),
                   text=f"cmpxchg on {sn} fails: tdp_mmu_free_sp(sp), goto retry "
                        "(RET_PF_RETRY)", kernel=fn)
    else:
        _fault_zap_and_link(w, a, i, old, ok(huge))
    if exec_:
        _map_target_level_exec(w, a, c, "walked", old, frozen, backoff is not None)
    else:
        _map_target_level(w, a, c, "walked", old, frozen, backoff is not None)
    _read_unlock(w, a, "mapped", "done", S.TDPMAP_LOCK)


def _goal_read(w: World, a: Any, i: int, src: str, old: str,
               frozen: Callable[[Ops[Any, Any], Value], Value], backoff: bool) -> None:
    """``kvm_tdp_mmu_map`` at the goal level, from ``src`` to ``read``: the iterator's
    read of SPTE ``i`` into ``old``; where the scenario freezes SPTEs (``backoff``), a
    frozen value is ``goto retry`` (RET_PF_RETRY, to ``mapped``)."""
    sn = w.s(i)
    a.step(src, "read", "read", spte=i, effect=lambda o, st: {old: st[sn]},
           text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn})", kernel=_k("kvm_tdp_mmu_map", w))
    if backoff:
        a.step("read", "mapped", "frozen", spte=i, guard=lambda o, st: frozen(o, st[old]),
               text=f"{sn} is {frozen_name(w.L)}: goto retry (RET_PF_RETRY)",
               kernel=_kc("kvm_tdp_mmu_map", w))


def _map_target_level_exec(w: World, a: Any, i: int, src: str, old: str,
                           frozen: Callable[[Ops[Any, Any], Value], Value],
                           backoff: bool) -> None:
    """``kvm_tdp_mmu_map`` at the 4K goal level for an instruction fetch, SPTE ``i``, from
    ``src`` to ``mapped``: the iterator's read; the frozen back-off where the scenario
    freezes SPTEs; then ``tdp_mmu_map_handle_target_level``: ``make_spte(vcpu, sp, slot,
    ACC_ALL, gfn, pfn, iter->old_spte, prefetch = false, can_unsync = true / false,
    host_writable = fault->map_writable)``.  ACC_ALL has ACC_WRITE_MASK and the page is
    host-writable, so the new SPTE is writable whatever the fault's kind: W |
    MMU-writable, A (not a prefetch), X (4K), and D (``spte_shadow_dirty_mask``) except
    before v6.13 when the old SPTE is a writable leaf (``if (is_writable_pte(old_spte))
    goto out;``, which skips D; v6.13+ tests ``is_last_spte(old) && W(old)`` only to skip
    the unsync, and V-NEW sets D with W); ``mmu_try_to_unsync_pages`` finds no shadow page
    (a TDP-only VM, no write tracking here).  Still inside ``make_spte``: the new SPTE is
    writable in a dirty-logged slot, so ``mark_page_dirty_in_slot(gfn)`` (before the SPTE
    is installed, whatever follows).  Then ``new_spte == iter->old_spte``:
    RET_PF_SPURIOUS; else ``tdp_mmu_set_spte_atomic`` (cmpxchg; failure: RET_PF_RETRY);
    no TLB flush (the old SPTE is a leaf and the change adds rights);
    ``handle_changed_spte`` (before v6.13 a lost D or A goes to the pfn).  V-613+: the page
    is dirty for the host at fault-in (``kvm_release_faultin_page(..., unused = r ==
    RET_PF_RETRY, dirty = fault->map_writable)``)."""
    L = w.L
    d = w.sptes[i]
    sn = w.s(i)
    args = P.MakeSpteArgs(pfn=d.pfn)
    skips_d = L.make_spte_skips_dirty_if_writable  # the goto out before v6.13 (M2, T3)

    def newv(o: Ops[Any, Any], st: St) -> Value:
        """make_spte's result: a function of iter.old_spte (no state of its own)."""
        return P.make_spte_over(o, L, args, st[old])

    _goal_read(w, a, i, src, old, frozen, backoff)
    marks = w.site(S.TDPMAP_MARK) == "marked"

    def e_make(o: Ops[Any, Any], st: St) -> Upd:
        return w.mark_page_dirty(o, st, o.lit(d.gfn, 8), o.boolean(marks))

    a.step("read", "made", "make_spte", spte=i, effect=e_make,
           guard=(lambda o, st: o.not_(frozen(o, st[old]))) if backoff else None,
           text=f"new_spte = make_spte(ACC_ALL, old_spte = {sn}): writable, A, X"
                + (", D unless the old SPTE is writable (goto out)" if skips_d else ", D")
                + ("; writable in a dirty-logged slot: mark_page_dirty_in_slot()" if marks
                   else f" (no mark_page_dirty_in_slot: site {S.TDPMAP_MARK} absent)"),
           kernel=_k("make_spte", w, "arch/x86/kvm/mmu/spte.c"))
    cx = w.site(S.TDPMAP_CMPXCHG) == "cmpxchg"

    def hdirty(o: Ops[Any, Any], st: St) -> Upd:
        return w.set_pfn_dirty_if(o, st, o.true(), o.lit(d.pfn)) if L.pfn_dirty_at_fault else {}

    a.step("made", "mapped", "spurious", spte=i, effect=hdirty,
           guard=lambda o, st: o.eq(newv(o, st), st[old]),
           text=f"new_spte == iter.old_spte ({sn}): RET_PF_SPURIOUS",
           kernel=_k("tdp_mmu_map_handle_target_level", w))

    def e_ok(o: Ops[Any, Any], st: St) -> Upd:
        upd = w.store(o, st, i, newv(o, st), kind="cmpxchg" if cx else "plain", ctx="read")
        # handle_changed_spte(old, new): before v6.13 a D (A) the leaf loses goes to the
        # pfn (V-MID's make_spte drops D over a writable old SPTE: the goto out)
        for name, val in [*w.propagate_ad(o, st, st[old], newv(o, st)).items(),
                          *hdirty(o, st).items()]:
            upd[name] = o.or_(upd[name], val) if name in upd else val
        return upd

    a.step("made", "mapped", "cmpxchg_ok", spte=i, effect=e_ok,
           guard=lambda o, st: o.and_(o.ne(newv(o, st), st[old]),
                                      o.eq(st[sn], st[old]) if cx else o.true()),
           text=(f"tdp_mmu_set_spte_atomic({sn}, new_spte) succeeds" if cx else
                 f"WRITE_ONCE(*{sn}, new_spte) (site {S.TDPMAP_CMPXCHG}: plain)")
                + "; handle_changed_spte; no TLB flush (a leaf gains rights)",
           kernel=_k("tdp_mmu_map_handle_target_level", w))
    if cx:
        a.step("made", "mapped", "cmpxchg_fail", spte=i,
               guard=lambda o, st: o.and_(o.ne(newv(o, st), st[old]), o.ne(st[sn], st[old])),
               text=f"cmpxchg on {sn} fails: RET_PF_RETRY",
               kernel=_k("tdp_mmu_map_handle_target_level", w))


def _fault_zap_and_link(w: World, a: Any, i: int, old: str,
                        huge: Callable[[Ops[Any, Any], St], Value]) -> None:
    """``kvm_tdp_mmu_map`` before v6.2 at a huge leaf above the goal level, from ``check``
    to ``walked`` (or ``mapped`` on RET_PF_RETRY): ``tdp_mmu_zap_spte_atomic`` of the leaf
    — ``tdp_mmu_set_spte_atomic(REMOVED_SPTE)`` (cmpxchg; failure: ``break``),
    ``handle_changed_spte`` (before v6.13 D / A of the leaf go to the pfn),
    ``kvm_flush_remote_tlbs_gfn``, ``__kvm_tdp_mmu_write_spte(0)`` — then ``iter.old_spte =
    kvm_tdp_mmu_read_spte()`` and, not present and not frozen, ``tdp_mmu_link_sp`` (cmpxchg;
    failure: ``break``) of an empty table: the other 4K page is unmapped until it faults."""
    L = w.L
    if not L.tdp_zap_spte_atomic or not L.has_frozen:
        raise InputError(f"site {S.TDPFAULT_SPLIT} absent (the zap + link path before v6.2) "
                         "is modelled on V-MID only (tdp_mmu_zap_spte_atomic, REMOVED_SPTE)")
    sn = w.s(i)
    fn = _kf("kvm_tdp_mmu_map", w)
    zap = _kf("tdp_mmu_zap_spte_atomic", w)
    a.step("check", "frozen", "zap_freeze", spte=i,
           guard=lambda o, st: o.and_(huge(o, st), o.eq(st[sn], st[old])),
           effect=lambda o, st: {**w.store(o, st, i, o.lit(L.frozen_value), kind="cmpxchg",
                                           ctx="read"),
                                 # handle_changed_spte(old, REMOVED_SPTE) of a leaf
                                 **w.propagate_ad(o, st, st[old], None, w.sptes[i].pages)},
           text=f"tdp_mmu_zap_spte_atomic: tdp_mmu_set_spte_atomic({sn}, REMOVED_SPTE) "
                "(cmpxchg) succeeds; handle_changed_spte of the huge leaf", kernel=zap)
    a.step("check", "mapped", "zap_fail", spte=i,
           guard=lambda o, st: o.and_(huge(o, st), o.ne(st[sn], st[old])),
           text=f"cmpxchg on {sn} fails: break (RET_PF_RETRY)", kernel=fn)
    if w.site(S.ZAPAT_FLUSH) == "absent":
        a.step("frozen", "zflushed", "zap_flush_absent",
               text=f"(no kvm_flush_remote_tlbs_gfn: site {S.ZAPAT_FLUSH} absent)", kernel=zap)
    else:
        a.step("frozen", "zflushed", "zap_flush", effect=lambda o, st: w.flush_all(o),
               text=f"kvm_flush_remote_tlbs_gfn(kvm, gfn of {sn}, PG_LEVEL_2M)", kernel=zap)
    a.step("zflushed", "cleared", "zap_clear", spte=i,
           effect=lambda o, st: w.store(o, st, i, o.lit(L.nonpresent_value), kind="plain",
                                        ctx="read"),
           text=f"__kvm_tdp_mmu_write_spte({sn}, 0)", kernel=zap)
    a.step("cleared", "relinking", "reread", spte=i, effect=lambda o, st: {old: st[sn]},
           text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn}) (explicit re-read)", kernel=fn)

    def empty(o: Ops[Any, Any], st: St) -> Value:
        s = st[old]
        return o.and_(o.not_(P.is_shadow_present_pte(o, L, s)), o.not_(P.is_frozen_spte(o, L, s)))

    a.step("relinking", "walked", "link_empty_ok", spte=i,
           guard=lambda o, st: o.and_(empty(o, st), o.eq(st[sn], st[old])),
           effect=lambda o, st: w.store(o, st, i, P.make_nonleaf_spte(o, L, SPLIT_PT_PFN),
                                        kind="cmpxchg", ctx="read"),
           text=f"tdp_mmu_link_sp: tdp_mmu_set_spte_atomic({sn}, make_nonleaf_spte()) of an "
                "empty table (cmpxchg) succeeds; step down", kernel=_kf("tdp_mmu_link_sp", w))
    a.step("relinking", "mapped", "link_empty_fail", spte=i,
           guard=lambda o, st: o.or_(o.not_(empty(o, st)), o.ne(st[sn], st[old])),
           text=f"{sn} present or frozen again, or the cmpxchg fails: break (RET_PF_RETRY)",
           kernel=fn)


def add_tdp_fault_huge(w: World, v: int, i: int, name: str | None = None) -> None:
    """vCPU ``v``'s TDP write fault on 4K page 0 of the region of SPTE ``i`` (a non-leaf
    over a table that may be replaced, ``SpteDecl.collapses``) with ``goal_level`` 2M
    (dirty logging off: ``kvm_mmu_hugepage_adjust`` allows the huge page again; no NX
    workaround), mmu_lock held for read: ``kvm_tdp_mmu_map`` reads SPTE ``i`` (the goal
    level: ``goto map_target_level``); frozen: ``goto retry``;
    ``tdp_mmu_map_handle_target_level``: ``new_spte = make_spte(huge)``; equal to
    ``iter->old_spte``: RET_PF_SPURIOUS; else ``tdp_mmu_set_spte_atomic`` (cmpxchg;
    RET_PF_RETRY on failure), whose ``handle_changed_spte`` runs ``handle_removed_pt(shared)``
    on the table a present non-leaf pointed to (:func:`_remove_table_shared`), then
    ``kvm_flush_remote_tlbs_gfn(gfn, level)`` because the old SPTE was a present non-leaf
    (site ``tdp_mmu_map_handle_target_level.flush``).  Over a non-present SPTE (the table
    zapped by ``zap_collapsible_spte_range``) the huge leaf is installed with no flush."""
    L = w.L
    d = w.sptes[i]
    sn = w.s(i)
    kids = w.children(i)
    cn = w.s(kids[0])
    name = name or f"tdphuge{v}"
    a = w.mb.actor(name, "host", f"vCPU{v} (TDP page fault, 2M goal level)")
    a.idle_at("done")
    old = a.var("old", 64)
    huge = P.make_spte(_C, L, P.MakeSpteArgs(pfn=d.pfn, huge=True))

    def table(o: Ops[Any, Any], s: Value) -> Value:
        return o.and_(P.is_shadow_present_pte(o, L, s), o.not_(w.is_leaf_now(o, i, s)))

    def denied(o: Ops[Any, Any], st: St) -> Value:
        s = st[sn]
        return o.not_(P.is_writable_pte(o, L, o.ite(table(o, s), st[cn], s)))

    a.step("start", "faulted", "fault.p0", spte=i, guard=denied,
           text=f"EPT violation (write) on 4K page 0 (gfn {d.gfn:#x}): kvm_tdp_page_fault -> "
                "kvm_tdp_mmu_map, goal_level 2M", kernel=_k("kvm_tdp_page_fault", w,
                                                           "arch/x86/kvm/mmu/mmu.c"))
    _read_lock(w, a, "faulted", "locked", S.TDPMAP_LOCK)
    fn = _kf("kvm_tdp_mmu_map", w)
    a.step("locked", "read", "read", spte=i, effect=lambda o, st: {old: st[sn]},
           text=f"iter.old_spte = kvm_tdp_mmu_read_spte({sn}) (the goal level)", kernel=fn)
    backoff = w.guard(S.TDPMAP_FROZEN) if w.frozen_spte else None

    def frozen(o: Ops[Any, Any], s: Value) -> Value:
        return o.false() if backoff is None else backoff(o, s, P.is_frozen_spte(o, L, s))

    if backoff is not None:
        a.step("read", "mapped", "frozen", guard=lambda o, st: frozen(o, st[old]),
               text=f"{sn} is {frozen_name(L)}: goto retry (RET_PF_RETRY)", kernel=fn)
    target = _kf("tdp_mmu_map_handle_target_level", w)

    def go(o: Ops[Any, Any], st: St) -> Value:
        return o.and_(o.not_(frozen(o, st[old])), o.ne(st[old], o.lit(huge)))

    a.step("read", "mapped", "spurious", guard=lambda o, st: o.and_(
               o.not_(frozen(o, st[old])), o.eq(st[old], o.lit(huge))),
           text="new_spte = make_spte(huge) == iter->old_spte: RET_PF_SPURIOUS", kernel=target)

    def e_install(o: Ops[Any, Any], st: St) -> Upd:
        return w.store(o, st, i, o.lit(huge), kind="cmpxchg", ctx="read")

    a.step("read", "mapped", "cmpxchg_ok", spte=i, effect=e_install,
           guard=lambda o, st: o.and_(go(o, st), o.not_(table(o, st[old])),
                                      o.eq(st[sn], st[old])),
           text=f"tdp_mmu_set_spte_atomic({sn}, make_spte(huge)) (cmpxchg) succeeds over a "
                "non-present SPTE: no flush", kernel=target)
    a.step("read", "c0", "cmpxchg_ok_table", spte=i, effect=e_install,
           guard=lambda o, st: o.and_(go(o, st), table(o, st[old]), o.eq(st[sn], st[old])),
           text=f"tdp_mmu_set_spte_atomic({sn}, make_spte(huge)) (cmpxchg) succeeds over a "
                "non-leaf; handle_changed_spte: handle_removed_pt(shared) on its table",
           kernel=target)
    a.step("read", "mapped", "cmpxchg_fail", spte=i,
           guard=lambda o, st: o.and_(go(o, st), o.ne(st[sn], st[old])),
           text=f"cmpxchg on {sn} fails: RET_PF_RETRY", kernel=target)
    last = _remove_table_shared(w, a, i, kids)
    flush_site(w, a, S.TDPMAP_FLUSH, last, "mapped", "mapped", unlock=None)
    _read_unlock(w, a, "mapped", "done", S.TDPMAP_LOCK)
