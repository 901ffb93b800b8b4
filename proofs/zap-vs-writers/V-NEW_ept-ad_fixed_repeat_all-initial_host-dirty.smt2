; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: cdf3ef38c2f10d4d123dae0abc99d022b332422819ef47c98d5909e498336b79
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
