; spte-verify certificate v1
; scenario: aging-vs-fastpf
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 15444ba3274ae4109e014de965332dd2c7e8c8ba88ed94bb0b1d2e2f6715a9bc
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
