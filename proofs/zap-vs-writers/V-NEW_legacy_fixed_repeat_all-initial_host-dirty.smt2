; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 627cbfd1eae0542dfcf60903833381bffa43c8a0da908904bdb13035737d9940
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
