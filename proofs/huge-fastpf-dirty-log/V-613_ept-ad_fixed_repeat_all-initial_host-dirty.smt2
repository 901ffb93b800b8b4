; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: a6ea8c6525bea6288a295716586f8844f5e6dcaa31a5365a77c9898ef1d9686b
(declare-fun pfn_dirty.p100 () Bool)
(declare-fun pfn_dirty.p101 () Bool)
(assert
 (and pfn_dirty.p101 pfn_dirty.p100))
