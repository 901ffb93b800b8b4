; spte-verify certificate v1
; scenario: aging-vs-fastpf
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: a2c95a47bde18f221e97d2f73e799a9f4da9742ee6b653a76e89234cd5b4a961
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
