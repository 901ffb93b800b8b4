; spte-verify certificate v1
; scenario: tdp-age-vs-fastpf
; kernel: V-613
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 75734b07f188fe2ddb29ea12cb3688b23a828ac1d8225d87d74c29257705c265
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
