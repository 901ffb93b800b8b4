; spte-verify certificate v1
; scenario: aging-vs-fastpf
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 97652284bb2885c49861ebf9e47f0a974f94b5b89b99955ee162fbcbc123f362
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
