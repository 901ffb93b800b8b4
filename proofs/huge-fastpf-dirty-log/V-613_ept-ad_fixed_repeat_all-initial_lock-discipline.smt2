; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: lock-discipline
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: dd2bf40f100e186f35dfa4ab1d9f0429c0832e22fa54aea78cac83c2a9a5eefa
(declare-fun bad.lock () Bool)
(assert
 (not bad.lock))
