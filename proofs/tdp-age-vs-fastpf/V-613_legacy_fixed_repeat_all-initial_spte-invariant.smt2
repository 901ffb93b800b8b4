; spte-verify certificate v1
; scenario: tdp-age-vs-fastpf
; kernel: V-613
; mode: legacy
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 8f51139de5162ad2221f5dba38314031857a2f5b3d60d5aac377bf41a3c4b41e
(declare-fun tdpage.old () (_ BitVec 64))
(declare-fun tdpage.pc () (_ BitVec 3))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.spte () (_ BitVec 64))
(assert
 (let (($x813 (= ((_ extract 10 10) tdpage.old) (_ bv1 1))))
(let (($x935 (not (= ((_ extract 0 0) tdpage.pc) (_ bv1 1)))))
(let (($x936 (not (= ((_ extract 1 1) tdpage.pc) (_ bv1 1)))))
(let (($x932 (not (= ((_ extract 1 1) tdpage.old) (_ bv1 1)))))
(let (($x2824 (not fastpf0.go)))
(let (($x1807 (or $x2824 (= ((_ extract 10 10) fastpf0.new) (_ bv1 1)))))
(let (($x1307 (or (not (= ((_ extract 1 1) spte0) (_ bv1 1))) (= ((_ extract 10 10) spte0) (_ bv1 1)))))
(let ((?x2672 ((_ extract 9 9) spte0)))
(let (($x849 (= ?x2672 (_ bv1 1))))
(let (($x846 (not bad.hostw)))
(let (($x848 (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1)))))
(let (($x1253 (= ((_ extract 9 9) fastpf0.new) ((_ extract 9 9) fastpf0.spte))))
(let (($x1158 (not (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1)))))
(and (or $x2824 $x1158 $x1253 $x848) pfn_dirty.p100 $x846 $x849 $x1307 $x1807 (or $x936 $x935 (= ?x2672 ((_ extract 9 9) tdpage.old))) (or $x932 $x936 $x935 $x813))))))))))))))))
