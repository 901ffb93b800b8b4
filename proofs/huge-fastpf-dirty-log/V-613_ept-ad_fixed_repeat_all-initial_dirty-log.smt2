; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 196cd4fc90d5399dd1a75e21083c0f0a4df2b153cbabf8f2a1a39779e9cd4c2c
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun dlog.g2 () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun written.g3 () Bool)
(declare-fun dlog.g3 () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun written.g2 () Bool)
(assert
 (let (($x560 (not tlb.v0.s0.w)))
(let (($x1238 (or dlog.g2 $x560)))
(let (($x1239 (= ((_ extract 1 1) spte0) (_ bv0 1))))
(let (($x1606 (or dlog.g2 $x1239)))
(let (($x1597 (or dlog.g3 (not written.g3))))
(let (($x1605 (or dlog.g3 $x560)))
(let (($x1142 (or dlog.g3 $x1239)))
(let (($x1345 (not fastpf0.go)))
(let (($x1241 (or dlog.g2 (not written.g2))))
(and $x1241 $x1345 $x1142 $x1605 $x1597 $x1606 $x1238)))))))))))
