; spte-verify certificate v1
; scenario: tdp-split-vs-wrprot
; kernel: V-MID
; mode: ept-noad
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 73954a188b3b815cc1898084ff03091de6fff0b5a7f38a5d378be35e76785bfa
(declare-fun wrprot.pc () (_ BitVec 4))
(declare-fun stale.wrprot.v0.s2 () Bool)
(declare-fun stale.wrprot.v0.s1 () Bool)
(declare-fun stale.wrprot.v0.s0 () Bool)
(assert
 (let (($x3533 (= ((_ extract 3 3) wrprot.pc) (_ bv1 1))))
(let (($x3282 (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
(let (($x3532 (or (not stale.wrprot.v0.s2) $x3282 $x3533)))
(let (($x2583 (or (not stale.wrprot.v0.s1) $x3282 $x3533)))
(let (($x2947 (or (not stale.wrprot.v0.s0) $x3282 $x3533)))
(and $x2947 $x2583 $x3532)))))))
