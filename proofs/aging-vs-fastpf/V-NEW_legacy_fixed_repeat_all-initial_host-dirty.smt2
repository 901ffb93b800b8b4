; spte-verify certificate v1
; scenario: aging-vs-fastpf
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 292868fbd44a141a58224627d2cdcea2efd5f11a84267366adfd5a8452577a2f
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
