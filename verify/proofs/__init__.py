"""Proof certificates: their file format (:mod:`.certificate`) and their re-check by a
second solver (:mod:`.recheck`)."""
