; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-613
; mode: legacy
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 5a9af5b79a069c5c54dcc3244e24a623ded357b74a115954f5f7c93e7951b014
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun bad.hostw () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x840 (= ((_ extract 9 9) spte0) (_ bv1 1))))
(let (($x3012 (not fastpf0.go)))
(let (($x955 (or $x3012 (= ((_ extract 10 10) fastpf0.new) (_ bv1 1)))))
(let ((?x2650 ((_ extract 9 9) fastpf0.new)))
(let (($x2222 (= ?x2650 ((_ extract 9 9) fastpf0.spte))))
(let (($x2806 (not (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1)))))
(let (($x1955 (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1)))))
(let (($x749 (not bad.hostw)))
(let (($x2435 (or (not (= spte0 fastpf0.spte)) (= fastpf0.pc (_ bv4 3)) (= ?x2650 (_ bv1 1)) (= ((_ extract 11 11) spte0) (_ bv1 1)))))
(and $x2435 pfn_dirty.p100 $x749 (or $x3012 $x1955 $x2806 $x2222) $x955 (or (= ((_ extract 10 10) spte0) (_ bv1 1)) (= ((_ extract 1 1) spte0) (_ bv0 1))) $x840)))))))))))
