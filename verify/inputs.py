"""Reading a user's small text file (a certificate, an invariant) with the one-line
errors the CLI promises: the path and the problem, never a traceback."""

from __future__ import annotations

from pathlib import Path

from verify.errors import InputError


def read_text(path: str | Path, *, what: str, max_bytes: int) -> str:
    """The UTF-8 text of ``path``; an :class:`InputError` naming it if it is missing, not
    a regular file, larger than ``max_bytes``, unreadable or not UTF-8 (``what`` names
    what the file should have been: "a certificate", "an invariant")."""
    p = Path(path)
    try:
        if not p.exists():
            raise InputError(f"{path}: no such file")
        if not p.is_file():
            raise InputError(f"{path}: not a regular file")
        if p.stat().st_size > max_bytes:
            raise InputError(f"{path}: larger than {max_bytes >> 20} MiB; not {what}")
        return p.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; not {what}") from None
