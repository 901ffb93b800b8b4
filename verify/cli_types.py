"""Parameter types shared by the subcommands (values a click option converts)."""

from __future__ import annotations

import math
from typing import Any

import click

# click >= 8.2 makes ParamType generic and older releases do not: keep one spelling for both.
_ParamType: Any = click.ParamType


class Seconds(_ParamType):  # type: ignore[misc]
    """A finite number of seconds in ``[low, high]`` (``nan``, ``inf`` and ``1e308`` are
    refused with one line, not a traceback deep in a solver)."""

    name = "seconds"

    def __init__(self, low: float = 0.001, high: float = 1e6) -> None:
        self.low, self.high = low, high

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "SECONDS"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        if isinstance(value, float):
            x = value
        else:
            try:
                x = float(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(x) or not self.low <= x <= self.high:
            self.fail(f"{value!r} is not a number of seconds between {self.low:g} and "
                      f"{self.high:g}", param, ctx)
        return x
