; spte-verify certificate v1
; scenario: tdp-age-vs-fastpf
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 55a73373cffa7f3244c0ac1c3d6cdfeffdc46fe854207b805286e3940f5b7e53
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
