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
; ts-sha256: 51c6adc7fcfa55d27ce77a407431817af3d39da109020df39ab634b07cd4641b
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun slowpf1.gfn () (_ BitVec 8))
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun tlb.v1.s0.valid () Bool)
(declare-fun tlb.v1.s0.d () Bool)
(declare-fun tlb.v1.s0.w () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x1190 (not (= ((_ extract 11 11) slowpf1.new) (_ bv1 1)))))
(let (($x1015 (or $x1190 (= ((_ extract 58 58) slowpf1.new) (_ bv1 1)))))
(let (($x2306 (not (= ((_ extract 11 11) spte0) (_ bv1 1)))))
(let (($x1155 (or $x2306 (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(let (($x3435 (or $x1190 (= ((_ extract 0 0) slowpf1.gfn) (_ bv1 1)))))
(let (($x3275 (or $x2306 (= ((_ extract 57 57) spte0) (_ bv1 1)))))
(let (($x1088 (or tlb.v0.s0.d (not tlb.v0.s0.valid))))
(let (($x935 (or tlb.v0.s0.valid (not tlb.v0.s0.w))))
(let (($x1007 (or tlb.v1.s0.d (not tlb.v1.s0.valid))))
(let (($x1010 (or tlb.v1.s0.valid (not tlb.v1.s0.w))))
(let (($x937 (not bad.hostw)))
(let (($x811 (or $x1190 (= ((_ extract 57 57) slowpf1.new) (_ bv1 1)))))
(and $x811 pfn_dirty.p100 $x937 $x1010 $x1007 $x935 $x1088 $x3275 $x3435 $x1155 $x1015))))))))))))))
