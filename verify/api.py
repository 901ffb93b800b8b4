"""The public model API: what a protocol file given with ``--protocols`` may use.

Everything named in ``__all__`` is stable within a major version of spte-verify (the
built-in protocols use the same names); anything else is internal.  A protocol file
writes actors as control-flow graphs of atomic steps over the shared state of a
:class:`World`, with guards and effects written against :class:`Ops` so they run on the
concrete MMU and on z3 terms alike, and registers what it adds::

    from verify import api

    def make(w: api.World) -> None:
        a = w.mb.actor("myop", "host", "CPU (myop)")
        ...
    api.register_scenario(api.Scenario("my-scenario", "...", api.MODES, make,
                                       api.one_spte(api.writable)))

See docs/extending.md for a worked example.
"""

from __future__ import annotations

from typing import Any

from verify import spte
from verify.errors import InputError
from verify.expr import CONCRETE, Ops
from verify.layouts import MODES, VERSIONS, Layout, get_layout
from verify.model import ActorBuilder, ModelBuilder, Property, St
from verify.protocols import submodule
from verify.rules import ONE, PAIR, compile_rule

_world = submodule("world")
_scen = submodule("scenarios")
_var = submodule("variants")
_props = submodule("properties")

World: Any = _world.World
SpteDecl: Any = _world.SpteDecl
HwParams: Any = _world.HwParams
Variant: Any = _world.Variant
Scenario: Any = _scen.Scenario
store_plain_or_xchg: Any = _world.store_plain_or_xchg

host_ops: Any = submodule("host_ops")
"""mmu.c operations and steps: lock_write, unlock_write, flush_step, mmu_spte_update,
spte_write_protect, clear_track_bits, add_zap, add_harvest, add_aging, ..."""
fast_fault: Any = submodule("fast_fault")
hardware: Any = submodule("hardware")
tdp: Any = submodule("tdp")
sites: Any = submodule("sites")
"""Site declarations (``sites.site(...)``) and the built-in sites."""

one_spte: Any = _scen._one_spte
"""A world function for one SPTE: ``one_spte(value_fn, logged=, direct=, vcpus=)``."""
writable: Any = _scen._writable
wrprot: Any = _scen._wrprot
wrprot_clean: Any = _scen._wrprot_clean
PFN: int = _scen.PFN
GFN: int = _scen.GFN1


def register_scenario(s: Any) -> None:
    """Add a scenario; it then shows in ``list`` and is checked by ``check``."""
    if s.name in _scen.SCENARIOS:
        raise InputError(f"scenario {s.name!r} is already defined")
    _scen.SCENARIOS[s.name] = s


def register_variant(v: Any) -> None:
    """Add a variant (a :class:`Variant`; usually a variant file is simpler)."""
    if v.name in _var.VARIANTS:
        raise InputError(f"variant {v.name!r} is already defined")
    _var.VARIANTS[v.name] = v


def register_property(name: str, summary: str, maker: Any, kind: str = "consequence") -> None:
    """Add a property: ``maker(world)`` returns a :class:`Property` (a bad-state formula
    over the world's state) or None where it does not apply.  ``kind``: ``consequence``
    or ``rule``."""
    _props.register_property(name, summary, maker, kind)


__all__ = [
    "CONCRETE", "GFN", "MODES", "ONE", "PAIR", "PFN", "VERSIONS", "ActorBuilder", "HwParams",
    "Layout", "ModelBuilder", "Ops", "Property", "Scenario", "SpteDecl", "St", "Variant",
    "World", "compile_rule", "fast_fault", "get_layout", "hardware", "host_ops", "one_spte",
    "register_property", "register_scenario", "register_variant", "sites", "spte",
    "store_plain_or_xchg", "tdp", "writable", "wrprot", "wrprot_clean",
]
