; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: f944f57edaff7c8bec3a6d50a05aa4978eba924f6562528c21b28af703198651
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
