; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-MID
; mode: ept-ad
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: dcbe37775144bcfef1f8cc08370f42726c80ad62b4f3cbde5af367003089aae5
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun dlog.g2 () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun dlog.g3 () Bool)
(declare-fun written.g3 () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun written.g2 () Bool)
(assert
 (let (($x560 (not tlb.v0.s0.w)))
(let (($x1141 (or dlog.g2 $x560)))
(let (($x1142 (= ((_ extract 1 1) spte0) (_ bv0 1))))
(let (($x1606 (or dlog.g2 $x1142)))
(let (($x1909 (or dlog.g3 $x1142)))
(let (($x1597 (or dlog.g3 $x560)))
(let (($x1228 (or dlog.g3 (not written.g3))))
(let (($x1345 (not fastpf0.go)))
(let (($x1241 (or dlog.g2 (not written.g2))))
(and $x1241 $x1345 $x1228 $x1597 $x1909 $x1606 $x1141)))))))))))
