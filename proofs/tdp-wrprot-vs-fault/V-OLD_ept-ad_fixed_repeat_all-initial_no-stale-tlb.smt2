; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-OLD
; mode: ept-ad
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: ea2f1893b742a933f1aca36e3b865bfcbbef9e28ec998ee37890185be0e4888b
(declare-fun wrprot.pc () (_ BitVec 3))
(declare-fun stale.wrprot.v0.s0 () Bool)
(assert
 (or (not stale.wrprot.v0.s0) (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
