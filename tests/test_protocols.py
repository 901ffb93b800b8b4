"""The KVM protocol models: every race R1–R5 found on its buggy variant and absent on the
kernel's real code, by both engines; witnesses replay; fixed code holds everywhere.

Verdicts are computed by the engines; the only inputs are which variant/scenario/version a
race belongs to (protocols/scenarios.py RACES) and the bound.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from verify import checker
from verify.engines.bmc import bmc
from verify.engines.explore import explore
from verify.engines.replay import ReplayError, replay
from verify.errors import InputError
from verify.layouts import MODES, VERSIONS, get_layout
from verify.protocols import submodule
from verify.reports.results import Verdict

BOUND = 20
sc = submodule("scenarios")
va = submodule("variants")
wo = submodule("world")


def _job(race: Any, variant: str) -> checker.Job:
    (job,) = checker.plan(kernel=race.version, mode=race.mode, variant=variant,
                          scenarios=[race.scenario])
    return job


@pytest.mark.parametrize("rid", sorted(sc.RACES))
def test_race_found_on_buggy_variant_and_absent_on_fixed(rid: str) -> None:
    race = sc.RACES[rid]
    buggy = _job(race, race.variant)
    fixed = _job(race, "fixed")
    (b_exp,) = explore(buggy.model, BOUND, [race.property])
    (f_exp,) = explore(fixed.model, BOUND, [race.property])
    assert b_exp.verdict is Verdict.VIOLATED, b_exp.message
    assert f_exp.verdict.safe, f_exp.message
    (b_smt,) = bmc(buggy.model, BOUND, [race.property])
    assert b_smt.verdict is Verdict.VIOLATED, b_smt.message
    assert b_smt.depth is not None
    # the fixed code holds at the bound where the buggy variant broke (and, above, is
    # proved by exhaustive search at any bound)
    (f_smt,) = bmc(fixed.model, b_smt.depth, [race.property])
    assert f_smt.verdict is Verdict.HOLDS, f_smt.message
    # both shortest: the same depth; the SMT witness replays on the concrete MMU
    assert b_smt.depth == b_exp.depth
    assert b_smt.witness is not None
    rep = replay(buggy.model, b_smt.witness, [race.property])
    assert rep.first_violation[race.property] == b_smt.depth


@pytest.mark.parametrize("rid", sorted(sc.RACES))
def test_race_selectable_by_id_and_name(rid: str) -> None:
    race = sc.RACES[rid]
    assert va.get_variant(rid) is va.get_variant(race.variant)
    assert va.get_variant(rid.lower()).race == rid


def test_explorer_witness_replays_to_same_violation() -> None:
    race = sc.RACES["R4"]
    job = _job(race, race.variant)
    (r,) = explore(job.model, BOUND, [race.property])
    assert r.witness is not None and r.depth is not None
    rep = replay(job.model, r.witness)
    assert rep.first_violation[race.property] == r.depth
    # one step fewer does not violate: the schedule is minimal in length
    rep_short = replay(job.model, r.witness[:-1])
    assert race.property not in rep_short.first_violation


def _all_fixed() -> list[tuple[str, str, str]]:
    return [(s.name, v, m) for s in sc.SCENARIOS.values() if not s.large
            for v in VERSIONS for m in s.modes if s.applies(get_layout(v, m))]


@pytest.mark.parametrize(("scenario", "version", "mode"), _all_fixed())
def test_fixed_kernel_code_is_proved_by_exhaustive_search(scenario: str, version: str,
                                                          mode: str) -> None:
    (job,) = checker.plan(kernel=version, mode=mode, scenarios=[scenario])
    results = explore(job.model, 60)
    found = {f.property: f for f in sc.FINDINGS if f.scenario == scenario}
    for r in results:
        if r.property in found:  # a race the model finds in the kernel (FINDINGS)
            assert r.verdict is Verdict.VIOLATED, (r.property, r.verdict)
            assert r.depth == found[r.property].depth, r.depth
            continue
        assert r.verdict is Verdict.PROVED, (r.property, r.witness)


CROSS = [("V-MID", "ept-ad"), ("V-NEW", "ept-ad"), ("V-MID", "ept-noad"),
         ("V-NEW", "legacy")]


def _cross_cases() -> list[tuple[str, str, str, str]]:
    out = []
    for s in sc.SCENARIOS.values():
        if s.large:
            continue
        for v, m in CROSS:
            if m not in s.modes or v not in s.versions:
                continue
            for var in va.VARIANTS:
                out.append((s.name, v, m, var))
    return out


def _cross(scenario: str, version: str, mode: str, variant: str, bound: int) -> None:
    (job,) = checker.plan(kernel=version, mode=mode, variant=variant, scenarios=[scenario])
    exp = explore(job.model, bound)
    smt = bmc(job.model, bound)
    for e, s in zip(exp, smt, strict=True):
        assert e.property == s.property
        assert e.verdict.agrees(s.verdict), (e.property, e.verdict, s.verdict)
        if e.verdict is Verdict.VIOLATED:
            assert s.depth is not None and e.depth is not None and s.depth <= e.depth


@pytest.mark.parametrize("case", [c for c in _cross_cases() if c[3] in ("fixed",)
                                  and c[1] == "V-NEW" and c[2] == "ept-ad"])
def test_engines_agree_default_configuration(case: tuple[str, str, str, str]) -> None:
    _cross(*case, bound=14)


@pytest.mark.parametrize("case", [(s.name, v, "ept-ad", "fixed") for s in sc.SCENARIOS.values()
                                  if "ept-ad" in s.modes and not s.large
                                  for v in ("V-OLD", "V-MID", "V-613")
                                  if s.applies(get_layout(v, "ept-ad"))])
def test_engines_agree_every_version(case: tuple[str, str, str, str]) -> None:
    """Every modelled kernel version (the bounded CI form of the full matrix below)."""
    _cross(*case, bound=10)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("SPTE_VERIFY_FULL"), reason="full matrix: set "
                    "SPTE_VERIFY_FULL=1")
@pytest.mark.parametrize("case", _cross_cases())
def test_engines_agree_full_matrix(case: tuple[str, str, str, str]) -> None:
    _cross(*case, bound=16)


def test_weaker_hardware_without_d_recheck_loses_dirty_on_v_mid_zap() -> None:
    """Primer §3: with no D-assist re-check, the real V-MID zap path loses D at 2 vCPUs."""
    strong = checker.plan(kernel="V-MID", mode="ept-ad", scenarios=["zap-vs-writers"],
                          properties=["host-dirty"])[0]
    weak = checker.plan(kernel="V-MID", mode="ept-ad", scenarios=["zap-vs-writers"],
                        properties=["host-dirty"],
                        hw=wo.HwParams(d_assist_recheck=False))[0]
    (rs,) = explore(strong.model, BOUND, ["host-dirty"])
    (rw,) = explore(weak.model, BOUND, ["host-dirty"])
    assert rs.verdict.safe
    assert rw.verdict is Verdict.VIOLATED


def test_every_property_is_checked_somewhere_and_can_fail() -> None:
    """Each property of primer §5 is violated by some shipped buggy variant (so a check
    that always said 'holds' would fail this test) or — for the invariant — by a model
    whose store is corrupted."""
    violated: set[str] = set()
    for race in sc.RACES.values():
        job = _job(race, race.variant)
        for r in explore(job.model, BOUND):
            if r.verdict is Verdict.VIOLATED:
                violated.add(r.property)
    (acc,) = checker.plan(kernel="V-MID", mode="ept-ad", variant="accessed-not-volatile",
                          scenarios=["aging-vs-wrtrack"], properties=["accessed"])
    (fix,) = checker.plan(kernel="V-MID", mode="ept-ad", scenarios=["aging-vs-wrtrack"],
                          properties=["accessed"])
    for r in explore(acc.model, BOUND):
        if r.verdict is Verdict.VIOLATED:
            violated.add(r.property)
    assert all(r.verdict.safe for r in explore(fix.model, BOUND))
    # spte-invariant: test_spte_invariant_property_detects_a_bad_store
    assert {"no-stale-tlb", "dirty-log", "host-dirty", "lock-discipline", "accessed",
            "no-stale-translation", "zap-leaves-nothing", "write-tracking",
            "freed-table-empty"} <= violated


def test_accessed_is_promised_before_v6_13_and_for_access_tracked_sptes() -> None:
    for version, promised in (("V-OLD", True), ("V-MID", True), ("V-613", False),
                              ("V-NEW", False)):
        for mode in ("ept-ad", "legacy"):
            (job,) = checker.plan(kernel=version, mode=mode, scenarios=["aging-vs-wrtrack"])
            assert ("accessed" in job.properties) is promised
        # without A/D bits "accessed" is "not access-tracked", volatile in every version
        (job,) = checker.plan(kernel=version, mode="ept-noad", scenarios=["aging-vs-wrtrack"])
        assert "accessed" in job.properties


def test_v613_zap_ends_the_accessed_window() -> None:
    """From v6.13 (66bc627e7fee) a zap does not mark the page accessed: an access, a
    zap, then an aging pass that reports old is what the kernel does, not a violation;
    before v6.13 the zap's kvm_set_pfn_accessed tells the host."""
    for version in ("V-MID", "V-NEW"):
        (job,) = checker.plan(kernel=version, mode="ept-noad", scenarios=["lost-dirty"],
                              properties=["accessed"], form=checker.Form(ops=2))
        assert all(r.verdict.safe for r in explore(job.model, BOUND)), version


def test_spte_invariant_property_detects_a_bad_store() -> None:
    from verify.model import Model
    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=["wrtrack-vs-fastpf"],
                          properties=["spte-invariant"])
    m = job.model
    L = sc.SCENARIOS["wrtrack-vs-fastpf"]
    del L
    acts = list(m.actions)
    k = next(i for i, a in enumerate(acts) if a.label == "fastpf0.cmpxchg_ok")
    a = acts[k]
    w_bit = 1 << 1
    mmu_w = 1 << 58

    def bad_effect(o: Any, st: Any, a: Any = a) -> dict[str, Any]:
        upd = a.effect(o, st)
        upd["spte0"] = o.clear_bits(o.set_bits(st["spte0"], w_bit), mmu_w)  # W without MMU-W
        return upd

    from dataclasses import replace
    acts[k] = replace(a, effect=bad_effect)
    mutant = Model(m.name + "+bad", m.summary, m.vars, acts, m.properties, m.actors, m.params)
    (r,) = explore(mutant, BOUND, ["spte-invariant"])
    assert r.verdict is Verdict.VIOLATED


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("SPTE_VERIFY_FULL"), reason="large scenario: set "
                    "SPTE_VERIFY_FULL=1")
@pytest.mark.parametrize("variant", ["fixed", "R4", "R2"])
def test_large_scenario_engines_agree(variant: str) -> None:
    _cross("mixed-2vcpu", "V-MID", "ept-ad", variant, bound=16)


def test_split_exists_from_v5_18_and_keeps_the_translation() -> None:
    """No eager split on V-OLD; after a split the CPU walks through the new non-leaf to
    the children, and a huge TLB entry cached before it still maps what they map (a
    write through it and a D assist of it break nothing)."""
    from verify.errors import InputError
    from verify.expr import CONCRETE as C
    from verify.layouts import get_layout
    from verify.spte import is_large_pte, is_shadow_present_pte
    with pytest.raises(InputError, match="tdp_eager_split"):
        checker.plan(kernel="V-OLD", mode="ept-ad", scenarios=["tdp-split-vs-wrprot"])
    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=["tdp-split-vs-wrprot"])
    L = get_layout("V-NEW", "ept-ad")
    split = ["split.read_lock", "split.read", "split.fill", "split.link_ok",
             "split.read_unlock"]
    rep = replay(job.model, ["cpu0.write.s0.p1", *split, "cpu0.write_hit.s0.p0",
                             "cpu0.write.s2"])
    assert not rep.first_violation, rep.first_violation
    last = rep.steps[-1].state
    assert is_shadow_present_pte(C, L, last["spte0"]) and not is_large_pte(C, L, last["spte0"])
    assert last["tlb.v0.s0.valid"] and last["tlb.v0.s2.valid"]


def test_scenario_versions_select_where_it_is_built() -> None:
    """A scenario whose operations exist in some versions only is planned there only;
    asked for by name elsewhere it is an input error (exit 2), not a vacuous model."""
    from verify.errors import InputError

    name = "tdp-zap-atomic-vs-fault"
    only = sc.SCENARIOS[name].versions
    assert only != tuple(VERSIONS)
    for v in VERSIONS:
        planned = {j.scenario for j in checker.plan(kernel=v, mode="ept-ad")}
        assert (name in planned) == (v in only), v
        if v not in only:
            with pytest.raises(InputError, match="does not exist on"):
                checker.plan(kernel=v, mode="ept-ad", scenarios=[name])


def test_clear_dirty_rechecks_the_leaf_and_descends_after_a_split() -> None:
    """clear_dirty_gfn_range reads the dirty huge leaf, a split links its table first
    (vCPU1's instruction fetch: kvm_tdp_mmu_map -> tdp_mmu_split_huge_page, then page 0
    mapped by make_spte, here equal to the child the split made: RET_PF_SPURIOUS), the
    cmpxchg fails: the refreshed old_spte is a non-leaf, so it is skipped and the
    walk clears D in both children instead; the 2M write-protect then skips the non-leaf
    (min_level 2M: it does not step down); then the caller's flush.  No property breaks,
    and the huge SPTE stays the split's non-leaf.  The scenario exists on EPT with A/D
    bits only: clear-dirty is the enabling path with PML, which needs them."""
    from verify.errors import InputError
    from verify.expr import CONCRETE as C
    from verify.spte import is_large_pte, is_shadow_present_pte, is_writable_pte

    tdp = submodule("tdp")
    with pytest.raises(InputError, match="tdp_fault_split"):
        checker.plan(kernel="V-OLD", mode="ept-ad", scenarios=["tdp-split-vs-clear-dirty"])
    for mode in ("ept-noad", "legacy"):
        with pytest.raises(InputError, match="modes: ept-ad"):
            checker.plan(kernel="V-NEW", mode=mode, scenarios=["tdp-split-vs-clear-dirty"])
    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=["tdp-split-vs-clear-dirty"])
    L = get_layout("V-NEW", "ept-ad")
    dbit = tdp.clear_dirty_bit(L)[0]
    assert dbit == L.dirty
    split = ["tdpfault1.exec_fault.p0", "tdpfault1.read_lock", "tdpfault1.read_huge",
             "tdpfault1.fill", "tdpfault1.link_ok", "tdpfault1.read", "tdpfault1.make_spte",
             "tdpfault1.spurious", "tdpfault1.read_unlock"]
    cd = ["cleardirty.cmpxchg_fail", "cleardirty.descend", "cleardirty.c0.read",
          "cleardirty.c0.cmpxchg_ok", "cleardirty.c1.read", "cleardirty.c1.cmpxchg_ok",
          "cleardirty.read_unlock", "cleardirty.wp2m.read_lock", "cleardirty.wp2m.read",
          "cleardirty.wp2m.nonleaf", "cleardirty.wp2m.read_unlock", "cleardirty.flush"]
    rep = replay(job.model, ["cleardirty.read_lock", "cleardirty.read", *split, *cd])
    assert not rep.first_violation, rep.first_violation
    last = rep.steps[-1].state
    assert is_shadow_present_pte(C, L, last["spte0"]) and not is_large_pte(C, L, last["spte0"])
    for c in ("spte1", "spte2"):
        assert is_shadow_present_pte(C, L, last[c]) and not last[c] & dbit
        assert is_writable_pte(C, L, last[c])  # PML logs their next write (D 0->1)
    assert last["log.armed"]


def test_recovery_makes_the_table_huge_and_its_flush_ends_the_old_walks() -> None:
    """After an in-place recovery the CPU uses the huge leaf (both 4K pages), the children
    are frozen, and the flush leaves no vCPU an entry for the old page table; without the
    flush (R17) the child's TLB entry and the cached parent outlive the call."""
    from verify.expr import CONCRETE as C
    from verify.spte import is_frozen_spte, is_large_pte, is_shadow_present_pte

    L = get_layout("V-NEW", "ept-ad")
    rec = ["recover.read_lock", "recover.read", "recover.mk0.leaf", "recover.cmpxchg_ok",
           "recover.c0.xchg", "recover.c1.xchg"]
    for variant, flush in ((va.FIXED, "recover.flush"), (va.get_variant("R17"),
                                                          "recover.flush_absent")):
        (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", variant=variant,
                              scenarios=["tdp-recover-vs-fault"])
        rep = replay(job.model, ["cpu0.read.s1", *rec, flush, "recover.read_unlock"])
        last = rep.steps[-1].state
        assert is_shadow_present_pte(C, L, last["spte0"]) and is_large_pte(C, L, last["spte0"])
        assert is_frozen_spte(C, L, last["spte1"]) and is_frozen_spte(C, L, last["spte2"])
        stale = last["tlb.v0.s1.valid"] or last["psc.v0"]
        assert stale == (variant is not va.FIXED)
        assert bool(rep.first_violation) == stale
    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=["tdp-recover-vs-fault"])
    done = [*rec, "recover.flush", "recover.read_unlock"]
    rep = replay(job.model, [*done, "cpu0.read.s0"])
    assert not rep.first_violation and rep.steps[-1].state["tlb.v0.s0.valid"]
    with pytest.raises(ReplayError):  # no walk reaches a child of the freed table
        replay(job.model, [*done, "cpu0.read.s1"])


def test_tdp_range_zap_flushes_what_it_owes_before_it_yields() -> None:
    """tdp_mmu_zap_leafs yields between the two gfns through tdp_mmu_iter_cond_resched:
    on the real code it flushes the first gfn's zap before dropping mmu_lock (the vCPU's
    TLB entry is gone, ``flush`` is false again, the caller owes nothing at the end);
    R20 drops the owed flush.  The scenario
    does not exist on V-OLD (v5.10 yields after each zap and flushes unconditionally)."""
    head = ["cpu0.read.s0", "zaprange.write_lock", "zaprange.g0.read", "zaprange.g0.xchg",
            "zaprange.g0.done"]
    for variant, step in ((va.FIXED, "zaprange.g1.yield_flush"),
                          (va.get_variant("R20"), "zaprange.g1.yield")):
        (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", variant=variant,
                              scenarios=["tdp-zap-range-vs-wrtrack"])
        rep = replay(job.model, [*head, step, "zaprange.g1.yield_unlock"])
        last = rep.steps[-1].state
        assert not last["zaprange.flush"] and not last["lock.w"]
        assert last["tlb.v0.s0.valid"] == (variant is not va.FIXED)
    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=["tdp-zap-range-vs-wrtrack"])
    with pytest.raises(ReplayError):  # a flush is owed after the zap: no flushless yield
        replay(job.model, [*head, "zaprange.g1.yield_noflush"])
    assert sc.SCENARIOS["tdp-zap-range-vs-wrtrack"].versions == ("V-MID", "V-613", "V-NEW")


def test_shadow_split_exists_from_v6_0_flushes_nothing_and_keeps_d() -> None:
    """The shadow MMU's eager split (nested MMUs, v6.0+) does not exist on V-OLD.  In the
    small form (4K children) its drop never flushes: the ``flush`` it passes to
    __link_shadow_page only counts non-leaf children, so ``link.flush`` fires in no
    reachable state.  A D the CPU sets in the huge SPTE after the split read it (the
    children are clean) comes back in the drop's xchg: on V-MID the host marks both pages
    dirty, and nothing breaks."""
    from verify.engines.replay import Frame
    from verify.errors import InputError

    with pytest.raises(InputError, match="shadow_eager_split"):
        checker.plan(kernel="V-OLD", mode="ept-ad", scenarios=["shadow-split-vs-writer"])
    (job,) = checker.plan(kernel="V-MID", mode="ept-ad", scenarios=["shadow-split-vs-writer"])
    split = ["ssplit.write_lock", "ssplit.rmap_huge", "ssplit.read", "ssplit.fill",
             "ssplit.link.present", "ssplit.link.drop.read", "cpu0.write.s0.p0",
             "ssplit.link.drop.xchg", "ssplit.link.no_flush", "ssplit.link.link",
             "ssplit.write_unlock"]
    rep = replay(job.model, split)
    assert not rep.first_violation, rep.first_violation
    last = rep.steps[-1].state
    assert last["pfn_dirty.p100"] and last["pfn_dirty.p101"]
    # no reachable state enables the drop's flush
    fr = Frame(job.model)
    flush = next(a for a in job.model.actions if a.label == "ssplit.link.flush")
    s0 = fr.initial()
    seen, todo = {s0}, [s0]
    while todo:
        s = todo.pop()
        st = fr.st(s)
        assert not fr.enabled(s, flush, st)
        for a in job.model.actions:
            if fr.enabled(s, a, st):
                t = fr.successor(s, a, st)
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
    assert len(seen) > 50


@pytest.mark.parametrize("version", VERSIONS)
def test_lazy_split_flushes_the_huge_entry_and_maps_one_4k_page(version: str) -> None:
    """The slow path after fast page fault gave up on a huge SPTE of a dirty-logged slot:
    link_shadow_page drops the huge SPTE and flushes (the vCPU's huge TLB entry is gone),
    links the shadow page, then maps only the faulting 4K page, writable and logged; the
    other 4K page is unmapped.  Without the flush (R21) the huge entry outlives it."""
    (job,) = checker.plan(kernel=version, mode="ept-ad", scenarios=["huge-slowpf-split"])
    fault = ["slowpf0.fault.p0", "slowpf0.write_lock", "slowpf0.get_child_sp",
             "slowpf0.link.present", "slowpf0.link.drop.read", "slowpf0.link.drop.xchg",
             "slowpf0.link.flush", "slowpf0.link.link", "slowpf0.make_spte",
             "slowpf0.upd.read_old", "slowpf0.upd.set", "slowpf0.no_flush",
             "slowpf0.write_unlock"]
    rep = replay(job.model, ["cpu0.read.s0", *fault, "cpu0.write.s1"])
    assert not rep.first_violation, rep.first_violation
    last = rep.steps[-1].state
    assert not last["tlb.v0.s0.valid"] and last["tlb.v0.s1.valid"]
    assert last["dlog.g2"] and not last["dlog.g3"]
    assert last["spte2"] == get_layout(version, "ept-ad").nonpresent_value or last["spte2"] == 0
    (bad,) = checker.plan(kernel=version, mode="ept-ad", variant="R21",
                          scenarios=["huge-slowpf-split"])
    no_flush = [lab if lab != "slowpf0.link.flush" else "slowpf0.link.flush_absent"
                for lab in fault]
    rep = replay(bad.model, ["cpu0.read.s0", *no_flush], ["no-stale-translation"])
    assert rep.first_violation["no-stale-translation"] == len(no_flush) + 1


def test_freed_table_empty_is_checked_where_handle_removed_pt_runs() -> None:
    """freed-table-empty exists where an operation runs handle_removed_pt on a table (the
    zap under the write lock, the atomic zap, the recovery) and nowhere else: not where
    the recovery returns at once (tdp-recover-logged), unless a variant drops that."""
    where = {("zap-pt-vs-fastpf", "V-OLD"), ("zap-pt-vs-fastpf", "V-NEW"),
             ("tdp-zap-atomic-vs-fault", "V-MID"), ("tdp-recover-vs-fault", "V-NEW")}
    for name, version in where:
        (job,) = checker.plan(kernel=version, mode="ept-ad", scenarios=[name])
        assert "freed-table-empty" in job.properties, name
    for name in ("tdp-recover-logged", "tdp-split-vs-wrprot", "aging-vs-fastpf"):
        (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=[name])
        assert "freed-table-empty" not in job.properties, name
    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", variant="R18",
                          scenarios=["tdp-recover-logged"])
    assert "freed-table-empty" in job.properties


def test_a_child_made_present_before_its_processing_is_no_violation() -> None:
    """A TDP fault whose cmpxchg lands after the freeze of the parent but before the
    shared path's xchg of the child installs a present child in the unlinked table: the
    remover has not processed it yet, and its xchg then returns that value to
    handle_changed_spte.  Only after that is a present child a use after free."""
    (job,) = checker.plan(kernel="V-MID", mode="ept-ad", scenarios=["tdp-zap-atomic-vs-fault"])
    fault = ["tdpmap1.fault", "tdpmap1.read_lock", "tdpmap1.walk_parent", "tdpmap1.read"]
    zap = ["zapat.read_lock", "zapat.read", "zapat.freeze"]
    rep = replay(job.model, [*fault, *zap, "tdpmap1.cmpxchg_ok", "zapat.c0.xchg",
                             "zapat.flush", "zapat.clear", "zapat.read_unlock",
                             "tdpmap1.read_unlock"], ["freed-table-empty"])
    assert not rep.first_violation
    # the real fault reads the frozen child and backs off; without the back-off (R23)
    # its cmpxchg succeeds over REMOVED_SPTE, after the processing
    with pytest.raises(ReplayError):
        replay(job.model, [*fault[:3], *zap, "zapat.c0.xchg", "tdpmap1.read",
                           "tdpmap1.cmpxchg_ok"])
    (bad,) = checker.plan(kernel="V-MID", mode="ept-ad", variant="R23",
                          scenarios=["tdp-zap-atomic-vs-fault"])
    rep = replay(bad.model, [*fault[:3], *zap, "zapat.c0.xchg", "tdpmap1.read",
                             "tdpmap1.cmpxchg_ok"], ["freed-table-empty"])
    assert rep.first_violation == {"freed-table-empty": 9}


@pytest.mark.parametrize("version", ["V-613", "V-NEW"])
def test_r23_leaves_a_present_child_in_the_table_a_recovery_freed(version: str) -> None:
    """The same missing back-off against the in-place recovery (v6.13+): the TDP fault
    walked the non-leaf before the recovery made it huge and froze the children."""
    for variant, broken in (("fixed", False), ("R23", True)):
        (job,) = checker.plan(kernel=version, mode="ept-ad", variant=variant,
                              scenarios=["tdp-recover-vs-fault"])
        (r,) = explore(job.model, BOUND, ["freed-table-empty"])
        assert (r.verdict is Verdict.VIOLATED) is broken, r.message


def test_split_dirty_log_counts_from_the_enabling_of_dirty_logging() -> None:
    """tdp-split-vs-wrprot starts with an empty dirty bitmap (a new one is zeroed) and
    counts a guest write only once the write-protect has returned with its flush: a
    write before that is not required in the log, one after it is.  R16's plain link
    undoes the write-protect of the huge SPTE, so a write after the enabling goes through
    a writable child unlogged: dirty-log breaks on every version (V-613+ mark the page
    dirty at fault-in, so host-dirty does not)."""
    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=["tdp-split-vs-wrprot"])
    init = job.model.init_values()
    assert init["log.armed"] is False
    assert not any(init[f"dlog.g{g:x}"] for g in (2, 3))
    wp = ["wrprot.read_lock", "wrprot.read", "wrprot.cmpxchg_ok", "wrprot.read_unlock",
          "wrprot.flush"]
    rep = replay(job.model, ["cpu0.write.s0.p0", *wp], ["dirty-log"])
    assert not rep.first_violation and not rep.final["written.g2"]
    assert rep.final["log.armed"]
    for version in ("V-MID", "V-NEW"):
        (bad,) = checker.plan(kernel=version, mode="ept-ad", variant="R16",
                              scenarios=["tdp-split-vs-wrprot"])
        (fix,) = checker.plan(kernel=version, mode="ept-ad", scenarios=["tdp-split-vs-wrprot"])
        (rb,) = explore(bad.model, 40, ["dirty-log"])
        (rf,) = explore(fix.model, 40, ["dirty-log"])
        assert rb.verdict is Verdict.VIOLATED and rf.verdict.safe, version
    (bad,) = checker.plan(kernel="V-NEW", mode="ept-ad", variant="R16",
                          scenarios=["tdp-split-vs-wrprot"])
    (r,) = explore(bad.model, 40, ["host-dirty"])
    assert r.verdict.safe


def test_pml_enabling_write_protects_huge_pages_after_clear_dirty() -> None:
    """kvm_mmu_slot_apply_flags with PML: clear-dirty (D 1->0), then the 2M write-protect
    (wrprot_gfn_range from PG_LEVEL_2M: W 1->0 on the huge leaf), then the flush, which
    arms the log.  The real code logs every write after that; without the 2M
    write-protect (R24) the second 4K page's write is lost (PML logs a huge page's D
    0->1 once), and without the flush (R19) a cached W=1, D=1 entry writes unlogged."""
    from verify.expr import CONCRETE as C
    from verify.spte import is_writable_pte

    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=["tdp-pml-enable-huge"])
    L = get_layout("V-NEW", "ept-ad")
    steps = ["cleardirty.read_lock", "cleardirty.read", "cleardirty.cmpxchg_ok",
             "cleardirty.read_unlock", "cleardirty.wp2m.read_lock", "cleardirty.wp2m.read",
             "cleardirty.wp2m.cmpxchg_ok", "cleardirty.wp2m.read_unlock", "cleardirty.flush"]
    rep = replay(job.model, steps)
    last = rep.final
    assert not rep.first_violation and last["log.armed"]
    assert not is_writable_pte(C, L, last["spte0"]) and not last["spte0"] & L.dirty
    for version in ("V-MID", "V-613", "V-NEW"):
        (fix,) = checker.plan(kernel=version, mode="ept-ad", scenarios=["tdp-pml-enable-huge"])
        for r in explore(fix.model, 60):
            assert r.verdict is Verdict.PROVED, (version, r.property)
        for rid, prop, depth in (("R24", "dirty-log", 7), ("R19", "dirty-log", 11),
                                 ("R19", "no-stale-tlb", 10)):
            (bad,) = checker.plan(kernel=version, mode="ept-ad", variant=rid,
                                  scenarios=["tdp-pml-enable-huge"])
            (r,) = explore(bad.model, 40, [prop])
            assert r.verdict is Verdict.VIOLATED and r.depth == depth, (version, rid, prop)


def test_a_split_between_clear_dirty_and_the_2m_wrprot_loses_a_write() -> None:
    """The finding (FINDINGS): on the real code, a guest write sets D on the huge page
    after clear-dirty cleared it; vCPU1's instruction fetch from page 0 (the huge page is
    non-executable under the NX huge page mitigation) splits it in kvm_tdp_mmu_map
    (tdp_mmu_split_huge_page under the read lock), copying D and W into both 4K children,
    and maps page 0 (make_spte: writable, marked); the 2M write-protect skips the non-leaf
    without stepping down: after the enabling returned, page 1 is written through a
    writable child with D already set, which PML does not log.  Every version with the
    fault-path split, 20 steps; with the 2M write-protect made before clear-dirty (site
    alternative ``first``) the same scenario holds."""
    for version in ("V-MID", "V-613", "V-NEW"):
        (job,) = checker.plan(kernel=version, mode="ept-ad",
                              scenarios=["tdp-split-vs-clear-dirty"])
        (r,) = explore(job.model, 40, ["dirty-log"])
        assert r.verdict is Verdict.VIOLATED and r.depth == 20, version
        assert r.witness is not None
        w = list(r.witness)
        assert "tdpfault1.exec_fault.p0" in w and "tdpfault1.make_spte" in w, w
        unlock, link = w.index("cleardirty.read_unlock"), w.index("tdpfault1.link_ok")
        wp_read = w.index("cleardirty.wp2m.read")
        assert unlock < link < wp_read, w
        assert "cleardirty.wp2m.nonleaf" in w and w.index("cleardirty.flush") < len(w) - 1
    var, _ = va.variant_from_document({
        "format": 1, "name": "wrprot-2m-first", "summary": "the 2M write-protect first",
        "base": "V-NEW", "sites": {"kvm_mmu_slot_apply_flags.wrprot_2m": "first"}})
    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", variant=var,
                          scenarios=["tdp-split-vs-clear-dirty"])
    for r in explore(job.model, 60):
        assert r.verdict is Verdict.PROVED, r.property


@pytest.mark.parametrize("site", ["tdp_mmu_map_handle_target_level.mark_page_dirty",
                                  "fast_pf_fix_direct_spte.mark_page_dirty"])
def test_wrprot_vs_fault_logs_every_write_after_the_enabling(site: str) -> None:
    """tdp-wrprot-vs-fault counts its log from the enabling of dirty logging too: a fault
    that makes the SPTE writable after wrprot_gfn_range returned without marking the page
    (a mark_page_dirty_in_slot removed) loses the guest's write from the log.  With the
    log starting full, as before, nothing saw it."""
    var, _ = va.variant_from_document({
        "format": 1, "name": "no-mark", "summary": f"{site} removed", "base": "V-NEW",
        "sites": {site: "absent"}})
    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", variant=var,
                          scenarios=["tdp-wrprot-vs-fault"])
    (r,) = explore(job.model, 40, ["dirty-log"])
    assert r.verdict is Verdict.VIOLATED
    (fix,) = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=["tdp-wrprot-vs-fault"])
    (r,) = explore(fix.model, 40, ["dirty-log"])
    assert r.verdict.safe


_RECOVER_WALK = ["recover.read_lock", "recover.read", "recover.table", "recover.max_level",
                 "recover.mk0.next", "recover.mk1.leaf", "recover.cmpxchg_ok",
                 "recover.c0.xchg", "recover.c1.xchg", "recover.flush_owed"]


@pytest.mark.parametrize("version", ["V-613", "V-NEW"])
def test_recovery_flushes_what_it_owes_before_it_yields(version: str) -> None:
    """recover_huge_pages_range yields at the next 2M entry through
    tdp_mmu_iter_cond_resched(kvm, &iter, flush, true): on the real code it flushes the
    replaced table's entries before dropping the read lock and the caller sets flush =
    false, so the end of the walk owes nothing; R27 drops the owed flush, and with it (flush
    = false) the end flush too.  Write tracking takes the write lock at the yield."""
    from verify.expr import CONCRETE as C
    from verify.spte import is_large_pte, is_writable_pte

    L = get_layout(version, "ept-ad")
    for variant, step in ((va.FIXED, "recover.n1.yield_flush"),
                          (va.get_variant("R27"), "recover.n1.yield")):
        (job,) = checker.plan(kernel=version, mode="ept-ad", variant=variant,
                              scenarios=["tdp-recover-yield"])
        head = ["cpu0.read.s2", *_RECOVER_WALK, step, "recover.n1.yield_unlock"]
        rep = replay(job.model, head)
        last = rep.steps[-1].state
        assert is_large_pte(C, L, last["spte0"]) and is_writable_pte(C, L, last["spte0"])
        assert not last["recover.flush"] and last["lock.r"] == 0
        stale = last["tlb.v0.s2.valid"] or last["psc.v0"]
        assert stale == (variant is not va.FIXED)
        # write tracking in the yield's window write-protects the huge leaf and flushes
        wt = ["wrtrack.write_lock", "wrtrack.track_add", "wrtrack.wp.read", "wrtrack.wp.xchg",
              "wrtrack.wp.done"]
        rep = replay(job.model, [*head, *wt])
        assert not is_writable_pte(C, L, rep.steps[-1].state["spte0"])
        end = ["recover.n1.yield_relock", "recover.n1.skip", "recover.no_flush",
               "recover.read_unlock"]
        rep = replay(job.model, [*head, *end])
        assert bool(rep.first_violation) == (variant is not va.FIXED)
    (job,) = checker.plan(kernel=version, mode="ept-ad", scenarios=["tdp-recover-yield"])
    with pytest.raises(ReplayError):  # a flush is owed: no flushless yield
        replay(job.model, [*_RECOVER_WALK, "recover.n1.yield_noflush"])


def test_recovery_reads_write_tracking_through_max_mapping_level() -> None:
    """kvm_mmu_max_mapping_level reads lpage_info's disallow_lpage, which write tracking
    counts under the write lock: tracked first, the recovery leaves the table alone; R28
    (no test) makes it huge and writable over the tracked gfn."""
    wt = ["wrtrack.write_lock", "wrtrack.track_add", "wrtrack.wp.read", "wrtrack.wp.down",
          "wrtrack.wpc.read", "wrtrack.wpc.skip", "wrtrack.flush_skip",
          "wrtrack.write_unlock"]
    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=["tdp-recover-yield"])
    head = [*wt, "recover.read_lock", "recover.read", "recover.table"]
    rep = replay(job.model, [*head, "recover.max_level_4k"])
    assert not rep.first_violation
    with pytest.raises(ReplayError):
        replay(job.model, [*head, "recover.max_level"])
    (bad,) = checker.plan(kernel="V-NEW", mode="ept-ad", variant="R28",
                          scenarios=["tdp-recover-yield"])
    rep = replay(bad.model, [*head, "recover.max_level_absent", "recover.mk0.next",
                             "recover.mk1.leaf", "recover.cmpxchg_ok"])
    assert rep.first_violation and "write-tracking" in rep.first_violation


def test_fast_fault_walk_meets_the_frozen_child_or_the_huge_leaf() -> None:
    """kvm_tdp_mmu_fast_pf_get_last_sptep reads the 2M entry, re-reads it in
    try_step_down, then reads the 4K entry of the table it pointed to: after the recovery
    froze that entry the fast fault reads FROZEN_SPTE there (not present) and gives up; a
    walk whose re-read finds the huge leaf the recovery installed after the first read
    ends at the 2M entry with the first value, a non-leaf, and gives up; a walk that
    starts after the recovery ends at the huge leaf and fixes it (W on the 2M entry,
    fault->gfn marked)."""
    from verify.expr import CONCRETE as C
    from verify.spte import is_frozen_spte, is_large_pte, is_writable_pte

    L = get_layout("V-NEW", "ept-ad")
    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=["tdp-recover-vs-fastpf"])
    rec = ["recover.read_lock", "recover.read", "recover.table", "recover.max_level",
           "recover.mk0.leaf", "recover.cmpxchg_ok", "recover.c0.xchg", "recover.c1.xchg"]
    ff = ["fastpf0.fault.p0", "fastpf0.can_be_fast"]
    rep = replay(job.model, [*ff, "fastpf0.walk_2m", "fastpf0.walk_down", *rec,
                             "fastpf0.c.read", "fastpf0.c.compute", "fastpf0.c.give_up"])
    last = rep.steps[-1].state
    assert is_frozen_spte(C, L, last["fastpf0.spte"]) and not rep.first_violation
    # the re-read in try_step_down sees the huge leaf: *spte keeps the table read first
    rep = replay(job.model, [*ff, "fastpf0.walk_2m", *rec, "fastpf0.read",
                             "fastpf0.compute", "fastpf0.give_up"])
    last = rep.steps[-1].state
    assert not is_large_pte(C, L, last["fastpf0.spte"]) and is_large_pte(C, L, last["spte0"])
    assert not rep.first_violation
    rep = replay(job.model, [*rec, *ff, "fastpf0.walk_2m", "fastpf0.read",
                             "fastpf0.compute", "fastpf0.cmpxchg_ok",
                             "fastpf0.mark_page_dirty"])
    last = rep.steps[-1].state
    assert is_large_pte(C, L, last["spte0"]) and is_writable_pte(C, L, last["spte0"])
    assert not rep.first_violation
    # the fast fault's cmpxchg on the 4K entry the recovery froze in the meantime fails;
    # the walk again reads the huge leaf
    rep = replay(job.model, [*ff, "fastpf0.walk_2m", "fastpf0.walk_down", "fastpf0.c.read",
                             "fastpf0.c.compute", *rec, "fastpf0.c.cmpxchg_fail",
                             "fastpf0.walk_2m"])
    assert is_large_pte(C, L, rep.steps[-1].state["fastpf0.spte"])


def test_fast_fault_racing_the_recovery_holds_with_a_guest_writer() -> None:
    """tdp-recover-vs-fastpf ships with a guest reader (its proof form with a writer is too
    large here); with a writer as well (D assists through the 4K entries the fast fault
    made writable, through a stale TLB entry, through the huge leaf) the real code still
    holds every property by exhaustive search from the scenario's initial state."""
    tdp, ff, hw = submodule("tdp"), submodule("fast_fault"), submodule("hardware")

    def make(w: Any) -> None:
        w.enable_frozen_spte()
        tdp.add_recover_walk(w, 0)
        ff.add_fast_fault(w, 0, 0, page=0)
        hw.add_cpu(w, 0)

    s = sc.Scenario("recover-fastpf-writer", "test", ("ept-ad",), make,
                    sc._recover_world(False), needs="tdp_recover_in_place")
    m = s.build(get_layout("V-NEW", "ept-ad"), va.FIXED, wo.HwParams())
    results = explore(m, 200)
    assert results and all(r.verdict is Verdict.PROVED for r in results), results
FAULT_SPLIT = ["tdpfault0.fault.p0", "tdpfault0.read_lock", "tdpfault0.read_huge",
               "tdpfault0.fill", "tdpfault0.link_ok", "tdpfault0.read",
               "tdpfault0.cmpxchg_ok", "tdpfault0.read_unlock"]


@pytest.mark.parametrize("version", ["V-MID", "V-613", "V-NEW"])
def test_tdp_fault_split_keeps_the_huge_entry_valid_and_the_walk_reaches_the_child(
        version: str) -> None:
    """The TDP fault path (v6.2+) splits the write-protected huge leaf of a dirty-logged
    slot in place: both children are filled from it (W=0, MMU-writable), the non-leaf is
    cmpxchg'd in without a flush, and the faulting 4K page is mapped writable and logged.
    The vCPU's huge TLB entry stays valid and is not stale (the children map the same
    pfns, read-only).  A fast page fault on the other 4K page walks down to the child and
    makes it writable (logged); before the split its walk ends at the huge leaf and gives
    up (a huge SPTE in a dirty-logged slot)."""
    (job,) = checker.plan(kernel=version, mode="ept-ad", scenarios=["tdp-fault-split-vs-fastpf"])
    fast = ["fastpf1.fault.p1", "fastpf1.can_be_fast", "fastpf1.walk_2m", "fastpf1.walk_down",
            "fastpf1.c.read", "fastpf1.c.compute", "fastpf1.c.cmpxchg_ok",
            "fastpf1.c.mark_page_dirty"]
    rep = replay(job.model, ["cpu0.read.s0", *FAULT_SPLIT, *fast, "cpu0.write.s2"])
    assert not rep.first_violation, rep.first_violation
    L = get_layout(version, "ept-ad")
    after_split = rep.steps[len(FAULT_SPLIT)].state
    assert after_split["tlb.v0.s0.valid"]  # no flush
    assert after_split["spte2"] & L.mmu_writable and not after_split["spte2"] & L.w
    last = rep.steps[-1].state
    assert last["dlog.g2"] and last["dlog.g3"] and last["written.g3"]
    assert last["spte1"] & L.w and last["spte2"] & L.w
    # the walk before the split ends at the huge leaf: fast_page_fault gives up
    early = ["fastpf1.fault.p1", "fastpf1.can_be_fast", "fastpf1.walk_2m", "fastpf1.read",
             "fastpf1.compute", "fastpf1.huge_dirty_log"]
    assert not replay(job.model, early).first_violation
    with pytest.raises(ReplayError):  # no step down through a huge leaf
        replay(job.model, [*early[:3], "fastpf1.walk_down"])
    # the first read finds the huge leaf, try_step_down's re-read the linked table: the
    # walk steps down (the first value is dropped) and fixes the child
    rep = replay(job.model, ["cpu0.read.s0", *early[:3], *FAULT_SPLIT, *fast[3:]])
    assert not rep.first_violation and rep.steps[-1].state["spte2"] & L.w
    with pytest.raises(InputError, match="tdp_fault_split"):
        checker.plan(kernel="V-OLD", mode="ept-ad", scenarios=["tdp-fault-split-vs-fastpf"])


def test_r25_the_pre_v6_2_zap_path_needs_its_flush() -> None:
    """Before v6.2 kvm_tdp_mmu_map zapped the huge leaf (tdp_mmu_zap_spte_atomic: cmpxchg
    to REMOVED_SPTE, flush, clear) and linked an empty table: with the flush that path is
    safe too (the vCPU's huge entry is gone before the fault returns); without it (R25)
    the vCPU still reaches the now unmapped 4K page 1 through the huge entry."""
    va = submodule("variants")
    old, _ = va.variant_from_document({
        "format": 1, "name": "fault-zap-link", "summary": "the pre-v6.2 fault path",
        "base": "V-MID", "sites": {"kvm_tdp_mmu_map.split": "absent"}})
    zap = ["tdpfault0.fault.p0", "tdpfault0.read_lock", "tdpfault0.read_huge",
           "tdpfault0.zap_freeze", "tdpfault0.zap_flush", "tdpfault0.zap_clear",
           "tdpfault0.reread", "tdpfault0.link_empty_ok", "tdpfault0.read",
           "tdpfault0.cmpxchg_ok", "tdpfault0.read_unlock"]
    for mode in MODES:
        (job,) = checker.plan(kernel="V-MID", mode=mode, variant=old,
                              scenarios=["tdp-fault-split-vs-fastpf"])
        rep = replay(job.model, ["cpu0.read.s0", *zap])
        assert not rep.first_violation
        assert not rep.steps[-1].state["tlb.v0.s0.valid"]
        (r,) = explore(job.model, BOUND, ["no-stale-translation"])
        assert r.verdict is Verdict.HOLDS or r.verdict is Verdict.PROVED, r.message
        (bad,) = checker.plan(kernel="V-MID", mode=mode, variant="R25",
                              scenarios=["tdp-fault-split-vs-fastpf"])
        no_flush = [s if s != "tdpfault0.zap_flush" else "tdpfault0.zap_flush_absent"
                    for s in zap]
        rep = replay(bad.model, ["cpu0.read.s0", *no_flush], ["no-stale-translation"])
        assert rep.first_violation["no-stale-translation"] == len(no_flush) + 1
    with pytest.raises(InputError, match="V-MID only"):
        checker.plan(kernel="V-NEW", mode="ept-ad", variant=va.variant_from_document({
            "format": 1, "name": "x", "summary": "x", "base": "V-NEW",
            "sites": {"kvm_tdp_mmu_map.split": "absent"}})[0],
            scenarios=["tdp-fault-split-vs-fastpf"])


def test_zap_collapsible_and_the_fault_at_2m_each_remove_the_table_once() -> None:
    """V-MID's zap_collapsible_spte_range zaps the page table so that a huge page can
    replace it; the fault at 2M then installs the huge leaf over the zapped SPTE (no
    flush: nothing was there).  If the fault comes first it replaces the table itself
    (handle_removed_pt's shared path, then kvm_flush_remote_tlbs_gfn) and the zap skips
    the leaf it finds.  Either way the vCPU's 4K entries are flushed before the remover
    returns; without the fault's flush (R26) they outlive the table."""
    (job,) = checker.plan(kernel="V-MID", mode="ept-ad",
                          scenarios=["tdp-zap-collapsible-vs-huge-fault"])
    zap = ["zapat.read_lock", "zapat.read", "zapat.freeze", "zapat.c0.xchg", "zapat.c1.xchg",
           "zapat.flush", "zapat.clear", "zapat.read_unlock"]
    fault = ["tdphuge1.fault.p0", "tdphuge1.read_lock", "tdphuge1.read"]
    rep = replay(job.model, ["cpu0.read.s1", *zap, *fault, "tdphuge1.cmpxchg_ok",
                             "tdphuge1.read_unlock", "cpu0.write.s0.p1"])
    assert not rep.first_violation, rep.first_violation
    assert rep.steps[-1].state["tlb.v0.s0.valid"] and not rep.steps[-1].state["tlb.v0.s1.valid"]
    first = [*fault, "tdphuge1.cmpxchg_ok_table", "tdphuge1.c0.xchg", "tdphuge1.c1.xchg",
             "tdphuge1.flush", "tdphuge1.read_unlock"]
    rep = replay(job.model, ["cpu0.read.s1", *first, "zapat.read_lock", "zapat.read",
                             "zapat.skip_leaf", "zapat.read_unlock"])
    assert not rep.first_violation, rep.first_violation
    with pytest.raises(ReplayError):  # the zap does not freeze the huge leaf
        replay(job.model, [*first, "zapat.read_lock", "zapat.read", "zapat.freeze"])
    # the fault backs off on the frozen table
    rep = replay(job.model, [*zap[:3], *fault, "tdphuge1.frozen"])
    assert not rep.first_violation
    (bad,) = checker.plan(kernel="V-MID", mode="ept-ad", variant="R26",
                          scenarios=["tdp-zap-collapsible-vs-huge-fault"])
    no_flush = [s if s != "tdphuge1.flush" else "tdphuge1.flush_absent" for s in first]
    rep = replay(bad.model, ["cpu0.read.s1", *no_flush], ["no-stale-translation"])
    assert rep.first_violation["no-stale-translation"] == len(no_flush) + 1
    with pytest.raises(InputError, match="tdp_zap_spte_atomic"):
        checker.plan(kernel="V-NEW", mode="ept-ad",
                     scenarios=["tdp-zap-collapsible-vs-huge-fault"])
def _rmap_age_variant(sites: dict[str, str]) -> Any:
    va = submodule("variants")
    doc = {"format": 1, "name": "rmap-age-probe", "summary": "probe", "base": "V-NEW",
           "sites": sites}
    var, _ = va.variant_from_document(doc)
    return var


def test_rmap_age_vs_shadow_split_waits_for_the_rmap_lock() -> None:
    """V-NEW's lockless rmap aging (kvm_rmap_age_gfn_range) against the shadow MMU's eager
    split: the scenario exists only where aging is lockless.  The aging holds the rmap
    lock read-only while it uses the huge SPTE; the split drops it meanwhile (the drop
    takes no rmap lock), but its drop_spte -> pte_list_remove waits for the unlock, so the
    aging's clear_bit(A) lands on the dropped (non-present) value, never on the non-leaf
    the split links afterwards."""
    from verify.errors import InputError

    with pytest.raises(InputError, match="lockless_aging"):
        checker.plan(kernel="V-613", mode="ept-ad", scenarios=["shadow-split-vs-rmap-age"])
    (job,) = checker.plan(kernel="V-NEW", mode="ept-ad", scenarios=["shadow-split-vs-rmap-age"])
    head = ["age.rmap_lock", "age.read", "ssplit.write_lock", "ssplit.rmap_huge",
            "ssplit.read", "ssplit.fill", "ssplit.link.present", "ssplit.link.drop.read",
            "ssplit.link.drop.xchg"]
    rep = replay(job.model, head)
    assert not rep.first_violation
    st = rep.steps[-1].state
    assert st["rmap.s0.locked"] and st["rmap.s0"]
    enabled = {a.label for a in job.model.actions
               if a.label.startswith("ssplit.") and _enabled(job.model, st, a)}
    assert "ssplit.link.rmap.remove" not in enabled  # pte_list_remove spins on the lock
    rep = replay(job.model, [*head, "age.clear_bit_a", "age.rmap_unlock",
                             "ssplit.link.rmap.remove", "ssplit.link.no_flush",
                             "ssplit.link.link", "ssplit.write_unlock", "age.flush_absent"])
    assert not rep.first_violation, rep.first_violation
    last = rep.steps[-1].state
    L = get_layout("V-NEW", "ept-ad")
    assert last["age.young"] and not last["rmap.s0"]
    assert last["spte0"] & L.accessed  # the non-leaf keeps its A: aging never touched it


def _enabled(model: Any, st: dict[str, Any], action: Any) -> bool:
    from verify.engines.replay import Frame
    fr = Frame(model)
    s = tuple(st[v.name] for v in model.vars)
    return bool(fr.enabled(s, action, fr.st(s)))


@pytest.mark.parametrize("mode", ["ept-ad", "ept-noad", "legacy"])
def test_rmap_age_deviations_break_no_consequence(mode: str) -> None:
    """Measured, and why no race is shipped for it: on V-NEW nothing the model checks
    depends on the rmap lock or on the atomic writes at the aging/split interface.
    Without ``kvm_rmap_lock_readonly`` the aging may clear A in the non-leaf the split
    links (V-NEW's make_nonleaf_spte sets A only with A/D bits; a non-leaf's A is set
    again by the next walk and KVM never reads it): harmless, every property holds.  A
    plain store in place of the aging's clear_bit / cmpxchg, or of the drop's xchg,
    breaks only the lock-discipline rule check (a dropped huge SPTE written back until
    the link overwrites it; V-NEW pushes no A/D from an old value, and the page was
    marked dirty at fault-in)."""
    for sites, broken in (({"kvm_rmap_age_gfn_range.rmap_lock": "absent"}, set()),
                          ({"kvm_age_gfn.clear_bit_a": "plain"},
                           {"lock-discipline"} if mode != "ept-noad" else set()),
                          ({"kvm_rmap_age_gfn_range.cmpxchg": "plain"},
                           {"lock-discipline"} if mode == "ept-noad" else set()),
                          ({"drop_large_spte.store": "plain"}, {"lock-discipline"})):
        (job,) = checker.plan(kernel="V-NEW", mode=mode, variant=_rmap_age_variant(sites),
                              scenarios=["shadow-split-vs-rmap-age"])
        res = explore(job.model, 60)
        found = {r.property for r in res if r.verdict is Verdict.VIOLATED}
        assert found == broken, (sites, found)
        assert all(r.verdict in (Verdict.VIOLATED, Verdict.PROVED) for r in res)



EAGER = ["split.read_lock", "split.read", "split.fill"]
NX_FAULT = ["tdpfault1.exec_fault.p0", "tdpfault1.read_lock", "tdpfault1.read_huge",
            "tdpfault1.fill"]


@pytest.mark.parametrize("version", ["V-MID", "V-613", "V-NEW"])
def test_two_splitters_each_fill_a_table_of_their_own(version: str) -> None:
    """tdp-two-splitters (World.enable_split_tables): the eager split and vCPU1's NX
    fault both read the huge leaf and fill their own tables; neither fill touches the
    children (the linked table's entries).  The one whose cmpxchg wins links its table;
    the eager split that lost re-tests the refreshed old_spte, a non-leaf, and skips it
    (its table is never linked); the fault that lost frees its table and returns
    RET_PF_RETRY.  Every property holds along both."""
    from verify import spte as P
    from verify.expr import CONCRETE as C
    L = get_layout(version, "ept-ad")
    (job,) = checker.plan(kernel=version, mode="ept-ad", scenarios=["tdp-two-splitters"])
    filled = replay(job.model, [*EAGER, *NX_FAULT]).steps[-1].state
    assert filled["spte1"] == 0 and filled["spte2"] == 0  # both tables still unreachable
    h = filled["split.table"]
    assert filled["tdpfault1.table"] == h and P.is_large_pte(C, L, h)
    # the fault wins: its table is linked; the eager split re-tests and skips
    rep = replay(job.model, [*EAGER, *NX_FAULT, "tdpfault1.link_ok", "split.link_fail",
                             "split.skip", "split.read_unlock"])
    assert not rep.first_violation, rep.first_violation
    last = rep.steps[-1].state
    assert last["spte1"] == P.make_huge_page_split_spte(C, L, h, 0)
    assert last["spte2"] == P.make_huge_page_split_spte(C, L, h, 1)
    assert not P.is_last_spte(C, L, last["spte0"], 2)
    with pytest.raises(ReplayError):  # no second fill, no link over the winner's table
        replay(job.model, [*EAGER, *NX_FAULT, "tdpfault1.link_ok", "split.link_fail",
                           "split.fill"])
    # the eager split wins: the fault's cmpxchg fails, RET_PF_RETRY (tdp_mmu_free_sp)
    rep = replay(job.model, [*EAGER, *NX_FAULT, "split.link_ok", "tdpfault1.link_fail",
                             "tdpfault1.read_unlock", "split.read_unlock"])
    assert not rep.first_violation, rep.first_violation
    assert rep.steps[-1].state["spte2"] == P.make_huge_page_split_spte(C, L, h, 1)


def _split_variant(sites: dict[str, str]) -> Any:
    return wo.Variant("two-splitters", None, "measured", sites=tuple(
        (sid, wo.SiteChoice(alt)) for sid, alt in sites.items()))


@pytest.mark.parametrize(("version", "mode"), [("V-MID", "ept-ad"), ("V-NEW", "ept-noad")])
def test_two_splitter_deviations_break_no_consequence(version: str, mode: str) -> None:
    """Measured, and why no race is shipped for them in tdp-two-splitters: a loser that
    links its table over the winner's live one (the eager split's retry without the
    re-test and the fill, tdp_mmu_split_huge_page.rebuild = absent; the fault path's
    retry of the cmpxchg instead of tdp_mmu_free_sp + RET_PF_RETRY,
    kvm_tdp_mmu_map.split_fail = relink, R29's site) breaks nothing checked there: both
    tables map the same pfns (no stale translation without a flush), a D the guest set
    in the winner's table goes to the host by handle_removed_pt (V-MID) or was given at
    fault-in (V-613+), and before a write-protect nothing is more writable in one table
    than in the other.  R29 breaks dirty-log once the enabling's write-protect has
    returned (tdp-fault-split-vs-wrprot).  Each deviation does change the reachable
    graph (tests/test_variant_files.py), so the relink is reached.  (Measured on V-MID
    and V-NEW × every mode; two cells here keep the test short.)  Not visible to the model:
    a paging-structure cache entry for the replaced table, which the kernel frees without
    a flush (one psc bit per vCPU, not per table; docs/kernel-notes.md)."""
    for sites in ({"tdp_mmu_split_huge_page.rebuild": "absent"},
                  {"kvm_tdp_mmu_map.split_fail": "relink"}):
        (job,) = checker.plan(kernel=version, mode=mode, variant=_split_variant(sites),
                              scenarios=["tdp-two-splitters"])
        res = explore(job.model, 60)
        assert all(r.verdict is Verdict.PROVED for r in res), (sites, res)
