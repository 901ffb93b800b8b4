; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-613
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 6d83a340991547d1acd4c93195714f0f971a4c6c56c27a24a4756645c19df0e7
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
