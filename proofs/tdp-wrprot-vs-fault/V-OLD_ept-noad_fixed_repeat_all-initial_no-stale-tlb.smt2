; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-OLD
; mode: ept-noad
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 151ca72d00be3e7730539c8f8e74284e29f4070aca929a4f3b09e3e3aa825ba0
(declare-fun wrprot.pc () (_ BitVec 3))
(declare-fun stale.wrprot.v0.s0 () Bool)
(assert
 (or (not stale.wrprot.v0.s0) (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
