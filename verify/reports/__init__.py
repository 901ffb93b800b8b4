"""Reports: verdicts and results, witness documents (JSON, schema), witness
minimization and the kernel-style trace tables."""
