; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-MID
; mode: legacy
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: ac46b643671b6a8d334831eddf260e29fea9e2619fa7cb6ace5dcb90d8552287
(declare-fun wrprot.pc () (_ BitVec 3))
(declare-fun stale.wrprot.v0.s0 () Bool)
(assert
 (or (not stale.wrprot.v0.s0) (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
