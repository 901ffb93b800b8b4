; spte-verify certificate v1
; scenario: tdp-age-vs-fastpf
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 9d908be7fb0b0718a2c35f5128d6428f471c5ab77b9e29ae5ec83242c8bd6c44
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
