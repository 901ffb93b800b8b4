; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-613
; mode: legacy
; variant: fixed
; property: lock-discipline
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: da2812c449d2d6e8776adcf982748c6ddb4ab1b3d53583cf86ee16842f4eb9bc
(declare-fun wrprot.pc () (_ BitVec 3))
(declare-fun tdpmap1.pc () (_ BitVec 3))
(declare-fun lock.r () (_ BitVec 2))
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun bad.lock () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(declare-fun stale.wrprot.v0.s0 () Bool)
(assert
 (let (($x2571 (not (= ((_ extract 1 1) wrprot.pc) (_ bv1 1)))))
(let (($x1296 (not (= ((_ extract 0 0) tdpmap1.pc) (_ bv1 1)))))
(let (($x2435 (= ((_ extract 1 1) lock.r) (_ bv1 1))))
(let (($x749 (not (= ((_ extract 1 1) tdpmap1.pc) (_ bv1 1)))))
(let (($x3256 (or tlb.v0.s0.valid (not tlb.v0.s0.w))))
(let (($x3230 (not (= lock.r (_ bv0 2)))))
(let (($x1100 (or $x3230 $x2571)))
(let (($x2445 (= ((_ extract 0 0) wrprot.pc) (_ bv1 1))))
(let (($x3063 (not (= ((_ extract 2 2) wrprot.pc) (_ bv1 1)))))
(let (($x2444 (not (= ((_ extract 2 2) tdpmap1.pc) (_ bv1 1)))))
(let (($x832 (or $x2571 $x2444 $x2435)))
(let (($x3114 (or $x749 $x1296 $x3230)))
(let (($x3305 (or $x3230 $x2444)))
(let (($x2473 (not bad.lock)))
(let (($x912 (or tlb.v0.s0.valid (not stale.wrprot.v0.s0))))
(and $x912 pfn_dirty.p100 $x2473 $x3305 $x3114 (or $x2435 $x2445 $x2444 (= wrprot.pc (_ bv0 3))) (or $x3063 $x2445 $x3230) $x832 (or $x749 $x3063 $x2435 $x2445 $x1296) $x1100 $x3256 (or $x749 $x2435 $x1296 $x2571))))))))))))))))))
