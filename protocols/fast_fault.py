"""``fast_page_fault`` (mmu.c), the lockless fault fix-up, step by step.

Steps, per docs/kernel-notes.md §3.7 (V-MID mmu.c, V-NEW mmu.c @ v6.15+):

1. the vCPU faults (the access is not allowed by the SPTE); ``page_fault_can_be_fast``:
   a not-present fault only without A/D (access tracking), a present fault only for writes;
   fast faults run only on direct shadow pages / the TDP MMU (R1's rule);
2. lockless walk: ``spte = READ_ONCE(*sptep)`` (for a TDP child, the parent first; through
   a 2M entry whose level changes, the TDP MMU's walk read for read, :func:`_tdp_walk`);
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


def _fault_actor(w: World, v: int, name: str) -> tuple[Any, str, str, str, str, str, str]:
    """The fast page fault's actor and its locals, in this order (the transition system's
    variable order): ``fault->gfn``, the SPTE read, the new SPTE, the give-up/go flag, the
    cmpxchg attempts, whether the hardware saw the SPTE present."""
    a = w.mb.actor(name, "host", f"vCPU{v} (fast page fault)")
    a.idle_at("done")
    return (a, a.var("gfn", 8, doc="fault->gfn"), a.var("spte", 64), a.var("new", 64),
            a.var("go", 0, False), a.var("tries", 4, 0), a.var("hw_present", 0, False))


def add_fast_fault(w: World, v: int, i: int, access: P.Access = P.Access.WRITE,
                   name: str | None = None, attempts: int = MAX_ATTEMPTS,
                   page: int | None = None) -> None:
    """vCPU ``v`` takes a fault of kind ``access`` on SPTE ``i`` and runs fast_page_fault.
    A 2M entry whose level changes (a huge leaf a split turns into a non-leaf,
    ``SpteDecl.splits``, or a non-leaf a recovery turns into a huge leaf,
    ``SpteDecl.collapses``) takes ``page``: the fault is on that 4K page, and the TDP
    MMU's lockless walk ends at the 2M entry or at child ``page`` of its table
    (:func:`_tdp_walk`)."""
    L = w.L
    d = w.sptes[i]
    sn = w.s(i)
    name = name or f"fastpf{v}"
    if w.level_changes(i):
        _tdp_walk(w, v, i, 0 if page is None else page, access, name, attempts)
        return
    a, gfn, s, new, go, tries, hwp = _fault_actor(w, v, name)

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
         read: tuple[Any, bool, str, str] | None = None) -> None:
    """``fast_page_fault`` on the last SPTE of the walk, SPTE ``i``, from ``src``: the
    read of the SPTE (``read``: where the TDP walk reads it, its (guard, keep, text,
    kernel): the guard says this read ends the walk at SPTE ``i``; ``keep``: the value
    ``fast_page_fault`` uses is the one an earlier read left in ``spte``), the
    computation, the give-up tests, ``fast_pf_fix_direct_spte``'s cmpxchg (a failure
    re-walks from ``retry``), ``mark_page_dirty_in_slot``.  Labels are prefixed with
    ``p``; ``lv`` = the actor's (gfn, spte, new, go, tries)."""
    L = w.L
    d = w.sptes[i]
    sn = w.s(i)
    gfn, s, new, go, tries = lv
    if read is None:
        a.step(src, f"{p}read", f"{p}read", spte=i, effect=lambda o, st: {s: st[sn]},
               text=f"spte = READ_ONCE(*{sn})", kernel=_k("fast_page_fault", w))
    else:
        guard, keep, text, kernel = read
        a.step(src, f"{p}read", f"{p}read", spte=i, guard=guard, text=text, kernel=kernel,
               effect=None if keep else (lambda o, st: {s: st[sn]}))

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


TDP_C = "arch/x86/kvm/mmu/tdp_mmu.c"
TDP_ITER_C = "arch/x86/kvm/mmu/tdp_iter.c"


def _tdp_walk(w: World, v: int, u: int, k: int, access: P.Access, name: str,
              attempts: int) -> None:
    """``fast_page_fault`` (mmu.c, M3 / N2) for 4K page ``k`` of the 2M entry ``u``, whose
    level a concurrent operation changes: a huge leaf that the TDP fault path's or the
    eager split links a table in place of (``SpteDecl.splits``), or a non-leaf that the
    in-place recovery replaces by a huge leaf and whose table ``handle_removed_pt`` then
    freezes (``SpteDecl.collapses``).  One walk for both shapes.

    The fault (what the CPU's walk reaches for page ``k`` denies the access: child ``k``
    while ``u`` is a present non-leaf, else ``u``), ``page_fault_can_be_fast``, then
    ``kvm_tdp_mmu_fast_pf_get_last_sptep`` (tdp_mmu.c, N1 / M4: under
    ``rcu_read_lock``, ``for_each_tdp_pte(iter, ..., gfn, gfn + 1) { *spte =
    iter.old_spte; sptep = iter.sptep; }``) as tdp_iter.c (N1) reads memory, one read per
    step, from the 2M level down (the levels above it are not SPTEs of the model):

    1. ``walk_2m``: arriving at the 2M entry, ``tdp_iter_refresh_sptep`` reads it
       (``iter.old_spte``); the loop body keeps it: ``*spte`` = that value, ``sptep`` =
       the 2M entry;
    2. ``tdp_iter_next`` → ``try_step_down`` reads it **again** ("Reread the SPTE before
       stepping down to avoid traversing into page tables that are no longer linked")
       and ``spte_to_child_pt`` of that second value decides: a present non-leaf →
       ``walk_down`` into the table it points to; else ``read`` (the walk ends:
       ``try_step_side`` moves past ``gfn + 1`` and the loop stops; ``*spte`` still holds
       the *first* value, ``sptep`` the 2M entry, so a first value that was a table, read
       before a recovery made the entry huge, reaches ``fast_page_fault`` as a non-leaf
       and it gives up: ``!is_last_spte(spte, sp->role.level)``);
    3. ``c.read``: ``tdp_iter_refresh_sptep`` reads child ``k`` of that table (it may be
       FROZEN_SPTE once the recovery's ``handle_removed_pt`` has processed it: RCU keeps
       the table); ``*spte`` = that value, ``sptep`` = the child.  The reads after it
       (``try_step_side`` to the next 4K entry or ``try_step_up``) never reach the loop
       body: their values are dropped, so they are not steps.

    Each end continues in :func:`_fix`, the steps ``add_fast_fault`` shares (the
    computation at the level of the entry the walk ended at, a huge write fault on an
    MMU-writable SPTE given up where ``fast_page_fault`` says, ``try_cmpxchg64(sptep,
    &spte, new)`` on that entry, ``mark_page_dirty_in_slot(fault->gfn)``); a failed
    cmpxchg walks again from the top (``retry``).  The two shapes take the same steps;
    what differs is only what their concurrent operation makes reachable."""
    L = w.L
    d = w.sptes[u]
    un = w.s(u)
    assert d.level == 2 and w.level_changes(u), "a 2M entry a split or a recovery changes"
    c = w.children(u)[k]
    cn = w.s(c)
    a, gfn, s, new, go, tries, hwp = _fault_actor(w, v, name)

    def table(o: Ops[Any, Any], v: Value) -> Value:
        """``spte_to_child_pt(v, 2) != NULL``: present and not a leaf."""
        return o.and_(P.is_shadow_present_pte(o, L, v), o.not_(w.is_leaf_now(o, u, v)))

    def now(o: Ops[Any, Any], st: St) -> Value:
        """What the CPU's walk reaches for page k: the child under a table, else SPTE u."""
        return o.ite(table(o, st[un]), st[cn], st[un])

    def e_fault(o: Ops[Any, Any], st: St) -> Upd:
        return {gfn: o.lit(d.gfn + k, 8), hwp: _hw_present(o, w, now(o, st))}

    a.step("start", "faulted", f"fault.p{k}", spte=u, effect=e_fault,
           guard=lambda o, st: o.not_(P.is_access_allowed(o, L, access, now(o, st))),
           text=f"EPT violation / #PF ({access.value}) on 4K page {k} (gfn {d.gfn + k:#x}) "
                f"of {un}", kernel=_k("kvm_mmu_page_fault", w))
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
    walk = f"kvm_tdp_mmu_fast_pf_get_last_sptep() {TDP_C} @ {L.tag}"
    step_down = f"try_step_down() {TDP_ITER_C} @ {L.tag}, for {walk}"
    a.step("walk", "walk_2m", "walk_2m", spte=u, effect=lambda o, st: {s: st[un]},
           text=f"lockless walk: iter.old_spte = READ_ONCE(*{un}) (tdp_iter_refresh_sptep); "
                f"*spte = iter.old_spte; sptep = {un}", kernel=walk)
    a.step("walk_2m", "walk_c", "walk_down", spte=u, guard=lambda o, st: table(o, st[un]),
           text=f"lockless walk: try_step_down re-reads {un}: a present non-leaf, step down "
                "into the table it points to", kernel=step_down)
    lv = (gfn, s, new, go, tries)
    _fix(w, a, u, access, "walk_2m", "", "walk", lv, attempts,
         read=(lambda o, st: o.not_(table(o, st[un])), True,
               f"lockless walk: try_step_down re-reads {un}: not a present non-leaf, the "
               f"walk ends at it (sptep = {un}; *spte keeps the value read on arrival)",
               step_down))
    _fix(w, a, c, access, "walk_c", "c.", "walk", lv, attempts,
         read=(lambda o, st: o.true(), False,
               f"lockless walk: iter.old_spte = READ_ONCE(*{cn}) (tdp_iter_refresh_sptep), "
               f"the last level: *spte = iter.old_spte; sptep = {cn}", walk))
