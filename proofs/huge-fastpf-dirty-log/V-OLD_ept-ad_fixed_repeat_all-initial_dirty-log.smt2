; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-OLD
; mode: ept-ad
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 1ade38989ae446eb9ed79693c7562d56ba4d74ea21e477b27c54f04539d95780
(declare-fun spte0 () (_ BitVec 64))
(declare-fun dlog.g2 () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun written.g3 () Bool)
(declare-fun dlog.g3 () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun written.g2 () Bool)
(assert
 (let ((?x573 ((_ extract 1 1) spte0)))
(let (($x1426 (= ?x573 (_ bv0 1))))
(let (($x632 (or dlog.g2 $x1426)))
(let (($x1252 (or (not tlb.v0.s0.w) (= ?x573 (_ bv1 1)))))
(let (($x1427 (or dlog.g3 (not written.g3))))
(let (($x1424 (or dlog.g3 $x1426)))
(let (($x1922 (not fastpf0.go)))
(let (($x1912 (or dlog.g2 (not written.g2))))
(and $x1912 $x1922 $x1424 $x1427 $x1252 $x632))))))))))
