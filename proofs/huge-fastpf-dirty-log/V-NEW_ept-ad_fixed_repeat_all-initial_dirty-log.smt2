; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 550c79d2a38f9960881a12a84aa948b8f14b7b60542083dbea61fc5f57553c23
(declare-fun written.g3 () Bool)
(declare-fun dlog.g3 () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun dlog.g2 () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun written.g2 () Bool)
(assert
 (let (($x1240 (or dlog.g3 (not written.g3))))
(let ((?x619 ((_ extract 1 1) spte0)))
(let (($x1241 (= ?x619 (_ bv0 1))))
(let (($x1608 (or dlog.g3 $x1241)))
(let (($x1925 (or dlog.g2 $x1241)))
(let (($x1239 (or (not tlb.v0.s0.w) (= ?x619 (_ bv1 1)))))
(let (($x1347 (not fastpf0.go)))
(let (($x1243 (or dlog.g2 (not written.g2))))
(and $x1243 $x1347 $x1239 $x1925 $x1608 $x1240))))))))))
