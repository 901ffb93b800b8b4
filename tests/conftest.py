"""Test ordering for pytest-xdist: the longest tests first.

The suite runs on every core (``-n auto`` in ``pyproject.toml``).  Its few long tests —
the bitwuzla re-check of each ``proofs/`` folder, the engine cross-check, the site-
alternative sweep — decide when it ends; started first, longest (most certificate bytes)
first, they overlap the short tests instead of trailing after them (the classic
longest-processing-time rule).  Order only: every test still runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PROOFS = Path(__file__).resolve().parent.parent / "proofs"
LONG = ("test_explicit_agrees_with_bmc_ic3_and_kind",
        "test_every_site_is_used_and_every_alternative_changes_the_model")


def _weight(item: pytest.Item) -> int:
    """Certificate bytes of a re-check test's folder; a fixed weight for the other long
    tests; 0 for the rest."""
    name = item.name
    if name.startswith("test_shipped_certificates_recheck["):
        folder = PROOFS / name[name.index("[") + 1:-1]
        return sum(p.stat().st_size for p in folder.glob("*.smt2"))
    if name in LONG:
        return 20 << 20
    return 0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    weights = {id(it): _weight(it) for it in items}
    items.sort(key=lambda it: -weights[id(it)])   # stable: the rest keep their order
