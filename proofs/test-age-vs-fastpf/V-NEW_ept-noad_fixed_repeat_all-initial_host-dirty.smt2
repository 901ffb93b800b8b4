; spte-verify certificate v1
; scenario: test-age-vs-fastpf
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 888859a0595110514e66c3e81bda47369de94b91762a5e2c331a03462d1ff787
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
