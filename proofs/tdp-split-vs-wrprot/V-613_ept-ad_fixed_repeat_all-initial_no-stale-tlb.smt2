; spte-verify certificate v1
; scenario: tdp-split-vs-wrprot
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: fcefb2acba0615df30fb087511bcb8e668d0c8027ae10c49db23b00ae7493404
(declare-fun wrprot.pc () (_ BitVec 4))
(declare-fun stale.wrprot.v0.s2 () Bool)
(declare-fun stale.wrprot.v0.s0 () Bool)
(declare-fun stale.wrprot.v0.s1 () Bool)
(assert
 (let (($x3098 (= ((_ extract 3 3) wrprot.pc) (_ bv1 1))))
(let (($x3352 (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
(let (($x2957 (or (not stale.wrprot.v0.s2) $x3352 $x3098)))
(let (($x3360 (or (not stale.wrprot.v0.s0) $x3352 $x3098)))
(let (($x3627 (or (not stale.wrprot.v0.s1) $x3352 $x3098)))
(and $x3627 $x3360 $x2957)))))))
