"""Counterexamples to induction, printed as two decoded states and the step between.

When an invariant is not inductive, the solver's model of ``Inv ∧ Trans ∧ ¬Inv'`` is a
state that the invariant admits, one action, and a successor the invariant excludes.
Neither state need be reachable — that is the point: the user reads which fact about
the first state the invariant is missing.  The first state is printed in full (pcs as
labels, SPTEs decoded as in the trace tables); the step as its action's kernel text;
the second state as only what changed, in the style of the trace tables' last column.
"""

from __future__ import annotations

from typing import Any

from verify.layouts import get_layout
from verify.model import Model
from verify.reports.trace import spte_diff, spte_summary, spte_vars


def _value(model: Model, name: str, raw: int) -> Any:
    v = model.vars[model.var_index[name]]
    return bool(raw) if v.is_bool else raw


def _show(model: Model, name: str, value: Any, L: Any, sptes: set[str]) -> str:
    if name.endswith(".pc"):
        actor = name[:-3]
        labels = {c: lab for lab, c in model.pc_codes.get(actor, {}).items()}
        return f"{actor} at {labels.get(int(value), value)}"
    if name in sptes:
        return f"{name} = {spte_summary(L, int(value))}"
    if isinstance(value, bool):
        return name if value else f"!{name}"
    return f"{name} = {int(value):#x}"


def describe_step(model: Model, vals: dict[str, int]) -> str:
    """``vals``: the solver's values of ``<var>@0``, ``sel@0`` and ``<var>@1``."""
    kernel = str(model.params.get("kernel", "")).split()[0]
    L = get_layout(kernel, str(model.params.get("mode")))
    sptes = set(spte_vars(model))
    a = {v.name: _value(model, v.name, vals.get(f"{v.name}@0", 0)) for v in model.vars}
    b = {v.name: _value(model, v.name, vals.get(f"{v.name}@1", 0)) for v in model.vars}
    sel = vals.get("sel@0", -1)
    act = model.actions[sel] if 0 <= sel < len(model.actions) else None
    lines = ["counterexample to induction:",
             "  state (admitted by the invariant):"]
    lines += [f"    {_show(model, n, a[n], L, sptes)}" for n in a]
    if act is not None:
        lines.append(f"  step: {act.actor}: {act.text}  [{act.label}]")
    else:
        lines.append(f"  step: <scheduler choice {sel}>")
    lines.append("  next state (excluded by the invariant), what changed:")
    for n in a:
        if a[n] != b[n]:
            if n in sptes:
                lines.append(f"    {n}: {spte_diff(L, int(a[n]), int(b[n]))}")
            else:
                lines.append(f"    {_show(model, n, b[n], L, sptes)}")
    return "\n".join(lines)
