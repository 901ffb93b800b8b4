; spte-verify certificate v1
; scenario: tdp-split-vs-wrprot
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 009cd506974944f2e70aaa015fbde7a7c99a8d7785648a4db7d0ab6945327633
(declare-fun wrprot.pc () (_ BitVec 4))
(declare-fun stale.wrprot.v0.s0 () Bool)
(declare-fun stale.wrprot.v0.s1 () Bool)
(declare-fun stale.wrprot.v0.s2 () Bool)
(assert
 (let (($x3502 (= ((_ extract 3 3) wrprot.pc) (_ bv1 1))))
(let (($x2894 (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
(let (($x3041 (or (not stale.wrprot.v0.s0) $x2894 $x3502)))
(let (($x2942 (or (not stale.wrprot.v0.s1) $x2894 $x3502)))
(let (($x3187 (or (not stale.wrprot.v0.s2) $x2894 $x3502)))
(and $x3187 $x2942 $x3041)))))))
