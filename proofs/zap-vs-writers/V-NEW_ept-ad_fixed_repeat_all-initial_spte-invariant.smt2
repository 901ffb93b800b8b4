; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 885665abdc937c02629834e0e3e7bfc8737946be6055c263dc14cfa9998d8e79
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun slowpf1.pc () (_ BitVec 3))
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(declare-fun slowpf1.gfn () (_ BitVec 8))
(assert
 (let (($x1300 (not (= ((_ extract 11 11) slowpf1.new) (_ bv1 1)))))
(let (($x1412 (or $x1300 (= ((_ extract 58 58) slowpf1.new) (_ bv1 1)))))
(let (($x1413 (or $x1300 (= ((_ extract 57 57) slowpf1.new) (_ bv1 1)))))
(let (($x1301 (not (= ((_ extract 1 1) spte0) (_ bv1 1)))))
(let (($x2293 (not (= ((_ extract 1 1) slowpf1.pc) (_ bv1 1)))))
(let (($x1814 (= ((_ extract 0 0) slowpf1.pc) (_ bv1 1))))
(let (($x1372 (not (= ((_ extract 11 11) spte0) (_ bv1 1)))))
(let (($x1028 (or $x1372 (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(let (($x1078 (or tlb.v0.s0.valid (not tlb.v0.s0.w))))
(let (($x926 (or $x1372 (= ((_ extract 57 57) spte0) (_ bv1 1)))))
(let (($x1084 (not bad.hostw)))
(let (($x1548 (or (not (= ((_ extract 1 1) slowpf1.new) (_ bv1 1))) (= ((_ extract 0 0) slowpf1.gfn) (_ bv1 1)))))
(and $x1548 pfn_dirty.p100 $x1084 $x926 $x1078 $x1028 (or $x1814 $x2293 $x1301) $x1413 $x1412))))))))))))))
