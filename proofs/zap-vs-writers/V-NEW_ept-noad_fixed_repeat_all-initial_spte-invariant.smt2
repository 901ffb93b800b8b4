; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 4dfc556faab2528d8623d5f0b2f3388b09b50b4fe7f309b568cf6b547b9bb25b
(declare-fun slowpf1.pc () (_ BitVec 3))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun slowpf1.gfn () (_ BitVec 8))
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun tlb.v1.s0.d () Bool)
(declare-fun tlb.v1.s0.valid () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x1338 (or (not (= ((_ extract 1 1) spte0) (_ bv1 1))) (not (= ((_ extract 1 1) slowpf1.pc) (_ bv1 1))) (= ((_ extract 0 0) slowpf1.pc) (_ bv1 1)))))
(let (($x2461 (not (= ((_ extract 11 11) slowpf1.new) (_ bv1 1)))))
(let (($x2465 (or $x2461 (= ((_ extract 0 0) slowpf1.gfn) (_ bv1 1)))))
(let (($x1224 (or $x2461 (= ((_ extract 58 58) slowpf1.new) (_ bv1 1)))))
(let (($x1021 (not (= ((_ extract 11 11) spte0) (_ bv1 1)))))
(let (($x923 (or $x1021 (= ((_ extract 58 58) spte0) (_ bv1 1)) (= ((_ extract 1 1) spte0) (_ bv0 1)))))
(let (($x1086 (or $x1021 (= ((_ extract 57 57) spte0) (_ bv1 1)))))
(let (($x1173 (or tlb.v0.s0.valid (not tlb.v0.s0.d))))
(let (($x874 (or tlb.v1.s0.valid (not tlb.v1.s0.d))))
(let (($x868 (or tlb.v0.s0.d (not tlb.v0.s0.valid))))
(let (($x872 (or tlb.v1.s0.d (not tlb.v1.s0.valid))))
(let (($x792 (not bad.hostw)))
(let (($x790 (or $x2461 (= ((_ extract 57 57) slowpf1.new) (_ bv1 1)))))
(and $x790 pfn_dirty.p100 $x792 $x872 $x868 $x874 $x1173 $x1086 $x923 $x1224 $x2465 $x1338)))))))))))))))
