; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 7eff050e1bd231d387f6c378c77ca86ee1a1da674e74ef33804daa1d2cbfc4bf
(declare-fun pfn_dirty.p100 () Bool)
(declare-fun pfn_dirty.p101 () Bool)
(assert
 (and pfn_dirty.p101 pfn_dirty.p100))
