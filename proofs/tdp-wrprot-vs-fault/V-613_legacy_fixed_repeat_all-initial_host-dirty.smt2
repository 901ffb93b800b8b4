; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-613
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 5fdeae23fd06454c0ad8507e643aa44bb188200a92b7d170960cf4485393fb6e
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
