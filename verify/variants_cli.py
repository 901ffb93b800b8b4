"""Command-line side of a maintainer's own change: the options that name a variant (a
built-in name, variant files, one-line rule expressions), protocols from outside the
package, the consequence / rule-check summary and the comparison with the kernel's code
(``check --against``).

``check`` and ``terms`` share these; the variant-file format itself is
``protocols/variants.py`` and the rule language :mod:`verify.rules`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from verify.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])


def protocols_option(f: F) -> F:
    return click.option(
        "--protocols", "protocols", multiple=True, metavar="PATH",
        help="A Python file or folder adding scenarios, actors, variants and properties "
             "through verify.api (repeatable; docs/extending.md).")(f)


def variant_options(f: F) -> F:
    f = click.option("--flush-rule", "flush_rule", default=None, metavar="EXPR",
                     help="Shortcut: the mmu_spte_update flush rule as a rule expression "
                          "(old./new. fields), e.g. 'old.W && !new.W'.")(f)
    f = click.option("--needs-atomic", "needs_atomic", default=None, metavar="EXPR",
                     help="Shortcut: the volatile / needs-atomic rule as a rule expression, "
                          "e.g. '(!W && MMUW) || !ad_enabled'.")(f)
    f = click.option("--variant-file", "variant_files", multiple=True, metavar="FILE",
                     help="A variant file (TOML, docs/variant-files.md); repeatable.")(f)
    return f


def load_protocols(paths: Sequence[str]) -> None:
    if paths:
        from verify.extensions import load_protocol_paths
        load_protocol_paths(paths)


def resolve_variants(variant: str | None, files: Sequence[str], needs_atomic: str | None,
                     flush_rule: str | None) -> list[Any]:
    """The variants a command runs: ``--variant NAME`` or each ``--variant-file``, with
    ``--needs-atomic`` / ``--flush-rule`` applied on top."""
    from verify.protocols import submodule

    va = submodule("variants")
    if variant is not None and variant.strip() == "":
        raise InputError("--variant needs a name (fixed, a built-in variant or a race id)")
    if files and variant not in (None, "fixed"):
        raise InputError("give either --variant or --variant-file, not both")
    if files:
        seen: dict[str, str] = {}
        out = []
        for f in dict.fromkeys(files):
            v, _race = va.load_variant_file(f)
            if v.name in seen:
                raise InputError(f"{f}: variant name {v.name!r} is also used by {seen[v.name]}")
            seen[v.name] = f
            out.append(v)
    else:
        out = [va.get_variant(variant or "fixed")]
    if needs_atomic is not None or flush_rule is not None:
        if len(out) > 1:
            raise InputError("--needs-atomic / --flush-rule apply to one variant; "
                             "give one --variant-file")
        out = [va.variant_from_rules(out[0], needs_atomic, flush_rule)]
    return out


def property_kind(name: str) -> str:
    from verify.protocols import submodule
    kinds: dict[str, str] = submodule("properties").KINDS
    return kinds.get(name, "consequence")


def judgement(jobs: Sequence[Any]) -> list[str]:
    """The summary a change is judged by: consequences apart from rule checks."""
    lines = []
    for v in dict.fromkeys(j.variant for j in jobs):
        rs = [(j, r) for j in jobs if j.variant == v for r in j.results]
        cons = [(j, r) for j, r in rs if property_kind(r.property) == "consequence"]
        rules = [(j, r) for j, r in rs if property_kind(r.property) == "rule"]
        scen = len({j.scenario for j, _ in rs})
        bad = [(j, r) for j, r in cons if r.verdict.value == "VIOLATED"]
        open_ = [(j, r) for j, r in cons if r.verdict.value in ("UNKNOWN", "CHECKER_BUG")]
        proved = all(r.verdict.value == "PROVED" for _, r in cons)
        scope = ("PROVED by exhaustive search of each model" if proved else
                 f"up to bound {max((r.bound for _, r in cons), default=0)}")
        if bad:
            what = ", ".join(sorted({f"{r.property} in {j.scenario}" for j, r in bad}))
            lines.append(f"consequences [{v}]: {len(bad)} of {len(cons)} VIOLATED ({what})")
        elif open_:
            lines.append(f"consequences [{v}]: none violated, {len(open_)} of {len(cons)} "
                         "UNDECIDED: not shown safe")
        else:
            lines.append(f"consequences [{v}]: all {len(cons)} hold on {scen} scenario(s), "
                         f"{scope}: safe on the modelled scenarios")
        rbad = [(j, r) for j, r in rules if r.verdict.value == "VIOLATED"]
        if rules:
            lines.append(f"rule checks  [{v}]: " + (
                f"{len(rbad)} of {len(rules)} VIOLATED (the code breaks the variant's own "
                "lock rules: " + ", ".join(sorted({j.scenario for j, _ in rbad})) + ")"
                if rbad else f"all {len(rules)} hold"))
    return lines


def verdict_class(v: str) -> str:
    return "safe" if v in ("PROVED", "HOLDS") else v


def changed(base: Sequence[Any], jobs: Sequence[Any]) -> list[tuple[Any, Any, Any]]:
    """(job, base result, result) for every property whose verdict changed from the base
    code to the variant (PROVED and HOLDS count as the same)."""
    index = {(j.scenario, j.version, j.mode, r.property): r for j in base for r in j.results}
    out = []
    for j in jobs:
        for r in j.results:
            b = index.get((j.scenario, j.version, j.mode, r.property))
            if b is None or verdict_class(b.verdict.value) != verdict_class(r.verdict.value):
                out.append((j, b, r))
    return out


def changed_table(rows: Sequence[tuple[Any, Any, Any]], against: str) -> str:
    head = ("scenario", "kernel/mode", "property", "kind", against, "variant")
    body = [(j.scenario, f"{j.version}/{j.mode}", r.property, property_kind(r.property),
             b.verdict.value if b is not None else "-", f"{r.verdict.value}"
             + (f" (depth {r.depth})" if r.depth is not None else ""))
            for j, b, r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    fmt = "  ".join(f"{{:{w}}}" for w in widths)
    lines = [fmt.format(*head), fmt.format(*["-" * w for w in widths])]
    lines += [fmt.format(*row) for row in body]
    return "\n".join(lines)
