; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: lock-discipline
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 754fe927ef1eba1078accea5602d8edafa4ec254b16fd9c2881b5bc4a14edbd7
(declare-fun tdpmap1.pc () (_ BitVec 3))
(declare-fun lock.r () (_ BitVec 2))
(declare-fun wrprot.pc () (_ BitVec 3))
(declare-fun hwritten.p100 () Bool)
(declare-fun written.g1 () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(declare-fun bad.lock () Bool)
(assert
 (let (($x3619 (not (= ((_ extract 2 2) tdpmap1.pc) (_ bv1 1)))))
(let (($x2116 (not (= lock.r (_ bv0 2)))))
(let (($x3375 (or $x2116 $x3619)))
(let (($x2239 (not (= ((_ extract 1 1) wrprot.pc) (_ bv1 1)))))
(let (($x3089 (= ((_ extract 0 0) lock.r) (_ bv1 1))))
(let (($x3537 (= ((_ extract 1 1) lock.r) (_ bv1 1))))
(let (($x2554 (or written.g1 (not hwritten.p100))))
(let (($x1250 (not (= ((_ extract 0 0) tdpmap1.pc) (_ bv1 1)))))
(let (($x1544 (not (= ((_ extract 1 1) tdpmap1.pc) (_ bv1 1)))))
(let (($x1521 (= ((_ extract 0 0) wrprot.pc) (_ bv1 1))))
(let (($x1841 (not (= ((_ extract 2 2) wrprot.pc) (_ bv1 1)))))
(let (($x4788 (or $x2116 $x1841 $x1521)))
(let (($x3392 (or tlb.v0.s0.d (not tlb.v0.s0.valid))))
(let (($x2966 (or tlb.v0.s0.valid (not tlb.v0.s0.w))))
(let (($x1676 (not bad.lock)))
(and $x1676 pfn_dirty.p100 $x2966 (or $x2116 $x1544 $x1250) (or $x1841 $x3537 $x1544 $x1521 $x1250) (or $x3619 $x3537 $x2239) (or $x3619 $x1841 $x3537 $x1521) $x3392 $x4788 (or $x3537 $x1544 $x1250 $x2239) $x2554 (or $x3537 $x3089 $x2239) $x3375)))))))))))))))))
