; spte-verify certificate v1
; scenario: test-age-vs-fastpf
; kernel: V-613
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 0f84c3649a9e532672e82b604c7c43f2372b5bcc7c7a22e63eb15474f5f7c055
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
