"""Loads the built-in protocol models (the ``protocols/`` directory) as a package.

``protocols/`` is data for the verifier in the same way ``encodings/`` is: it lives at
the top of the repository (design card) and is shipped in the wheel as
``verify/_builtin/protocols``.  It is imported under the private name ``spte_protocols``
so it can never shadow another module.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

from verify.resources import builtin_path

PKG = "spte_protocols"


def load() -> ModuleType:
    """Import the protocol-model package once and return it."""
    if PKG in sys.modules:
        return sys.modules[PKG]
    root = builtin_path("protocols")
    spec = importlib.util.spec_from_file_location(
        PKG, root / "__init__.py", submodule_search_locations=[str(root)])
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load protocol models from {root}")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[PKG] = mod
    spec.loader.exec_module(mod)
    return mod


def submodule(name: str) -> ModuleType:
    load()
    return importlib.import_module(f"{PKG}.{name}")
