"""Every modelled kernel operation and every store primitive is exercised: an exhaustive
search of the shipped scenarios (real code) fires at least one step of each.  Removing
an operation from the models, or a scenario that reaches it, makes this test fail."""

from __future__ import annotations

from collections import deque

from verify import checker
from verify.engines.replay import Frame
from verify.layouts import VERSIONS
from verify.protocols import submodule

OPERATIONS = [
    "mmu_spte_update", "mmu_spte_update_no_track", "spte_write_protect",
    "mmu_spte_clear_track_bits", "spte_wrprot_for_clear_dirty", "spte_clear_dirty",
    "mmu_spte_age", "kvm_rmap_age_gfn_range", "fast_page_fault", "fast_pf_fix_direct_spte",
    "page_fault_can_be_fast", "kvm_flush_remote_tlbs", "kvm_get_dirty_log_protect",
    "handle_removed_pt", "kvm_tdp_mmu_write_spte", "tdp_mmu_set_spte_atomic",
    "tdp_mmu_map_handle_target_level", "wrprot_gfn_range", "age_gfn_range", "kvm_zap_rmap",
    "kvm_tdp_mmu_age_spte", "tdp_mmu_clear_spte_bits", "mmu_set_spte", "make_spte",
    "__walk_slot_rmaps", "kvm_dirty_ring_reset", "tdp_mmu_split_huge_pages_root",
    "tdp_mmu_split_huge_page", "tdp_mmu_link_sp", "tdp_mmu_zap_spte_atomic",
    "zap_collapsible_spte_range", "kvm_tdp_mmu_map", "clear_dirty_gfn_range",
    "kvm_mmu_slot_apply_flags", "recover_huge_pages_range", "tdp_mmu_make_huge_spte",
    "tdp_mmu_zap_leafs", "tdp_mmu_iter_cond_resched", "write_protect_gfn",
    "shadow_mmu_try_split_huge_pages", "shadow_mmu_split_huge_page", "__link_shadow_page",
    "drop_large_spte", "direct_map", "pte_list_remove", "kvm_rmap_unlock_readonly",
    "__kvm_mmu_max_mapping_level", "kvm_tdp_mmu_fast_pf_get_last_sptep", "kvm_tdp_page_fault",
    "kvm_mmu_slot_remove_write_access",
    "try_step_down",
]


def _fired(model: object) -> set[str]:
    from verify.model import Model
    assert isinstance(model, Model)
    fr = Frame(model)
    s0 = fr.initial()
    seen = {s0}
    todo = deque([s0])
    fired: set[str] = set()
    while todo:
        s = todo.popleft()
        st = fr.st(s)
        for a in model.actions:
            if fr.enabled(s, a, st):
                fired.add(a.label + " :: " + a.kernel + " :: " + a.text)
                t = fr.successor(s, a, st)
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
    return fired


def _all_fired() -> set[str]:
    sc = submodule("scenarios")
    out: set[str] = set()
    for s in sc.SCENARIOS.values():
        if s.large:
            continue
        for version in ("V-MID", "V-NEW"):
            if version not in s.versions:
                continue
            for mode in s.modes:
                (job,) = checker.plan(kernel=version, mode=mode, scenarios=[s.name])
                out |= _fired(job.model)
    return out


FIRED = _all_fired()


def test_every_operation_is_exercised() -> None:
    missing = [op for op in OPERATIONS if not any(f"{op}()" in f for f in FIRED)]
    assert not missing, missing


def test_every_store_primitive_is_exercised() -> None:
    texts = " ".join(FIRED)
    for prim in ("WRITE_ONCE", "xchg(", "cmpxchg", "clear_bit(", "test_and_clear_bit",
                 "atomic64_fetch_and", "CPU sets A and D", "CPU sets D", "TLB drops",
                 "paging-structure cache drops"):
        assert prim in texts, prim


def test_versions_known() -> None:
    assert set(VERSIONS) == {"V-OLD", "V-MID", "V-613", "V-NEW"}


def test_both_losers_of_two_splitters_are_exercised() -> None:
    """tdp-two-splitters: each splitter loses the race somewhere -- the eager split's
    failed cmpxchg (then the re-test skips the non-leaf) and the fault path's (its table
    freed, RET_PF_RETRY) -- and each wins somewhere."""
    (job,) = checker.plan(kernel="V-MID", mode="ept-noad", scenarios=["tdp-two-splitters"])
    fired = _fired(job.model)
    for label in ("split.link_fail", "split.link_ok", "tdpfault1.link_fail",
                  "tdpfault1.link_ok"):
        assert any(f.startswith(label + " :: ") for f in fired), label
    assert any(f.startswith("tdpfault1.link_fail :: ") and "tdp_mmu_free_sp(sp)" in f
               for f in fired)
