; spte-verify certificate v1
; scenario: tdp-split-vs-wrprot
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 8c7e614448f9d1de9fd613130979d3eace87547a042c9d6c265e736565e8eb76
(declare-fun pfn_dirty.p101 () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (and pfn_dirty.p100 pfn_dirty.p101))
