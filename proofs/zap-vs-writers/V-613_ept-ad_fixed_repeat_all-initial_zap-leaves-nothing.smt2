; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: zap-leaves-nothing
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 5fa5d5e71e10571f9ca4d5af6c6c902d5c93b7610770fa9d666ffe8e464bf49d
(declare-fun spte0 () (_ BitVec 64))
(declare-fun zap.pc () (_ BitVec 3))
(declare-fun tlb.v1.s0.valid () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun slowpf1.pc () (_ BitVec 3))
(declare-fun slowpf1.gfn () (_ BitVec 8))
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x730 (= ((_ extract 11 11) spte0) (_ bv1 1))))
(let (($x1646 (= ((_ extract 1 1) zap.pc) (_ bv1 1))))
(let (($x1647 (not tlb.v1.s0.valid)))
(let (($x1642 (or $x1647 $x1646 $x730)))
(let (($x1645 (= ((_ extract 2 2) zap.pc) (_ bv1 1))))
(let (($x1622 (or $x1647 $x1645 $x730)))
(let (($x1808 (not (= zap.pc (_ bv7 3)))))
(let (($x957 (not tlb.v0.s0.valid)))
(let (($x958 (or $x957 $x1808 $x730)))
(let (($x959 (or $x957 $x1645 $x730)))
(let (($x1085 (not (= ((_ extract 2 2) slowpf1.pc) (_ bv1 1)))))
(let (($x1088 (or $x1085 (= ((_ extract 1 1) slowpf1.new) (_ bv1 1)))))
(let (($x1218 (= ((_ extract 11 11) slowpf1.new) (_ bv1 1))))
(let (($x1178 (or (not (= ((_ extract 0 0) slowpf1.gfn) (_ bv1 1))) $x1218)))
(let (($x1226 (or tlb.v0.s0.valid (not tlb.v0.s0.w))))
(let (($x852 (or $x957 $x1646 $x730)))
(and $x852 pfn_dirty.p100 $x1226 $x1178 (or $x1647 $x730 $x1808) (or $x1218 $x1085) $x1088 $x959 $x958 $x1622 $x1642))))))))))))))))))
