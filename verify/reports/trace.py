"""Counterexample traces in the kernel's style: a reStructuredText grid table with one
column per actor, one row per step, in kernel terms, the state changes of each step, and
one sentence saying which property broke and why.

The input is always a replayed witness (:class:`verify.engines.replay.ReplayResult`), so the table
shows what the concrete MMU did, not what a solver claimed.  The layout of the output:

* a first full-width row, "At the beginning:", with every SPTE decoded (like the setup
  row of the tables in ``Documentation/virt/kvm/locking.rst``);
* one column per actor that takes a step (host CPUs, vCPUs in KVM code, each vCPU's CPU),
  headed by the actor's title; each row is one atomic step, written as the kernel writes
  it (the action's ``text``); a CPU walk that reaches a leaf whose parent is already
  zapped says that it went through the paging-structure cache;
* a last column, "After the step": the SPTE bits that changed (``spte0: W 0→1, D 1→0``;
  ``frozen``; ``zapped``), TLB fills and flushes (with the cached W/D), dirty-bitmap and
  host dirty/accessed flags that were set or cleared;
* after the table, :func:`explain`: one sentence naming the property and, computed from
  the replayed states, what exactly is wrong in the final state and which step caused it.

:func:`step_records` gives the same steps as JSON-ready dicts (:mod:`verify.reports.witness`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from verify import spte as P
from verify.engines.replay import ReplayResult
from verify.expr import CONCRETE as C
from verify.expr import WORD_MASK
from verify.layouts import Layout
from verify.model import Model, St
from verify.reports.results import CheckResult

MAX_COL = 34
MIN_COL = 12
WIDE_COL = 60
DEFAULT_WIDTH = 100
"""The default table width: a commit message or an email stays readable."""

# --- SPTE values ---------------------------------------------------------------------------


def spte_bits(L: Layout) -> list[tuple[str, int]]:
    """Named single bits worth showing in a diff, for this layout."""
    return [(short, mask) for _key, short, mask in L.named_bits()]


def spte_diff(L: Layout, old: int, new: int) -> str:
    """``W 0→1, D 1→0`` style summary of what changed between two SPTE values."""
    if P.is_frozen_spte(C, L, new):
        return "frozen"
    if new == L.nonpresent_value and old != new:
        return "zapped (non-present)"
    if not P.is_shadow_present_pte(C, L, old) and P.is_shadow_present_pte(C, L, new) \
            and not P.is_frozen_spte(C, L, old):
        return "installed " + spte_summary(L, new)
    parts = [f"{n} {int(C.test(old, m))}→{int(C.test(new, m))}"
             for n, m in spte_bits(L) if C.test(old, m) != C.test(new, m)]
    saved = L.saved_bits_mask
    if C.field(old, saved) != C.field(new, saved):
        parts.append("saved R/X " + ("set" if C.test(new, saved) else "cleared"))
    rest = ~(saved | sum(m for _n, m in spte_bits(L))) & WORD_MASK
    if C.field(old, rest) != C.field(new, rest):
        o_pfn, n_pfn = int(P.spte_to_pfn(C, L, old)), int(P.spte_to_pfn(C, L, new))
        parts.append(f"pfn {o_pfn:#x}→{n_pfn:#x}" if o_pfn != n_pfn else f"now {new:#x}")
    return ", ".join(parts) if parts else ("unchanged" if old == new else f"{new:#x}")


def spte_summary(L: Layout, value: int) -> str:
    """``0x...: pfn 0x100, R W A D MmuW`` for the "At the beginning" row."""
    if P.is_frozen_spte(C, L, value):
        return f"{value:#x} (frozen)"
    if not P.is_shadow_present_pte(C, L, value):
        return f"{value:#x} (non-present)"
    flags = [f"{n}={int(C.test(value, m))}" for n, m in spte_bits(L)]
    pfn = int(P.spte_to_pfn(C, L, value))
    return f"{value:#x} (pfn {pfn:#x}, {' '.join(flags)})"


# --- reading the model's state variables -----------------------------------------------------

_SPTE = re.compile(r"^spte(\d+)$")
_TLB = re.compile(r"^tlb\.v(\d+)\.s(\d+)\.(valid|w|d|pfn|gfn)$")
_GFN_VAR = re.compile(r"^(dlog|written)\.g([0-9a-f]+)$")
_PFN_VAR = re.compile(r"^(pfn_dirty|hwritten|pfn_accessed)\.p([0-9a-f]+)$")
_STALE = re.compile(r"^stale\.(.+)\.v(\d+)\.s(\d+)$")
_PSC = re.compile(r"^psc\.v(\d+)$")


def spte_vars(model: Model) -> list[str]:
    return [v.name for v in model.vars if _SPTE.match(v.name)]


def is_leaf(model: Model, spte: str) -> bool:
    """Only leaf SPTEs have TLB entries."""
    i = spte[len("spte"):]
    return any(v.name.endswith(f".s{i}.valid") and v.name.startswith("tlb.")
               for v in model.vars)


def spte_label(model: Model, spte: str) -> str:
    """``spte1 (child)`` when the scenario gave the SPTE its own name."""
    var = model.vars[model.var_index[spte]]
    name = var.doc[len("SPTE "):] if var.doc.startswith("SPTE ") else ""
    return f"{spte} ({name})" if name and name != spte else spte


def _title(model: Model, actor: str) -> str:
    for a in model.actors:
        if a.name == actor:
            return a.title
    return actor


def _last_flip(rep: ReplayResult, var: str, to: Any = True) -> int | None:
    """The last step (1-based) at which ``var`` changed to ``to``."""
    for s in reversed(rep.steps):
        if var in s.diff and s.diff[var][1] == to:
            return s.depth
    return None


def _first_flip(rep: ReplayResult, var: str, to: Any = True) -> int | None:
    for s in rep.steps:
        if var in s.diff and s.diff[var][1] == to:
            return s.depth
    return None


# --- one step's changes ------------------------------------------------------------------------


def step_changes(model: Model, L: Layout, diff: dict[str, tuple[Any, Any]],
                 before: dict[str, Any]) -> list[str]:
    """What a step changed, in words: SPTE bits, TLB entries, logs and host flags."""
    out: list[str] = []
    for name, (old, new) in diff.items():
        if _SPTE.match(name):
            out.append(f"{spte_label(model, name)}: {spte_diff(L, int(old), int(new))}")
    after = dict(before)
    after.update({k: v[1] for k, v in diff.items()})
    tlbs: dict[tuple[int, int], None] = {}
    for name in diff:
        m = _TLB.match(name)
        if m:
            tlbs[(int(m.group(1)), int(m.group(2)))] = None
    flushed: list[str] = []
    for v, i in tlbs:
        was = bool(before.get(f"tlb.v{v}.s{i}.valid"))
        now = bool(after.get(f"tlb.v{v}.s{i}.valid"))
        w = int(bool(after.get(f"tlb.v{v}.s{i}.w")))
        d = int(bool(after.get(f"tlb.v{v}.s{i}.d")))
        if now and not was:
            out.append(f"vCPU{v} TLB caches spte{i} (W={w}, D={d})")
        elif was and not now:
            flushed.append(f"vCPU{v} TLB: spte{i} gone")
        elif now:
            out.append(f"vCPU{v} TLB entry for spte{i} now W={w}, D={d}")
    out += flushed
    host: dict[tuple[int, bool], list[str]] = {}
    for name, (old, new) in diff.items():
        m = _GFN_VAR.match(name)
        if m and m.group(1) == "dlog":
            ring = f"ring.g{m.group(2)}" in after
            out.append(f"dirty {'ring' if ring else 'bitmap'}: gfn {int(m.group(2), 16):#x} "
                       + (("pushed" if ring else "set") if new else
                          ("collected" if ring else "cleared")))
        m = _PFN_VAR.match(name)
        if m and m.group(1) in ("pfn_dirty", "pfn_accessed") and bool(old) != bool(new):
            what = "dirty" if m.group(1) == "pfn_dirty" else "accessed"
            host.setdefault((int(m.group(2), 16), bool(new)), []).append(what)
        m = _PSC.match(name)
        if m:
            out.append(f"vCPU{m.group(1)} paging-structure cache "
                       + ("caches the parent" if new else "emptied"))
    for (pfn, on), flags in host.items():
        out.append(f"host: pfn {pfn:#x} {' and '.join(flags)} " + ("set" if on else "cleared"))
    return out


def _step_text(model: Model, L: Layout, label: str, before: dict[str, Any]) -> str:
    """The action's kernel text, plus a note when a CPU reaches a leaf through a cached
    parent entry (the parent SPTE is no longer present)."""
    act = model.by_label[label]
    text = act.text
    info = next((a for a in model.actors if a.name == act.actor), None)
    if info is None or info.kind != "cpu" or act.spte is None:
        return text
    m = re.match(r"cpu(\d+)$", act.actor)
    if m is None or not before.get(f"psc.v{m.group(1)}"):
        return text
    zapped = [s for s in spte_vars(model) if not is_leaf(model, s)
              and not P.is_shadow_present_pte(C, L, int(before[s]))]
    if zapped and "walk" in text:
        text += (f" (parent {', '.join(zapped)} zapped: the walk uses the "
                 "paging-structure cache)")
    return text


# --- the grid table ------------------------------------------------------------------------------


def cell_text(text: str) -> str:
    """A cell's text with no literal ``|`` (a column rule in a grid table): a C bitwise
    or reads ``¦`` there, as in ``A¦D``."""
    return text.replace("|", "¦")


def _cell_lines(text: str, width: int) -> list[str]:
    words, lines, cur = cell_text(text).split(), [], ""
    for w in words:
        while len(w) > width:  # an over-long token: break after ( , & > or _ if it can
            if cur:
                lines.append(cur)
                cur = ""
            cut = max((k + 1 for k in range(width // 2, width) if w[k] in "(,&>_/"),
                      default=width)
            lines.append(w[:cut])
            w = w[cut:]
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines or [""]


def grid_table(header: list[str], rows: list[list[str]], widths: list[int],
               preamble: Sequence[str] = ()) -> str:
    """A reStructuredText grid table (docutils-parsable).  ``preamble`` lines form one
    full-width row after the header."""
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
    if preamble:
        full = sum(w + 3 for w in widths) - 3
        for text in preamble:
            lines += ["| " + part.ljust(full) + " |"
                      for part in _cell_lines(text, full)]
        lines.append(sep("-"))
    for r in rows:
        lines += row(r)
        lines.append(sep("-"))
    return "\n".join(lines)


def _replay_of(x: CheckResult | ReplayResult) -> ReplayResult | None:
    return x if isinstance(x, ReplayResult) else x.replay


def table_rows(model: Model, L: Layout, rep: ReplayResult) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the interleaving table (one row per step, numbered)."""
    seen: list[str] = []
    for step in rep.steps:
        a = model.by_label[step.label].actor
        if a not in seen:
            seen.append(a)
    actors = [a.name for a in model.actors if a.name in seen]
    col = {a: k + 1 for k, a in enumerate(actors)}
    header = ["#"] + [_title(model, a) for a in actors] + ["After the step"]
    rows: list[list[str]] = []
    for step in rep.steps:
        before = rep.state_at(step.depth - 1)
        act = model.by_label[step.label]
        cells = [""] * (len(actors) + 2)
        cells[0] = str(step.depth)
        cells[col[act.actor]] = _step_text(model, L, step.label, before)
        cells[-1] = "; ".join(step_changes(model, L, step.diff, before))
        rows.append(cells)
    return header, rows


def fit_widths(header: list[str], rows: list[list[str]], width: int | None) -> list[int]:
    """Column widths: each as wide as its longest cell up to :data:`MAX_COL`
    (:data:`WIDE_COL` with no ``width``), the first (step numbers) exact; then, to keep
    the whole table within ``width`` characters, the widest columns give way first,
    down to :data:`MIN_COL` (8 if there are many actors)."""
    cap = MAX_COL if width is not None else WIDE_COL
    widths = []
    for k in range(len(header)):
        longest = max([len(header[k])] + [len(r[k]) for r in rows])
        widths.append(longest if k == 0 else max(MIN_COL, min(cap, longest)))
    if width is None:
        return widths

    def total() -> int:
        return sum(widths) + 3 * len(widths) + 1

    for floor in (MIN_COL, 8):
        while total() > width:
            k = max(range(1, len(widths)), key=lambda i: widths[i])
            if widths[k] <= floor:
                break
            widths[k] -= 1
    return widths


def kernel_refs(model: Model, rep: ReplayResult) -> str:
    """The kernel function and file of each step, consecutive steps of one function
    folded: ``steps 1-3: spte_write_protect() arch/x86/kvm/mmu/mmu.c @ v6.6``."""
    groups: list[tuple[int, int, str]] = []
    for step in rep.steps:
        ref = model.by_label[step.label].kernel or "-"
        if groups and groups[-1][2] == ref and groups[-1][1] == step.depth - 1:
            groups[-1] = (groups[-1][0], step.depth, ref)
        else:
            groups.append((step.depth, step.depth, ref))
    lines = ["kernel references:"]
    for a, b, ref in groups:
        where = f"step {a}" if a == b else f"steps {a}-{b}"
        lines.append(f"  {where + ':':12s} {ref}")
    return "\n".join(lines)


def kernel_table(model: Model, layout: Layout, result: CheckResult | ReplayResult, *,
                 width: int | None = DEFAULT_WIDTH, refs: bool = False) -> str:
    """A replayed witness as a locking.rst-style interleaving table, within ``width``
    columns (None: as wide as the text wants, ``--wide``); ``refs`` adds the kernel
    function and file of each step under it (``--kernel-refs``)."""
    rep = _replay_of(result)
    if rep is None:
        return ""
    header, rows = table_rows(model, layout, rep)
    widths = fit_widths(header, rows, width)
    init = [f"{spte_label(model, s)} = {spte_summary(layout, int(rep.initial[s]))}"
            for s in spte_vars(model)]
    preamble = ["At the beginning: " + "; ".join(init)] if init else []
    table = grid_table(header, rows, widths, preamble)
    return table + "\n" + kernel_refs(model, rep) if refs else table


# --- why it broke -------------------------------------------------------------------------


def _step_ref(model: Model, rep: ReplayResult, depth: int | None, *,
              text: bool = True) -> str:
    """``at step 12 (CPU (wrtrack): WRITE_ONCE(...))``, or ``at step 12``."""
    if depth is None or depth < 1:
        return "initially"
    if not text:
        return f"at step {depth}"
    act = model.by_label[rep.steps[depth - 1].label]
    return f"at step {depth} ({_title(model, act.actor)}: {act.text})"


def _who(model: Model, rep: ReplayResult, depth: int | None) -> str:
    if depth is None or depth < 1:
        return "the guest"
    return _title(model, model.by_label[rep.steps[depth - 1].label].actor)


def _explain_dirty_log(model: Model, L: Layout, rep: ReplayResult) -> str | None:
    final = rep.final
    lost, logged = [], []
    for name, val in final.items():
        m = _GFN_VAR.match(name)
        if m and m.group(1) == "dlog":
            g = int(m.group(2), 16)
            if val:
                logged.append(g)
            elif final.get(f"written.g{g:x}"):
                lost.append(g)
    if not lost:
        return None
    g = lost[0]
    at = _last_flip(rep, f"written.g{g:x}")
    ring = f"ring.g{g:x}" in final
    also = (f"; the {'ring' if ring else 'bitmap'} has gfn "
            f"{', '.join(f'{x:#x}' for x in logged)} instead" if logged else "")
    where = "no dirty-ring entry holds it" if ring else "its dirty-bitmap bit is clear"
    return (f"dirty-log broken: {_who(model, rep, at)} wrote gfn {g:#x} "
            f"{_step_ref(model, rep, at, text=False)} but {where}{also}, "
            "so the write is lost from the dirty log.")


def _dirty_mappings(model: Model, L: Layout, state: dict[str, Any], p: int) -> list[str]:
    out = []
    for s in spte_vars(model):
        v = int(state[s])
        if is_leaf(model, s) and P.is_shadow_present_pte(C, L, v) \
                and int(P.spte_to_pfn(C, L, v)) == p and P.is_dirty_spte(C, L, v):
            out.append(s)
    return out


def _explain_host_dirty(model: Model, L: Layout, rep: ReplayResult) -> str | None:
    final = rep.final
    for name, val in final.items():
        m = _PFN_VAR.match(name)
        if not (m and m.group(1) == "hwritten" and val):
            continue
        p = int(m.group(2), 16)
        if final.get(f"pfn_dirty.p{p:x}") or _dirty_mappings(model, L, final, p):
            continue
        at = _first_flip(rep, name)
        lost = None
        for s in reversed(rep.steps):
            if _dirty_mappings(model, L, rep.state_at(s.depth - 1), p) and \
                    not _dirty_mappings(model, L, s.state, p):
                lost = s.depth
                break
        how = f"; D was lost {_step_ref(model, rep, lost)}" if lost else ""
        return (f"host-dirty broken: {_who(model, rep, at)} wrote pfn {p:#x} "
                f"{_step_ref(model, rep, at, text=False)}, but the host's dirty flag for it "
                f"is clear and no present SPTE maps it dirty{how}.")
    return None


def _explain_stale(model: Model, L: Layout, rep: ReplayResult) -> str | None:
    final = rep.final
    for name, val in final.items():
        m = _STALE.match(name)
        if not (m and val):
            continue
        op, v, i = m.group(1), int(m.group(2)), int(m.group(3))
        if not (final.get(f"tlb.v{v}.s{i}.valid") and final.get(f"tlb.v{v}.s{i}.w")):
            continue
        try:
            done = final[model.pc_var(op)] == model.pc_code(op, "done")
        except KeyError:
            done = False
        if not done:
            continue
        ret = max((s.depth for s in rep.steps if model.by_label[s.label].actor == op),
                  default=None)
        took = _last_flip(rep, name)
        filled = _last_flip(rep, f"tlb.v{v}.s{i}.valid")
        return (f"no-stale-tlb broken: {_title(model, op)} returned "
                f"{_step_ref(model, rep, ret, text=False)} without a flush that covers its "
                f"write-protect {_step_ref(model, rep, took)}, so vCPU{v} still holds the "
                f"writable TLB entry for spte{i} cached {_step_ref(model, rep, filled)}.")
    return None


def _explain_flag(model: Model, rep: ReplayResult, var: str, what: str) -> str | None:
    at = _first_flip(rep, var)
    if at is None:
        return None
    before = rep.state_at(at - 1)
    ctx = "under the write lock" if before.get("lock.w") else "without the write lock"
    return f"{what} {_step_ref(model, rep, at)}, {ctx}."


def _explain_invariant(model: Model, L: Layout, rep: ReplayResult) -> str | None:
    hw = _explain_flag(model, rep, "bad.hostw",
                       "spte-invariant broken: host-writable changed on a present SPTE")
    if hw:
        return hw
    final = rep.final
    for s in spte_vars(model):
        v = int(final[s])
        if not is_leaf(model, s):
            continue
        present = P.is_shadow_present_pte(C, L, v)
        at = _last_flip(rep, s, v)
        if present and not P.writable_invariant(C, L, v):
            return (f"spte-invariant broken: {s} = {v:#x} is present but breaks the writable "
                    f"invariant (W needs MMU-writable needs host-writable), written "
                    f"{_step_ref(model, rep, at)}.")
        if present and P.is_frozen_spte(C, L, v):
            return (f"spte-invariant broken: {s} = {v:#x} is frozen and present, written "
                    f"{_step_ref(model, rep, at)}.")
    return None


def _explain_lock(model: Model, L: Layout, rep: ReplayResult) -> str | None:
    at = _first_flip(rep, "bad.lock")
    if at is None:
        return None
    before = rep.state_at(at - 1)
    if before.get("lock.w"):
        why = ("a plain store under the write lock to an SPTE that can change outside "
               "mmu_lock (it needs xchg)")
    else:
        why = "a non-atomic store without holding mmu_lock for write"
    return f"lock-discipline broken {_step_ref(model, rep, at)}: {why}."


def _explain_accessed(model: Model, L: Layout, rep: ReplayResult) -> str | None:
    at = _first_flip(rep, "bad.age")
    if at is None:
        return None
    return (f"accessed broken: the page was reported old {_step_ref(model, rep, at)} "
            "although the guest accessed it since the previous aging pass cleared A (or the "
            "access-tracked form was restored) and the host page was not marked accessed.")


EXPLAINERS: dict[str, Callable[[Model, Layout, ReplayResult], str | None]] = {
    "dirty-log": _explain_dirty_log,
    "host-dirty": _explain_host_dirty,
    "no-stale-tlb": _explain_stale,
    "spte-invariant": _explain_invariant,
    "lock-discipline": _explain_lock,
    "accessed": _explain_accessed,
}


def explain(model: Model, layout: Layout, rep: ReplayResult, prop: str) -> str:
    """One sentence: which property broke and why, computed from the replayed states."""
    p = model.property(prop)
    if p.explain is not None:
        return f"{prop} broken: {p.explain(C, St(rep.final))}"
    fn = EXPLAINERS.get(prop)
    text = fn(model, layout, rep) if fn is not None else None
    if text:
        return text
    return (f"{prop} broken after {len(rep.steps)} steps: {p.summary} does not hold in the "
            "final state.")


# --- JSON ------------------------------------------------------------------------------------


def jvalue(v: Any) -> Any:
    """A state value for JSON: booleans stay booleans, integers become hex strings."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return hex(v)
    return str(v)


def step_records(model: Model, layout: Layout, rep: ReplayResult) -> list[dict[str, Any]]:
    """The replayed steps as JSON-ready dicts (the ``steps`` of a witness)."""
    out = []
    for step in rep.steps:
        before = rep.state_at(step.depth - 1)
        act = model.by_label[step.label]
        out.append({
            "step": step.depth,
            "label": step.label,
            "actor": act.actor,
            "actor_title": _title(model, act.actor),
            "action": act.name,
            "kernel": act.kernel,
            "text": _step_text(model, layout, step.label, before),
            "changes": step_changes(model, layout, step.diff, before),
            "diff": {k: [jvalue(a), jvalue(b)] for k, (a, b) in step.diff.items()},
        })
    return out
