; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-OLD
; mode: legacy
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: f8de033eff7c2da008b87fd2f6f40c88f3757fe572f87404d9a25a7e0b946892
(declare-fun wrprot.pc () (_ BitVec 3))
(declare-fun stale.wrprot.v0.s0 () Bool)
(assert
 (or (not stale.wrprot.v0.s0) (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
