"""The shared state of a protocol model and the memory primitives that change it.

A :class:`World` declares, for one scenario, the state every actor shares:

* ``spte<i>``: 64-bit SPTEs with the real layout (``SpteDecl`` says which gfn/pfn each
  maps, whether its shadow page is direct, and its parent for TDP page-table zaps);
* ``spte<i>.gfn``: the gfn an *indirect* SPTE currently translates (the guest can change
  its page table; R1);
* ``dlog.g<g>``: the dirty bitmap bit of each gfn in a dirty-logged slot;
* ``pfn_dirty.p<p>``: the host's per-pfn dirty flag (``kvm_set_pfn_dirty``);
* ``lock.w`` / ``lock.r``: mmu_lock, an rwlock (writer held / reader count);
* per vCPU and SPTE a TLB entry ``tlb.v<v>.s<i>.{valid,w,d,pfn,gfn}`` and, where a parent
  exists, a paging-structure cache bit ``psc.v<v>``;
* ghost history for the properties: ``written.g<g>`` (a guest write to g not yet reported
  by a harvest), ``hwritten.p<p>`` (a guest write to pfn p ever), ``stale.<op>.v<v>.s<i>``
  (a TLB entry that was writable when write-protect operation ``op`` took effect),
  ``bad.lock`` and ``bad.hostw`` (a store broke the lock rules / changed host-writable on
  a present SPTE).

Every write to an SPTE goes through :meth:`World.store`, which records the lock-discipline
and well-formedness ghosts and the stale-TLB marks; so the properties see every store.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from verify import spte as P
from verify.expr import CONCRETE, Ops
from verify.layouts import Layout
from verify.model import ActorBuilder, Effect, Guard, ModelBuilder, St
from verify.rules import Rule

Value = Any
Upd = dict[str, Value]

RING_DIRTY = 1
"""``KVM_DIRTY_GFN_F_DIRTY``: the entry was pushed."""
RING_RESET = 2
"""``KVM_DIRTY_GFN_F_RESET``: userspace collected the entry."""

KERNEL_FILES = "arch/x86/kvm/mmu/{mmu.c,spte.h,spte.c,tdp_mmu.c,tdp_iter.h}"


@dataclass(frozen=True)
class HwParams:
    """Hardware behaviours the SDM leaves open (primer §3).  Every report names them."""

    d_assist_recheck: bool = True
    """A write through a TLB entry with cached D=0 re-checks that the SPTE is still
    present before setting D, and faults otherwise (what the kernel's fixes assume)."""
    paging_structure_cache: bool = True
    """A vCPU may reach a child SPTE through a cached upper-level entry after the parent
    was zapped, until a flush (needed for R5)."""
    tlb_drops: bool = True
    """Any TLB entry may be dropped at any time."""

    def describe(self) -> dict[str, str]:
        return {
            "d_assist_recheck": "on" if self.d_assist_recheck else "off",
            "paging_structure_cache": "on" if self.paging_structure_cache else "off",
            "tlb_drops": "on" if self.tlb_drops else "off",
        }


@dataclass(frozen=True)
class SiteChoice:
    """A variant's choice at one site (protocols/sites.py): an alternative, and the rule
    expression when a guard is replaced by one."""

    alternative: str
    rule: Rule | None = None

    def describe(self) -> str:
        return f"rule {self.rule}" if self.rule is not None else self.alternative


@dataclass(frozen=True)
class Variant:
    """A protocol variant: the kernel's real code (``fixed``) or a change to it — a
    built-in buggy one re-opening a race, or a user's variant file.  A variant replaces
    the version's volatile rule and/or flush rule and chooses alternatives at sites."""

    name: str
    race: str | None
    summary: str
    needs_atomic: Rule | None = None
    """Use this volatile / needs-atomic rule instead of the version's."""
    flush_rule: Rule | None = None
    """Use this mmu_spte_update flush rule instead of the version's."""
    sites: tuple[tuple[str, SiteChoice], ...] = ()
    """Site id → the alternative chosen there (every other site: the kernel's)."""
    base: str | None = None
    """The kernel version the variant changes (its default --kernel)."""
    modes: tuple[str, ...] = ()
    """The modes it applies to (empty: every mode)."""
    source: str = "<built-in>"
    """Where it was defined (a variant file, a command-line option)."""
    document: dict[str, Any] | None = field(default=None, compare=False, hash=False)
    """The variant-file document it was read from (carried by witnesses for replay)."""

    def choice(self, site: str) -> SiteChoice | None:
        for sid, c in self.sites:
            if sid == site:
                return c
        return None


class Within(ActorBuilder):
    """One operation built inside another actor: the operation's steps and locals get
    the prefix ``op.``, except its ``start`` and ``done`` labels, which are the host
    actor's own.  An actor that owns several operations (the lost-dirty family's
    mmu_lock holder) picks one per call at ``start`` by which first step it takes."""

    def __init__(self, base: ActorBuilder, op: str) -> None:
        super().__init__(base.mb, base.name, base.kind, base.title)
        self.base = base
        self.op = op
        self.labels = base.labels
        self.idle = base.idle

    def _lab(self, lab: str) -> str:
        return lab if lab in ("start", "done") else f"{self.op}.{lab}"

    def var(self, local: str, width: int, init: int | bool = 0, doc: str = "") -> str:
        return self.base.var(f"{self.op}.{local}", width, init, doc)

    def idle_at(self, *labels: str) -> None:
        self.base.idle_at(*(self._lab(lab) for lab in labels))

    def step(self, src: str, dst: str, name: str, *, text: str, kernel: str,
             guard: Guard | None = None, effect: Effect | None = None, local: bool = False,
             spte: int | None = None) -> None:
        self.base.step(self._lab(src), self._lab(dst), f"{self.op}.{name}", text=text,
                       kernel=kernel, guard=guard, effect=effect, local=local, spte=spte)


@dataclass(frozen=True)
class SpteDecl:
    """One SPTE of a scenario."""

    name: str
    gfn: int
    pfn: int
    value: int
    direct: bool = True
    leaf: bool = True
    level: int = 1
    parent: int | None = None  # index of the non-leaf SPTE above it (TDP scenarios)
    pages: int = 1
    """How many 4K pages a huge leaf (``level`` > 1, PT_PAGE_SIZE_MASK set) maps: gfns
    ``gfn .. gfn + pages - 1`` onto pfns ``pfn .. pfn + pages - 1``.  The small form of a
    2M page (512 × 4K) is 2 × 4K: every property that speaks of "another 4K page of the
    huge page" needs only a second one."""

    splits: bool = False
    """A huge leaf that a huge-page split may turn into a non-leaf SPTE pointing at a new
    page table: the SPTEs whose ``parent`` is this one, one 4K child per page, declared
    unused (0: the zeroed page of a table not linked yet) until the split fills them.
    The CPU walks through it to a child only while it is a non-leaf."""

    collapses: bool = False
    """The reverse: a non-leaf SPTE (declared ``leaf`` with ``level`` 2 and ``pages``, its
    value a non-leaf) over its present 4K children (the SPTEs whose ``parent`` it is) that
    an in-place huge-page recovery may turn into a huge leaf; the CPU walks through it to a
    child only while it is a non-leaf, and uses it as a leaf only once it is one."""

    def gfn_list(self) -> list[int]:
        return [self.gfn + k for k in range(self.pages)]

    def pfn_list(self) -> list[int]:
        return [self.pfn + k for k in range(self.pages)]


@dataclass
class World:
    """Shared state and primitives of one scenario's model."""

    mb: ModelBuilder
    L: Layout
    variant: Variant
    hw: HwParams
    sptes: list[SpteDecl]
    logged_gfns: frozenset[int]
    vcpus: int
    gfns: list[int] = field(default_factory=list)
    pfns: list[int] = field(default_factory=list)
    wp_ops: list[str] = field(default_factory=list)
    wp_actor: dict[str, str] = field(default_factory=dict)
    """The actor that runs each write-protect operation (itself, or its host actor)."""
    pml: bool = False
    """Page-modification logging: the CPU logs the gfn when it sets D 0→1 (EPT A/D)."""
    accessed_tracked: list[int] = field(default_factory=list)
    unmap_ops: list[tuple[str, tuple[str, ...], tuple[int, ...], int | None]] = field(
        default_factory=list)
    """Operations that remove a mapping: (actor, the pc labels where the operation has
    returned, the leaf SPTEs it zaps, the non-leaf parent it zaps or None)."""
    wrtrack_ops: list[tuple[str, int]] = field(default_factory=list)
    """Write-tracking operations: (actor, the SPTE it write-protects)."""
    dirty_ring: bool = False
    """Dirty tracking by the dirty ring (:meth:`enable_dirty_ring`)."""
    write_track_count: bool = False
    """The per-gfn write-track count is modelled (:meth:`enable_write_track_count`)."""
    frozen_spte: bool = False
    """An actor of the scenario freezes SPTEs under the read lock (:meth:`enable_frozen_spte`)."""
    rmap_sptes: list[int] = field(default_factory=list)
    """SPTEs whose rmap head (``struct kvm_rmap_head``: non-empty, and its
    ``KVM_RMAP_LOCKED`` bit) is modelled (:meth:`enable_rmap_lock`)."""
    removed_tables: list[tuple[str, int, dict[int, tuple[str, ...]]]] = field(
        default_factory=list)
    """Operations that remove a page table through ``handle_removed_pt`` (for
    ``freed-table-empty``): (actor, the parent SPTE whose table it removes, for each child
    the actor's pc labels between the unlink and ``handle_removed_pt``'s processing of
    that child, where the child may still change)."""
    log_from_enabling: bool = False
    """The dirty log is counted from the enabling of dirty logging: the logged gfns' bitmap
    starts empty (a new ``dirty_bitmap`` is zeroed), and a guest write counts for
    ``dirty-log`` only once the enabling operation (``wrprot_gfn_range`` or
    ``clear_dirty_gfn_range`` as ``kvm_mmu_slot_apply_flags`` calls them) has returned with
    its flush: ghost ``log.armed``, set by :meth:`arm_log`.  Set by the world function."""
    split_tables: bool = False
    """Each splitter fills a page table of its own (:meth:`enable_split_tables`)."""

    def __post_init__(self) -> None:
        mb = self.mb
        if not self.gfns:
            self.gfns = sorted({g for d in self.sptes if d.leaf for g in d.gfn_list()})
        if not self.pfns:
            self.pfns = sorted({p for d in self.sptes if d.leaf for p in d.pfn_list()})
        for i, d in enumerate(self.sptes):
            mb.var(self.s(i), 64, d.value, doc=f"SPTE {d.name}")
            if not d.direct:
                mb.var(self.sgfn(i), 8, d.gfn, doc=f"gfn that {d.name} translates")
        # A writable SPTE of a dirty-logged gfn was logged when make_spte() installed it
        # (a non-leaf a recovery may make huge maps nothing yet: its W is the table's).
        initially_logged = {g for d in self.sptes
                            if d.leaf and not d.collapses and not self.log_from_enabling
                            and P.is_writable_pte(CONCRETE, self.L, d.value)
                            for g in d.gfn_list()}
        for g in self.gfns:
            if g in self.logged_gfns:
                mb.var(self.dlog(g), 0, g in initially_logged,
                       doc=f"dirty bitmap bit of gfn {g:#x}")
            mb.var(self.written(g), 0, False, ghost=True,
                   doc=f"guest wrote gfn {g:#x} since it was last reported")
        for p in self.pfns:
            mb.var(self.pfn_dirty(p), 0, self.L.pfn_dirty_at_fault,
                   doc=f"host dirty flag of pfn {p:#x}")
            mb.var(self.hwritten(p), 0, False, ghost=True, doc=f"guest wrote pfn {p:#x}")
            mb.var(self.pfn_accessed(p), 0, False,
                   doc=f"host accessed flag of pfn {p:#x} (kvm_set_pfn_accessed)")
        mb.var("lock.w", 0, False, doc="mmu_lock held for write")
        mb.var("lock.r", 2, 0, doc="mmu_lock readers")
        for v in range(self.vcpus):
            for i, d in enumerate(self.sptes):
                if not d.leaf:
                    continue
                mb.var(self.tlb(v, i, "valid"), 0, False)
                mb.var(self.tlb(v, i, "w"), 0, False)
                mb.var(self.tlb(v, i, "d"), 0, False)
                mb.var(self.tlb(v, i, "pfn"), 64, 0)
                if not d.direct:
                    mb.var(self.tlb(v, i, "gfn"), 8, 0)
            if self.has_parents:
                mb.var(self.psc(v), 0, False, doc="paging-structure cache of the parent")
        if self.log_from_enabling:
            mb.var("log.armed", 0, False, ghost=True,
                   doc="dirty logging enabled: the enabling operation has returned")
        mb.var("bad.lock", 0, False, ghost=True, doc="a store broke the lock rules")
        mb.var("bad.hostw", 0, False, ghost=True,
               doc="host-writable changed on a present SPTE")
        mb.var("bad.age", 0, False, ghost=True,
               doc="an aging pass reported old after a guest access")
        mb.params.update(self.hw.describe())
        mb.params["kernel"] = f"{self.L.version} ({self.L.tag})"
        mb.params["mode"] = self.L.mode
        mb.params["variant"] = self.variant.name

    # -- names ---------------------------------------------------------------------------
    @staticmethod
    def s(i: int) -> str:
        return f"spte{i}"

    @staticmethod
    def sgfn(i: int) -> str:
        return f"spte{i}.gfn"

    @staticmethod
    def dlog(g: int) -> str:
        return f"dlog.g{g:x}"

    @staticmethod
    def written(g: int) -> str:
        return f"written.g{g:x}"

    @staticmethod
    def pfn_dirty(p: int) -> str:
        return f"pfn_dirty.p{p:x}"

    @staticmethod
    def pfn_accessed(p: int) -> str:
        return f"pfn_accessed.p{p:x}"

    @staticmethod
    def hwritten(p: int) -> str:
        return f"hwritten.p{p:x}"

    @staticmethod
    def tlb(v: int, i: int, f: str) -> str:
        return f"tlb.v{v}.s{i}.{f}"

    @staticmethod
    def psc(v: int) -> str:
        return f"psc.v{v}"

    @staticmethod
    def stale(op: str, v: int, i: int) -> str:
        return f"stale.{op}.v{v}.s{i}"

    @staticmethod
    def acc(i: int) -> str:
        return f"accessed.s{i}"

    def track_accessed(self, i: int) -> None:
        """Keep the ghost 'a guest walk accessed SPTE i since an aging pass cleared A'."""
        if self.mb.has_var(self.acc(i)):
            return
        init = bool(P.is_accessed_spte(CONCRETE, self.L, self.sptes[i].value))
        self.mb.var(self.acc(i), 0, init, ghost=True,
                    doc=f"guest accessed {self.sptes[i].name} since A was last cleared")
        self.accessed_tracked.append(i)

    def aged(self, o: Ops[Any, Any], i: int) -> Upd:
        """An aging pass cleared A of SPTE i (and the host's own referenced flag, as
        ``folio_referenced`` does alongside clear_flush_young): a new access window."""
        return {self.acc(i): o.false(), self.pfn_accessed(self.sptes[i].pfn): o.false()}

    @property
    def has_parents(self) -> bool:
        return any(d.parent is not None for d in self.sptes)

    def children(self, i: int) -> list[int]:
        """The SPTEs whose parent is SPTE i (its page table), in gfn order."""
        return [j for j, d in enumerate(self.sptes) if d.parent == i]

    def in_split_table(self, i: int) -> bool:
        """Is SPTE i an entry of the table a split of its parent links in (unused until
        then)."""
        p = self.sptes[i].parent
        return p is not None and self.sptes[p].splits

    def is_leaf_now(self, o: Ops[Any, Any], i: int, s: Value) -> Value:
        """``is_last_spte(s, level)`` of SPTE i where it can change (a splittable huge
        leaf); true for every other leaf."""
        d = self.sptes[i]
        return P.is_last_spte(o, self.L, s, d.level) if self.level_changes(i) else o.true()

    def declared_absent(self, i: int) -> bool:
        """Is SPTE i an entry of a table a recovery may replace (its parent
        ``collapses``) declared non-present: the all-initial form keeps it so."""
        d = self.sptes[i]
        return (d.parent is not None and self.sptes[d.parent].collapses
                and not P.is_shadow_present_pte(CONCRETE, self.L, d.value))

    def level_changes(self, i: int) -> bool:
        """Can SPTE i change between a huge leaf and a non-leaf (a split or a recovery)."""
        d = self.sptes[i]
        return d.splits or d.collapses

    def declare_vcpu_symmetry(self, actors: Callable[[int], list[str]]) -> None:
        """Declare the vCPUs interchangeable: vCPU v owns its TLB entries, paging-structure
        cache and stale-TLB ghosts, and the variables and pc of the actors ``actors(v)``
        (named alike for every v).  Block k of every vCPU lines up by name with the vCPU
        number left out; :mod:`verify.engines.symmetry` then proves the claim."""
        blocks: list[dict[str, str]] = []
        names = self.mb.var_names() + [f"{a}.pc" for a in self.mb.actor_names()]
        for v in range(self.vcpus):
            own: dict[str, str] = {}
            mine = actors(v)
            for n in names:
                for a in mine:
                    if n.startswith(a + "."):
                        own[f"{actors(0)[mine.index(a)]}@{n[len(a):]}"] = n
                        break
                else:
                    key = re.sub(rf"(^|\.)v{v}(\.|$)", r"\1v*\2", n)
                    if key != n:
                        own[key] = n
            blocks.append(own)
        keys = sorted(blocks[0])
        if any(sorted(b) != keys for b in blocks):
            raise ValueError("vCPU blocks do not line up: the vCPUs are not built alike")
        self.mb.symmetry = tuple(tuple(b[k] for k in keys) for b in blocks)

    def leaves(self) -> list[int]:
        return [i for i, d in enumerate(self.sptes) if d.leaf]

    # -- predicates with the variant applied ------------------------------------------------
    def needs_atomic(self, o: Ops[Any, Any], s: Value) -> Value:
        """The variant's volatile rule (the version's own unless the variant replaces it)."""
        rule = self.variant.needs_atomic
        return rule.one(o, self.L, s) if rule is not None else P.needs_atomic(o, self.L, s)

    def tdp_needs_atomic(self, o: Ops[Any, Any], s: Value, level: int) -> Value:
        """``kvm_tdp_mmu_spte_need_atomic_update`` with the variant's volatile rule."""
        L = self.L
        return o.and_(P.is_shadow_present_pte(o, L, s), P.is_last_spte(o, L, s, level),
                      self.needs_atomic(o, s))

    def flush_needed(self, o: Ops[Any, Any], old: Value, new: Value) -> Value:
        rule = self.variant.flush_rule
        if rule is not None:
            return rule.pair(o, self.L, old, new)
        return P.flush_needed(o, self.L, old, new)

    # -- sites (protocols/sites.py) ---------------------------------------------------------
    def site(self, sid: str) -> str:
        """The alternative this model takes at site ``sid``: the variant's choice, else the
        kernel version's own."""
        from .sites import SITES, USED
        decl = SITES[sid]  # an undeclared site is a bug in the protocol code
        USED.add(sid)
        c = self.variant.choice(sid)
        return c.alternative if c is not None else decl.kernel_default(self.L)

    def guard(self, sid: str) -> Callable[[Ops[Any, Any], Value, Value], Value]:
        """A guard site, resolved when the model is built: ``g(o, s, kernel)`` is the
        test on the SPTE value ``s`` the code read — the kernel's test ``kernel``
        (present), never (absent), or the variant's rule expression."""
        alt = self.site(sid)
        c = self.variant.choice(sid)
        rule = c.rule if c is not None else None
        L = self.L

        def g(o: Ops[Any, Any], s: Value, kernel: Value) -> Value:
            if alt == "absent":
                return o.false()
            if alt == "rule":
                assert rule is not None
                return rule.one(o, L, s)
            return kernel

        return g

    def gfn_of(self, o: Ops[Any, Any], st: St, i: int) -> Value:
        d = self.sptes[i]
        return o.lit(d.gfn, 8) if d.direct else st[self.sgfn(i)]

    def maps_pfn(self, o: Ops[Any, Any], s: Value, i: int, p: int) -> Value:
        """Does the value ``s`` of leaf i map pfn ``p`` (its base pfn, or for a huge
        leaf any of the 4K pages it covers)."""
        base = P.spte_to_pfn(o, self.L, s)
        pages = self.sptes[i].pages
        if pages == 1:
            return o.eq(base, o.lit(p))
        return o.any_of([o.eq(base, o.lit(p - k)) for k in range(pages) if p - k >= 0])

    # -- write-protect operations (for the stale-TLB property) ------------------------------
    def register_wp_op(self, op: str, actor: str | None = None) -> None:
        """Declare ``op`` (run by ``actor``, default: an actor of that name) as a
        write-protect operation with stale-TLB ghosts."""
        self.wp_ops.append(op)
        self.wp_actor[op] = actor if actor is not None else op
        for v in range(self.vcpus):
            for i in self.leaves():
                self.mb.var(self.stale(op, v, i), 0, False, ghost=True)

    def register_unmap_op(self, actor: str, returned: tuple[str, ...], sptes: tuple[int, ...],
                          parent: int | None = None) -> None:
        """Declare an operation that removes the mappings of ``sptes`` (and of the page
        table under ``parent``), and the labels of ``actor`` where it has returned with
        the flush it owes (for ``zap-leaves-nothing``)."""
        self.unmap_ops.append((actor, returned, sptes, parent))

    def register_removed_table(self, actor: str, parent: int,
                               windows: dict[int, tuple[str, ...]]) -> None:
        """Declare that ``actor`` removes the page table under ``parent`` and runs
        ``handle_removed_pt`` on it; ``windows[i]``: the actor's pc labels between the
        unlink and the processing of child i (for ``freed-table-empty``)."""
        self.removed_tables.append((actor, parent, windows))

    def arm_log(self, o: Ops[Any, Any], st: St) -> Upd:
        """The enabling of dirty logging has returned (:attr:`log_from_enabling`): from
        now on every guest write must reach the log."""
        return {"log.armed": o.true()} if self.log_from_enabling else {}

    def write_counts(self, o: Ops[Any, Any], st: St) -> Value:
        """Does a guest write now count for ``dirty-log`` (always, unless the log is
        counted from the enabling of dirty logging and that has not returned yet)."""
        return st["log.armed"] if self.log_from_enabling else o.true()

    def register_wrtrack_op(self, actor: str, i: int) -> None:
        """Declare ``actor`` as write tracking of SPTE i (for ``write-tracking``): once it
        is at ``done`` the gfn is tracked."""
        self.wrtrack_ops.append((actor, i))

    def mark_stale(self, o: Ops[Any, Any], st: St, op: str, i: int) -> Upd:
        """At ``op``'s linearization point on SPTE i: every TLB entry that is writable now
        was cached before the operation took effect."""
        upd: Upd = {}
        for v in range(self.vcpus):
            live = o.and_(st[self.tlb(v, i, "valid")], st[self.tlb(v, i, "w")])
            name = self.stale(op, v, i)
            upd[name] = o.or_(st[name], live)
        return upd

    def tlb_invalidate(self, o: Ops[Any, Any], v: int, i: int) -> Upd:
        upd: Upd = {self.tlb(v, i, "valid"): o.false(), self.tlb(v, i, "w"): o.false(),
                    self.tlb(v, i, "d"): o.false()}
        for op in self.wp_ops:
            upd[self.stale(op, v, i)] = o.false()
        return upd

    def flush_all(self, o: Ops[Any, Any]) -> Upd:
        """``kvm_flush_remote_tlbs``: every vCPU's TLB (and paging-structure cache) empty."""
        upd: Upd = {}
        for v in range(self.vcpus):
            for i in self.leaves():
                upd.update(self.tlb_invalidate(o, v, i))
            if self.has_parents:
                upd[self.psc(v)] = o.false()
        return upd

    # -- the one place an SPTE is written ----------------------------------------------------
    def store(self, o: Ops[Any, Any], st: St, i: int, new: Value, *, kind: str, ctx: str,
              level: int = 1, extra: Upd | None = None) -> Upd:
        """Write ``new`` to SPTE i with primitive ``kind`` in lock context ``ctx``.

        kind: ``plain`` (WRITE_ONCE), ``xchg``, ``cmpxchg`` (the caller's guard holds the
        compare), ``bitop`` (atomic clear_bit / test_and_clear_bit / fetch_and) or ``cpu``
        (the CPU's locked A/D update).  ctx: ``write`` / ``read`` (mmu_lock held that way),
        ``none``, or ``private`` (an entry of a page table no other CPU can reach yet: a
        split's new table before it is linked).  Records the lock-discipline and
        host-writable ghosts."""
        cur = st[self.s(i)]
        L = self.L
        d = self.sptes[i]
        if kind == "plain":
            if ctx == "read":
                # a frozen SPTE is written by its freezer alone (tdp_mmu_zap_spte_atomic)
                lock_bad = o.not_(P.is_frozen_spte(o, L, cur))
            elif ctx == "write":
                volatile = (self.tdp_needs_atomic(o, cur, level) if d.parent is not None
                            else o.and_(P.is_shadow_present_pte(o, L, cur),
                                        self.needs_atomic(o, cur)))
                lock_bad = volatile if d.leaf else o.false()
            else:
                lock_bad = o.false() if ctx == "private" else o.true()
        elif kind == "xchg" and ctx == "read":
            # handle_removed_pt's shared path: only the frozen value may be xchg'd in
            lock_bad = o.not_(P.is_frozen_spte(o, L, new))
        elif kind == "xchg":
            lock_bad = o.boolean(ctx != "write")
        else:
            lock_bad = o.false()
        # the code believes it holds mmu_lock: it must (a variant may drop a lock site)
        if ctx == "write":
            lock_bad = o.or_(lock_bad, o.not_(st["lock.w"]))
        elif ctx == "read":
            lock_bad = o.or_(lock_bad, o.eq(st["lock.r"], o.lit(0, 2)))
        both_present = o.and_(P.is_shadow_present_pte(o, L, cur),
                              P.is_shadow_present_pte(o, L, new))
        if self.level_changes(i):  # host-writable is a leaf's: a non-leaf has none
            both_present = o.and_(both_present, self.is_leaf_now(o, i, cur),
                                  self.is_leaf_now(o, i, new))
        hostw_changed = o.and_(both_present, o.not_(o.beq(
            P.is_host_writable_spte(o, L, cur), P.is_host_writable_spte(o, L, new))))
        upd: Upd = {
            self.s(i): new,
            "bad.lock": o.or_(st["bad.lock"], lock_bad),
            "bad.hostw": o.or_(st["bad.hostw"], hostw_changed),
        }
        if extra:
            upd.update(extra)
        return upd

    # -- host-side effects of dirtiness -------------------------------------------------------
    def set_pfn_dirty_if(self, o: Ops[Any, Any], st: St, cond: Value, pfn: Value) -> Upd:
        """``kvm_set_pfn_dirty(pfn)`` when ``cond``."""
        upd: Upd = {}
        for p in self.pfns:
            hit = o.and_(cond, o.eq(pfn, o.lit(p)))
            upd[self.pfn_dirty(p)] = o.or_(st[self.pfn_dirty(p)], hit)
        return upd

    def set_pfn_accessed_if(self, o: Ops[Any, Any], st: St, cond: Value, pfn: Value) -> Upd:
        """``kvm_set_pfn_accessed(pfn)`` when ``cond``."""
        upd: Upd = {}
        for p in self.pfns:
            hit = o.and_(cond, o.eq(pfn, o.lit(p)))
            upd[self.pfn_accessed(p)] = o.or_(st[self.pfn_accessed(p)], hit)
        return upd

    def propagate_ad(self, o: Ops[Any, Any], st: St, old: Value, new: Value | None,
                     pages: int = 1) -> Upd:
        """Before v6.13: ``kvm_set_pfn_accessed/dirty`` when a present ``old`` loses A / D
        (``new`` None: the SPTE is zapped, or its pfn changed).  A huge leaf (``pages`` >
        1) marks every 4K page it maps: PG_dirty / PG_referenced are flags of the folio
        head (PF_HEAD), so the host page as a whole."""
        if not self.L.zap_propagates_ad:
            return {}
        L = self.L
        present = P.is_shadow_present_pte(o, L, old)
        lost_a = P.is_accessed_spte(o, L, old)
        lost_d = P.is_dirty_spte(o, L, old)
        if new is not None:
            lost_a = o.and_(lost_a, o.not_(P.is_accessed_spte(o, L, new)))
            lost_d = o.and_(lost_d, o.not_(P.is_dirty_spte(o, L, new)))
        pfn = P.spte_to_pfn(o, L, old)
        upd = self.set_pfn_dirty_if(o, st, o.and_(present, lost_d), pfn)
        upd.update(self.set_pfn_accessed_if(o, st, o.and_(present, lost_a), pfn))
        for k in range(1, pages):
            pk = o.add(pfn, o.lit(k))
            more = self.set_pfn_dirty_if(o, st, o.and_(present, lost_d), pk)
            more.update(self.set_pfn_accessed_if(o, st, o.and_(present, lost_a), pk))
            for name, val in more.items():
                upd[name] = o.or_(upd[name], val)
        return upd

    def mark_page_dirty(self, o: Ops[Any, Any], st: St, gfn: Value, cond: Value) -> Upd:
        """``mark_page_dirty_in_slot(gfn)`` when ``cond`` (only dirty-logged gfns log):
        the dirty bitmap bit, or with the dirty ring ``kvm_dirty_ring_push`` (the entry
        becomes DIRTY; ``dlog`` then means "a DIRTY entry userspace has not collected")."""
        upd: Upd = {}
        for g in self.gfns:
            if g in self.logged_gfns:
                hit = o.and_(cond, o.eq(gfn, o.lit(g, 8)))
                upd[self.dlog(g)] = o.or_(st[self.dlog(g)], hit)
                if self.dirty_ring:
                    upd[self.ring(g)] = o.ite(hit, o.lit(RING_DIRTY, 2), st[self.ring(g)])
        return upd

    @staticmethod
    def ring(g: int) -> str:
        return f"ring.g{g:x}"

    @staticmethod
    def wtracked(g: int) -> str:
        return f"wtracked.g{g:x}"

    def enable_write_track_count(self) -> None:
        """Model ``slot->arch.gfn_write_track[]`` (page_track.c): ``wtracked.g<g>`` is true
        once ``__kvm_write_track_add_gfn`` has counted the gfn.  Written under the write
        lock; read under it by ``mmu_try_to_unsync_pages`` and without it by
        ``page_fault_handle_page_track``.  Call before adding the actors."""
        self.write_track_count = True
        for g in self.gfns:
            self.mb.var(self.wtracked(g), 0, False,
                        doc=f"gfn {g:#x} is write-tracked (gfn_write_track count > 0)")

    def enable_frozen_spte(self) -> None:
        """An actor of the scenario freezes SPTEs with mmu_lock held for read
        (``tdp_mmu_zap_spte_atomic``, ``handle_removed_pt``'s shared path): the TDP fault
        then models its back-off on a frozen SPTE (``kvm_tdp_mmu_map``: RET_PF_RETRY).
        Scenarios without such an actor keep the fault without it (their transition
        systems, and certificates, are unchanged).  Call before adding the actors."""
        self.frozen_spte = True

    def enable_dirty_ring(self) -> None:
        """Dirty tracking by the dirty ring (``KVM_CAP_DIRTY_LOG_RING``) instead of the
        bitmap: one ring entry per logged gfn, ``ring.g<g>`` = 0 empty/invalid,
        1 DIRTY (pushed by ``mark_page_dirty_in_slot``), 2 RESET (collected by
        userspace).  A push onto a non-empty entry overwrites it (the real ring would
        use the next slot; nothing in the modelled scenario pushes then)."""
        self.dirty_ring = True
        for g in self.gfns:
            if g in self.logged_gfns:
                init = RING_DIRTY if self.mb.var_init(self.dlog(g)) else 0
                self.mb.var(self.ring(g), 2, init, doc=f"dirty ring entry of gfn {g:#x}")

    @staticmethod
    def rmap(i: int) -> str:
        return f"rmap.s{i}"

    @staticmethod
    def rmap_locked(i: int) -> str:
        return f"rmap.s{i}.locked"

    def enable_rmap_lock(self, i: int) -> None:
        """Model SPTE i's rmap head (V-NEW mmu.c, the rmap locking of v6.15: ``KVM_RMAP_MANY``
        / ``KVM_RMAP_LOCKED``): ``rmap.s<i>`` is true while the rmap holds SPTE i (it does
        while the huge leaf is present, until ``drop_spte``'s ``rmap_remove``), and
        ``rmap.s<i>.locked`` is bit 1 of ``rmap_head->val``, set by ``__kvm_rmap_lock``
        (``kvm_rmap_lock`` under the write lock, ``kvm_rmap_lock_readonly`` by the lockless
        aging) and cleared by the unlock's store-release.  A writer's lock, change and
        unlock (``pte_list_remove``) is one step: in between, any other taker spins.  The
        drop of :func:`host_ops.link_shadow_page` then removes SPTE i from its rmap
        (``drop_spte`` -> ``rmap_remove``).  Scenarios without it keep their transition
        systems (and certificates).  Call before adding the actors."""
        if i in self.rmap_sptes:
            return
        d = self.sptes[i]
        self.rmap_sptes.append(i)
        self.mb.var(self.rmap(i), 0, bool(P.is_shadow_present_pte(CONCRETE, self.L, d.value)),
                    doc=f"the rmap of {d.name} holds it (rmap_head->val != 0)")
        self.mb.var(self.rmap_locked(i), 0, False,
                    doc=f"KVM_RMAP_LOCKED of {d.name}'s rmap head")

    def enable_split_tables(self) -> None:
        """Two splitters of one huge page (``tdp_mmu_split_huge_pages_root`` and the fault
        path's ``kvm_tdp_mmu_map``, or two faults) each allocate and fill a page table of
        their own; only the one whose ``tdp_mmu_link_sp`` cmpxchg succeeds is ever linked.
        The children of a ``splits`` SPTE stand for the table that is linked; a splitter's
        own table, while unlinked, is kept in its local state: the value its fill read
        (``huge_spte``; entry k is ``make_huge_page_split_spte(huge_spte, k)``, so that
        value is the table's whole content), written into the children by the step whose
        cmpxchg links it (``tdp._split_fill``, ``tdp._split_link``).  Exact: until its
        link, no other CPU holds a pointer to a splitter's table (RCU readers, the CPU's
        walk and paging-structure caches reach a table only through the parent SPTE), and
        the splitter itself does not change it between its fill and its link, so every
        state another CPU can observe is the same; a loser's fill can never write the
        winner's live table.  Scenarios without it keep the fill as stores into the
        children (their transition systems, and certificates, are unchanged).  Call before
        adding the actors."""
        self.split_tables = True

    # -- lock steps -------------------------------------------------------------------------
    def lock_write_guard(self) -> Callable[[Ops[Any, Any], St], Value]:
        return lambda o, st: o.and_(o.not_(st["lock.w"]), o.eq(st["lock.r"], o.lit(0, 2)))

    def lock_read_guard(self) -> Callable[[Ops[Any, Any], St], Value]:
        return lambda o, st: o.and_(o.not_(st["lock.w"]), o.ult(st["lock.r"], o.lit(3, 2)))


def store_plain_or_xchg(
    w: World, a: Any, i: int, src: str, dst: str, *,
    names: tuple[str, str], texts: tuple[str, str], kernel: str,
    guard: Callable[[Ops[Any, Any], St], Value],
    volatile: Callable[[Ops[Any, Any], St], Value],
    new: Callable[[Ops[Any, Any], St], Value],
    old: str,
    after: Callable[[Ops[Any, Any], St, Value, bool], Upd] | None = None,
    level: int = 1, atomic_kind: str = "xchg",
    new_atomic: Callable[[Ops[Any, Any], St], Value] | None = None,
    site: str,
) -> None:
    """The kernel's "plain store unless volatile, else an atomic write" pattern
    (``mmu_spte_update_no_track``, ``mmu_spte_clear_track_bits``,
    ``kvm_tdp_mmu_write_spte``, ``tdp_mmu_clear_spte_bits``), written once.

    Two steps leave ``src``: ``names[0]`` (guard and not volatile: a plain store of
    ``new``; the value the code goes on with is the earlier read in local ``old``) and
    ``names[1]`` (guard and volatile: ``atomic_kind`` — xchg / fetch_and — which returns
    the current value into ``old``; ``new_atomic`` gives its result when it is computed
    from memory, as fetch_and's is).  ``after(o, st, prior, atomic)`` adds what the code
    does with the old value it holds (flush verdict, kvm_set_pfn_dirty, ...).

    ``site`` (protocols/sites.py) lets a variant make the store always ``plain`` or
    always atomic (``xchg``) instead of ``plain-unless-volatile``."""
    alt = w.site(site)
    if alt != "plain-unless-volatile":
        always_atomic = alt != "plain"

        def volatile(o: Ops[Any, Any], st: St) -> Value:
            return o.boolean(always_atomic)

        note = f"(site {site}: always {'atomic' if always_atomic else 'plain'})"
        texts = (re.sub(r"\((old )?not volatile\)", note, texts[0]),
                 re.sub(r"\((old )?volatile\)", note, texts[1]))

    def e_plain(o: Ops[Any, Any], st: St) -> Upd:
        upd = w.store(o, st, i, new(o, st), kind="plain", ctx="write", level=level)
        if after is not None:
            upd.update(after(o, st, st[old], False))
        return upd

    def e_atomic(o: Ops[Any, Any], st: St) -> Upd:
        cur = st[w.s(i)]  # what the atomic operation returns
        value = new_atomic(o, st) if new_atomic is not None else new(o, st)
        upd = w.store(o, st, i, value, kind=atomic_kind, ctx="write", level=level)
        if after is not None:
            upd.update(after(o, st, cur, True))
        upd[old] = cur
        return upd

    a.step(src, dst, names[0], spte=i, effect=e_plain, text=texts[0], kernel=kernel,
           guard=lambda o, st: o.and_(guard(o, st), o.not_(volatile(o, st))))
    a.step(src, dst, names[1], spte=i, effect=e_atomic, text=texts[1], kernel=kernel,
           guard=lambda o, st: o.and_(guard(o, st), volatile(o, st)))
