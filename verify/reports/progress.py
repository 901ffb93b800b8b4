"""Live progress of a run on a terminal, and nothing anywhere else.

On a terminal (standard error is a tty) a one-line :mod:`rich` live display shows the
job, the property being checked, the depth reached, the states seen and the time spent;
it disappears when the run ends.  When standard output is the same terminal, the rows a
command prints while the display is up go through rich (above the display line) so the
two never garble; when standard output is a file or a pipe it stays byte-for-byte what
the command printed.  Without a terminal (CI, scripts, ``--json``) the plain fallback is
one ``[n/total] job ...`` line per job on standard error, or silence.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any

import click


class Progress:
    """``with Progress(...) as pr:`` then :meth:`job`, :meth:`inside`, :meth:`echo`."""

    def __init__(self, *, total: int, plain_lines: bool, live: bool | None = None) -> None:
        self.total = total
        self.plain_lines = plain_lines
        self.live_on = _stderr_is_tty() if live is None else live
        self._live: Any = None
        self._title = ""
        self._t0 = time.monotonic()
        self._job_t0 = self._t0
        self._last = 0.0

    def __enter__(self) -> Progress:
        if self.live_on:
            from rich.console import Console
            from rich.live import Live
            from rich.text import Text
            same = _stdout_is_tty()
            console = Console(stderr=not same, highlight=False)
            self._live = Live(Text(""), console=console, transient=True,
                              refresh_per_second=4, redirect_stdout=same,
                              redirect_stderr=False)
            self._live.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def job(self, what: str, n: int) -> None:
        """Job ``n`` (0-based) of the run starts."""
        self._title = f"[{n + 1}/{self.total}] {what}"
        self._job_t0 = time.monotonic()
        if self._live is not None:
            self._show(self._title)
        elif self.plain_lines:
            click.echo(f"{self._title} ...", err=True)

    def inside(self, depth: int, states: int | None, prop: str | None) -> None:
        """An engine reports from inside the job (shown at most a few times a second)."""
        if self._live is None:
            return
        now = time.monotonic()
        if now - self._last < 0.2:
            return
        self._last = now
        parts = [self._title]
        if prop:
            parts.append(prop)
        parts.append(f"depth {depth}")
        if states is not None:
            parts.append(f"{states:,} states")
        parts.append(f"{now - self._job_t0:.1f}s (run {now - self._t0:.0f}s)")
        self._show(" · ".join(parts))

    def _show(self, text: str) -> None:
        from rich.text import Text
        self._live.update(Text(text, style="dim"), refresh=True)


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (ValueError, OSError):
        return False


def _stdout_is_tty() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (ValueError, OSError):
        return False
