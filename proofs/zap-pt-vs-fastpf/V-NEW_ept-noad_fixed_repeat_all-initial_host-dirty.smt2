; spte-verify certificate v1
; scenario: zap-pt-vs-fastpf
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 4cc2398de358eaf795dfb8291efd419c933d03b8a3800799267571663ac27dea
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
