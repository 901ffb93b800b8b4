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
; ts-sha256: 6c2a0e06e06435dd56b3c1e8c6366f9987863dcf75e7e68a85a0b304bbad0b7c
(declare-fun pfn_dirty.p100 () Bool)
(declare-fun pfn_accessed.p100 () Bool)
(assert
 (let (($x607 (not pfn_accessed.p100)))
(and $x607 pfn_dirty.p100)))
