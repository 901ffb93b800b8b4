; spte-verify certificate v1
; scenario: test-age-vs-fastpf
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: lock-discipline
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 81168864ece8a6e42b784f35006ce53036ccc12498c1faecf62d4e0be3cc75ee
(declare-fun bad.lock () Bool)
(assert
 (not bad.lock))
