; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: c6e829803fbc22389c75cbe35f0546509e9d77f40ab92a60d3a03afeed3c59ef
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun slowpf1.pc () (_ BitVec 3))
(declare-fun slowpf1.gfn () (_ BitVec 8))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun tlb.v1.s0.d () Bool)
(declare-fun tlb.v1.s0.valid () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x1389 (not (= ((_ extract 2 2) slowpf1.pc) (_ bv1 1)))))
(let (($x1386 (or $x1389 (= ((_ extract 9 9) slowpf1.new) (_ bv1 1)))))
(let (($x1006 (or $x1389 (= ((_ extract 10 10) slowpf1.new) (_ bv1 1)))))
(let (($x920 (or $x1389 (= ((_ extract 0 0) slowpf1.gfn) (_ bv1 1)))))
(let (($x919 (= ((_ extract 9 9) spte0) (_ bv1 1))))
(let (($x2543 (or $x919 (= ((_ extract 10 10) spte0) (_ bv0 1)))))
(let (($x1125 (or tlb.v0.s0.valid (not tlb.v0.s0.d))))
(let (($x1243 (or tlb.v1.s0.valid (not tlb.v1.s0.d))))
(let (($x1153 (or tlb.v0.s0.valid (not tlb.v0.s0.w))))
(let (($x1238 (not bad.hostw)))
(let (($x1303 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 10 10) spte0) (_ bv1 1)))))
(let (($x968 (or (not (= ((_ extract 11 11) spte0) (_ bv1 1))) $x919)))
(and $x968 pfn_dirty.p100 $x1303 $x1238 $x1153 $x1243 $x1125 $x2543 $x920 $x1006 $x1386))))))))))))))
