; spte-verify certificate v1
; scenario: aging-vs-fastpf
; kernel: V-613
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 61c5d162a258a03dd640cb9b652106b60a487a66c56d481d67085e68fbec5521
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
