; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-MID
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: c44a724d12266073532385100de8354ec50651e127b6db2636ed3b65b30fe1ab
(declare-fun spte0 () (_ BitVec 64))
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun hwritten.p100 () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun written.g2 () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun tlb.v0.s0.pfn () (_ BitVec 64))
(declare-fun hwritten.p101 () Bool)
(assert
 (let (($x790 (= ((_ extract 1 1) spte0) (_ bv1 1))))
(let (($x652 (not tlb.v0.s0.w)))
(let (($x1299 (or $x652 $x790)))
(let (($x2262 (not hwritten.p100)))
(let (($x651 (or $x2262 $x790)))
(let (($x2260 (or tlb.v0.s0.valid $x652)))
(let (($x645 (or fastpf0.go (= ((_ extract 11 11) spte0) (_ bv1 1)))))
(let (($x2261 (or written.g2 $x2262)))
(let (($x1109 (or fastpf0.go (= ((_ extract 51 12) spte0) (_ bv256 40)))))
(let (($x901 (or tlb.v0.s0.valid (not tlb.v0.s0.d))))
(let (($x538 (not fastpf0.go)))
(let (($x1872 (or tlb.v0.s0.d (not tlb.v0.s0.valid))))
(let (($x1278 (not (= ((_ extract 0 0) tlb.v0.s0.pfn) (_ bv1 1)))))
(let (($x2003 (or (not hwritten.p101) $x790)))
(and $x2003 $x1278 $x1872 $x538 $x901 $x1109 $x2261 $x645 $x2260 $x651 $x1299))))))))))))))))
