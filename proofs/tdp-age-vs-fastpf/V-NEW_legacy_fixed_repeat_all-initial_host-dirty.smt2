; spte-verify certificate v1
; scenario: tdp-age-vs-fastpf
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 1703f8ff85089a86a266eaf9f41c30b940ae30c89a413a225879b55806a454ea
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
