"""Built-in protocol models of the KVM x86 MMU (loaded by verify.protocols).

This directory is shipped inside the wheel as ``verify/_builtin/protocols`` and loaded
under the package name ``spte_protocols``; it is never a top-level import.
"""
