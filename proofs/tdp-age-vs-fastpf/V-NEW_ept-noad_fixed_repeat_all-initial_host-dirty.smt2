; spte-verify certificate v1
; scenario: tdp-age-vs-fastpf
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: d64e018732ebea3867c17764c0556fe6d7ceecf25ba0ea73a780b906a9cece86
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
