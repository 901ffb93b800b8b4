"""SPTE bit layouts: loads ``encodings/layouts.toml`` into :class:`Layout` objects.

A :class:`Layout` is everything the predicates need to know about one (kernel version,
mode) pair: bit masks, the SPTE_TDP_AD value of the mode, special values
(non-present, frozen, MMIO) and the version's behaviour switches.  The TOML file is the
single place where bit positions are written down, each beside the kernel file it was
read from.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from verify.errors import InputError
from verify.resources import builtin_path

VERSIONS = ("V-OLD", "V-MID", "V-613", "V-NEW")
MODES = ("ept-ad", "ept-noad", "legacy")
DEFAULT_VERSION = "V-NEW"
DEFAULT_MODE = "ept-ad"

AD_ENABLED = 0
AD_DISABLED = 1
AD_WRPROT_ONLY = 2
TDP_AD_SHIFT = 52

_BIT_FIELDS = (
    "r", "w", "x", "nx", "user", "accessed", "dirty", "host_writable", "mmu_writable",
    "mmu_present", "page_size",
)
_MASK_FIELDS = (
    "tdp_ad_mask", "special_mask", "base_addr", "acc_track_mask", "acc_track_saved_mask",
    "mmio_mask", "mmio_value", "nonpresent_value", "frozen_value",
)
_INT_FIELDS = ("acc_track_saved_shift", "ad_mode")
_VERSION_FLAGS = (
    "restore_sets_accessed", "mark_clears_accessed", "lockless_aging",
    "zap_propagates_ad", "pfn_dirty_at_fault", "global_ad_masks", "suppress_ve_present",
    "promises_accessed", "fastpf_huge_only_if_logged", "tdp_eager_split",
    "tdp_zap_spte_atomic", "tdp_recover_in_place", "tdp_yield_flush_owed",
    "shadow_eager_split", "tdp_fault_split", "make_spte_skips_dirty_if_writable",
)


@dataclass(frozen=True)
class Layout:
    """Masks of one (version, mode).  A mask of 0 means the layout has no such bit."""

    version: str
    mode: str
    tag: str
    source: str
    r: int
    w: int
    x: int
    nx: int
    user: int
    accessed: int
    dirty: int
    host_writable: int
    mmu_writable: int
    mmu_present: int
    page_size: int
    tdp_ad_mask: int
    special_mask: int
    base_addr: int
    acc_track_mask: int
    acc_track_saved_mask: int
    acc_track_saved_shift: int
    mmio_mask: int
    mmio_value: int
    nonpresent_value: int
    frozen_value: int
    ad_mode: int
    needs_atomic: str
    flush_rule: str
    restore_sets_accessed: bool
    mark_clears_accessed: bool
    lockless_aging: bool
    zap_propagates_ad: bool
    pfn_dirty_at_fault: bool
    global_ad_masks: bool       # V-NEW: shadow A/D masks apply to A/D-disabled SPTEs too
    suppress_ve_present: bool   # V-NEW EPT: shadow_present_mask includes bit 63
    promises_accessed: bool     # accessed information is never lost (V-OLD, V-MID)
    fastpf_huge_only_if_logged: bool  # v5.17+: fast_page_fault gives up a huge write
    #                                   fault only in a dirty-logged slot (V-OLD: always)
    tdp_eager_split: bool       # v5.18+: the TDP MMU splits huge pages eagerly (read lock)
    tdp_zap_spte_atomic: bool   # tdp_mmu_zap_spte_atomic exists (v5.13-v6.12: V-MID)
    tdp_recover_in_place: bool  # v6.13+: recover_huge_pages_range (read lock, in place)
    tdp_yield_flush_owed: bool  # v5.12+: tdp_mmu_iter_cond_resched(flush) at the top of
    #                             each iteration flushes only what is owed (V-OLD: v5.10's
    #                             tdp_mmu_iter_flush_cond_resched after each zap)
    shadow_eager_split: bool    # v6.0+: the shadow MMU splits nested huge pages (write lock)
    tdp_fault_split: bool       # v6.2+: kvm_tdp_mmu_map splits a huge leaf above the goal
    #                             level (tdp_mmu_split_huge_page, c4b33d28ea51; before: zap
    #                             + link an empty table)
    make_spte_skips_dirty_if_writable: bool  # before v6.13: make_spte's "if
    #                             (is_writable_pte(old_spte)) goto out;" skips D (T3, M2)

    @property
    def name(self) -> str:
        return f"{self.version}/{self.mode}"

    @property
    def ad_bits(self) -> int:
        """The SPTE_TDP_AD field value make_spte() writes in this mode."""
        return self.ad_mode << TDP_AD_SHIFT

    @property
    def saved_bits_mask(self) -> int:
        """Where access tracking saves R and X (bits 54 and 56)."""
        return self.acc_track_saved_mask << self.acc_track_saved_shift

    def named_bits(self) -> list[tuple[str, str, int]]:
        """Every single SPTE bit this layout has, as (field name, short name, mask): the
        one list that ``decode`` and the trace tables both name bits from."""
        ept = self.mode.startswith("ept")
        bits = [
            ("R" if ept else "P", "R" if ept else "P", self.r),
            ("W", "W", self.w),
            ("X", "X", self.x),
            ("U", "U", 0 if self.user == self.r else self.user),  # EPT: user = R
            ("A", "A", self.accessed),
            ("D", "D", self.dirty),
            ("host_writable", "HostW", self.host_writable),
            ("mmu_writable", "MmuW", self.mmu_writable),
            ("mmu_present", "Present", self.mmu_present),
            ("NX", "NX", self.nx),
        ]
        return [b for b in bits if b[2]]

    @property
    def present_bits(self) -> int:
        """``shadow_present_mask``: R / P, plus SUPPRESS_VE (bit 63) on V-NEW EPT."""
        extra = 1 << 63 if self.suppress_ve_present and self.mode.startswith("ept") else 0
        return self.r | extra

    @property
    def has_frozen(self) -> bool:
        return self.frozen_value >= 0

    @property
    def pfn_shift(self) -> int:
        return 12

    def pfn_bits(self, pfn: int) -> int:
        return (pfn << self.pfn_shift) & self.base_addr


def _bit(v: int) -> int:
    return 0 if v < 0 else 1 << v


def _data_file() -> Path:
    return builtin_path("encodings") / "layouts.toml"


@cache
def _raw() -> dict[str, Any]:
    path = _data_file()
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:  # a packaging bug, but say where
        raise InputError(f"{path}: {e}") from e


def _merge(version: str, mode: str) -> dict[str, Any]:
    raw = _raw()
    merged: dict[str, Any] = {}
    merged.update(raw["versions"][version])
    common = dict(raw["common"][version])
    mode_tab = dict(raw["mode"][mode])
    # A version's common table may leave a bit "per mode" (-1); the mode table decides.
    for k, v in mode_tab.items():
        if k == "source":
            continue
        merged[k] = v
    for k, v in common.items():
        if k == "source":
            continue
        if k in mode_tab and v == -1:
            continue
        merged[k] = v
    over = raw.get("override", {}).get(version, {}).get(mode, {})
    merged.update(over)
    merged["source"] = f"{common['source']}; {mode_tab['source']}"
    return merged


@cache
def get_layout(version: str = DEFAULT_VERSION, mode: str = DEFAULT_MODE) -> Layout:
    """The layout of ``version`` × ``mode``; raises :class:`InputError` on unknown names."""
    if version not in VERSIONS:
        raise InputError(f"unknown kernel version {version!r} (choose from {', '.join(VERSIONS)})")
    if mode not in MODES:
        raise InputError(f"unknown mode {mode!r} (choose from {', '.join(MODES)})")
    m = _merge(version, mode)
    kw: dict[str, Any] = {"version": version, "mode": mode, "tag": m["tag"], "source": m["source"]}
    for f in _BIT_FIELDS:
        kw[f] = _bit(int(m[f]))
    for f in _MASK_FIELDS:
        kw[f] = int(m[f])
    for f in _INT_FIELDS:
        kw[f] = int(m[f])
    for f in _VERSION_FLAGS:
        kw[f] = bool(m[f])
    kw["needs_atomic"] = str(m["needs_atomic"])
    kw["flush_rule"] = str(m["flush_rule"])
    return Layout(**kw)


def all_layouts() -> list[Layout]:
    return [get_layout(v, m) for v in VERSIONS for m in MODES]


def version_summary(version: str) -> str:
    return str(_raw()["versions"][version]["summary"])


def mode_summary(mode: str) -> str:
    return str(_raw()["modes"][mode]["summary"])


def kernel_rule_texts() -> tuple[dict[str, str], dict[str, str]]:
    """The kernel's volatile and flush rules as rule-language text, by registry name
    (``[rules.needs_atomic]`` / ``[rules.flush]`` of layouts.toml)."""
    rules = _raw().get("rules", {})
    return ({str(k): str(v) for k, v in rules.get("needs_atomic", {}).items()},
            {str(k): str(v) for k, v in rules.get("flush", {}).items()})
