; spte-verify certificate v1
; scenario: test-age-vs-fastpf
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 6e9b9fc0e677ca46f99d8ce09800659ff2d9cc707b41e7ceab15a84cca7ee4b9
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
