; spte-verify certificate v1
; scenario: test-age-vs-fastpf
; kernel: V-613
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 304600f90050b597f753394aa570009ce9ca4fcfbafa6cf004c7fb733fbf9110
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
