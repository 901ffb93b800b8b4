; spte-verify certificate v1
; scenario: tdp-split-vs-wrprot
; kernel: V-613
; mode: legacy
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 8546903555fb9225e18603ea6f494f7e03cd420caa7ee7b66cb01a253b5d5bd8
(declare-fun wrprot.pc () (_ BitVec 4))
(declare-fun stale.wrprot.v0.s1 () Bool)
(declare-fun stale.wrprot.v0.s0 () Bool)
(declare-fun stale.wrprot.v0.s2 () Bool)
(assert
 (let (($x3504 (= ((_ extract 3 3) wrprot.pc) (_ bv1 1))))
(let (($x3506 (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
(let (($x3503 (or (not stale.wrprot.v0.s1) $x3506 $x3504)))
(let (($x3141 (or (not stale.wrprot.v0.s0) $x3506 $x3504)))
(let (($x3161 (or (not stale.wrprot.v0.s2) $x3506 $x3504)))
(and $x3161 $x3141 $x3503)))))))
