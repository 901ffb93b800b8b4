"""``fast_page_fault`` (mmu.c), the lockless fault fix-up, step by step.

Steps, per docs/kernel-notes.md §3.7 (V-MID mmu.c, V-NEW mmu.c @ v6.15+):

1. the vCPU faults (the access is not allowed by the SPTE); ``page_fault_can_be_fast``:
   a not-present fault only without A/D (access tracking), a present fault only for writes;
   fast faults run only on direct shadow pages / the TDP MMU (R1's rule);
2. lockless walk: ``spte = READ_ONCE(*sptep)`` (for a TDP child, the parent first);
3. computation (a local step): give up if not present / not a leaf; spurious if already
   allowed; ``new = restore_acc_track_spte(spte)`` (| A in V-NEW); ``new |= W`` for a write
   fault on an MMU-writable SPTE; give up if ``new == spte`` or still not allowed;
4. ``try_cmpxchg64(sptep, &spte, new)``; on failure retry from 2, at most 5 attempts;
5. on success, if W went 0→1, ``mark_page_dirty_in_slot(fault->gfn)``.  D is never set.

A huge leaf (``SpteDecl.level`` > 1) faults on one of its 4K pages, and a write fault on
an MMU-writable huge SPTE gives up (``sp->role.level > PG_LEVEL_4K``; from v5.17 only in a
dirty-logged slot): ``mark_page_dirty_in_slot`` would log only ``fault->gfn`` while the
guest can then write every 4K page of the huge page without a fault (R12).
"""

from __future__ import annotations

from typing import Any

from verify import spte as P
from verify.expr import Ops
from verify.model import St

from . import sites as S
from .world import Upd, Value, World

MMU_C = "arch/x86/kvm/mmu/mmu.c"
MAX_ATTEMPTS = 5


def _k(fn: str, w: World) -> str:
    return f"{fn}() {MMU_C} @ {w.L.tag}"


def _hw_present(o: Ops[Any, Any], w: World, s: Value) -> Value:
    """What the hardware fault reports as "present" (EPT: any of RWX; legacy: P)."""
    L = w.L
    return o.test(s, L.r | L.w | L.x) if L.mode.startswith("ept") else o.test(s, L.r)


def add_fast_fault(w: World, v: int, i: int, access: P.Access = P.Access.WRITE,
                   name: str | None = None, attempts: int = MAX_ATTEMPTS,
                   page: int | None = None) -> None:
    """vCPU ``v`` takes a fault of kind ``access`` on SPTE ``i`` and runs fast_page_fault.
    A splittable huge leaf (``SpteDecl.splits``) takes ``page``: the fault is on that 4K
    page, and the lockless walk ends at the huge leaf or, once a split linked its table,
    at the child (:func:`_split_walk`)."""
    L = w.L
    d = w.sptes[i]
    sn = w.s(i)
    name = name or f"fastpf{v}"
    if d.splits:
        _split_walk(w, v, i, access, name, attempts, 0 if page is None else page)
        return
    a = w.mb.actor(name, "host", f"vCPU{v} (fast page fault)")
    a.idle_at("done")
    gfn = a.var("gfn", 8, doc="fault->gfn")
    s = a.var("spte", 64)
    new = a.var("new", 64)
    go = a.var("go", 0, False)
    tries = a.var("tries", 4, 0)
    hwp = a.var("hw_present", 0, False)

    def e_fault(o: Ops[Any, Any], st: St) -> Upd:
        cur = st[sn]
        return {gfn: w.gfn_of(o, st, i), hwp: _hw_present(o, w, cur)}

    if d.pages == 1:
        a.step("start", "faulted", "fault", spte=i,
               guard=lambda o, st: o.not_(P.is_access_allowed(o, L, access, st[sn])),
               effect=e_fault, text=f"EPT violation / #PF ({access.value}) on {sn}",
               kernel=_k("kvm_mmu_page_fault", w))
    for k in range(d.pages if d.pages > 1 else 0):
        # a huge leaf: the fault is on one of the 4K pages it maps (fault->gfn)
        def e_fault_k(o: Ops[Any, Any], st: St, k: int = k) -> Upd:
            upd = e_fault(o, st)
            upd[gfn] = o.add(upd[gfn], o.lit(k, 8)) if k else upd[gfn]
            return upd

        a.step("start", "faulted", f"fault.p{k}", spte=i,
               guard=lambda o, st: o.not_(P.is_access_allowed(o, L, access, st[sn])),
               effect=e_fault_k, kernel=_k("kvm_mmu_page_fault", w),
               text=f"EPT violation / #PF ({access.value}) on {sn}, 4K page {k} "
                    f"(gfn {d.gfn + k:#x})")

    if not d.direct and w.site(S.FASTPF_DIRECT_ONLY) == "present":
        a.step("faulted", "done", "indirect", spte=i,
               text="indirect shadow page: no fast page fault (slow path)",
               kernel=_k("kvm_mmu_page_fault", w))
        return

    checks_fast = w.site(S.FASTPF_CAN_BE_FAST) == "present"

    def can_be_fast(o: Ops[Any, Any], st: St) -> Value:
        if not checks_fast:
            return o.true()
        if access is P.Access.WRITE:
            write_ok = o.true()
        else:
            write_ok = o.false()
        not_present_ok = o.boolean(L.mode == "ept-noad")
        return o.ite_b(st[hwp], write_ok, not_present_ok)

    a.step("faulted", "walk", "can_be_fast", guard=can_be_fast,
           text="page_fault_can_be_fast(): yes", kernel=_k("page_fault_can_be_fast", w))
    a.step("faulted", "done", "not_fast", guard=lambda o, st: o.not_(can_be_fast(o, st)),
           text="page_fault_can_be_fast(): no (slow path)",
           kernel=_k("page_fault_can_be_fast", w))

    src = "walk"
    if d.parent is not None:
        pn = w.s(d.parent)
        a.step("walk", "walk_leaf", "walk_parent", spte=d.parent,
               guard=lambda o, st: P.is_shadow_present_pte(o, L, st[pn]),
               text=f"lockless walk: parent = READ_ONCE(*{pn}) (present)",
               kernel=_k("kvm_tdp_mmu_fast_pf_get_last_sptep", w))
        a.step("walk", "done", "parent_gone", spte=d.parent,
               guard=lambda o, st: o.not_(P.is_shadow_present_pte(o, L, st[pn])),
               text=f"lockless walk: {pn} not present: give up",
               kernel=_k("kvm_tdp_mmu_fast_pf_get_last_sptep", w))
        src = "walk_leaf"

    _fix(w, a, i, access, src, "", src, (gfn, s, new, go, tries), attempts)


def _fix(w: World, a: Any, i: int, access: P.Access, src: str, p: str, retry: str,
         lv: tuple[str, str, str, str, str], attempts: int,
         read_guard: Any = None) -> None:
    """``fast_page_fault`` on the last SPTE of the walk, SPTE ``i``, from ``src``: the
    read of the SPTE (``read_guard``: where the walk reads it, the test that it is the
    last level), the computation, the give-up tests, ``fast_pf_fix_direct_spte``'s
    cmpxchg (a failure re-walks from ``retry``), ``mark_page_dirty_in_slot``.  Labels
    are prefixed with ``p``; ``lv`` = the actor's (gfn, spte, new, go, tries)."""
    L = w.L
    d = w.sptes[i]
    sn = w.s(i)
    gfn, s, new, go, tries = lv
    a.step(src, f"{p}read", f"{p}read", spte=i, effect=lambda o, st: {s: st[sn]},
           guard=read_guard,
           text=f"spte = READ_ONCE(*{sn})" if read_guard is None else
                f"lockless walk: spte = READ_ONCE(*{sn}), the last level (a leaf or not "
                "present): sptep = its address",
           kernel=_k("fast_page_fault" if read_guard is None
                     else "kvm_tdp_mmu_fast_pf_get_last_sptep", w))

    give_up_site = w.guard(S.FASTPF_GIVE_UP)
    huge = a.var(f"{p}huge", 0, False) if d.level > 1 else None
    huge_gives_up = (d.level > 1 and w.site(S.FASTPF_HUGE) == "present"
                     and (d.gfn in w.logged_gfns or not L.fastpf_huge_only_if_logged))

    def e_compute(o: Ops[Any, Any], st: St) -> Upd:
        old = st[s]
        tracked = P.is_access_track_spte(o, L, old)
        restored = P.restore_acc_track_spte(o, L, old)
        if L.restore_sets_accessed:
            restored = o.set_bits(restored, L.accessed)
        n = o.ite(tracked, restored, old)
        if access is P.Access.WRITE:
            n = o.ite(P.is_mmu_writable_spte(o, L, old), o.set_bits(n, L.w), n)
        ok = o.and_(
            P.is_shadow_present_pte(o, L, old),
            P.is_last_spte(o, L, old, d.level),
            o.not_(P.is_access_allowed(o, L, access, old)),
            o.ne(n, old),
            P.is_access_allowed(o, L, access, n),
        )
        # a variant may replace the give-up test by a rule over the SPTE read
        give_up = give_up_site(o, old, o.not_(ok))
        if huge is None:
            return {new: n, go: o.not_(give_up)}
        # sp->role.level > PG_LEVEL_4K (V-OLD: always; from v5.17 only with
        # kvm_slot_dirty_track_enabled): leave a huge write fault to the slow path
        blocked = o.and_(o.boolean(huge_gives_up and access is P.Access.WRITE),
                         P.is_mmu_writable_spte(o, L, old))
        return {new: n, go: o.and_(o.not_(give_up), o.not_(blocked)),
                huge: o.and_(o.not_(give_up), blocked)}

    a.step(f"{p}read", f"{p}computed", f"{p}compute", effect=e_compute, local=True,
           text="new_spte = spte (restore_acc_track_spte, then set PT_WRITABLE_MASK)",
           kernel=_k("fast_page_fault", w))
    if huge is None:
        a.step(f"{p}computed", "done", f"{p}give_up", guard=lambda o, st: o.not_(st[go]),
               text="not present / spurious / cannot fix: give up",
               kernel=_k("fast_page_fault", w))
    else:
        hv = huge
        a.step(f"{p}computed", "done", f"{p}give_up",
               guard=lambda o, st: o.and_(o.not_(st[go]), o.not_(st[hv])),
               text="not present / spurious / cannot fix: give up",
               kernel=_k("fast_page_fault", w))
        a.step(f"{p}computed", "done", f"{p}huge_dirty_log", guard=lambda o, st: st[hv],
               text=f"huge SPTE (level {d.level})"
                    + (" in a dirty-logged slot" if L.fastpf_huge_only_if_logged else "")
                    + ": give up, the slow path maps 4K (fast_pf_fix_direct_spte would "
                      "mark only fault->gfn dirty)",
               kernel=_k("fast_page_fault", w))

    cx = w.site(S.FASTPF_CMPXCHG) == "cmpxchg"

    def e_cx(o: Ops[Any, Any], st: St) -> Upd:
        return w.store(o, st, i, st[new], kind="cmpxchg" if cx else "plain", ctx="none")

    a.step(f"{p}computed", f"{p}fixed", f"{p}cmpxchg_ok", spte=i, effect=e_cx,
           guard=lambda o, st: o.and_(st[go], o.eq(st[sn], st[s]) if cx else o.true()),
           text=f"try_cmpxchg64({sn}, &spte, new_spte) succeeds" if cx else
                f"WRITE_ONCE(*{sn}, new_spte) (site {S.FASTPF_CMPXCHG}: plain)",
           kernel=_k("fast_pf_fix_direct_spte", w))

    def g_fail(o: Ops[Any, Any], st: St, last: bool) -> Value:
        if not cx:
            return o.false()
        more = o.ult(o.add(st[tries], o.lit(1, 4)), o.lit(attempts, 4))
        return o.and_(st[go], o.ne(st[sn], st[s]), o.not_(more) if last else more)

    a.step(f"{p}computed", retry, f"{p}cmpxchg_fail", spte=i,
           guard=lambda o, st: g_fail(o, st, False),
           effect=lambda o, st: {tries: o.add(st[tries], o.lit(1, 4))},
           text=f"try_cmpxchg64({sn}, ...) fails: retry", kernel=_k("fast_page_fault", w))
    a.step(f"{p}computed", "done", f"{p}cmpxchg_fail_last", spte=i,
           guard=lambda o, st: g_fail(o, st, True),
           text=f"try_cmpxchg64({sn}, ...) fails: {attempts} attempts, give up",
           kernel=_k("fast_page_fault", w))

    def w_set(o: Ops[Any, Any], st: St) -> Value:
        return o.and_(P.is_writable_pte(o, L, st[new]), o.not_(P.is_writable_pte(o, L, st[s])))

    marks = w.site(S.FASTPF_MARK) == "marked"
    a.step(f"{p}fixed", "done", f"{p}mark_page_dirty", guard=w_set,
           effect=lambda o, st: w.mark_page_dirty(o, st, st[gfn], o.boolean(marks)),
           text="mark_page_dirty_in_slot(kvm, fault->slot, fault->gfn)" if marks else
                f"(no mark_page_dirty_in_slot: site {S.FASTPF_MARK} absent)",
           kernel=_k("fast_pf_fix_direct_spte", w))
    a.step(f"{p}fixed", "done", f"{p}fixed_no_mark", guard=lambda o, st: o.not_(w_set(o, st)),
           text="RET_PF_FIXED (W unchanged)", kernel=_k("fast_pf_fix_direct_spte", w))


def _split_walk(w: World, v: int, i: int, access: P.Access, name: str, attempts: int,
                k: int) -> None:
    """``fast_page_fault`` for 4K page ``k`` of a splittable huge leaf ``i``: the fault
    (the access is not allowed by the translation the CPU walks: the huge leaf, or the
    child once it is a non-leaf), ``page_fault_can_be_fast``, then the lockless walk
    ``kvm_tdp_mmu_fast_pf_get_last_sptep``: ``for_each_tdp_pte`` keeps ``*spte =
    iter.old_spte; sptep = iter.sptep`` of each level it reaches, and steps down only
    through a present non-leaf (``try_step_down``), so the last SPTE is the huge leaf (or
    the not-present SPTE) if the read of SPTE ``i`` finds no table, else child ``k``, read
    after it.  Each ends in :func:`_fix` (``fast_page_fault`` on that SPTE: the huge one
    gives up in a dirty-logged slot, a 4K child is fixed by cmpxchg); a failed cmpxchg
    walks again from the top."""
    L = w.L
    d = w.sptes[i]
    sn = w.s(i)
    c = w.children(i)[k]
    cn = w.s(c)
    a = w.mb.actor(name, "host", f"vCPU{v} (fast page fault)")
    a.idle_at("done")
    gfn = a.var("gfn", 8, doc="fault->gfn")
    s = a.var("spte", 64)
    new = a.var("new", 64)
    go = a.var("go", 0, False)
    tries = a.var("tries", 4, 0)
    hwp = a.var("hw_present", 0, False)

    def table(o: Ops[Any, Any], v: Value) -> Value:
        return o.and_(P.is_shadow_present_pte(o, L, v), o.not_(w.is_leaf_now(o, i, v)))

    def now(o: Ops[Any, Any], st: St) -> Value:
        """What the CPU's walk reaches for page k: the child under a table, else SPTE i."""
        return o.ite(table(o, st[sn]), st[cn], st[sn])

    def e_fault(o: Ops[Any, Any], st: St) -> Upd:
        return {gfn: o.lit(d.gfn + k, 8), hwp: _hw_present(o, w, now(o, st))}

    a.step("start", "faulted", f"fault.p{k}", spte=i, effect=e_fault,
           guard=lambda o, st: o.not_(P.is_access_allowed(o, L, access, now(o, st))),
           text=f"EPT violation / #PF ({access.value}) on 4K page {k} (gfn {d.gfn + k:#x}) "
                f"of {sn}", kernel=_k("kvm_mmu_page_fault", w))
    checks_fast = w.site(S.FASTPF_CAN_BE_FAST) == "present"

    def can_be_fast(o: Ops[Any, Any], st: St) -> Value:
        if not checks_fast:
            return o.true()
        write_ok = o.boolean(access is P.Access.WRITE)
        return o.ite_b(st[hwp], write_ok, o.boolean(L.mode == "ept-noad"))

    a.step("faulted", "walk", "can_be_fast", guard=can_be_fast,
           text="page_fault_can_be_fast(): yes", kernel=_k("page_fault_can_be_fast", w))
    a.step("faulted", "done", "not_fast", guard=lambda o, st: o.not_(can_be_fast(o, st)),
           text="page_fault_can_be_fast(): no (slow path)",
           kernel=_k("page_fault_can_be_fast", w))
    walk = _k("kvm_tdp_mmu_fast_pf_get_last_sptep", w)
    a.step("walk", "walk_c", "walk_down", spte=i, guard=lambda o, st: table(o, st[sn]),
           text=f"lockless walk: READ_ONCE(*{sn}) is a present non-leaf (split): step down "
                "to its table", kernel=walk)
    lv = (gfn, s, new, go, tries)
    _fix(w, a, i, access, "walk", "", "walk", lv, attempts,
         read_guard=lambda o, st: o.not_(table(o, st[sn])))
    _fix(w, a, c, access, "walk_c", "c.", "walk", lv, attempts,
         read_guard=lambda o, st: o.true())


TDP_C = "arch/x86/kvm/mmu/tdp_mmu.c"


def add_tdp_fast_fault(w: World, v: int, i: int, name: str | None = None,
                       attempts: int = MAX_ATTEMPTS) -> None:
    """vCPU ``v`` takes a write fault on the gfn of 4K SPTE ``i``, whose 2M entry (its
    ``parent``, ``SpteDecl.collapses``) an in-place recovery may turn into a huge leaf,
    and runs ``fast_page_fault`` with the TDP MMU's lockless walk
    (``kvm_tdp_mmu_fast_pf_get_last_sptep``: ``for_each_tdp_pte(iter, ..., gfn, gfn + 1)
    { *spte = iter.old_spte; sptep = iter.sptep; }`` under ``rcu_read_lock``), read as the
    kernel reads it, one SPTE per step: the 2M entry (``iter.old_spte``); if it is a
    present leaf the walk ends there (``sptep`` = the 2M entry, level 2); if it is a present
    non-leaf the walk steps down into the table it points to (``spte_to_child_pt(
    iter.old_spte)``: the table read, which RCU keeps even once a recovery has unlinked it)
    and reads the 4K entry; if it is not present (or frozen) the walk ends and
    ``fast_page_fault`` gives up (``!is_shadow_present_pte(spte)``).  The rest is
    :func:`add_fast_fault`'s: compute, ``try_cmpxchg64(sptep, &spte, new)`` on the entry the
    walk ended at, retry (the whole walk) up to ``attempts`` times, ``mark_page_dirty_in_slot
    (fault->gfn)`` if W went 0→1; a huge write fault on an MMU-writable SPTE gives up only
    where ``fast_page_fault`` says (from v5.17: in a dirty-logged slot)."""
    L = w.L
    d = w.sptes[i]
    assert d.parent is not None and w.sptes[d.parent].collapses, "a child of a recoverable entry"
    p = d.parent
    pd = w.sptes[p]
    sn, pn = w.s(i), w.s(p)
    access = P.Access.WRITE
    name = name or f"fastpf{v}"
    a = w.mb.actor(name, "host", f"vCPU{v} (fast page fault, TDP MMU walk)")
    a.idle_at("done")
    gfn = a.var("gfn", 8, doc="fault->gfn")
    s = a.var("spte", 64)
    new = a.var("new", 64)
    at2m = a.var("at_2m", 0, False, doc="the walk ended at the 2M entry (sptep)")
    go = a.var("go", 0, False)
    tries = a.var("tries", 4, 0)
    hwp = a.var("hw_present", 0, False)
    walk_fn = f"kvm_tdp_mmu_fast_pf_get_last_sptep() {TDP_C} @ {L.tag}"

    def huge_now(o: Ops[Any, Any], st: St) -> Value:
        ps = st[pn]
        return o.and_(P.is_shadow_present_pte(o, L, ps), w.is_leaf_now(o, p, ps))

    def table_now(o: Ops[Any, Any], st: St) -> Value:
        ps = st[pn]
        return o.and_(P.is_shadow_present_pte(o, L, ps), o.not_(w.is_leaf_now(o, p, ps)))

    def translation(o: Ops[Any, Any], st: St) -> Value:
        """What the CPU's walk of the gfn ends at (the 4K entry while the 2M one is a
        table, else the 2M entry)."""
        return o.ite(table_now(o, st), st[sn], st[pn])

    def e_fault(o: Ops[Any, Any], st: St) -> Upd:
        return {gfn: o.lit(d.gfn, 8), hwp: _hw_present(o, w, translation(o, st))}

    a.step("start", "faulted", "fault", spte=i,
           guard=lambda o, st: o.not_(P.is_access_allowed(o, L, access, translation(o, st))),
           effect=e_fault, text=f"EPT violation / #PF (write) on gfn {d.gfn:#x}",
           kernel=_k("kvm_mmu_page_fault", w))
    checks_fast = w.site(S.FASTPF_CAN_BE_FAST) == "present"

    def can_be_fast(o: Ops[Any, Any], st: St) -> Value:
        if not checks_fast:
            return o.true()
        return o.ite_b(st[hwp], o.true(), o.boolean(L.mode == "ept-noad"))

    a.step("faulted", "walk", "can_be_fast", guard=can_be_fast,
           text="page_fault_can_be_fast(): yes", kernel=_k("page_fault_can_be_fast", w))
    a.step("faulted", "done", "not_fast", guard=lambda o, st: o.not_(can_be_fast(o, st)),
           text="page_fault_can_be_fast(): no (slow path)",
           kernel=_k("page_fault_can_be_fast", w))
    a.step("walk", "walk2m", "walk_2m", spte=p,
           effect=lambda o, st: {s: st[pn], at2m: o.true()},
           text=f"walk: *spte = iter.old_spte = READ_ONCE(*{pn}); sptep = {pn}", kernel=walk_fn)

    def down(o: Ops[Any, Any], st: St) -> Value:
        return o.and_(P.is_shadow_present_pte(o, L, st[s]), o.not_(w.is_leaf_now(o, p, st[s])))

    a.step("walk2m", "read", "walk_4k", spte=i, guard=down,
           effect=lambda o, st: {s: st[sn], at2m: o.false()},
           text=f"{pn} present, not a leaf: step down into its table; *spte = iter.old_spte "
                f"= READ_ONCE(*{sn}); sptep = {sn}", kernel=walk_fn)
    a.step("walk2m", "read", "walk_end_2m", guard=lambda o, st: o.not_(down(o, st)),
           text=f"{pn} a leaf or not present: the walk ends at it", kernel=walk_fn)

    give_up_site = w.guard(S.FASTPF_GIVE_UP)
    huge_gives_up = (w.site(S.FASTPF_HUGE) == "present"
                     and (pd.gfn in w.logged_gfns or not L.fastpf_huge_only_if_logged))

    def e_compute(o: Ops[Any, Any], st: St) -> Upd:
        old = st[s]
        tracked = P.is_access_track_spte(o, L, old)
        restored = P.restore_acc_track_spte(o, L, old)
        if L.restore_sets_accessed:
            restored = o.set_bits(restored, L.accessed)
        n = o.ite(tracked, restored, old)
        n = o.ite(P.is_mmu_writable_spte(o, L, old), o.set_bits(n, L.w), n)
        last = o.ite_b(st[at2m], P.is_last_spte(o, L, old, pd.level),
                       P.is_last_spte(o, L, old, d.level))
        ok = o.and_(P.is_shadow_present_pte(o, L, old), last,
                    o.not_(P.is_access_allowed(o, L, access, old)), o.ne(n, old),
                    P.is_access_allowed(o, L, access, n))
        give_up = give_up_site(o, old, o.not_(ok))
        blocked = o.and_(st[at2m], o.boolean(huge_gives_up), P.is_mmu_writable_spte(o, L, old))
        return {new: n, go: o.and_(o.not_(give_up), o.not_(blocked))}

    a.step("read", "computed", "compute", effect=e_compute, local=True,
           text="new_spte = spte (restore_acc_track_spte, then set PT_WRITABLE_MASK); a huge "
                "write fault in a dirty-logged slot gives up", kernel=_k("fast_page_fault", w))
    a.step("computed", "done", "give_up", guard=lambda o, st: o.not_(st[go]),
           text="not present / not a leaf / spurious / cannot fix: give up",
           kernel=_k("fast_page_fault", w))
    cx = w.site(S.FASTPF_CMPXCHG) == "cmpxchg"
    for j, jn, tag, is2m in ((i, sn, "", False), (p, pn, ".2m", True)):
        def e_cx(o: Ops[Any, Any], st: St, j: int = j) -> Upd:
            return w.store(o, st, j, st[new], kind="cmpxchg" if cx else "plain", ctx="none")

        def at(o: Ops[Any, Any], st: St, is2m: bool = is2m) -> Value:
            return st[at2m] if is2m else o.not_(st[at2m])

        def g_ok(o: Ops[Any, Any], st: St, at: Any = at, jn: str = jn) -> Value:
            return o.and_(st[go], at(o, st), o.eq(st[jn], st[s]) if cx else o.true())

        a.step("computed", "fixed", f"cmpxchg_ok{tag}", spte=j, effect=e_cx, guard=g_ok,
               text=f"try_cmpxchg64({jn}, &spte, new_spte) succeeds" if cx else
                    f"WRITE_ONCE(*{jn}, new_spte) (site {S.FASTPF_CMPXCHG}: plain)",
               kernel=_k("fast_pf_fix_direct_spte", w))

        def g_fail(o: Ops[Any, Any], st: St, last: bool, at: Any = at, jn: str = jn) -> Value:
            if not cx:
                return o.false()
            more = o.ult(o.add(st[tries], o.lit(1, 4)), o.lit(attempts, 4))
            return o.and_(st[go], at(o, st), o.ne(st[jn], st[s]),
                          o.not_(more) if last else more)

        def g_retry(o: Ops[Any, Any], st: St, g_fail: Any = g_fail) -> Value:
            return g_fail(o, st, False)

        def g_last(o: Ops[Any, Any], st: St, g_fail: Any = g_fail) -> Value:
            return g_fail(o, st, True)

        def e_retry(o: Ops[Any, Any], st: St) -> Upd:
            return {tries: o.add(st[tries], o.lit(1, 4))}

        a.step("computed", "walk", f"cmpxchg_fail{tag}", spte=j, guard=g_retry,
               effect=e_retry, text=f"try_cmpxchg64({jn}, ...) fails: retry (the walk again)",
               kernel=_k("fast_page_fault", w))
        a.step("computed", "done", f"cmpxchg_fail_last{tag}", spte=j, guard=g_last,
               text=f"try_cmpxchg64({jn}, ...) fails: {attempts} attempts, give up",
               kernel=_k("fast_page_fault", w))

    def w_set(o: Ops[Any, Any], st: St) -> Value:
        return o.and_(P.is_writable_pte(o, L, st[new]), o.not_(P.is_writable_pte(o, L, st[s])))

    marks = w.site(S.FASTPF_MARK) == "marked"
    a.step("fixed", "done", "mark_page_dirty", guard=w_set,
           effect=lambda o, st: w.mark_page_dirty(o, st, st[gfn], o.boolean(marks)),
           text="mark_page_dirty_in_slot(kvm, fault->slot, fault->gfn)" if marks else
                f"(no mark_page_dirty_in_slot: site {S.FASTPF_MARK} absent)",
           kernel=_k("fast_pf_fix_direct_spte", w))
    a.step("fixed", "done", "fixed_no_mark", guard=lambda o, st: o.not_(w_set(o, st)),
           text="RET_PF_FIXED (W unchanged)", kernel=_k("fast_pf_fix_direct_spte", w))
