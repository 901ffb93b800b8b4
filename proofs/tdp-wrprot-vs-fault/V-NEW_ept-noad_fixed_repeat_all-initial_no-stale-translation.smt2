; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: no-stale-translation
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: fac540f63f70c672f9b6e0c77a74723a1942d70b6a62678f1f709aa3cacb9db6
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun wrprot.pc () (_ BitVec 3))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun tlb.v0.s0.pfn () (_ BitVec 64))
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun stale.wrprot.v0.s0 () Bool)
(declare-fun hwritten.p100 () Bool)
(declare-fun written.g1 () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(assert
 (let (($x705 (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1)))))
(let (($x704 (not (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1)))))
(let (($x1606 (= ((_ extract 51 12) fastpf0.new) (_ bv256 40))))
(let (($x699 (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
(let (($x664 (not (= spte0 fastpf0.spte))))
(let (($x665 (not fastpf0.go)))
(let (($x1823 (not tlb.v0.s0.d)))
(let (($x1432 (not tlb.v0.s0.valid)))
(let (($x1433 (or $x1432 $x699 (= tlb.v0.s0.pfn (concat (_ bv0 24) ((_ extract 51 12) spte0))))))
(let (($x791 (or $x665 (not (= ((_ extract 1 1) fastpf0.spte) (_ bv1 1))) (= fastpf0.pc (_ bv4 3)))))
(let (($x794 (or $x665 (= ((_ extract 11 11) fastpf0.new) (_ bv1 1)))))
(let (($x797 (or $x665 (= ((_ extract 1 1) fastpf0.new) (_ bv1 1)))))
(let (($x799 (or (not stale.wrprot.v0.s0) $x699)))
(let (($x1150 (or written.g1 (not hwritten.p100))))
(let (($x783 (not (= wrprot.pc (_ bv1 3)))))
(let (($x893 (or written.g1 (not tlb.v0.s0.w) $x783)))
(let (($x895 (or tlb.v0.s0.d $x1432)))
(let (($x896 (= ((_ extract 11 11) spte0) (_ bv1 1))))
(and (or $x1823 $x699 (= ((_ extract 51 12) spte0) (_ bv256 40)) (= ((_ extract 1 1) spte0) (_ bv1 1))) $x896 $x895 $x893 $x1150 $x799 $x797 $x794 $x791 (or $x1823 (= ((_ extract 1 1) spte0) (_ bv1 1)) $x783) $x1433 (or $x1823 $x665 $x664 $x699 $x1606 $x704 $x705)))))))))))))))))))))
