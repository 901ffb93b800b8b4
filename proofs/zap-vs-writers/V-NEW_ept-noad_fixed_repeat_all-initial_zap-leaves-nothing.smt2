; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: zap-leaves-nothing
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: dc129fa56cd11c8495b1505942585e842845e21c1eeb15fe9f1530dd4c992ecf
(declare-fun zap.pc () (_ BitVec 3))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun tlb.v1.s0.valid () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun slowpf1.pc () (_ BitVec 3))
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun slowpf1.gfn () (_ BitVec 8))
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun tlb.v1.s0.d () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x1467 (= ((_ extract 1 1) zap.pc) (_ bv1 1))))
(let (($x1476 (= ((_ extract 11 11) spte0) (_ bv1 1))))
(let (($x1478 (not tlb.v1.s0.valid)))
(let (($x1085 (not (= ((_ extract 2 2) slowpf1.pc) (_ bv1 1)))))
(let (($x1079 (or (= ((_ extract 11 11) slowpf1.new) (_ bv1 1)) $x1085)))
(let (($x1083 (not (= zap.pc (_ bv7 3)))))
(let (($x1578 (not tlb.v0.s0.valid)))
(let (($x847 (or $x1578 $x1083 $x1476)))
(let (($x782 (or (= ((_ extract 1 1) slowpf1.new) (_ bv1 1)) $x1085)))
(let (($x849 (or $x1085 (= ((_ extract 0 0) slowpf1.gfn) (_ bv1 1)))))
(let (($x793 (or $x1478 $x1083 $x1476)))
(let (($x864 (or (not (= ((_ extract 1 1) spte0) (_ bv1 1))) $x1476)))
(let (($x838 (or tlb.v0.s0.d $x1578)))
(let (($x866 (or tlb.v0.s0.valid (not tlb.v0.s0.d))))
(let (($x1189 (or tlb.v1.s0.d $x1478)))
(and (or $x1578 $x1476 $x1467) pfn_dirty.p100 $x1189 $x866 $x838 $x864 $x793 $x849 $x782 $x847 $x1079 (or $x1478 $x1476 (= ((_ extract 2 2) zap.pc) (_ bv1 1))) (or $x1578 $x1476 (= ((_ extract 2 2) zap.pc) (_ bv1 1))) (or $x1478 $x1476 $x1467))))))))))))))))))
