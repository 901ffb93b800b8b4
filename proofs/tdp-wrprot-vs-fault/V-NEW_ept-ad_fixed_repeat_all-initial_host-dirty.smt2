; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: a8a725ee94d73aa1056cf6a17ad5a0787969f7ac6882eabbbef1366ccfb88444
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
