; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-OLD
; mode: ept-ad
; variant: fixed
; property: lock-discipline
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 05974d5b1960d473b5b713cfcb7b043af4d5bbab77af33590540ca394f6c4522
(declare-fun bad.lock () Bool)
(assert
 (not bad.lock))
