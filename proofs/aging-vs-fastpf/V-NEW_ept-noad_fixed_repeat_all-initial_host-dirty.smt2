; spte-verify certificate v1
; scenario: aging-vs-fastpf
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: bdd92e5ba4e29482c1391d7c6e06bca03cd0bbdda3b9a857f0ebb8b9aa4cd1b0
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
