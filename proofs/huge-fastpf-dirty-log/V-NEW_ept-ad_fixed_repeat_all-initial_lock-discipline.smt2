; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: lock-discipline
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 124f90f2a9e72ffd39d863243be660b014ae53c8ca6cdf53aff8d24786b17609
(declare-fun bad.lock () Bool)
(assert
 (not bad.lock))
