; spte-verify certificate v1
; scenario: test-age-vs-fastpf
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 07840ec2f2f9bb576aff33a08cba47b0a0a3864de1162af04bde87ea5350e48c
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
