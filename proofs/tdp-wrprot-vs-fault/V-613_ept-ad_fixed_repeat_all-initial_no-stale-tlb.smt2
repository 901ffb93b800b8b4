; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: e81579aa0458274d9caaae40f2a2c3c1465bb3ad658513eacb58e17907a44c69
(declare-fun wrprot.pc () (_ BitVec 3))
(declare-fun stale.wrprot.v0.s0 () Bool)
(assert
 (or (not stale.wrprot.v0.s0) (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
