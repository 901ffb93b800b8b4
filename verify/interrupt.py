"""Ctrl-C while a solver runs in native code.

z3 installs its own SIGINT handler for the length of a ``check`` and answers ``unknown``
("interrupted from keyboard") instead of letting Python see the signal; bitwuzla and cvc5
run without giving Python's handler a chance until they return.  This module owns the
one rule for all of them: an interrupt is a :class:`KeyboardInterrupt`, never an
``unknown`` answer.

* :func:`install` (called once by the command line) replaces Python's SIGINT handler by
  one that records the request and raises :class:`KeyboardInterrupt` as usual;
* :func:`requested` is polled by solver terminators (bitwuzla) so a native search stops
  within a fraction of a second;
* :func:`check_unknown` turns a solver's "interrupted"/"canceled" reason into
  :class:`KeyboardInterrupt` when the user asked for it.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

_requested = False
_native = 0

INTERRUPT_REASONS = ("interrupted", "canceled", "cancelled")


def _handler(signum: int, frame: FrameType | None) -> None:
    global _requested
    _requested = True
    if _native == 0:
        raise KeyboardInterrupt


@contextmanager
def native() -> Iterator[None]:
    """Around a native solver call that polls :func:`requested`: the handler only records
    the request (raising inside the solver's callback would be lost); the interrupt is
    raised when the call returns."""
    global _native
    _native += 1
    try:
        yield
    finally:
        _native -= 1
    if _requested and _native == 0:
        raise KeyboardInterrupt


def _unraisable(u: Any) -> None:
    """An exception Python cannot raise (in ``__del__``): a KeyboardInterrupt there is a
    recorded request, picked up at the next :func:`checkpoint`; what a half-built object
    fails on while the user interrupts is not worth a traceback."""
    if isinstance(u.exc_value, KeyboardInterrupt):
        note()
        return
    if _requested:
        return
    _default_unraisable(u)


_default_unraisable = sys.unraisablehook


def install() -> None:
    """Record SIGINT before raising KeyboardInterrupt (main thread only)."""
    try:
        signal.signal(signal.SIGINT, _handler)
    except ValueError:  # not the main thread: keep Python's default
        return
    sys.unraisablehook = _unraisable


def requested() -> bool:
    """Has the user pressed Ctrl-C (since :func:`install`)?"""
    return _requested


def checkpoint() -> None:
    """Raise :class:`KeyboardInterrupt` if Ctrl-C was pressed.  For the places between
    long phases: a KeyboardInterrupt that lands in an object's ``__del__`` (a z3 term
    being freed) is swallowed by Python, but the request stays recorded."""
    if _requested:
        raise KeyboardInterrupt


def note() -> None:
    """Record an interrupt seen by other means (a solver's own handler)."""
    global _requested
    _requested = True


def check_unknown(reason: str, *, own_timeout: bool = False) -> None:
    """Raise KeyboardInterrupt if a solver's ``unknown`` came from Ctrl-C.  z3 reports a
    keyboard interrupt as "interrupted from keyboard"; a cancel we did not cause by a
    time limit (``own_timeout``) after a recorded request is one too."""
    text = reason.lower()
    if "keyboard" in text:
        note()
        raise KeyboardInterrupt
    if _requested and not own_timeout and any(r in text for r in INTERRUPT_REASONS):
        raise KeyboardInterrupt
