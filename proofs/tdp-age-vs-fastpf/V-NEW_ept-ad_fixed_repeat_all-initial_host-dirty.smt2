; spte-verify certificate v1
; scenario: tdp-age-vs-fastpf
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: f818ff1b214a032d2c780b679047c31bb369118f1f5a93fa3827dbf76939ee9d
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
