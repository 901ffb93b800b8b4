"""What every search engine checks before it starts: a bound that is not negative, a
local-step reduction that is sound for the model, and the properties asked for."""

from __future__ import annotations

from collections.abc import Sequence

from verify.engines.reduction import require_reduction_safe
from verify.model import Model, Property


def preflight(model: Model, bound: int, reduction: bool,
              properties: Sequence[str | Property] | None) -> list[Property]:
    """Raise on a negative ``bound`` (ValueError) or an unsound reduction (InputError);
    return the properties selected, in order (all of the model's for None)."""
    if bound < 0:
        raise ValueError("bound must be >= 0")
    if reduction:
        require_reduction_safe(model)
    return model.select_properties(properties)


__all__ = ["preflight"]
