"""The engines: the concrete semantics every engine shares (``replay``), the explicit
explorer, the SMT bounded model checker, the local-step reduction and the solver
wrappers."""
