; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: baf1e92e305533d5fda63f3d988bd7229d82f55ca281a817c05ebbec5b6235bf
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
