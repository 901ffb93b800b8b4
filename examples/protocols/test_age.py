"""A worked example of a protocol file (docs/extending.md): ``kvm_test_age_gfn`` as a new
actor, a scenario that runs it against aging and a guest reader, and a property.

Run it with:  spte-verify check --protocols examples/protocols/test_age.py \\
                  --scenario example-test-age --engine explicit

kvm_test_age_gfn (virt/kvm/kvm_main.c → kvm_mmu_notifier_test_young → arch
kvm_test_age_gfn, arch/x86/kvm/mmu/mmu.c): reads the SPTE and reports whether it is young
(``is_accessed_spte``) without clearing anything.  In V-MID it runs under mmu_lock held for
write; V-NEW reads without the lock.  The property: test-age must not report "old" while
the guest has accessed the page since the last aging pass cleared A (where the version
promises accessed information).
"""

from __future__ import annotations

from typing import Any

from verify import api

P = api.spte


def add_test_age(w: Any, i: int, name: str = "testage") -> None:
    """The new operation as an actor: [write_lock]; read; young or old; [write_unlock]."""
    L = w.L
    sn = w.s(i)
    a = w.mb.actor(name, "host", f"CPU ({name})")
    a.idle_at("done")
    w.track_accessed(i)
    young = a.var("young", 0, False)
    saw_access = a.var("saw_access", 0, False, doc="ghost: accessed since last aging")
    locked = not L.lockless_aging
    src = "start"
    if locked:
        api.host_ops.lock_write(w, a, "start", "locked")
        src = "locked"
    kernel = f"kvm_test_age_gfn() arch/x86/kvm/mmu/mmu.c @ {L.tag}"

    a.step(src, "read", "read", spte=i, kernel=kernel,
           text=f"young = is_accessed_spte(READ_ONCE(*{sn}))",
           effect=lambda o, st: {young: P.is_accessed_spte(o, L, st[sn]),
                                 saw_access: st[w.acc(i)]})
    if locked:
        api.host_ops.unlock_write(w, a, "read", "done")
    else:
        a.step("read", "done", "return", text="return young", kernel=kernel)


def test_age_vs_aging(w: Any) -> None:
    api.host_ops.add_aging(w, 0)
    add_test_age(w, 0)
    api.hardware.add_cpu(w, 0, writes=False)


api.register_scenario(api.Scenario(
    "example-test-age", "kvm_test_age_gfn vs aging and a guest reader (example protocol file)",
    api.MODES, test_age_vs_aging, api.one_spte(api.writable)))


def _test_age_sees_access(w: Any) -> Any:
    if not w.mb.has_var("testage.young") or not w.L.promises_accessed:
        return None

    def bad(o: api.Ops[Any, Any], st: api.St) -> Any:
        returned = w.mb.at(o, st, "testage", "done")
        return o.and_(returned, st["testage.saw_access"], o.not_(st["testage.young"]))

    return api.Property("test-age-sees-access",
                        "test-age reports young after a guest access since the last aging",
                        bad)


api.register_property("test-age-sees-access",
                      "test-age reports young after a guest access since the last aging "
                      "(example)", _test_age_sees_access)
