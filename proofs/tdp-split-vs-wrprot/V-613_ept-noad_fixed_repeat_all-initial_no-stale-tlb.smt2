; spte-verify certificate v1
; scenario: tdp-split-vs-wrprot
; kernel: V-613
; mode: ept-noad
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 7848286458d8f37f4d5b6962a35a9c3f9ff8b0d2d9e251ffd59be7d19725e30f
(declare-fun wrprot.pc () (_ BitVec 4))
(declare-fun stale.wrprot.v0.s1 () Bool)
(declare-fun stale.wrprot.v0.s2 () Bool)
(declare-fun stale.wrprot.v0.s0 () Bool)
(assert
 (let (($x3098 (= ((_ extract 3 3) wrprot.pc) (_ bv1 1))))
(let (($x2870 (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
(let (($x3097 (or (not stale.wrprot.v0.s1) $x2870 $x3098)))
(let (($x2365 (or (not stale.wrprot.v0.s2) $x2870 $x3098)))
(let (($x2729 (or (not stale.wrprot.v0.s0) $x2870 $x3098)))
(and $x2729 $x2365 $x3097)))))))
