; spte-verify certificate v1
; scenario: tdp-split-vs-wrprot
; kernel: V-MID
; mode: ept-ad
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: dc60eb51d2381b69f23ecb154437ac44c86cfbaea7c21c25f8cd24fc0776ba1b
(declare-fun wrprot.pc () (_ BitVec 4))
(declare-fun stale.wrprot.v0.s1 () Bool)
(declare-fun stale.wrprot.v0.s2 () Bool)
(declare-fun stale.wrprot.v0.s0 () Bool)
(assert
 (let (($x3102 (= ((_ extract 3 3) wrprot.pc) (_ bv1 1))))
(let (($x3089 (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
(let (($x3050 (or (not stale.wrprot.v0.s1) $x3089 $x3102)))
(let (($x3819 (or (not stale.wrprot.v0.s2) $x3089 $x3102)))
(let (($x2496 (or (not stale.wrprot.v0.s0) $x3089 $x3102)))
(and $x2496 $x3819 $x3050)))))))
