; spte-verify certificate v1
; scenario: tdp-age-vs-fastpf
; kernel: V-613
; mode: ept-noad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 61f1c21d1fae0520ae6c6187ce51481492ac95a690588415497923d272b8c1e3
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.go () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun pfn_dirty.p100 () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun tdpage.old () (_ BitVec 64))
(declare-fun tdpage.pc () (_ BitVec 3))
(assert
 (let (($x1379 (or (= fastpf0.pc (_ bv4 3)) (= ((_ extract 57 57) fastpf0.spte) ((_ extract 57 57) fastpf0.new)))))
(let (($x1477 (or (not fastpf0.go) (= ((_ extract 58 58) fastpf0.new) (_ bv1 1)))))
(let (($x1181 (or (not (= ((_ extract 11 11) spte0) (_ bv1 1))) (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(let ((?x2226 ((_ extract 57 57) spte0)))
(let (($x3421 (= ?x2226 (_ bv1 1))))
(let (($x3422 (not bad.hostw)))
(let (($x1357 (= ?x2226 ((_ extract 57 57) tdpage.old))))
(let (($x932 (not (= ((_ extract 0 0) tdpage.pc) (_ bv1 1)))))
(let (($x1071 (not (= ((_ extract 1 1) tdpage.pc) (_ bv1 1)))))
(and (or $x1071 $x932 $x1357) $x3422 $x3421 pfn_dirty.p100 $x1181 $x1477 $x1379)))))))))))
