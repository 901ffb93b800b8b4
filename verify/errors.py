"""Error types that the CLI turns into one clear line and an exit code."""

from __future__ import annotations


class InputError(Exception):
    """A user's mistake (bad value, unknown name, malformed file): exit code 2, no traceback."""


class CheckerBug(Exception):
    """spte-verify contradicted itself (a witness that does not replay, engines that
    disagree): exit code 4."""
