; spte-verify certificate v1
; scenario: zap-pt-vs-fastpf
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 92b4bc3dfc11de2d72b691d46981d41238982b193974f6d5525d8f4468b543f3
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
