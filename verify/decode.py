"""Decode a raw 64-bit SPTE value for one layout: fields, predicates, class, problems.

This module owns the meaning that ``spte-verify decode`` prints.  It computes nothing on
SPTE bits itself: every field goes through the concrete backend
(:data:`verify.expr.CONCRETE`) with the layout's masks, and every predicate is the one of
:mod:`verify.spte`, so the decoder, the concrete simulator and the SMT encoding share one
source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from verify import spte
from verify.errors import InputError
from verify.expr import CONCRETE, WORD, WORD_MASK
from verify.layouts import AD_DISABLED, AD_ENABLED, AD_WRPROT_ONLY, TDP_AD_SHIFT, Layout

O = CONCRETE

AD_MODE_NAMES = {
    AD_ENABLED: "AD_ENABLED",
    AD_DISABLED: "AD_DISABLED",
    AD_WRPROT_ONLY: "AD_WRPROT_ONLY",
    3: "invalid(3)",
}

NEEDS_ATOMIC_KERNEL_NAME = {
    "v_old": "spte_has_volatile_bits",
    "v_mid": "spte_has_volatile_bits",
    "v_613": "spte_needs_atomic_update",
    "v_new": "spte_needs_atomic_update",
}


class Kind(Enum):
    """How the kernel would classify the value."""

    PRESENT = "present"
    NON_PRESENT = "non-present"
    FROZEN = "frozen"
    MMIO = "MMIO"


def frozen_name(L: Layout) -> str:
    """The kernel's name of the frozen value: ``REMOVED_SPTE`` before the rename (V-MID and
    older), ``FROZEN_SPTE`` after."""
    return "REMOVED_SPTE" if L.version in ("V-OLD", "V-MID") else "FROZEN_SPTE"


@dataclass
class Decoded:
    """The decoding of one value."""

    value: int
    layout: Layout
    kind: Kind
    fields: dict[str, int | bool | str] = field(default_factory=dict)
    predicates: dict[str, bool] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        if self.kind is Kind.FROZEN:
            return frozen_name(self.layout)
        return str(self.kind.value)

    @property
    def legal(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "value": f"0x{self.value:016x}",
            "kernel": self.layout.version,
            "kernel_tag": self.layout.tag,
            "mode": self.layout.mode,
            "kind": self.kind_label,
            "legal": self.legal,
            "fields": dict(self.fields),
            "predicates": dict(self.predicates),
            "problems": list(self.problems),
        }


def check_value(value: int) -> int:
    """Reject a value that is not a 64-bit unsigned integer."""
    if value < 0:
        raise InputError(f"SPTE value {value} is negative (an SPTE is an unsigned 64-bit word)")
    if value > WORD_MASK:
        raise InputError(f"SPTE value {value:#x} does not fit in {WORD} bits")
    return value


_HEX = frozenset("0123456789abcdefABCDEF")
_DEC = frozenset("0123456789")


def parse_value(text: str, *, decimal: bool = False) -> int:
    """Parse one SPTE value as users paste it.  KVM prints SPTEs as ``%llx`` (tracepoints,
    ``pr_err``) -- hex without ``0x`` -- so a bare value is read as hex, like ``0x...``;
    with ``decimal`` a bare value of decimal digits is read as decimal instead.  Only
    ASCII digits count (``int()`` would take Arabic-Indic ones); underscores may group
    digits; no spaces inside."""
    t = text.strip()
    if not t:
        raise InputError("empty SPTE value")
    if any(c.isspace() for c in t):
        raise InputError(f"not a number: {text!r} has a space inside (give one value per "
                         "argument, or a whole tracepoint line)")
    neg = t.startswith("-")
    body = (t[1:] if neg or t.startswith("+") else t).replace("_", "")
    if body[:2].lower() == "0x":
        digits, base = body[2:], 16
    elif decimal:
        digits, base = body, 10
    else:
        digits, base = body, 16
    allowed = _HEX if base == 16 else _DEC
    if not digits or any(c not in allowed for c in digits):
        how = "decimal digits (--decimal)" if base == 10 else "hex digits (0-9, a-f)"
        raise InputError(f"not a number: {text!r}; an SPTE value is {how}, read as "
                         + ("decimal" if base == 10 else "hex with or without 0x"))
    n = int(digits, base)
    return check_value(-n if neg else n)


# Tracepoints of arch/x86/kvm/mmu/mmutrace.h that print SPTE values (all %llx, except
# fast_page_fault's old %#llx), and the fields that hold them.
TRACEPOINT_FIELDS: dict[str, tuple[str, ...]] = {
    "kvm_tdp_mmu_spte_changed": ("old_spte", "new_spte"),
    "kvm_mmu_set_spte": ("spte",),
    "fast_page_fault": ("old", "new"),
    "check_mmio_spte": ("spte",),
    "kvm_mmu_split_huge_page": ("spte",),
}


def tracepoint_values(line: str) -> tuple[str, list[tuple[str, int]]] | None:
    """The SPTE values of one pasted trace line (``... kvm_tdp_mmu_spte_changed: as id 0
    gfn 1000 level 1 old_spte 600000012345677 new_spte 5a0``): the tracepoint and
    (field, value) pairs; None when the line names no known tracepoint."""
    import re

    for name, fields in TRACEPOINT_FIELDS.items():
        at = line.find(f"{name}:")
        if at < 0:
            continue
        rest = line[at + len(name) + 1:].split()
        out: list[tuple[str, int]] = []
        for k, tok in enumerate(rest[:-1]):
            if tok in fields:
                raw = rest[k + 1]
                if not re.fullmatch(r"(0x)?[0-9a-fA-F]+", raw):
                    raise InputError(f"{name}: field {tok} is {raw!r}, not a hex value")
                out.append((tok, parse_value(raw)))
        if not out:
            raise InputError(f"{name}: the line has none of the fields {', '.join(fields)}")
        return name, out
    return None


def _bit(s: int, mask: int) -> bool:
    return O.test(s, mask)


def _decode_fields(L: Layout, s: int) -> dict[str, int | bool | str]:
    f: dict[str, int | bool | str] = {key: _bit(s, mask) for key, _short, mask in L.named_bits()}
    ad = O.lshr(spte.ad_field(O, L, s), TDP_AD_SHIFT)
    f["tdp_ad"] = ad
    if L.mmu_present:
        f["tdp_ad_mode"] = AD_MODE_NAMES[ad]
    else:
        # V-OLD: SPTE_SPECIAL_MASK, where 3 marks an MMIO SPTE
        f["tdp_ad_mode"] = "MMIO(3)" if ad == 3 else AD_MODE_NAMES[ad]
    f["pfn"] = spte.spte_to_pfn(O, L, s)
    f["page_size"] = spte.is_large_pte(O, L, s)
    if L.acc_track_mask:
        saved = O.field(O.lshr(s, L.acc_track_saved_shift), L.acc_track_saved_mask)
        f["saved_R"] = _bit(saved, L.r)
        f["saved_X"] = _bit(saved, L.x)
    return f


def _decode_predicates(L: Layout, s: int) -> dict[str, bool]:
    p: dict[str, bool] = {
        "present": spte.is_shadow_present_pte(O, L, s),
        "mmio": spte.is_mmio_spte(O, L, s),
        "frozen": spte.is_frozen_spte(O, L, s),
        "writable": spte.is_writable_pte(O, L, s),
        "mmu_writable": spte.is_mmu_writable_spte(O, L, s),
        "host_writable": spte.is_host_writable_spte(O, L, s),
        "ad_enabled": spte.spte_ad_enabled(O, L, s),
        "ad_need_write_protect": spte.spte_ad_need_write_protect(O, L, s),
        "access_tracked": spte.is_access_track_spte(O, L, s),
        "executable": spte.is_executable_pte(O, L, s),
        "accessed": spte.is_accessed_spte(O, L, s),
        "dirty": spte.is_dirty_spte(O, L, s),
        "needs_atomic": spte.needs_atomic(O, L, s),
        "read_allowed": spte.is_access_allowed(O, L, spte.Access.READ, s),
        "write_allowed": spte.is_access_allowed(O, L, spte.Access.WRITE, s),
        "exec_allowed": spte.is_access_allowed(O, L, spte.Access.EXEC, s),
        "writable_invariant": spte.writable_invariant(O, L, s),
        "well_formed": spte.well_formed_present(O, L, s),
    }
    return p


def _triple(L: Layout, s: int) -> str:
    h = spte.is_host_writable_spte(O, L, s)
    m = spte.is_mmu_writable_spte(O, L, s)
    w = spte.is_writable_pte(O, L, s)
    return f"{int(h)}{int(m)}{int(w)}"


def _problems(L: Layout, s: int, kind: Kind, p: dict[str, bool]) -> list[str]:
    out: list[str] = []
    if kind is Kind.MMIO and p["present"]:
        out.append("not a legal SPTE: both MMU-present and matching the MMIO pattern")
    if kind is Kind.NON_PRESENT:
        legal = {0, L.nonpresent_value}
        if s not in legal:
            stray = O.clear_bits(s, L.nonpresent_value)
            kinds = [f"{v:#x}" for v in sorted(legal)]
            if L.has_frozen:
                kinds.append(frozen_name(L))
            out.append(
                f"not a legal SPTE: not present but has stray bits {stray:#x} "
                f"(a non-present SPTE is {', '.join(kinds)} or MMIO)")
        return out
    if kind is not Kind.PRESENT:
        return out
    if not p["writable_invariant"]:
        why = []
        if p["mmu_writable"] and not p["host_writable"]:
            why.append("MMU-writable without host-writable")
        if p["writable"] and not p["mmu_writable"]:
            why.append("W without MMU-writable")
        out.append(
            f"writable invariant broken: (host-writable, MMU-writable, W) = {_triple(L, s)}, "
            f"legal are 111, 110, 100, 000 ({'; '.join(why)})")
    ad = O.lshr(spte.ad_field(O, L, s), TDP_AD_SHIFT)
    if L.mmu_present and ad == 3:
        out.append("not a legal SPTE: SPTE_TDP_AD = 3 is not an A/D mode")
    elif L.mode == "ept-noad" and ad != AD_DISABLED:
        out.append(f"not a legal SPTE for mode ept-noad: SPTE_TDP_AD = {AD_MODE_NAMES[ad]}, "
                   "but without A/D bits every SPTE is AD_DISABLED")
    elif L.mode == "legacy" and ad != AD_ENABLED:
        out.append(f"not a legal SPTE for mode legacy: SPTE_TDP_AD = {AD_MODE_NAMES[ad]} "
                   "(shadow paging / NPT SPTEs are A/D-enabled)")
    if O.test(s, L.saved_bits_mask) and not p["access_tracked"]:
        out.append(
            f"not a legal SPTE: saved access-track bits (54/56) set on an SPTE that is not "
            f"access-tracked ({O.field(s, L.saved_bits_mask):#x})")
    return out


def classify(L: Layout, s: int) -> Kind:
    """MMIO, frozen, present or non-present, by the predicates of :mod:`verify.spte`."""
    if spte.is_mmio_spte(O, L, s):
        return Kind.MMIO
    if spte.is_frozen_spte(O, L, s):
        return Kind.FROZEN
    if spte.is_shadow_present_pte(O, L, s):
        return Kind.PRESENT
    return Kind.NON_PRESENT


def decode(L: Layout, value: int) -> Decoded:
    """Decode ``value`` (a 64-bit unsigned int) for layout ``L``."""
    s = check_value(value)
    kind = classify(L, s)
    preds = _decode_predicates(L, s)
    d = Decoded(value=s, layout=L, kind=kind, fields=_decode_fields(L, s), predicates=preds)
    d.problems = _problems(L, s, kind, preds)
    return d


# --- human-readable text --------------------------------------------------------------------

_PRESENT_ONLY = (
    "writable", "mmu_writable", "host_writable", "ad_enabled", "ad_need_write_protect",
    "access_tracked", "executable", "accessed", "dirty", "needs_atomic", "read_allowed",
    "write_allowed", "exec_allowed",
)


def _fmt_field(k: str, v: int | bool | str) -> str:
    if isinstance(v, bool):
        return f"{k}={int(v)}"
    if k == "pfn" and isinstance(v, int):
        return f"pfn={v:#x}"
    return f"{k}={v}"


def format_text(d: Decoded) -> str:
    """One readable block for a decoded value."""
    L = d.layout
    lines = [f"{d.value:#018x}  [{L.version} ({L.tag}), {L.mode}]  {d.kind_label}"]
    if d.kind is Kind.FROZEN:
        lines.append(f"  {frozen_name(L)}: a temporarily frozen entry; never present")
    elif d.kind is Kind.MMIO:
        lines.append("  MMIO SPTE: caches an emulated-MMIO gfn; not present")
    elif d.kind is Kind.NON_PRESENT:
        lines.append("  not present")
    if d.kind is Kind.PRESENT:
        lines.append("  fields:     " + " ".join(_fmt_field(k, v) for k, v in d.fields.items()))
        holds = [k for k in _PRESENT_ONLY if d.predicates[k]]
        lines.append("  holds:      " + (", ".join(holds) if holds else "(none)"))
        fails = [k for k in _PRESENT_ONLY if not d.predicates[k]]
        lines.append("  not:        " + (", ".join(fails) if fails else "(none)"))
        lines.append(f"  needs atomic update ({NEEDS_ATOMIC_KERNEL_NAME[L.needs_atomic]}): "
                     f"{'yes' if d.predicates['needs_atomic'] else 'no'}")
    for prob in d.problems:
        lines.append(f"  PROBLEM: {prob}")
    if not d.problems:
        lines.append("  legal: yes")
    return "\n".join(lines)
