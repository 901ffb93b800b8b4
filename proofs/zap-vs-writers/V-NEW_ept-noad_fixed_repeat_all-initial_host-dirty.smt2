; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: a855e7425fe1f11af80e7ff76dcd94962f93c7fd7278ee6df0ffb5e0eaaf2cf1
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
