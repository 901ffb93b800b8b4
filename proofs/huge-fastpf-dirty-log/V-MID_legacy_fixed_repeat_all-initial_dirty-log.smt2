; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-MID
; mode: legacy
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 535b1ee0d97b1b8c7a2a4133d2d95201cd5bcdfffbfce1b5d499dd18457c6e91
(declare-fun written.g3 () Bool)
(declare-fun dlog.g3 () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun dlog.g2 () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun written.g2 () Bool)
(assert
 (let (($x1532 (or dlog.g3 (not written.g3))))
(let (($x599 (not tlb.v0.s0.w)))
(let (($x1563 (or dlog.g3 $x599)))
(let (($x1534 (= ((_ extract 1 1) spte0) (_ bv0 1))))
(let (($x1544 (or dlog.g3 $x1534)))
(let (($x1545 (or dlog.g2 $x599)))
(let (($x1562 (or dlog.g2 $x1534)))
(let (($x1249 (not fastpf0.go)))
(let (($x1560 (= ((_ extract 0 0) spte0) (_ bv1 1))))
(let (($x641 (or dlog.g2 (not written.g2))))
(and $x641 $x1560 $x1249 $x1562 $x1545 $x1544 $x1563 $x1532))))))))))))
