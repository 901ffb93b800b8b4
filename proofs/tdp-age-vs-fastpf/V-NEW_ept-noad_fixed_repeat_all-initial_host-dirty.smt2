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
; ts-sha256: 49c14b2f930c5912f80e9a3298cec7ac3142842ce5ea58a7fe019c8c67069379
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
