; spte-verify certificate v1
; scenario: tdp-age-vs-fastpf
; kernel: V-613
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 808218cd38fe05dbca95eb26f25bc35539e0a8270ae41d2c47878ba80a908e58
(declare-fun pfn_dirty.p100 () Bool)
(declare-fun pfn_accessed.p100 () Bool)
(assert
 (let (($x661 (not pfn_accessed.p100)))
(and $x661 pfn_dirty.p100)))
