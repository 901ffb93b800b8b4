"""Witnesses as JSON: the ``check --json`` document, standalone witness files, and their
replay on the concrete MMU (``spte-verify replay``).

Two documents, both described by the JSON Schema shipped in the package,
``verify/reports/schema/check-v1.json`` (:func:`schema_path`), and told apart by their ``schema``
field:

* ``spte-verify/check/1`` -- what ``spte-verify check --json`` prints: the request
  (kernel, mode, variant, scenarios, properties, engine, solver, bound, timeout,
  reduction), the hardware parameters, the status and exit code, total seconds, and per
  job (scenario x version x mode x variant) one result per property: verdict, engine,
  solver, bound, seconds, states, depth, message, and -- for a VIOLATED result -- the
  witness object below (otherwise ``null``).
* ``spte-verify/witness/1`` -- one witness on its own, as ``check --save-witness DIR``
  writes it (one file per violation): the witness object plus ``schema`` and ``tool``.

The witness object says everything needed to rebuild the model and re-run the schedule:
``scenario``, ``kernel``, ``mode``, ``variant``, ``hardware`` (the :class:`HwParams`
fields as booleans), ``property``; how it was found (``engine``, ``solver``, ``bound``,
``reduction``, ``depth`` = the engine's shortest length); the minimized trace
(``schedule`` of action labels, ``length``, ``context_switches``) and the engine's own
(``original``); ``initial`` SPTE values; ``steps`` (per step: label, actor, actor title,
action, kernel function, text, the changes in words and the raw state ``diff`` with
integers as hex strings); ``violation`` (property, the step at which it shows, the
one-sentence explanation).

Versioning: a field may be added within version 1; renaming or removing one, or changing
its meaning, makes version 2 (a new schema file and a new ``schema`` string).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verify import __version__
from verify.engines.replay import ReplayError, ReplayResult, replay
from verify.errors import InputError
from verify.layouts import Layout, get_layout
from verify.model import Model
from verify.reports.minimize import Minimized
from verify.reports.results import CheckResult
from verify.reports.trace import explain, jvalue, spte_vars, step_records

SCHEMA_CHECK = "spte-verify/check/1"
SCHEMA_WITNESS = "spte-verify/witness/1"
TOOL = f"spte-verify {__version__}"


def schema_path() -> Path:
    """The JSON Schema of both documents, shipped inside the package."""
    return Path(__file__).with_name("schema") / "check-v1.json"


def load_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return data


def hardware_json(hw: Any) -> dict[str, bool]:
    """The hardware parameters (a ``HwParams``) as booleans by field name."""
    return {k: bool(v) for k, v in dataclasses.asdict(hw).items()}


def witness_json(*, scenario: str, kernel: str, mode: str, variant: str, hw: Any,
                 model: Model, result: CheckResult, minimized: Minimized) -> dict[str, Any]:
    """The witness object of one VIOLATED result (its minimized trace)."""
    layout = get_layout(kernel, mode)
    rep = minimized.replay
    return {
        "scenario": scenario, "kernel": kernel, "mode": mode, "variant": variant,
        "hardware": hardware_json(hw), "property": result.property,
        "engine": result.engine, "solver": result.solver, "bound": result.bound,
        "reduction": result.reduction,
        "depth": result.depth if result.depth is not None else len(minimized.original),
        "length": minimized.length,
        "context_switches": minimized.switches,
        "schedule": list(minimized.schedule),
        "original": {"length": len(minimized.original),
                     "context_switches": minimized.original_switches,
                     "schedule": list(minimized.original)},
        "initial": {s: jvalue(rep.initial[s]) for s in spte_vars(model)},
        **form_json(model, result),
        "steps": step_records(model, layout, rep),
        "violation": {"property": result.property, "step": minimized.length,
                      "explanation": explain(model, layout, rep, result.property)},
    }


def bug_witness_json(*, scenario: str, kernel: str, mode: str, variant: str, hw: Any,
                     model: Model, result: CheckResult) -> dict[str, Any]:
    """The witness object of a CHECKER_BUG result: the engine's schedule as it claimed
    it, with ``checker_bug.problem`` saying why it did not replay and ``violation``
    null, so that ``spte-verify replay`` can re-run it (and say NOT REPRODUCED)."""
    schedule = list(result.witness or [])
    start = result.extra.get("start")
    init = dict(model.init_values())
    if start:
        init.update(start)
    switches = sum(1 for a, b in itertools.pairwise(schedule)
                   if a.split(".")[0] != b.split(".")[0])
    return {
        "scenario": scenario, "kernel": kernel, "mode": mode, "variant": variant,
        "hardware": hardware_json(hw), "property": result.property,
        "engine": result.engine, "solver": result.solver, "bound": result.bound,
        "reduction": result.reduction,
        "depth": result.depth if result.depth is not None else len(schedule),
        "length": len(schedule), "context_switches": switches, "schedule": schedule,
        "original": {"length": len(schedule), "context_switches": switches,
                     "schedule": schedule},
        "initial": {s: jvalue(init[s]) for s in spte_vars(model)},
        **form_json(model, result),
        "steps": [],
        "violation": None,
        "checker_bug": {"problem": str(result.extra.get("problem") or result.message)},
    }


def save_bug_witness(doc: dict[str, Any], directory: str | Path | None) -> str:
    """Write a checker-bug witness (standalone format) into ``directory`` (default: the
    ``SPTE_VERIFY_WITNESS_DIR`` directory, else a temporary one); the path.  Raises
    OSError when it cannot be written."""
    import tempfile

    from verify.engines.bmc import witness_dir
    d = witness_dir(directory)
    d.mkdir(parents=True, exist_ok=True)
    stem = witness_filename(doc)[:-len(".json")] + "_checker-bug-"
    fd, path = tempfile.mkstemp(prefix=stem, suffix=".json", dir=d)
    with open(fd, "w", encoding="utf-8") as f:
        f.write(dump(standalone(doc)))
    return path


def form_json(model: Model, result: CheckResult) -> dict[str, Any]:
    """For a model in a non-default form (repeating operations, all initial SPTEs): the
    ``form`` and the ``start`` values of the initial set's free variables the engine
    chose, so that replay starts there."""
    form = model.params.get("form")
    if not form:
        return {}
    out: dict[str, Any] = {"form": form}
    if model.init_set is not None:
        start = result.extra.get("start") or {}
        out["start"] = {k: jvalue(start[k]) for k in model.init_set.free if k in start}
    return out


def standalone(witness: dict[str, Any]) -> dict[str, Any]:
    """A witness object as a standalone file document."""
    return {"schema": SCHEMA_WITNESS, "tool": TOOL, **witness}


def witness_filename(w: dict[str, Any]) -> str:
    return f"{w['scenario']}_{w['kernel']}_{w['mode']}_{w['variant']}_{w['property']}.json"


def dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# --- loading -----------------------------------------------------------------------------------


MAX_WITNESS_BYTES = 64 << 20
"""A witness file larger than this is refused (a real one is a few hundred KB)."""


def _read_limited(p: Path) -> str:
    """The text of a regular file of at most :data:`MAX_WITNESS_BYTES` (a FIFO, a device
    or a huge file is refused before it is read)."""
    import os
    import stat

    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError(f"witness file {str(p)!r} not found") from None
    except OSError as e:
        raise InputError(f"cannot read witness file {str(p)!r}: {e.strerror or e}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"witness file {str(p)!r} is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"witness file {str(p)!r} is not a regular file")
    if st.st_size > MAX_WITNESS_BYTES:
        raise InputError(f"witness file {str(p)!r} is too large ({st.st_size} bytes; "
                         f"the limit is {MAX_WITNESS_BYTES})")
    try:
        with open(p, "rb") as f:
            data = f.read(MAX_WITNESS_BYTES + 1)
    except OSError as e:
        raise InputError(f"cannot read witness file {str(p)!r}: {e.strerror or e}") from None
    if len(data) > MAX_WITNESS_BYTES:
        raise InputError(f"witness file {str(p)!r} is too large")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"cannot read witness file {str(p)!r}: not UTF-8 text "
                         f"(byte {e.start})") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _field(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _schema_check(p: Path, doc: dict[str, Any], definition: str) -> None:
    """Validate ``doc`` against ``#/$defs/<definition>`` of the shipped schema; the first
    problem as one line naming the field."""
    import jsonschema
    from jsonschema.exceptions import best_match

    schema = dict(load_schema())
    schema.pop("oneOf", None)
    schema["$ref"] = f"#/$defs/{definition}"
    v = jsonschema.Draft202012Validator(schema)
    err = best_match(v.iter_errors(doc))
    if err is not None:
        where = _field(err.absolute_path)
        msg = err.message if len(err.message) <= 160 else err.message[:157] + "..."
        raise InputError(f"{p}: witness field {where!r}: {msg}")


def load(path: str | Path) -> list[dict[str, Any]]:
    """The witnesses in a file (a standalone witness, or every violation of a ``check
    --json`` document), validated against the shipped JSON Schema.  Any problem is an
    :class:`InputError` naming the file (and the field)."""
    p = Path(path)
    text = _read_limited(p)
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise InputError(f"{p}:{e.lineno}:{e.colno}: malformed JSON: {e.msg}") from None
    except ValueError as e:
        raise InputError(f"{p}: malformed JSON: {e}") from None
    except RecursionError:
        raise InputError(f"{p}: malformed witness: JSON nested too deeply") from None
    if not isinstance(doc, dict):
        raise InputError(f"{p}: not a spte-verify witness (expected a JSON object)")
    kind = doc.get("schema")
    if kind == SCHEMA_WITNESS:
        _schema_check(p, doc, "witnessFile")
        witnesses = [doc]
    elif kind == SCHEMA_CHECK:
        _schema_check(p, doc, "check")
        witnesses = [r["witness"] for j in doc["jobs"] for r in j["results"]
                     if isinstance(r.get("witness"), dict)]
        if not witnesses:
            raise InputError(f"{p}: the check output holds no violation witness")
    else:
        raise InputError(f"{p}: not a spte-verify witness (schema {kind!r}; expected "
                         f"{SCHEMA_WITNESS!r} or {SCHEMA_CHECK!r})")
    for w in witnesses:
        _validate(p, w)
    return witnesses


def _validate(p: Path, w: Any) -> None:
    """What the schema cannot say (it has already checked fields and types): the counts
    agree with the schedules."""
    if w.get("length", len(w["schedule"])) != len(w["schedule"]):
        raise InputError(f"{p}: witness field 'length' is {w['length']}, but 'schedule' has "
                         f"{len(w['schedule'])} steps")
    orig = w.get("original")
    if isinstance(orig, dict) and isinstance(orig.get("schedule"), list) \
            and orig.get("length") != len(orig["schedule"]):
        raise InputError(f"{p}: witness field 'original.length' is {orig.get('length')}, but "
                         f"'original.schedule' has {len(orig['schedule'])} steps")
    if "bound" in w and "depth" in w and w["depth"] > w["bound"] and w.get("engine") == "smt":
        raise InputError(f"{p}: witness field 'depth' ({w['depth']}) exceeds 'bound' "
                         f"({w['bound']})")
    viol = w.get("violation")
    if viol is None and "violation" in w and "checker_bug" not in w:
        raise InputError(f"{p}: witness field 'violation' is null but the witness is not a "
                         "checker-bug witness")
    if isinstance(viol, dict) and viol.get("property") != w["property"]:
        raise InputError(f"{p}: witness field 'violation.property' is "
                         f"{viol.get('property')!r}, not the witness's {w['property']!r}")


# --- replay ----------------------------------------------------------------------------------


@dataclass
class Reproduction:
    """The outcome of replaying one saved witness."""

    witness: dict[str, Any]
    model: Model
    layout: Layout
    replay: ReplayResult | None
    reproduced: bool
    message: str
    notes: list[str]


def rebuild(path: str | Path, w: dict[str, Any]) -> Model:
    """The model a witness was found on: its scenario, kernel, mode, variant, hardware."""
    from verify import checker
    from verify.protocols import submodule

    HwParams = submodule("world").HwParams
    fields = {f.name for f in dataclasses.fields(HwParams)}
    unknown = sorted(set(w["hardware"]) - fields)
    if unknown:
        raise InputError(f"{path}: unknown hardware parameter {unknown[0]!r} (known: "
                         f"{', '.join(sorted(fields))})")
    variant: Any = w["variant"]
    try:
        protos = w.get("protocols")
        if isinstance(protos, list) and all(isinstance(x, str) for x in protos):
            from verify.extensions import load_protocol_paths
            load_protocol_paths(protos)
        vdef = w.get("variant_def")
        if isinstance(vdef, dict):
            variant, _race = submodule("variants").variant_from_document(vdef)
            if variant.name != w["variant"]:
                raise InputError(f"witness field 'variant_def' names {variant.name!r}, not "
                                 f"{w['variant']!r}")
        form = w.get("form", "")
        if not isinstance(form, str):
            raise InputError("witness field 'form' must be a string")
        jobs = checker.plan(kernel=w["kernel"], mode=w["mode"], variant=variant,
                            scenarios=[w["scenario"]], properties=[w["property"]],
                            hw=HwParams(**w["hardware"]), form=checker.parse_form(form))
    except InputError as e:
        raise InputError(f"{path}: {e}") from None
    model: Model = jobs[0].model
    return model


def start_values(path: str | Path, model: Model, raw: Any) -> dict[str, Any] | None:
    """The witness's ``start`` block as values of the model's free initial variables."""
    if model.init_set is None:
        if raw:
            raise InputError(f"{path}: witness field 'start' given for a model with one "
                             "initial state")
        return None
    if not isinstance(raw, dict) or set(raw) != set(model.init_set.free):
        raise InputError(f"{path}: witness field 'start' must give exactly the free "
                         f"variables {', '.join(model.init_set.free)}")
    out: dict[str, Any] = {}
    for k, v in raw.items():
        var = model.vars[model.var_index[k]]
        if var.is_bool:
            if not isinstance(v, bool):
                raise InputError(f"{path}: witness field 'start.{k}' must be true or false")
            out[k] = v
        else:
            try:
                out[k] = int(v, 16) if isinstance(v, str) else int(v)
            except (TypeError, ValueError):
                raise InputError(f"{path}: witness field 'start.{k}' is not a number") from None
    return out


def reproduce(path: str | Path, w: dict[str, Any]) -> Reproduction:
    """Rebuild the model and replay the witness's schedule on the concrete MMU."""
    model = rebuild(path, w)
    layout = get_layout(w["kernel"], w["mode"])
    prop, schedule = w["property"], list(w["schedule"])
    start = start_values(path, model, w.get("start"))
    try:
        rep = replay(model, schedule, [prop], start)
    except ReplayError as e:
        return Reproduction(w, model, layout, None, False,
                            f"the schedule does not run on this model: step {e.index + 1} "
                            f"({e.label}): {e.reason}", [])
    notes = []
    recorded = w.get("steps")
    if isinstance(recorded, list):
        for s, r in zip(rep.steps, recorded, strict=False):
            diff = {k: [jvalue(a), jvalue(b)] for k, (a, b) in s.diff.items()}
            if isinstance(r, dict) and "diff" in r and r["diff"] != diff:
                notes.append(f"step {s.depth} ({s.label}) changes the state differently "
                             "from the recorded witness (the model changed since it was saved)")
                break
    _agrees(path, w, model, layout, rep)
    n = len(schedule)
    if rep.violated_at_depth(prop, n):
        viol = w.get("violation")
        if isinstance(viol, dict):
            text = explain(model, layout, rep, prop)
            if viol.get("step") != n:
                raise InputError(f"{path}: witness field 'violation.step' is "
                                 f"{viol.get('step')}, but the replay shows the violation "
                                 f"after step {n}")
            if viol.get("explanation") != text:
                raise InputError(f"{path}: witness field 'violation.explanation' disagrees "
                                 f"with the replay, which says: {text}")
        return Reproduction(w, model, layout, rep, True,
                            f"{prop} violated after step {n}, as recorded", notes)
    first = rep.first_violation.get(prop)
    why = (f"{prop} is violated only at step {first}, not at the end" if first is not None
           else f"{prop} holds in every state of the replay")
    return Reproduction(w, model, layout, rep, False, why, notes)


def _agrees(path: str | Path, w: dict[str, Any], model: Model, layout: Layout,
            rep: ReplayResult) -> None:
    """The recorded initial SPTEs are the model's (or the recorded start's)."""
    recorded = w.get("initial")
    if not isinstance(recorded, dict):
        return
    names = spte_vars(model)
    extra = sorted(set(recorded) - set(names))
    if extra:
        raise InputError(f"{path}: witness field 'initial.{extra[0]}': the model has no such "
                         "SPTE")
    for s in names:
        want = jvalue(rep.initial[s])
        if s not in recorded:
            raise InputError(f"{path}: witness field 'initial' has no value for {s}")
        if recorded[s] != want:
            raise InputError(f"{path}: witness field 'initial.{s}' is {recorded[s]}, but the "
                             f"model starts at {want}")


__all__ = ["SCHEMA_CHECK", "SCHEMA_WITNESS", "Reproduction", "dump", "hardware_json", "load",
           "load_schema", "reproduce", "schema_path", "standalone", "witness_json"]
