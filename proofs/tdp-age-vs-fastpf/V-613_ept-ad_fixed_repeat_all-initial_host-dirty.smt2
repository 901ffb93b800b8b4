; spte-verify certificate v1
; scenario: tdp-age-vs-fastpf
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 0078d0bf5bf53a85bdb884dd451cc4de34c2f81731b4ac14bf82df90e95255ad
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
