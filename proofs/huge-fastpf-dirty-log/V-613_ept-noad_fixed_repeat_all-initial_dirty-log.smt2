; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-613
; mode: ept-noad
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: fb008c7b61841a27ff256405c20be0fb68c6a3eafc3a5cf284aec444e0055da5
(declare-fun written.g2 () Bool)
(declare-fun dlog.g2 () Bool)
(declare-fun written.g3 () Bool)
(declare-fun dlog.g3 () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun fastpf0.go () Bool)
(assert
 (let (($x1203 (or dlog.g2 (not written.g2))))
(let (($x1204 (or dlog.g3 (not written.g3))))
(let (($x1812 (= ((_ extract 1 1) spte0) (_ bv0 1))))
(let (($x1524 (or dlog.g3 $x1812)))
(let (($x1532 (or dlog.g2 $x1812)))
(let (($x1202 (not tlb.v0.s0.w)))
(let (($x1304 (or dlog.g2 $x1202)))
(let (($x1206 (or tlb.v0.s0.d (not tlb.v0.s0.valid))))
(let (($x1207 (not fastpf0.go)))
(let (($x783 (or dlog.g3 $x1202)))
(and $x783 $x1207 $x1206 $x1304 $x1532 $x1524 $x1204 $x1203))))))))))))
