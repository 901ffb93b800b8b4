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
; ts-sha256: 50528327292661cc498f8075d58df49586860186eea298a5e69047fb53660465
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
