; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 31b6d909341443db0ec7756a5de78b915f1df1c4b175e13df6669fcc0a97a1e4
(declare-fun pfn_dirty.p101 () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (and pfn_dirty.p100 pfn_dirty.p101))
