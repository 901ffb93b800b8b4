; spte-verify certificate v1
; scenario: zap-pt-vs-fastpf
; kernel: V-613
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: def12133962c4eb0ba31a65be4e1cd53ac3561d33a465bafe631a3c0e50dd678
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
