; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-613
; mode: legacy
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: f64275e61b166ca10ece70e4c3efe54c2478215926fc563cea4317ee764e70c9
(declare-fun wrprot.pc () (_ BitVec 3))
(declare-fun stale.wrprot.v0.s0 () Bool)
(assert
 (or (not stale.wrprot.v0.s0) (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
