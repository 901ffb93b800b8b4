"""spte-verify: an SMT-backed verifier for Linux KVM x86 SPTE update protocols."""

__version__ = "0.1.0"
