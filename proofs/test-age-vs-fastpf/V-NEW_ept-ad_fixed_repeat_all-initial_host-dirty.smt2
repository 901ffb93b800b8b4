; spte-verify certificate v1
; scenario: test-age-vs-fastpf
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 0d14661a806b1f359b1d2e683f41ad7fda390c99d4735fd711f086395e21f02f
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
