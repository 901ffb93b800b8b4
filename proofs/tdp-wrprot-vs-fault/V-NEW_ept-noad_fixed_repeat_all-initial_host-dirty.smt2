; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 3335eb8cc896052634462b537cefd08616e1d6e06222711af4c1f168d3e43c6d
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
