; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: adee3a265d2de5351c342e8dcb1a5dbb86da857c4556c2bd27fdb8cb13dfd188
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
