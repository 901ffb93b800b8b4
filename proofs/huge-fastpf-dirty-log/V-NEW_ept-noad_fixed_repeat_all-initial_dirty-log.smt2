; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: cebe477d09d8e03ff2988a3d2bc721487ad4b513dcec56800b3b58f4833206d8
(declare-fun spte0 () (_ BitVec 64))
(declare-fun dlog.g2 () Bool)
(declare-fun written.g3 () Bool)
(declare-fun dlog.g3 () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun written.g2 () Bool)
(assert
 (let ((?x563 ((_ extract 1 1) spte0)))
(let (($x1235 (= ?x563 (_ bv0 1))))
(let (($x623 (or dlog.g2 $x1235)))
(let (($x1576 (or dlog.g3 (not written.g3))))
(let (($x1575 (or (not tlb.v0.s0.w) (= ?x563 (_ bv1 1)))))
(let (($x1336 (or tlb.v0.s0.d (not tlb.v0.s0.valid))))
(let (($x1210 (or dlog.g3 $x1235)))
(let (($x1238 (not fastpf0.go)))
(let (($x806 (or dlog.g2 (not written.g2))))
(and $x806 $x1238 $x1210 $x1336 $x1575 $x1576 $x623)))))))))))
