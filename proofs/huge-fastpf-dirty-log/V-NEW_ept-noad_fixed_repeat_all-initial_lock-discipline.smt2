; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: lock-discipline
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: f06aee4d7a2412c0f3ba6cef3c893b88f9558dab0a222f993eb40aca8e7853a2
(declare-fun bad.lock () Bool)
(assert
 (not bad.lock))
