"""Where the built-in data lives: ``encodings/`` and ``protocols/``.

In a wheel they are shipped inside the package as ``verify/_builtin/<name>`` (see
``pyproject.toml``, hatch ``force-include``); in a source checkout or an editable install
they are the top-level directories of the repository.  Neither is ever an importable
top-level package (``encodings`` is a standard-library module).
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def builtin_path(name: str) -> Path:
    """The directory holding the built-in ``name`` ("encodings", "protocols", "variants")."""
    shipped = _PKG / "_builtin" / name
    if shipped.is_dir():
        return shipped
    checkout = _PKG.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"built-in data directory {name!r} not found (broken install?)")
