; spte-verify certificate v1
; scenario: zap-pt-vs-fastpf
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: f11d115190165a2f4de80e3c469eec7932373b3947b4ce28e13c018c622044a4
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
