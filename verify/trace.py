"""Counterexample traces in the kernel's style: a reStructuredText grid table with one
column per actor, one row per step, in kernel terms, and the SPTE bits that changed.

The input is a replayed witness (:class:`verify.replay.ReplayResult`), so the table shows
what the concrete MMU did, not what the solver claimed.
"""

from __future__ import annotations

from typing import Any

from verify.layouts import Layout
from verify.model import Model
from verify.results import CheckResult


def spte_bits(L: Layout) -> list[tuple[str, int]]:
    """Named single bits worth showing in a diff, for this layout."""
    bits = [("R" if L.mode.startswith("ept") else "P", L.r), ("W", L.w), ("X", L.x),
            ("U", L.user if L.user != L.r else 0), ("A", L.accessed), ("D", L.dirty),
            ("HostW", L.host_writable), ("MmuW", L.mmu_writable), ("Present", L.mmu_present),
            ("NX", L.nx)]
    return [(n, m) for n, m in bits if m]


def spte_diff(L: Layout, old: int, new: int) -> str:
    """``W 0→1, D 1→0`` style summary of what changed between two SPTE values."""
    if L.has_frozen and new == L.frozen_value:
        return "frozen"
    if new == L.nonpresent_value and old != new:
        return "zapped (non-present)"
    parts = [f"{n} {int(bool(old & m))}→{int(bool(new & m))}"
             for n, m in spte_bits(L) if (old ^ new) & m]
    saved = L.saved_bits_mask
    if (old ^ new) & saved:
        parts.append("saved R/X " + ("set" if new & saved else "cleared"))
    return ", ".join(parts) if parts else ("unchanged" if old == new else f"{new:#x}")


def _cell_lines(text: str, width: int) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines or [""]


def grid_table(header: list[str], rows: list[list[str]], widths: list[int]) -> str:
    """A reStructuredText grid table (docutils-parsable)."""
    def sep(ch: str) -> str:
        return "+" + "+".join(ch * (w + 2) for w in widths) + "+"

    def row(cells: list[str]) -> list[str]:
        wrapped = [_cell_lines(c, w) for c, w in zip(cells, widths, strict=True)]
        h = max(len(x) for x in wrapped)
        out = []
        for k in range(h):
            out.append("| " + " | ".join((x[k] if k < len(x) else "").ljust(w)
                                         for x, w in zip(wrapped, widths, strict=True)) + " |")
        return out

    lines = [sep("-"), *row(header), sep("=")]
    for r in rows:
        lines += row(r)
        lines.append(sep("-"))
    return "\n".join(lines)


def kernel_table(model: Model, layout: Layout, result: CheckResult) -> str:
    """The witness of ``result`` as a locking.rst-style interleaving table."""
    rep = result.replay
    if rep is None or result.witness is None:
        return ""
    actors = [a for a in model.actors if any(model.by_label[lab].actor == a.name
                                             for lab in result.witness)]
    col = {a.name: k for k, a in enumerate(actors)}
    header = [a.title for a in actors] + ["SPTE after the step"]
    rows: list[list[str]] = []
    for step in rep.steps:
        act = model.by_label[step.label]
        cells = [""] * (len(actors) + 1)
        cells[col[act.actor]] = act.text
        changes = []
        for name, (old, new) in step.diff.items():
            if name.startswith("spte") and "." not in name:
                changes.append(f"{name}: {spte_diff(layout, int(old), int(new))}")
        if any(n.startswith("tlb.") and n.endswith(".valid") for n in step.diff):
            changes.append("TLB " + ("filled" if any(
                bool(new) for n, (_o, new) in step.diff.items()
                if n.startswith("tlb.") and n.endswith(".valid")) else "emptied"))
        cells[-1] = "; ".join(changes)
        rows.append(cells)
    widths = [max(24, min(40, max((len(r[k]) for r in rows), default=10)))
              for k in range(len(header))]
    return grid_table(header, rows, widths)


def describe(result: CheckResult, model: Model) -> str:
    """One sentence on what broke."""
    prop = model.property(result.property)
    return (f"{result.property} violated after {result.depth} steps: {prop.summary} "
            "does not hold in the final state.")


def schedule_json(model: Model, result: CheckResult) -> list[dict[str, Any]]:
    out = []
    if result.replay is None:
        return out
    for step in result.replay.steps:
        act = model.by_label[step.label]
        out.append({"actor": act.actor, "action": act.name, "text": act.text,
                    "kernel": act.kernel,
                    "diff": {k: [_j(v[0]), _j(v[1])] for k, v in step.diff.items()}})
    return out


def _j(v: Any) -> Any:
    return v if isinstance(v, bool) else (hex(v) if isinstance(v, int) and v > 9 else v)
