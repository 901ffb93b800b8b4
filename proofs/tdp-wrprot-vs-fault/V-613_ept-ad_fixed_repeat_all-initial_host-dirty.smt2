; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 1ef46946430c983dc6c13cb1057bbf9a9c27d58fbc63c1b8a31a49d608615e53
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
