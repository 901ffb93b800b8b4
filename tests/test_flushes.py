"""Every modelled flush, removed: which consequence then breaks, or why none does.

For each flush site of the protocols (``spte-verify list --sites``, kind ``flush``) and
each version whose kernel has that flush, a variant with the site ``absent`` is checked
by the explicit engine on every non-large scenario and mode whose model asks about the
site (the others are the fixed code's own models).  A flush that some
consequence depends on must make it VIOLATED; a flush that nothing depends on yet must be
listed in :data:`NO_DEPENDENT` with the reason (docs/kernel-notes.md, "Flushes nothing
checks yet").  A change that makes a property depend on one of them, or that loses a
dependency, fails here until the table says so.  CI checks V-NEW (a flush V-NEW lacks,
such as ``tdp_mmu_zap_spte_atomic.flush``, on the newest version that has it, and only
on the scenarios that exist there; a flush the kernel has on V-NEW but that only an older
version's scenario reaches, on the newest such version); ``SPTE_VERIFY_FULL=1`` adds
V-MID.
"""

from __future__ import annotations

import os

import pytest

from verify import checker
from verify.layouts import VERSIONS, get_layout
from verify.protocols import submodule

S = submodule("sites")
VERSIONS_CHECKED = ("V-MID", "V-NEW") if os.environ.get("SPTE_VERIFY_FULL") else ("V-NEW",)

NO_DEPENDENT = {
    "kvm_age_gfn.flush":
        "no modelled consequence depends on it (measured); the kernel itself stops "
        "flushing here from v6.13",
    "kvm_tdp_mmu_age_gfn_range.flush": "as for kvm_age_gfn.flush",
    "kvm_unmap_gfn_range.remap_flush":
        "remap-vs-fastpf's guest only writes and its SPTE is read-only: on the real code "
        "fast page fault refuses the indirect shadow page, so no TLB entry exists for the "
        "flush to remove (no-stale-translation and zap-leaves-nothing would see one; "
        "R6 shows the same flush missing on zap-vs-writers)",
}


def _flush_sites() -> list[tuple[str, str]]:
    out = []
    for site in S.SITES.values():
        if site.kind != "flush" or "absent" not in site.alternatives:
            continue
        # a flush the checked versions lack is checked on the newest version that has it
        versions = [v for v in VERSIONS_CHECKED if v in site.versions] or \
            [v for v in site.versions if v in VERSIONS][-1:]
        for version in versions:
            if site.kernel_default(get_layout(version, "ept-ad")) != "absent":
                out.append((site.id, version))
    return out


def _broken(site: str, version: str) -> tuple[bool, list[tuple[str, str, str]]]:
    """Whether some model of ``version`` asks about ``site``, and the consequences that
    break there with the site ``absent``."""
    va, sc, pr = submodule("variants"), submodule("scenarios"), submodule("properties")
    wo = submodule("world")
    var, _ = va.variant_from_document({
        "format": 1, "name": "flush-removed", "summary": f"{site} removed",
        "base": version, "sites": {site: "absent"}})
    used = False
    # a property the real code already violates there (scenarios.FINDINGS) says nothing
    # about this flush
    found = {(f.scenario, f.property) for f in sc.FINDINGS}
    broke = []
    for s in sc.SCENARIOS.values():
        if s.large:
            continue
        if version not in s.versions:
            continue
        for mode in s.modes:
            L = get_layout(version, mode)
            if not s.applies(L):
                continue
            # a model that never asks about the site is the fixed code's own (whose
            # consequences hold, tests/test_protocols.py): nothing to explore there
            S.USED.clear()
            s.build(L, va.FIXED, wo.HwParams())
            if site not in S.USED:
                continue
            used = True
            jobs = checker.plan(kernel=version, mode=mode, variant=var, scenarios=[s.name])
            checker.run(jobs, engine="explicit", bound=40)
            broke += [(s.name, mode, r.property) for r in jobs[0].results
                      if r.verdict.value == "VIOLATED" and pr.KINDS[r.property] == "consequence"
                      and (s.name, r.property) not in found]
    return used, broke


@pytest.mark.parametrize(("site", "version"), _flush_sites())
def test_removing_a_flush_breaks_a_consequence_or_is_documented(site: str,
                                                                version: str) -> None:
    used, broke = _broken(site, version)
    if not used:
        # the kernel has the flush on this version but no scenario of it reaches the flush:
        # checked on the newest older version (not checked on its own) where one does
        older = [v for v in reversed(S.SITES[site].versions)
                 if v in VERSIONS and VERSIONS.index(v) < VERSIONS.index(version)
                 and v not in VERSIONS_CHECKED]
        for v in older:
            used, broke = _broken(site, v)
            if used:
                break
    assert used, f"no scenario reaches {site}"
    if site in NO_DEPENDENT:
        assert broke == [], (f"{site} now has dependents {broke}: move it out of "
                             "NO_DEPENDENT and update docs/kernel-notes.md")
    else:
        assert broke, f"removing {site} on {version} breaks nothing: document why"


def test_every_flush_site_is_covered() -> None:
    ids = {s for s, _v in _flush_sites()}
    flush_sites = {s.id for s in S.SITES.values() if s.kind == "flush"}
    assert set(NO_DEPENDENT) <= flush_sites
    assert ids, "no flush site checked"


def test_drop_large_spte_flush_is_the_lazy_splits_not_the_eager_ones() -> None:
    """``drop_large_spte``'s flush is conditional on ``__link_shadow_page``'s ``flush``
    argument: the fault path's ``link_shadow_page`` passes true, the eager split passes
    ``flush |= !is_last_spte(child)``, false for 4K children.  Removed, it breaks
    no-stale-translation where the lazy split unmaps the other 4K page (R21), and nothing
    in the eager split, whose model has the kernel's flush step but never reaches it (no
    flush is added where the kernel has none)."""
    _used, broke = _broken(S.DROP_LARGE_FLUSH, "V-MID")
    assert {s for s, _m, _p in broke} == {"huge-slowpf-split"}
    assert {p for _s, _m, p in broke} == {"no-stale-translation"}
    assert {m for _s, m, _p in broke} == {"ept-ad", "ept-noad", "legacy"}


def test_the_fault_paths_split_has_no_flush_and_the_zap_it_replaced_needs_one() -> None:
    """kvm_tdp_mmu_map's split of a huge leaf (v6.2+) links the filled table with no
    flush, as the kernel does ("the translation will be the same either way"): there is
    no flush step to remove.  The path it replaced, tdp_mmu_zap_spte_atomic of the huge
    leaf and an empty table, unmaps the other 4K page; its kvm_flush_remote_tlbs_gfn
    (``tdp_mmu_zap_spte_atomic.flush``, the same site as the atomic zap of a page table)
    removed, no-stale-translation breaks on every mode (R25); kept, nothing breaks."""
    va, pr = submodule("variants"), submodule("properties")

    def broken(sites: dict[str, str]) -> list[tuple[str, str]]:
        var, _ = va.variant_from_document({"format": 1, "name": "v", "summary": "v",
                                           "base": "V-MID", "sites": sites})
        out = []
        for mode in ("ept-ad", "ept-noad", "legacy"):
            jobs = checker.plan(kernel="V-MID", mode=mode, variant=var,
                                scenarios=["tdp-fault-split-vs-fastpf"])
            checker.run(jobs, engine="explicit", bound=40)
            out += [(mode, r.property) for r in jobs[0].results
                    if r.verdict.value == "VIOLATED" and pr.KINDS[r.property] == "consequence"]
        return out

    assert broken({"kvm_tdp_mmu_map.split": "absent"}) == []
    assert broken({"kvm_tdp_mmu_map.split": "absent", S.ZAPAT_FLUSH: "absent"}) == [
        ("ept-ad", "no-stale-translation"), ("ept-noad", "no-stale-translation"),
        ("legacy", "no-stale-translation")]
