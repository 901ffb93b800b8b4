; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-613
; mode: ept-noad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 49f5d905004d45a9ae400a40ce250e30734cfb14523ed2227f852dfe53da9d75
(declare-fun spte0 () (_ BitVec 64))
(declare-fun slowpf1.pc () (_ BitVec 3))
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun tlb.v1.s0.d () Bool)
(declare-fun tlb.v1.s0.valid () Bool)
(declare-fun tlb.v1.s0.w () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun slowpf1.flush () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x1390 (= ((_ extract 57 57) spte0) (_ bv1 1))))
(let (($x636 (or (not (= ((_ extract 58 58) spte0) (_ bv1 1))) $x1390)))
(let (($x1337 (not (= ((_ extract 2 2) slowpf1.pc) (_ bv1 1)))))
(let (($x2422 (= ((_ extract 58 58) slowpf1.new) (_ bv1 1))))
(let (($x920 (not (= ((_ extract 1 1) slowpf1.pc) (_ bv1 1)))))
(let (($x2424 (= ((_ extract 0 0) slowpf1.pc) (_ bv1 1))))
(let (($x1130 (not (= ((_ extract 1 1) spte0) (_ bv1 1)))))
(let (($x984 (or tlb.v1.s0.valid (not tlb.v1.s0.d))))
(let (($x936 (or (not (= ((_ extract 11 11) spte0) (_ bv1 1))) $x1390)))
(let (($x1129 (or tlb.v1.s0.d (not tlb.v1.s0.valid))))
(let (($x1231 (or tlb.v1.s0.valid (not tlb.v1.s0.w))))
(let (($x790 (or tlb.v0.s0.d (not tlb.v0.s0.valid))))
(let (($x1343 (not bad.hostw)))
(let (($x1389 (= ((_ extract 58 58) spte0) (_ bv1 1))))
(let (($x1004 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) $x1389)))
(let (($x1299 (not slowpf1.flush)))
(let (($x793 (or $x1337 (= ((_ extract 57 57) slowpf1.new) (_ bv1 1)))))
(and $x793 pfn_dirty.p100 $x1299 $x1004 $x1343 $x790 $x1231 $x1129 $x936 $x984 (or $x1130 $x2424 $x920) (or $x2422 $x1337) $x636)))))))))))))))))))
