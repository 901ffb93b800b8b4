; spte-verify certificate v1
; scenario: aging-vs-fastpf
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 7783e616df36e9d2edd6b536496319daf04358d84ece4785ccbb2b3ce3a3d481
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
