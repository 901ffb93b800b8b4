"""Protocol variants: the kernel's real code, the built-in buggy variants and users'
variant files — one format for all of them.

A variant file (TOML, ``format = 1``; docs/variant-files.md) names a base kernel version
and changes any of: the volatile / needs-atomic rule, the ``mmu_spte_update`` flush rule
(both in the rule language of :mod:`verify.rules`) and the alternative taken at any site
of :mod:`protocols.sites`.  The built-in buggy variants re-opening R1–R5 are such files
(``variants/*.toml``, shipped in the wheel); their ``[shows]`` table says where each race
shows, which is what :data:`RACES` is made of.  Errors name the file and line (exit 2).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from verify.errors import InputError
from verify.layouts import MODES, VERSIONS
from verify.resources import builtin_path
from verify.rules import ONE, PAIR, RuleError, Source, compile_rule

from .sites import SITES
from .world import SiteChoice, Variant

FORMAT = 1
MAX_BYTES = 1 << 20
KEYS = {"format", "name", "race", "summary", "base", "modes", "needs_atomic", "flush_rule",
        "sites", "shows"}
SHOWS_KEYS = {"scenario", "mode", "property", "kernel"}
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")

FIXED = Variant("fixed", None, "the kernel version's real code")


@dataclass(frozen=True)
class Race:
    """Where a race of primer §4 shows: its variant, scenario, version, mode, property."""

    race: str
    variant: str
    scenario: str
    version: str
    mode: str
    property: str


# -- reading a variant file ----------------------------------------------------------------------


class _Where:
    """Line numbers of keys in a TOML text, for error messages (tomllib keeps none)."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.lines = text.splitlines()

    def key(self, key: str, table: str | None = None) -> tuple[int, int]:
        """(line, column of the value) of ``key`` (in ``[table]`` if given); (1, 1) if
        it cannot be found."""
        in_table = table is None
        pat = re.compile(r'^\s*("?)' + re.escape(key) + r'\1\s*=\s*')
        for n, line in enumerate(self.lines, 1):
            stripped = line.strip()
            if stripped.startswith("["):
                in_table = table is not None and stripped.strip("[]").strip() == table
                if table is None:
                    break
                continue
            m = pat.match(line)
            if m and in_table:
                return n, m.end() + 1
        return 1, 1

    def err(self, msg: str, key: str | None = None, table: str | None = None) -> InputError:
        line = self.key(key, table)[0] if key else 1
        return InputError(f"{self.name}:{line}: {msg}")

    def rule_source(self, key: str, table: str | None = None) -> Source:
        line, col = self.key(key, table)
        text = self.lines[line - 1] if line - 1 < len(self.lines) else ""
        rest = text[col - 1:]
        if rest.startswith(('"""', "'''")):
            q = 3
            if rest[3:].strip() == "":  # the string starts on the next line
                return Source(self.name, line + 1, 1)
        elif rest.startswith(('"', "'")):
            q = 1
        else:
            q = 0
        return Source(self.name, line, col + q)


def read_text(path: Path) -> str:
    """A variant file's text, read with a size limit (never a FIFO or a device)."""
    try:
        if not path.is_file():
            raise InputError(f"{path}: not a regular file" if path.exists() else
                             f"{path}: no such file")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: larger than {MAX_BYTES} bytes: not a variant file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None


def load_variant_file(path: str | Path) -> tuple[Variant, Race | None]:
    """Read and check one variant file; returns the variant and, if it has ``[shows]``,
    where it shows."""
    p = Path(path)
    text = read_text(p)
    return parse_variant(text, str(p))


def parse_variant(text: str, name: str = "<variant>") -> tuple[Variant, Race | None]:
    where = _Where(name, text)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        pos = f"{m.group(1)}:{m.group(2)}" if m else "1"
        raise InputError(f"{name}:{pos}: not valid TOML: {re.sub(r' [(]at line.*', '', msg)}"
                         ) from None
    return variant_from_document(doc, where)


def _str(where: _Where, doc: Mapping[str, Any], key: str, table: str | None = None,
         required: bool = False) -> str | None:
    v = doc.get(key)
    if v is None:
        if required:
            raise where.err(f"missing {key!r}")
        return None
    if not isinstance(v, str):
        raise where.err(f"{key!r} must be a string, not {type(v).__name__}", key, table)
    return v


def variant_from_document(doc: Mapping[str, Any], where: _Where | None = None
                          ) -> tuple[Variant, Race | None]:
    """A variant from a parsed variant-file document (also used to rebuild the variant
    a saved witness names)."""
    where = where or _Where("<variant>", "")
    unknown = sorted(set(doc) - KEYS)
    if unknown:
        raise where.err(f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(KEYS))})",
                        unknown[0])
    fmt = doc.get("format")
    if fmt != FORMAT or isinstance(fmt, bool):
        raise where.err(f"'format' must be {FORMAT} (this spte-verify reads variant files of "
                        f"format {FORMAT}), got {fmt!r}", "format" if "format" in doc else None)
    vname = _str(where, doc, "name", required=True)
    assert vname is not None
    if not NAME_RE.match(vname):
        raise where.err(f"bad variant name {vname!r} (letters, digits, - _ . +)", "name")
    if vname == "fixed":
        raise where.err("the name 'fixed' is the kernel's own code; choose another", "name")
    summary = _str(where, doc, "summary") or ""
    race = _str(where, doc, "race")
    base = _str(where, doc, "base")
    if base is not None and base not in VERSIONS:
        raise where.err(f"unknown base kernel version {base!r} (choose from "
                        f"{', '.join(VERSIONS)})", "base")
    modes_raw = doc.get("modes", [])
    if not isinstance(modes_raw, list) or not all(isinstance(m, str) for m in modes_raw):
        raise where.err("'modes' must be a list of mode names", "modes")
    for m in modes_raw:
        if m not in MODES:
            raise where.err(f"unknown mode {m!r} (choose from {', '.join(MODES)})", "modes")
    needs = _str(where, doc, "needs_atomic")
    flush = _str(where, doc, "flush_rule")
    na_rule = compile_rule(needs, ONE, where.rule_source("needs_atomic")) if needs else None
    fl_rule = compile_rule(flush, PAIR, where.rule_source("flush_rule")) if flush else None
    sites_raw = doc.get("sites", {})
    if not isinstance(sites_raw, dict):
        raise where.err("'sites' must be a table: [sites]", "sites")
    choices: list[tuple[str, SiteChoice]] = []
    for sid, val in sites_raw.items():
        choices.append((sid, _site_choice(where, sid, val)))
    shows_raw = doc.get("shows")
    race_at: Race | None = None
    if shows_raw is not None:
        if not isinstance(shows_raw, dict):
            raise where.err("'shows' must be a table: [shows]", "shows")
        bad = sorted(set(shows_raw) - SHOWS_KEYS)
        if bad:
            raise where.err(f"unknown key {bad[0]!r} in [shows] (allowed: "
                            f"{', '.join(sorted(SHOWS_KEYS))})", bad[0], "shows")
        scen = _str(where, shows_raw, "scenario", "shows", required=True)
        mode = _str(where, shows_raw, "mode", "shows", required=True)
        prop = _str(where, shows_raw, "property", "shows", required=True)
        kern = _str(where, shows_raw, "kernel", "shows") or base
        if kern is None:
            raise where.err("[shows] needs a kernel (or the file a base)", "scenario", "shows")
        if kern not in VERSIONS:
            raise where.err(f"unknown kernel version {kern!r}", "kernel", "shows")
        if mode not in MODES:
            raise where.err(f"unknown mode {mode!r} (choose from {', '.join(MODES)})", "mode",
                            "shows")
        from .scenarios import SCENARIOS
        if scen not in SCENARIOS:
            raise where.err(f"unknown scenario {scen!r}", "scenario", "shows")
        assert scen is not None and prop is not None
        race_at = Race(race or vname, vname, scen, kern, mode, prop)
    v = Variant(vname, race, summary, needs_atomic=na_rule, flush_rule=fl_rule,
                sites=tuple(choices), base=base, modes=tuple(modes_raw), source=where.name,
                document=dict(doc))
    return v, race_at


def _site_choice(where: _Where, sid: str, val: Any) -> SiteChoice:
    if sid not in SITES:
        import difflib
        near = difflib.get_close_matches(sid, list(SITES), n=3)
        hint = f" (did you mean {', '.join(near)}?)" if near else " (spte-verify list --sites)"
        raise where.err(f"unknown site {sid!r}{hint}", sid, "sites")
    site = SITES[sid]
    if isinstance(val, dict):
        if set(val) != {"rule"} or not isinstance(val["rule"], str):
            raise where.err(f"site {sid!r}: a table value must be {{ rule = \"...\" }}", sid,
                            "sites")
        if "rule" not in site.alternatives:
            raise where.err(f"site {sid!r} ({site.kind}) takes no rule expression "
                            f"(alternatives: {', '.join(site.alternatives)})", sid, "sites")
        line, col = where.key(sid, "sites")
        src = Source(where.name, line, col)
        return SiteChoice("rule", compile_rule(val["rule"], ONE, src))
    if not isinstance(val, str):
        raise where.err(f"site {sid!r}: the value must be an alternative name", sid, "sites")
    if val not in site.alternatives or val == "rule":
        alts = [a if a != "rule" else '{ rule = "..." }' for a in site.alternatives]
        raise where.err(f"site {sid!r} has no alternative {val!r} (choose from "
                        f"{', '.join(alts)})", sid, "sites")
    return SiteChoice(val)


def variant_from_rules(base: Variant, needs_atomic: str | None, flush_rule: str | None
                       ) -> Variant:
    """``--needs-atomic EXPR`` / ``--flush-rule EXPR``: ``base`` with its rules replaced."""
    doc: dict[str, Any] = dict(base.document or {"format": FORMAT, "name": base.name,
                                                 "summary": base.summary})
    na = base.needs_atomic
    fl = base.flush_rule
    parts = []
    if needs_atomic is not None:
        na = compile_rule(needs_atomic, ONE, Source("--needs-atomic", 1, 1))
        doc["needs_atomic"] = needs_atomic
        parts.append(f"needs_atomic = {needs_atomic}")
    if flush_rule is not None:
        fl = compile_rule(flush_rule, PAIR, Source("--flush-rule", 1, 1))
        doc["flush_rule"] = flush_rule
        parts.append(f"flush_rule = {flush_rule}")
    name = base.name if base.name != "fixed" else "custom"
    doc["name"] = name
    doc.pop("race", None)
    doc.pop("shows", None)
    if base.base and "base" not in doc:
        doc["base"] = base.base
    summary = "; ".join(parts) + (f" (on top of {base.name})" if base.name != "fixed" else "")
    doc["summary"] = summary
    return replace(base, name=name, race=None, summary=summary, needs_atomic=na,
                   flush_rule=fl, source="command line", document=doc)


# -- the built-in variants -------------------------------------------------------------------------


def _load_builtin() -> tuple[dict[str, Variant], dict[str, Race]]:
    variants: dict[str, Variant] = {FIXED.name: FIXED}
    races: dict[str, Race] = {}
    root = builtin_path("variants")
    for f in sorted(root.glob("*.toml")):
        try:
            v, r = load_variant_file(f)
        except RuleError as e:  # a packaging bug, but say where
            raise InputError(f"built-in variant: {e}") from e
        v = replace(v, source=f"variants/{f.name}")
        variants[v.name] = v
        if r is not None and v.race is not None:
            races[v.race] = r
    return variants, races


VARIANTS, RACES = _load_builtin()


def get_variant(name: str) -> Variant:
    """A built-in variant by name or race id (``R1`` … ``R5``)."""
    if name in VARIANTS:
        return VARIANTS[name]
    for v in VARIANTS.values():
        if v.race is not None and v.race.lower() == name.lower():
            return v
    choices = ", ".join(list(VARIANTS) + [v.race for v in VARIANTS.values() if v.race])
    raise InputError(f"unknown variant {name!r} (choose from {choices}; or --variant-file F)")
