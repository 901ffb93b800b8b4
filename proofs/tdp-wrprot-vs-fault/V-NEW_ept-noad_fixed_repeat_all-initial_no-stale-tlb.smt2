; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 86e39e80565ad7d1b43b9ac95b78e2e85a0ec35b5b744490e88bca97ac47c4c4
(declare-fun wrprot.pc () (_ BitVec 3))
(declare-fun stale.wrprot.v0.s0 () Bool)
(assert
 (or (not stale.wrprot.v0.s0) (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
