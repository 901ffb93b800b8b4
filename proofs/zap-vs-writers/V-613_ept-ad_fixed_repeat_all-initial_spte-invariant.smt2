; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 6412332bed0d43a00b3cba6242c356c1e43d4c640af17a18f67fe8866365c638
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun slowpf1.pc () (_ BitVec 3))
(declare-fun slowpf1.upd.old () (_ BitVec 64))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun hwritten.p100 () Bool)
(declare-fun written.g1 () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun slowpf1.flush () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x1073 (not (= ((_ extract 2 2) slowpf1.pc) (_ bv1 1)))))
(let (($x1108 (or $x1073 (= ((_ extract 57 57) slowpf1.new) (_ bv1 1)))))
(let (($x1400 (= ((_ extract 58 58) slowpf1.new) (_ bv1 1))))
(let (($x855 (not (= ((_ extract 11 11) slowpf1.upd.old) (_ bv1 1)))))
(let (($x1467 (or $x855 $x1400)))
(let ((?x1466 ((_ extract 57 57) slowpf1.new)))
(let ((?x1401 ((_ extract 57 57) spte0)))
(let (($x2442 (= ?x1401 ?x1466)))
(let (($x2448 (not (= ((_ extract 11 11) spte0) (_ bv1 1)))))
(let (($x764 (or written.g1 (not hwritten.p100))))
(let (($x1058 (or tlb.v0.s0.valid (not tlb.v0.s0.w))))
(let (($x986 (not bad.hostw)))
(let (($x820 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(let (($x836 (not slowpf1.flush)))
(let (($x694 (or (= ((_ extract 11 11) spte0) (_ bv0 1)) (= ?x1401 (_ bv1 1)))))
(and $x694 pfn_dirty.p100 $x836 $x820 $x986 $x1058 $x764 (or $x1400 $x1073) (or $x2448 $x2442 $x855) $x1467 $x1108)))))))))))))))))
