"""The one CliRunner helper the CLI tests share (stderr kept apart from stdout)."""

from __future__ import annotations

from click.testing import CliRunner, Result

from verify.cli import main


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()


def run(*args: str) -> Result:
    """Invoke ``spte-verify ARGS`` in-process; exceptions propagate (a traceback fails)."""
    return runner().invoke(main, list(args), catch_exceptions=False)
