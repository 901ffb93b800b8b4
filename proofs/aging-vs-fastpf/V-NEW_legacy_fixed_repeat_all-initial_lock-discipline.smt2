; spte-verify certificate v1
; scenario: aging-vs-fastpf
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: lock-discipline
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: c49b1123f4fb6b1111ab6ddc6461a31f19d72b6cd08626524b8634b192d892a2
(declare-fun bad.lock () Bool)
(assert
 (not bad.lock))
