; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-MID
; mode: ept-ad
; variant: fixed
; property: lock-discipline
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: e0a7a638281748e52bee121423a3d412b0a6975b35bddfbc5390097f2c30a8ce
(declare-fun bad.lock () Bool)
(assert
 (not bad.lock))
