; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-613
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: c2bb947453c9e88c6274bad3ea07710d31ec0e07f34dddf2a8ed665605312297
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
