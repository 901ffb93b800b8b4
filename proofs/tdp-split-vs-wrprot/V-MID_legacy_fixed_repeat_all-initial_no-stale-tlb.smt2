; spte-verify certificate v1
; scenario: tdp-split-vs-wrprot
; kernel: V-MID
; mode: legacy
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: fe73d0dcf75b485cb18b92e9707fe2e71fca78d325789e6e00be60d1250a0dd4
(declare-fun wrprot.pc () (_ BitVec 4))
(declare-fun stale.wrprot.v0.s0 () Bool)
(declare-fun stale.wrprot.v0.s2 () Bool)
(declare-fun stale.wrprot.v0.s1 () Bool)
(assert
 (let (($x3114 (= ((_ extract 3 3) wrprot.pc) (_ bv1 1))))
(let (($x2987 (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
(let (($x3609 (or (not stale.wrprot.v0.s0) $x2987 $x3114)))
(let (($x3112 (or (not stale.wrprot.v0.s2) $x2987 $x3114)))
(let (($x2423 (or (not stale.wrprot.v0.s1) $x2987 $x3114)))
(and $x2423 $x3112 $x3609)))))))
