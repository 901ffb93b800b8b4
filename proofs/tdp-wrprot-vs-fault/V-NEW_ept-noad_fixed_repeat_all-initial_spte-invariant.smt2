; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: b3142bfe20a947042c4b3149f973cffa32df8722d73377edc5b38b59acff0a40
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun bad.hostw () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x9794 (or (not (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1))) (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1))) (not (= ((_ extract 57 57) fastpf0.spte) (_ bv1 1))) (= ((_ extract 57 57) fastpf0.new) (_ bv1 1)))))
(let (($x1620 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(let (($x1805 (not bad.hostw)))
(let (($x1760 (not fastpf0.go)))
(let (($x3537 (or $x1760 (= ((_ extract 58 58) fastpf0.new) (_ bv1 1)))))
(let (($x2239 (= ((_ extract 57 57) spte0) (_ bv1 1))))
(let (($x2116 (or $x1760 (= fastpf0.pc (_ bv4 3)) (= ((_ extract 11 11) fastpf0.spte) (_ bv1 1)))))
(and $x2116 pfn_dirty.p100 $x2239 $x3537 $x1805 $x1620 $x9794)))))))))
