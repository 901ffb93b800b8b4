"""Protocols from outside the package: ``--protocols PATH`` loads Python files that add
scenarios, actors, variants and properties through :mod:`verify.api`.

A path is a ``.py`` file or a folder (its ``*.py`` files, sorted).  Each file is run once
as the module ``spte_user_protocols.<stem>``; anything it raises becomes one
:class:`~verify.errors.InputError` line naming the file and line (exit 2).
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from verify.errors import InputError

PKG = "spte_user_protocols"
LOADED: dict[str, str] = {}
"""Resolved path → module name of every protocol file loaded in this process."""


def _files(path: str) -> list[Path]:
    try:
        return _files_unguarded(path)
    except OSError as e:  # a name too long, a directory we may not read, ...
        raise InputError(f"{path[:200]}: cannot read protocols: {e.strerror or e}") from None


def _files_unguarded(path: str) -> list[Path]:
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.glob("*.py") if not f.name.startswith("_"))
        if not files:
            raise InputError(f"{path}: a protocols folder with no .py file")
        return files
    if not p.exists():
        raise InputError(f"{path}: no such protocols file or folder")
    if p.suffix != ".py" or not p.is_file():
        raise InputError(f"{path}: a protocols file must be a Python .py file")
    return [p]


def load_protocol_paths(paths: Sequence[str]) -> list[str]:
    """Load every protocol file under ``paths`` (once each); returns the module names."""
    names = []
    for path in paths:
        for f in _files(path):
            key = str(f.resolve())
            if key in LOADED:
                names.append(LOADED[key])
                continue
            name = f"{PKG}.{f.stem}_{len(LOADED)}"
            spec = importlib.util.spec_from_file_location(name, f)
            if spec is None or spec.loader is None:
                raise InputError(f"{f}: cannot load as a Python module")
            mod = importlib.util.module_from_spec(spec)
            sys.modules[name] = mod
            try:
                spec.loader.exec_module(mod)
            except InputError as e:
                del sys.modules[name]
                raise InputError(f"{f}: {e}") from None
            except SyntaxError as e:
                del sys.modules[name]
                raise InputError(f"{f}:{e.lineno}:{e.offset}: syntax error: {e.msg}") from None
            except Exception as e:  # a user's file: say where, never a traceback
                del sys.modules[name]
                line = _line_in(f, e)
                raise InputError(f"{f}:{line}: {type(e).__name__}: {e}") from None
            LOADED[key] = name
            names.append(name)
    return names


def _line_in(f: Path, e: BaseException) -> int | str:
    frames = traceback.extract_tb(e.__traceback__)
    for fr in reversed(frames):
        if Path(fr.filename).resolve() == f.resolve():
            return fr.lineno or "?"
    return "?"
