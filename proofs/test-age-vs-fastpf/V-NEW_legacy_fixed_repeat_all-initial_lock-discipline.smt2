; spte-verify certificate v1
; scenario: test-age-vs-fastpf
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: lock-discipline
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: b6358888c58c50957bb0f78d0f3a17989ba5af75bdf3e5eee108fb38e0ee7022
(declare-fun bad.lock () Bool)
(assert
 (not bad.lock))
