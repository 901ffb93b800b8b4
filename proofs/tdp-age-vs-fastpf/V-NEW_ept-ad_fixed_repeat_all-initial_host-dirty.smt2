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
; ts-sha256: 6cea7c8379e171dc3a83d2530dc2c5620a82c77450466a805acca681ac19b49c
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
