; spte-verify certificate v1
; scenario: aging-vs-fastpf
; kernel: V-613
; mode: legacy
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: ce2c5b7fab16e9c3556cc6cc3c7cfa0f2da35f8e8602e58099ed31df786da5e7
(declare-fun pfn_dirty.p100 () Bool)
(declare-fun age.flush () Bool)
(assert
 (let (($x686 (not age.flush)))
(and $x686 pfn_dirty.p100)))
