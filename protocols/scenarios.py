"""Built-in scenarios: named sets of actors with bounded operations and an initial state.

Every scenario runs once per actor (bounded operation counts) on a small world of real
64-bit SPTEs.  Together they exercise every operation and every property; the buggy
variants of R1–R5 are found in the scenarios ``RACES`` names (from the ``[shows]`` tables
of the built-in variant files).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from verify import spte as P
from verify.errors import InputError
from verify.expr import CONCRETE as C
from verify.layouts import AD_WRPROT_ONLY, MODES, TDP_AD_SHIFT, VERSIONS, Layout, get_layout
from verify.model import Model, ModelBuilder

from . import fast_fault, hardware, host_ops, initial, tdp
from .properties import add_properties
from .world import HwParams, SpteDecl, Variant, Within, World

PFN = 0x100
PT_PFN = 0x200
GFN1, GFN2 = 0x1, 0x2


def _writable(L: Layout, pfn: int = PFN) -> int:
    """make_spte() of a writable 4K mapping (W | MMU-writable | D, A)."""
    v: int = P.make_spte(C, L, P.MakeSpteArgs(pfn=pfn))
    return v


def _wrprot_clean(L: Layout, pfn: int = PFN) -> int:
    """A writable mapping after a dirty-log write-protect and D clear: W=0, D=0,
    MMU-writable and A still set (what fast page fault can make writable again)."""
    return C.clear_bits(_writable(L, pfn), L.w | L.dirty)


def _wrprot(L: Layout, pfn: int = PFN) -> int:
    """A writable mapping after a dirty-log write-protect: W=0, MMU-writable, D kept."""
    return C.clear_bits(_writable(L, pfn), L.w)


def _wrprot_only(L: Layout, pfn: int = PFN) -> int:
    """A writable mapping in a shadow-EPT page whose A/D bits must not feed PML
    (SPTE_TDP_AD_WRPROT_ONLY: dirty logging write-protects it instead)."""
    v = _writable(L, pfn)
    return (v & ~L.tdp_ad_mask) | (AD_WRPROT_ONLY << TDP_AD_SHIFT)


def _parent(L: Layout) -> int:
    return L.mmu_present | L.r | L.w | L.x | L.pfn_bits(PT_PFN) if L.mmu_present else \
        L.r | L.w | L.pfn_bits(PT_PFN)


@dataclass(frozen=True)
class Scenario:
    name: str
    summary: str
    modes: tuple[str, ...]
    make: Callable[[World], None]
    world: WorldFn
    large: bool = False
    """~10^5 states: left out of the exhaustive per-version tests (run in the slow ones)."""
    vcpus: int = 1
    """How many vCPUs the built-in form has."""
    sized: bool = False
    """Takes ``--vcpus N`` (each vCPU brings its fast page fault and its CPU)."""
    symmetric: bool = False
    """Every vCPU runs the same actors (fast page fault + CPU): declared interchangeable,
    for the symmetry reduction."""
    needs: str = ""
    """A layout switch (encodings/layouts.toml) the kernel version must have for the
    scenario to exist (``tdp_eager_split``: no eager split before v5.18, so none on
    V-OLD); empty: every version."""

    def applies(self, L: Layout) -> bool:
        """Does the scenario exist for this version and mode."""
        return L.mode in self.modes and (not self.needs or bool(getattr(L, self.needs)))

    @property
    def versions(self) -> tuple[str, ...]:
        """The kernel versions that have the scenario's operations (``needs``)."""
        return tuple(v for v in VERSIONS if self.applies(get_layout(v, self.modes[0])))

    def build(self, L: Layout, variant: Variant, hw: HwParams, form: object = None) -> Model:
        """The model of this scenario; ``form`` (a ``verify.checker.Form``) may ask for
        repeating operations and for every legal initial SPTE."""
        if L.mode not in self.modes:
            raise InputError(f"scenario {self.name!r} does not apply to mode {L.mode!r} "
                             f"(modes: {', '.join(self.modes)})")
        if self.needs and not getattr(L, self.needs):
            raise InputError(f"scenario {self.name!r} does not exist on {L.version} "
                             f"({L.tag}): it needs {self.needs} (encodings/layouts.toml)")
        repeat = bool(getattr(form, "repeat", False))
        every = bool(getattr(form, "all_initial", False))
        vcpus = getattr(form, "vcpus", None)
        ops = getattr(form, "ops", None)
        if vcpus is not None and not self.sized:
            raise InputError(f"scenario {self.name!r} has a fixed number of vCPUs "
                             f"({self.vcpus}); --vcpus applies to "
                             f"{', '.join(n for n, s in SCENARIOS.items() if s.sized)}")
        tag = str(form) if (repeat or every or vcpus is not None or ops is not None) else ""
        mb = ModelBuilder(f"{self.name}[{L.version}/{L.mode}/{variant.name}"
                          f"{'/' + tag if tag else ''}]", self.summary)
        w = self.world(mb, L, variant, hw, vcpus if vcpus is not None else self.vcpus)
        self.make(w)
        add_properties(w)
        if every:
            mb.init_set = initial.all_initial(w)
        if repeat:
            mb.repeat_operations()
        elif ops is not None:
            mb.repeat_operations(limit=ops)
        if self.symmetric and w.vcpus > 1:
            w.declare_vcpu_symmetry(lambda v: [f"fastpf{v}", f"cpu{v}"])
        if tag:
            mb.params["form"] = tag
        return mb.build()


WorldFn = Callable[[ModelBuilder, Layout, Variant, HwParams, int], World]


def _one_spte(value: Callable[[Layout], int], logged: bool = False,
              direct: bool = True, from_enabling: bool = False) -> WorldFn:
    """One SPTE; ``logged``: its slot is dirty-logged; ``from_enabling``: the dirty log is
    counted from the enabling of dirty logging (``World.log_from_enabling``)."""
    def mk(mb: ModelBuilder, L: Layout, variant: Variant, hw: HwParams, vcpus: int) -> World:
        decl = SpteDecl("spte0", GFN1, PFN, value(L), direct=direct)
        gfns = [GFN1, GFN2] if not direct else [GFN1]
        w = World(mb, L, variant, hw, [decl], frozenset(gfns if logged else []), vcpus,
                  gfns=gfns, log_from_enabling=from_enabling)
        return w
    return mk


def _tdp_world(mb: ModelBuilder, L: Layout, variant: Variant, hw: HwParams,
               vcpus: int) -> World:
    decls = [SpteDecl("parent", 0, PT_PFN, _parent(L), leaf=False, level=2),
             SpteDecl("child", GFN1, PFN, _wrprot_clean(L), parent=0)]
    return World(mb, L, variant, hw, decls, frozenset(), vcpus)


def _harvest_world(mb: ModelBuilder, L: Layout, variant: Variant, hw: HwParams,
                   vcpus: int) -> World:
    w = World(mb, L, variant, hw, [SpteDecl("spte0", GFN1, PFN, _writable(L))],
              frozenset([GFN1]), vcpus)
    return w


def _wrtrack_vs_fastpf(w: World) -> None:
    host_ops.add_write_tracking(w, 0)
    fast_fault.add_fast_fault(w, 0, 0)
    hardware.add_cpu(w, 0, reads=False)


def _harvest_vs_wrtrack(w: World) -> None:
    host_ops.add_harvest(w)
    host_ops.add_write_tracking(w, 0)
    hardware.add_cpu(w, 0, reads=False)


def _remap_vs_fastpf(w: World) -> None:
    fast_fault.add_fast_fault(w, 0, 0)
    host_ops.add_zap_remap(w, 0, GFN2)
    hardware.add_cpu(w, 0, reads=False)


def _zap_pt_vs_fastpf(w: World) -> None:
    tdp.add_zap_page_table(w, 0)
    fast_fault.add_fast_fault(w, 0, 1)
    hardware.add_cpu(w, 0)


def _aging_vs_fastpf(w: World) -> None:
    host_ops.add_aging(w, 0)
    fast_fault.add_fast_fault(w, 0, 0)
    hardware.add_cpu(w, 0)


def _aging_vs_wrtrack(w: World) -> None:
    host_ops.add_aging(w, 0, passes=2)
    host_ops.add_write_tracking(w, 0)
    hardware.add_cpu(w, 0, writes=False)


def _tdp_wrprot_vs_fault(w: World) -> None:
    tdp.add_tdp_wrprot(w, 0)
    tdp.add_tdp_map(w, 1, 0)
    fast_fault.add_fast_fault(w, 0, 0)
    hardware.add_cpu(w, 0, reads=False)


def _tdp_zap_atomic_vs_fault(w: World) -> None:
    w.enable_frozen_spte()
    tdp.add_zap_spte_atomic(w, 0)
    tdp.add_tdp_map(w, 1, 1)
    fast_fault.add_fast_fault(w, 0, 1)
    hardware.add_cpu(w, 0)


def _test_age_vs_fastpf(w: World) -> None:
    host_ops.add_aging(w, 0)
    host_ops.add_test_age(w, 0)
    fast_fault.add_fast_fault(w, 0, 0)
    hardware.add_cpu(w, 0)


def _tdp_age_vs_fastpf(w: World) -> None:
    tdp.add_tdp_age(w, 0)
    fast_fault.add_fast_fault(w, 0, 0)
    hardware.add_cpu(w, 0)


def _mixed_vcpus(w: World) -> None:
    host_ops.add_harvest(w)
    host_ops.add_write_tracking(w, 0)
    for v in range(w.vcpus):
        fast_fault.add_fast_fault(w, v, 0)
    for v in range(w.vcpus):
        hardware.add_cpu(w, v)


def _zap_vs_writers(w: World) -> None:
    host_ops.add_zap(w, 0)
    host_ops.add_slow_fault(w, w.vcpus - 1, 0)
    for v in range(w.vcpus):
        hardware.add_cpu(w, v)


def _lost_dirty(w: World) -> None:
    """One mmu_lock holder that, call by call, write-protects for dirty logging (the
    harvest), zaps or ages the SPTE, against each vCPU's fast page fault and CPU."""
    mmu = w.mb.actor("mmu", "host", "CPU (mmu_lock holder)")
    mmu.idle_at("done")
    host_ops.add_harvest(w, into=Within(mmu, "harvest"))
    host_ops.add_zap(w, 0, into=Within(mmu, "zap"))
    host_ops.add_aging(w, 0, into=Within(mmu, "age"))
    for v in range(w.vcpus):
        fast_fault.add_fast_fault(w, v, 0)
    for v in range(w.vcpus):
        hardware.add_cpu(w, v)


def _zap_range_vs_wrtrack(w: World) -> None:
    host_ops.add_zap_range(w, (0, 1))
    host_ops.add_write_tracking(w, 0)
    hardware.add_cpu(w, 0)


def _tdp_zap_range_vs_wrtrack(w: World) -> None:
    tdp.add_tdp_zap_range(w, (0, 1))
    host_ops.add_write_tracking(w, 0, protect=tdp.write_protect_gfn)
    hardware.add_cpu(w, 0)


def _wrtrack_vs_slowpf(w: World) -> None:
    w.enable_write_track_count()
    host_ops.add_write_tracking(w, 0)
    host_ops.add_slow_fault(w, 0, 0)
    hardware.add_cpu(w, 0, reads=False)


def _two_sptes(mb: ModelBuilder, L: Layout, variant: Variant, hw: HwParams,
               vcpus: int) -> World:
    """Two writable clean 4K mappings of adjacent gfns (a range for a range zap)."""
    clean = [C.clear_bits(_writable(L, p), L.dirty) for p in (PFN, PFN + 1)]
    decls = [SpteDecl("spte0", GFN1, PFN, clean[0]), SpteDecl("spte1", GFN2, PFN + 1, clean[1])]
    return World(mb, L, variant, hw, decls, frozenset(), vcpus)


HUGE_GFN = 0x2
"""The first gfn of the small-form huge page (2 × 4K, gfn-aligned as a 2M page is)."""


def _huge_world(mb: ModelBuilder, L: Layout, variant: Variant, hw: HwParams,
                vcpus: int) -> World:
    """One huge leaf (level 2, small form: 2 × 4K) of a dirty-logged slot, as enabling
    dirty logging leaves it: W cleared, MMU-writable kept (kvm_mmu_slot_remove_write_access
    / wrprot_gfn_range clear W only)."""
    huge = P.make_spte(C, L, P.MakeSpteArgs(pfn=PFN, huge=True))
    decl = SpteDecl("spte0", HUGE_GFN, PFN, C.clear_bits(huge, L.w), level=2, pages=2)
    return World(mb, L, variant, hw, [decl], frozenset(decl.gfn_list()), vcpus)


def _huge_fastpf(w: World) -> None:
    fast_fault.add_fast_fault(w, 0, 0)
    hardware.add_cpu(w, 0, reads=False)


def _split_world(mb: ModelBuilder, L: Layout, variant: Variant, hw: HwParams,
                 vcpus: int, from_enabling: bool = True) -> World:
    """A writable, clean huge leaf (level 2, small form: 2 × 4K) of a slot whose dirty
    logging is being enabled, and the two entries of the page table a split would link
    in its place (unused: a zeroed page).  The dirty log is counted from the enabling
    (``World.log_from_enabling``): the new bitmap is empty, and every write after the
    write-protect has returned must be logged."""
    huge = C.clear_bits(P.make_spte(C, L, P.MakeSpteArgs(pfn=PFN, huge=True)), L.dirty)
    decls = [SpteDecl("huge", HUGE_GFN, PFN, huge, level=2, pages=2, splits=True),
             SpteDecl("child0", HUGE_GFN, PFN, 0, parent=0),
             SpteDecl("child1", HUGE_GFN + 1, PFN + 1, 0, parent=0)]
    return World(mb, L, variant, hw, decls, frozenset(decls[0].gfn_list()), vcpus,
                 log_from_enabling=from_enabling)


def _shadow_split_world(mb: ModelBuilder, L: Layout, variant: Variant, hw: HwParams,
                        vcpus: int) -> World:
    """``_split_world`` for the shadow MMU's eager split, which has no operation that
    enables dirty logging beside it: the log starts full (every write before counts as
    logged), as in the scenarios whose log is not counted from an enabling."""
    return _split_world(mb, L, variant, hw, vcpus, from_enabling=False)


def _split_vs_wrprot(w: World) -> None:
    tdp.add_tdp_split(w, 0, attempts=2)
    tdp.add_tdp_wrprot(w, 0, attempts=2)
    hardware.add_cpu(w, 0, reads=False)


def _dirty_split_world(mb: ModelBuilder, L: Layout, variant: Variant, hw: HwParams,
                       vcpus: int) -> World:
    """``_split_world`` with a huge leaf the guest has written (D set), whose dirty state
    the enabling of dirty logging with PML clears (EPT with A/D bits only: PML needs
    them).  The dirty log is counted from the enabling (``World.log_from_enabling``):
    clear-dirty, then the 2M write-protect (``kvm_mmu_slot_remove_write_access
    (PG_LEVEL_2M)``), then the flush; from its return every write must be logged, by
    PML (a D 0→1 of a 4K SPTE) or by the fault a write-protected huge page takes."""
    huge = P.make_spte(C, L, P.MakeSpteArgs(pfn=PFN, huge=True))
    decls = [SpteDecl("huge", HUGE_GFN, PFN, huge, level=2, pages=2, splits=True),
             SpteDecl("child0", HUGE_GFN, PFN, 0, parent=0),
             SpteDecl("child1", HUGE_GFN + 1, PFN + 1, 0, parent=0)]
    return World(mb, L, variant, hw, decls, frozenset(decls[0].gfn_list()), vcpus,
                 log_from_enabling=True)


def _split_vs_clear_dirty(w: World) -> None:
    w.pml = True  # the CPU logs each D 0→1 (vmx_flush_pml_buffer before any harvest)
    # the splitter the kernel runs concurrently with the enabling: an instruction fetch
    # from page 0 of the huge page (non-executable under the NX huge page mitigation),
    # kvm_tdp_mmu_map -> tdp_mmu_split_huge_page under the read lock (the eager split of
    # kvm_mmu_slot_apply_flags runs before clear-dirty, in its thread).  It is vCPU1's:
    # vCPU0 is the guest writer, and a vCPU in the fault handler does not write
    tdp.add_tdp_fault_split(w, 1, 0, k=0, exec_=True)
    tdp.add_tdp_clear_dirty(w, 0, attempts=2)
    hardware.add_cpu(w, 0, reads=False)


def _pml_enable_world(mb: ModelBuilder, L: Layout, variant: Variant, hw: HwParams,
                      vcpus: int) -> World:
    """One writable huge leaf the guest has written (D set; level 2, small form: 2 × 4K)
    of a slot whose dirty logging is being enabled with PML; no split: the huge page
    stays huge.  The dirty log is counted from the enabling (``World.log_from_enabling``)."""
    huge = P.make_spte(C, L, P.MakeSpteArgs(pfn=PFN, huge=True))
    decl = SpteDecl("huge", HUGE_GFN, PFN, huge, level=2, pages=2)
    return World(mb, L, variant, hw, [decl], frozenset(decl.gfn_list()), vcpus,
                 log_from_enabling=True)


def _pml_enable_vs_writer(w: World) -> None:
    w.pml = True  # the CPU logs each D 0→1 (vmx_flush_pml_buffer before any harvest)
    tdp.add_tdp_clear_dirty(w, 0, attempts=2)
    hardware.add_cpu(w, 0, reads=False)


def _recover_world(logged: bool) -> Callable[..., World]:
    """A non-leaf SPTE (level 2) over a page table of two present 4K leaves (the small form
    of a 2M region, as a split or 4K faults leave it; each write-protected and clean,
    MMU-writable) that an in-place recovery may make huge; ``logged``: the slot is still
    dirty-logged."""
    def mk(mb: ModelBuilder, L: Layout, variant: Variant, hw: HwParams, vcpus: int) -> World:
        parent = P.make_nonleaf_spte(C, L, PT_PFN)
        decls = [SpteDecl("table", HUGE_GFN, PFN, int(parent), level=2, pages=2,
                          collapses=True),
                 SpteDecl("child0", HUGE_GFN, PFN, _wrprot_clean(L, PFN), parent=0),
                 SpteDecl("child1", HUGE_GFN + 1, PFN + 1, _wrprot_clean(L, PFN + 1),
                          parent=0)]
        return World(mb, L, variant, hw, decls,
                     frozenset(decls[0].gfn_list() if logged else []), vcpus)
    return mk


def _recover_vs_fault(w: World) -> None:
    # a guest reader only: with a writer too the proof form (repeat + all-initial) passes
    # 400,000 states; the writer is in tdp-recover-logged, whose recovery returns at once
    w.enable_frozen_spte()
    tdp.add_tdp_recover(w, 0)
    tdp.add_tdp_map(w, 1, 1)
    hardware.add_cpu(w, 0, writes=False)


def _recover_logged(w: World) -> None:
    w.enable_frozen_spte()
    tdp.add_tdp_recover(w, 0)
    tdp.add_tdp_map(w, 1, 1)
    hardware.add_cpu(w, 0)


def _recover_yield_world(mb: ModelBuilder, L: Layout, variant: Variant, hw: HwParams,
                         vcpus: int) -> World:
    """A non-leaf 2M entry over a table whose first 4K entry is not present (zapped, e.g.
    by an mmu-notifier invalidation) and whose second is a writable clean 4K leaf: what
    ``recover_huge_pages_range`` makes huge from the second (``make_huge_spte`` keeps W);
    the slot is not dirty-logged."""
    parent = P.make_nonleaf_spte(C, L, PT_PFN)
    clean = C.clear_bits(_writable(L, PFN + 1), L.dirty)
    decls = [SpteDecl("table", HUGE_GFN, PFN, int(parent), level=2, pages=2, collapses=True),
             SpteDecl("child0", HUGE_GFN, PFN, 0, parent=0),
             SpteDecl("child1", HUGE_GFN + 1, PFN + 1, clean, parent=0)]
    return World(mb, L, variant, hw, decls, frozenset(), vcpus)


def _recover_yield(w: World) -> None:
    # write tracking of the first gfn (a nested guest's page table there: account_shadowed
    # -> __kvm_write_track_add_gfn: the count and disallow_lpage, then
    # kvm_tdp_mmu_write_protect_gfn through the 2M entry), which the recovery's
    # kvm_mmu_max_mapping_level test reads and which can run only when the recovery does
    # not hold mmu_lock: before it, at its yield point, after it
    w.enable_frozen_spte()
    w.enable_write_track_count()
    tdp.add_recover_walk(w, 0)
    host_ops.add_write_tracking(w, 1, protect=tdp.write_protect_gfn_walk)
    w.register_wrtrack_op("wrtrack", 0)
    hardware.add_cpu(w, 0, writes=False)


def _recover_vs_fastpf(w: World) -> None:
    w.enable_frozen_spte()
    tdp.add_recover_walk(w, 0)
    fast_fault.add_fast_fault(w, 0, 0, page=0)  # SPTE 1, child 0 of the 2M entry
    hardware.add_cpu(w, 0, writes=False)


def _shadow_split(w: World) -> None:
    # a nested MMU's huge SPTE: fast_page_fault never runs on it ("KVM only supports fixing
    # page faults outside of MMU lock for direct MMUs, nested MMUs are always indirect",
    # mmu.c), so the lockless actor is the CPU: walks, A/D assists, a stale huge TLB entry
    host_ops.add_shadow_split(w, 0)
    hardware.add_cpu(w, 0, reads=False)


def _shadow_split_vs_rmap_age(w: World) -> None:
    # V-NEW's lockless rmap aging (kvm_rmap_age_gfn_range, no mmu_lock, the rmap locked
    # read-only) of the huge SPTE's rmap, against the eager split under the write lock,
    # whose drop_spte removes the huge SPTE from that rmap (pte_list_remove waits for the
    # rmap lock) before __link_shadow_page links the non-leaf; a guest reading and writing
    w.enable_rmap_lock(0)
    host_ops.add_shadow_split(w, 0)
    host_ops.add_rmap_age(w, 0)
    hardware.add_cpu(w, 0)


def _huge_split_world(mb: ModelBuilder, L: Layout, variant: Variant, hw: HwParams,
                      vcpus: int) -> World:
    """``_huge_world`` (a huge leaf of a dirty-logged slot, write-protected for dirty
    logging, MMU-writable) with the two entries of the shadow page the fault path's split
    links in its place (unused: a zeroed page)."""
    huge = P.make_spte(C, L, P.MakeSpteArgs(pfn=PFN, huge=True))
    decls = [SpteDecl("huge", HUGE_GFN, PFN, C.clear_bits(huge, L.w), level=2, pages=2,
                      splits=True),
             SpteDecl("child0", HUGE_GFN, PFN, 0, parent=0),
             SpteDecl("child1", HUGE_GFN + 1, PFN + 1, 0, parent=0)]
    return World(mb, L, variant, hw, decls, frozenset(decls[0].gfn_list()), vcpus)


def _huge_slowpf_split(w: World) -> None:
    host_ops.add_huge_slow_fault(w, 0, 0, 0)
    hardware.add_cpu(w, 0)


def _tdp_fault_split_vs_fastpf(w: World) -> None:
    tdp.add_tdp_fault_split(w, 0, 0, k=0)
    fast_fault.add_fast_fault(w, 1, 0, page=1)
    hardware.add_cpu(w, 0)


def _zap_collapsible_vs_huge_fault(w: World) -> None:
    w.enable_frozen_spte()
    tdp.add_zap_spte_atomic(w, 0)
    tdp.add_tdp_fault_huge(w, 1, 0)
    hardware.add_cpu(w, 0)


def _ring_vs_fastpf(w: World) -> None:
    w.enable_dirty_ring()
    host_ops.add_dirty_ring(w, 0)
    fast_fault.add_fast_fault(w, 0, 0)
    hardware.add_cpu(w, 0, reads=False)


def _pml_harvest_vs_fastpf(w: World) -> None:
    w.pml = True
    host_ops.add_harvest(w, mode="clear_dirty")
    fast_fault.add_fast_fault(w, 0, 0)
    hardware.add_cpu(w, 0, reads=False)


def _two_splitters(w: World) -> None:
    # two splitters of one huge page, each with a page table of its own: the eager split
    # (kvm_mmu_slot_apply_flags as dirty logging is enabled: tdp_mmu_split_huge_pages_root,
    # read lock; a failed cmpxchg refreshes old_spte and re-tests it) and vCPU1's
    # instruction fetch under the NX huge page mitigation (kvm_tdp_mmu_map, read lock:
    # tdp_mmu_split_huge_page; a failed cmpxchg frees its table, RET_PF_RETRY), "a vCPU
    # doing HugePage NX splitting wins the race" (tdp_mmu_split_huge_pages_root's
    # comment); vCPU0 reading and writing both 4K pages
    w.enable_split_tables()
    tdp.add_tdp_split(w, 0, attempts=2)
    tdp.add_tdp_fault_split(w, 1, 0, k=0, exec_=True)
    hardware.add_cpu(w, 0, reads=False)


def _fault_split_vs_wrprot(w: World) -> None:
    # vCPU1's instruction fetch under the NX huge page mitigation (kvm_tdp_mmu_map, read
    # lock: tdp_mmu_split_huge_page of the huge leaf it read, a failed cmpxchg frees its
    # table and returns RET_PF_RETRY) vs the write-protect of dirty logging's enabling
    # (kvm_mmu_slot_remove_write_access -> wrprot_gfn_range, read lock, the leaf re-check
    # and the descent to the children; the flush; the log counted from its return; no
    # eager split before it: eager_page_split off, or its allocation failed), and vCPU0
    # writing both 4K pages
    w.enable_split_tables()
    tdp.add_tdp_wrprot(w, 0, attempts=2)
    tdp.add_tdp_fault_split(w, 1, 0, k=0, exec_=True)
    hardware.add_cpu(w, 0, reads=False)


SCENARIOS: dict[str, Scenario] = {s.name: s for s in [
    Scenario("wrtrack-vs-fastpf",
             "shadow-page write tracking (spte_write_protect, pt_protect) vs fast page fault "
             "and a guest writer on a non-logged slot (R2, R3)",
             MODES, _wrtrack_vs_fastpf, _one_spte(_wrprot_clean)),
    Scenario("harvest-vs-wrtrack",
             "dirty-log harvest (write-protect, flush after unlock) vs shadow-page write "
             "tracking, with a guest writer (R4)",
             MODES, _harvest_vs_wrtrack, _harvest_world),
    Scenario("remap-vs-fastpf",
             "fast page fault on an indirect shadow page vs zap + pfn reuse for another gfn "
             "+ guest page-table change, dirty-logged slot (R1)",
             ("legacy",), _remap_vs_fastpf, _one_spte(_wrprot, logged=True, direct=False)),
    Scenario("zap-pt-vs-fastpf",
             "TDP zap of a page table under the write lock (handle_removed_pt) vs a fast "
             "page fault that walked before it and a guest writing through a cached parent "
             "entry (R5)",
             MODES, _zap_pt_vs_fastpf, _tdp_world),
    Scenario("aging-vs-fastpf",
             "aging (mmu_spte_age / lockless kvm_rmap_age_gfn_range) vs fast page fault and "
             "a guest reader/writer",
             MODES, _aging_vs_fastpf, _one_spte(_writable)),
    Scenario("aging-vs-wrtrack",
             "two aging passes vs shadow-page write tracking and a guest reader: is an "
             "access between the passes seen (accessed information)",
             MODES, _aging_vs_wrtrack, _one_spte(_writable)),
    Scenario("pml-harvest-wrprot-only",
             "PML-style harvest of an AD_WRPROT_ONLY SPTE (test_and_clear_bit(W)) vs fast "
             "page fault and a guest writer",
             ("ept-ad",), _pml_harvest_vs_fastpf, _one_spte(_wrprot_only, logged=True)),
    Scenario("tdp-wrprot-vs-fault",
             "TDP MMU: enabling dirty logging (wrprot_gfn_range, cmpxchg under the read "
             "lock) vs a TDP write fault (cmpxchg under the read lock), a fast page fault "
             "and a guest writer",
             MODES, _tdp_wrprot_vs_fault, _one_spte(_writable, logged=True,
                                                    from_enabling=True)),
    Scenario("tdp-age-vs-fastpf",
             "TDP MMU aging (age_gfn_range; V-NEW lockless kvm_tdp_mmu_age_spte) vs fast "
             "page fault and a guest reader/writer",
             MODES, _tdp_age_vs_fastpf, _one_spte(_writable)),
    Scenario("tdp-zap-atomic-vs-fault",
             "TDP MMU: the atomic zap of a page table under the read lock "
             "(tdp_mmu_zap_spte_atomic: cmpxchg to REMOVED_SPTE, handle_removed_pt's shared "
             "path xchg'ing the child leaf to REMOVED_SPTE, flush, clear) vs a TDP write fault "
             "that backs off on a frozen SPTE, a fast page fault and a guest reader/writer "
             "(V-MID only: v5.13-v6.12) (R14, R15)",
             MODES, _tdp_zap_atomic_vs_fault, _tdp_world, needs="tdp_zap_spte_atomic"),
    Scenario("test-age-vs-fastpf",
             "aging (clear_flush_young) and test-age (kvm_test_age_gfn, test_young: read "
             "only) vs fast page fault (which restores an access-tracked SPTE) and a guest "
             "reader/writer: is an access after the aging pass seen by test-age (R13)",
             MODES, _test_age_vs_fastpf, _one_spte(_writable)),
    Scenario("mixed-2vcpu",
             "two vCPUs, each with a fast page fault and a guest reader/writer, vs a "
             "dirty-log harvest and shadow-page write tracking on a dirty-logged slot",
             MODES, _mixed_vcpus, _one_spte(_writable, logged=True), large=True, vcpus=2,
             sized=True, symmetric=True),
    Scenario("zap-vs-writers",
             "mmu-notifier zap (mmu_spte_clear_track_bits) vs two vCPUs writing a clean "
             "writable page (D assists) and a slow write fault re-installing it",
             MODES, _zap_vs_writers, _one_spte(lambda L: C.clear_bits(_writable(L), L.dirty)),
             vcpus=2, sized=True),
    Scenario("lost-dirty",
             "the lost-dirty-bit family: one mmu_lock holder write-protecting for dirty "
             "logging, zapping or aging, call by call, vs N vCPUs each with a fast page "
             "fault and a guest reader/writer, on one SPTE of a dirty-logged slot "
             "(size it with --vcpus N --ops K)",
             MODES, _lost_dirty, _one_spte(_writable, logged=True), vcpus=1, sized=True,
             symmetric=True),
    Scenario("pml-harvest-vs-fastpf",
             "PML-style dirty-log harvest (clear D / test_and_clear_bit(W)) vs fast page "
             "fault and a guest writer (EPT with A/D: PML logs D 0->1)",
             ("ept-ad",), _pml_harvest_vs_fastpf,
             _one_spte(_wrprot, logged=True)),
    Scenario("zap-range-vs-wrtrack",
             "a gfn-range zap (kvm_zap_gfn_range, rmap walk over two gfns) that may yield "
             "mmu_lock between them with a flush pending, vs shadow-page write tracking of "
             "the first gfn and a guest reader/writer (R9)",
             MODES, _zap_range_vs_wrtrack, _two_sptes),
    Scenario("wrtrack-vs-slowpf",
             "write tracking of a gfn (__kvm_write_track_add_gfn: count, write-protect, "
             "flush, under the write lock) vs a slow write fault on it (lockless "
             "page_fault_handle_page_track, then make_spte's mmu_try_to_unsync_pages "
             "check under mmu_lock) and a guest writer (R11)",
             MODES, _wrtrack_vs_slowpf, _one_spte(_wrprot_clean)),
    Scenario("huge-fastpf-dirty-log",
             "fast page fault on a huge SPTE (small form: 2 × 4K) of a dirty-logged slot, "
             "write-protected for dirty logging but MMU-writable, vs a guest writing both "
             "4K pages: fast page fault must leave it to the slow path, which maps 4K "
             "(R12)",
             MODES, _huge_fastpf, _huge_world),
    Scenario("tdp-split-vs-wrprot",
             "TDP MMU eager huge-page split (tdp_mmu_split_huge_pages_root: fill the new "
             "table from the huge leaf, cmpxchg the non-leaf in, no flush; read lock) vs "
             "enabling dirty logging (wrprot_gfn_range, read lock: the leaf re-check after "
             "a failed cmpxchg, then down to the children) and a guest writing both 4K "
             "pages (v5.18+; R16)",
             MODES, _split_vs_wrprot, _split_world, needs="tdp_eager_split"),
    Scenario("tdp-split-vs-clear-dirty",
             "TDP MMU fault-path huge-page split (vCPU1's instruction fetch from a huge "
             "page the NX huge page mitigation maps non-executable: kvm_tdp_mmu_map, read "
             "lock, goal level 4K in a dirty-logged slot: tdp_mmu_split_huge_page, no "
             "flush, then make_spte of the 4K page, writable and marked) vs clearing the "
             "dirty state of a written huge page as dirty logging is enabled with PML "
             "(clear_dirty_gfn_range, read lock: cmpxchg D, or W where A/D is off, the "
             "leaf re-check after a failed cmpxchg, then down to the children; then "
             "the 2M write-protect, wrprot_gfn_range from PG_LEVEL_2M; the caller's "
             "unconditional flush) and vCPU0 writing both 4K pages (v6.2+; EPT with "
             "A/D only, where PML exists; the real code loses a write here: FINDINGS)",
             ("ept-ad",), _split_vs_clear_dirty, _dirty_split_world,
             needs="tdp_fault_split"),
    Scenario("tdp-recover-vs-fault",
             "TDP MMU in-place huge-page recovery (recover_huge_pages_range, read lock: "
             "make_huge_spte from the first present child, cmpxchg the non-leaf to the huge "
             "leaf, handle_removed_pt's shared xchg loop on the old table, "
             "kvm_flush_remote_tlbs_memslot) vs a TDP write fault on a child that backs off "
             "on a frozen SPTE and a guest reader through the old child entries and the "
             "new huge one (v6.13+; R17)",
             MODES, _recover_vs_fault, _recover_world(False), needs="tdp_recover_in_place"),
    Scenario("tdp-recover-logged",
             "the same recovery called on a slot that is still dirty-logged (a caller "
             "bug the kernel WARNs on and bails out of: recover_huge_pages_range returns "
             "at once) vs a TDP write fault on a child and a guest writer (v6.13+; R18)",
             MODES, _recover_logged, _recover_world(True), needs="tdp_recover_in_place"),
    Scenario("ring-reset-vs-fastpf",
             "dirty-ring harvest (userspace collects the entry, KVM_RESET_DIRTY_RINGS "
             "write-protects the batch, flushes) vs fast page fault (which pushes the gfn) "
             "and a guest writer, on a dirty-logged slot (R10)",
             MODES, _ring_vs_fastpf, _one_spte(_wrprot_clean, logged=True)),
    Scenario("tdp-zap-range-vs-wrtrack",
             "the TDP MMU's gfn-range zap (kvm_zap_gfn_range → tdp_mmu_zap_leafs over two "
             "4K leaves, write lock) that may yield mmu_lock between them through "
             "tdp_mmu_iter_cond_resched with a flush pending, vs write tracking of the "
             "first gfn (kvm_tdp_mmu_write_protect_gfn: clear W and MMU-writable, flush if "
             "changed, write lock) and a guest reader/writer (v5.12+; R20)",
             MODES, _tdp_zap_range_vs_wrtrack, _two_sptes, needs="tdp_yield_flush_owed"),
    Scenario("shadow-split-vs-writer",
             "shadow MMU eager huge-page split of a nested MMU's huge SPTE "
             "(shadow_mmu_split_huge_page under the write lock: READ_ONCE the huge SPTE, "
             "fill the child shadow page, __link_shadow_page: drop_large_spte "
             "(mmu_spte_clear_track_bits, a flush only if asked: never for 4K children), "
             "mmu_spte_set of the non-leaf) vs a guest writing both 4K pages (D assists, "
             "a stale huge TLB entry) (v6.0+; R22)",
             MODES, _shadow_split, _shadow_split_world, needs="shadow_eager_split"),
    Scenario("huge-slowpf-split",
             "the slow path a fast page fault leaves a write-protected huge SPTE of a "
             "dirty-logged slot to (direct_map under the write lock: link_shadow_page = "
             "drop_large_spte + kvm_flush_remote_tlbs_sptep + mmu_spte_set of the non-leaf, "
             "then mmu_set_spte of the writable 4K SPTE with mark_page_dirty_in_slot) vs a "
             "guest reading and writing through the huge and the 4K mappings (R21)",
             MODES, _huge_slowpf_split, _huge_split_world),
    Scenario("tdp-recover-yield",
             "TDP MMU in-place huge-page recovery as a walk (recover_huge_pages_range, read "
             "lock: the kvm_mmu_max_mapping_level test of the candidate, make_huge_spte, "
             "cmpxchg, handle_removed_pt's shared path, flush = true, then the next 2M entry "
             "with the yield point tdp_mmu_iter_cond_resched(flush): flush what is owed, drop "
             "and retake the read lock; the end flush if still owed) vs write tracking of the "
             "first gfn (count + disallow_lpage, kvm_tdp_mmu_write_protect_gfn through the 2M "
             "entry, write lock) and a guest reader (v6.13+; R27, R28)",
             MODES, _recover_yield, _recover_yield_world, needs="tdp_recover_in_place"),
    Scenario("tdp-recover-vs-fastpf",
             "the recovery as a walk (tdp-recover-yield's) vs a fast page fault on the first "
             "4K page (kvm_tdp_mmu_fast_pf_get_last_sptep's lockless walk, step by step: the "
             "2M entry, then the 4K entry of the table it pointed to, which the recovery may "
             "have frozen, or the new huge leaf; cmpxchg on the entry the walk ended at) and "
             "a guest reader (v6.13+)",
             MODES, _recover_vs_fastpf, _recover_world(False), needs="tdp_recover_in_place"),
    Scenario("tdp-fault-split-vs-fastpf",
             "the TDP MMU's fault path on a huge leaf of a dirty-logged slot (kvm_tdp_mmu_map, "
             "read lock, goal level 4K: tdp_mmu_split_huge_page fills the new table from the "
             "huge leaf and cmpxchgs the non-leaf in, no flush, then maps the faulting 4K page "
             "writable and logged) vs a fast page fault on the other 4K page whose lockless "
             "walk reaches the huge leaf or the new child, and a guest reading and writing "
             "through the huge and the 4K mappings (v6.2+; R25)",
             MODES, _tdp_fault_split_vs_fastpf, _huge_split_world, needs="tdp_fault_split"),
    Scenario("tdp-zap-collapsible-vs-huge-fault",
             "TDP MMU, V-MID: zap_collapsible_spte_range's atomic zap of a page table "
             "(cmpxchg to REMOVED_SPTE, handle_removed_pt's shared path, flush, clear; read "
             "lock; a leaf is skipped) so that a huge page can replace it, vs the TDP fault "
             "at 2M that does (kvm_tdp_mmu_map at the goal level: cmpxchg the huge leaf over "
             "the zapped SPTE, or over the page table itself, then handle_removed_pt's shared "
             "path and kvm_flush_remote_tlbs_gfn; back-off on a frozen SPTE) and a guest "
             "reading and writing through the children and the huge leaf (v5.13-v6.12; R26)",
             MODES, _zap_collapsible_vs_huge_fault, _recover_world(False),
             needs="tdp_zap_spte_atomic"),
    Scenario("shadow-split-vs-rmap-age",
             "V-NEW's lockless rmap aging (kvm_rmap_age_gfn_range without mmu_lock: "
             "kvm_rmap_lock_readonly, READ_ONCE, present and accessed tests, clear_bit(A) "
             "or cmpxchg to the access-tracked form, unlock) of a nested MMU's huge SPTE "
             "vs the shadow MMU's eager split of it under the write lock (drop_large_spte: "
             "mmu_spte_clear_track_bits, then drop_spte's rmap_remove, which waits for the "
             "rmap lock; mmu_spte_set of the non-leaf) and a guest reading and writing "
             "both 4K pages (v6.15+)",
             MODES, _shadow_split_vs_rmap_age, _shadow_split_world, needs="lockless_aging"),
    Scenario("tdp-pml-enable-huge",
             "enabling dirty logging with PML on a written huge page the TDP MMU keeps huge "
             "(kvm_mmu_slot_apply_flags: clear_dirty_gfn_range clears D under the read "
             "lock, then the 2M write-protect, wrprot_gfn_range from PG_LEVEL_2M, then the "
             "unconditional flush) vs a guest writing both 4K pages: PML logs a D 0→1, "
             "which a huge SPTE makes once (EPT with A/D only; R19, R24)",
             ("ept-ad",), _pml_enable_vs_writer, _pml_enable_world, needs="tdp_eager_split"),
    Scenario("tdp-two-splitters",
             "two splitters of one huge page, each filling a page table of its own: the "
             "TDP MMU's eager split (tdp_mmu_split_huge_pages_root, read lock; a failed "
             "cmpxchg refreshes old_spte and re-tests it: a non-leaf is skipped) vs vCPU1's "
             "instruction fetch under the NX huge page mitigation (kvm_tdp_mmu_map, read "
             "lock: tdp_mmu_split_huge_page, a failed cmpxchg frees its table and returns "
             "RET_PF_RETRY; then make_spte of 4K page 0), and vCPU0 reading and writing "
             "both 4K pages (v6.2+)",
             MODES, _two_splitters, _shadow_split_world, needs="tdp_fault_split"),
    Scenario("tdp-fault-split-vs-wrprot",
             "TDP MMU fault-path huge-page split (vCPU1's instruction fetch under the NX "
             "huge page mitigation: kvm_tdp_mmu_map, read lock, tdp_mmu_split_huge_page of "
             "the huge leaf it read into a table of its own; a failed cmpxchg frees it, "
             "RET_PF_RETRY) vs enabling dirty logging without an eager split "
             "(wrprot_gfn_range, read lock: the leaf re-check after a failed cmpxchg, then "
             "down to the children; the flush) and vCPU0 writing both 4K pages (v6.2+; "
             "EPT without A/D bits only, to keep the proof small; R29)",
             ("ept-noad",), _fault_split_vs_wrprot, _split_world, needs="tdp_fault_split"),
]}


@dataclass(frozen=True)
class Finding:
    """A property the real code (variant ``fixed``) violates in a scenario's bounded form,
    on every version and mode the scenario has: a race the model finds in the kernel
    (``depth``: the shortest witness), described in docs/kernel-notes.md (``section``)."""

    scenario: str
    property: str
    depth: int
    section: str


FINDINGS: tuple[Finding, ...] = (
    # a split of the huge page between clear-dirty and the 2M write-protect (vCPU1's
    # instruction fetch under the NX huge page mitigation: kvm_tdp_mmu_map ->
    # tdp_mmu_split_huge_page, concurrent under the read lock) copies a D the guest set
    # after clear-dirty into both 4K children, writable: the 2M walk skips them, and a
    # later write to the other 4K page is not logged by PML
    Finding("tdp-split-vs-clear-dirty", "dirty-log", 20,
            "The 2M write-protect after clear-dirty (PML)"),
)


def __getattr__(name: str) -> object:
    """``RACES`` (where each race shows) comes from the built-in variant files."""
    if name == "RACES":
        from .variants import RACES
        return RACES
    raise AttributeError(name)


def get_scenario(name: str) -> Scenario:
    if name not in SCENARIOS:
        raise InputError(f"unknown scenario {name!r} (choose from {', '.join(SCENARIOS)})")
    return SCENARIOS[name]
