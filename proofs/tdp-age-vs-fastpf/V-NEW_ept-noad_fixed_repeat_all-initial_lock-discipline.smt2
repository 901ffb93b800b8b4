; spte-verify certificate v1
; scenario: tdp-age-vs-fastpf
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: lock-discipline
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: dbda33cc51742ee84ed5147cec99658b7fa48a9d3d25e11f4bbc486ac3cafdf7
(declare-fun bad.lock () Bool)
(assert
 (not bad.lock))
