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
                   name: str | None = None, attempts: int = MAX_ATTEMPTS) -> None:
    """vCPU ``v`` takes a fault of kind ``access`` on SPTE ``i`` and runs fast_page_fault."""
    L = w.L
    d = w.sptes[i]
    sn = w.s(i)
    name = name or f"fastpf{v}"
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

    a.step(src, "read", "read", spte=i, effect=lambda o, st: {s: st[sn]},
           text=f"spte = READ_ONCE(*{sn})", kernel=_k("fast_page_fault", w))

    give_up_site = w.guard(S.FASTPF_GIVE_UP)
    huge = a.var("huge", 0, False) if d.level > 1 else None
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

    a.step("read", "computed", "compute", effect=e_compute, local=True,
           text="new_spte = spte (restore_acc_track_spte, then set PT_WRITABLE_MASK)",
           kernel=_k("fast_page_fault", w))
    if huge is None:
        a.step("computed", "done", "give_up", guard=lambda o, st: o.not_(st[go]),
               text="not present / spurious / cannot fix: give up",
               kernel=_k("fast_page_fault", w))
    else:
        hv = huge
        a.step("computed", "done", "give_up",
               guard=lambda o, st: o.and_(o.not_(st[go]), o.not_(st[hv])),
               text="not present / spurious / cannot fix: give up",
               kernel=_k("fast_page_fault", w))
        a.step("computed", "done", "huge_dirty_log", guard=lambda o, st: st[hv],
               text=f"huge SPTE (level {d.level})"
                    + (" in a dirty-logged slot" if L.fastpf_huge_only_if_logged else "")
                    + ": give up, the slow path maps 4K (fast_pf_fix_direct_spte would "
                      "mark only fault->gfn dirty)",
               kernel=_k("fast_page_fault", w))

    cx = w.site(S.FASTPF_CMPXCHG) == "cmpxchg"

    def e_cx(o: Ops[Any, Any], st: St) -> Upd:
        return w.store(o, st, i, st[new], kind="cmpxchg" if cx else "plain", ctx="none")

    a.step("computed", "fixed", "cmpxchg_ok", spte=i, effect=e_cx,
           guard=lambda o, st: o.and_(st[go], o.eq(st[sn], st[s]) if cx else o.true()),
           text=f"try_cmpxchg64({sn}, &spte, new_spte) succeeds" if cx else
                f"WRITE_ONCE(*{sn}, new_spte) (site {S.FASTPF_CMPXCHG}: plain)",
           kernel=_k("fast_pf_fix_direct_spte", w))

    def g_fail(o: Ops[Any, Any], st: St, last: bool) -> Value:
        if not cx:
            return o.false()
        more = o.ult(o.add(st[tries], o.lit(1, 4)), o.lit(attempts, 4))
        return o.and_(st[go], o.ne(st[sn], st[s]), o.not_(more) if last else more)

    a.step("computed", src, "cmpxchg_fail", spte=i,
           guard=lambda o, st: g_fail(o, st, False),
           effect=lambda o, st: {tries: o.add(st[tries], o.lit(1, 4))},
           text=f"try_cmpxchg64({sn}, ...) fails: retry", kernel=_k("fast_page_fault", w))
    a.step("computed", "done", "cmpxchg_fail_last", spte=i,
           guard=lambda o, st: g_fail(o, st, True),
           text=f"try_cmpxchg64({sn}, ...) fails: {attempts} attempts, give up",
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
