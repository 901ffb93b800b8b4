; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: d533f0cce687b3766bb2e959767777bbea3f8aa203b122f4d31f77a8b25fd1c7
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
