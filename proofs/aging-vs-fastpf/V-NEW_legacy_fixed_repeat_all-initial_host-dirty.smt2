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
; ts-sha256: 4cf04aadd8d564e51fecd786d0ae9e7d8753cce0b56a15fe93dcd8ac4c8f0e06
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
