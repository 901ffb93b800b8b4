; spte-verify certificate v1
; scenario: aging-vs-fastpf
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 3c7cb72d6beaa1b8dff179bc762b8ecae08353d72f40e6e41ae5ddc571378233
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun age.s () (_ BitVec 64))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun bad.hostw () Bool)
(assert
 (let (($x1239 (= fastpf0.pc (_ bv4 3))))
(let ((?x750 ((_ extract 9 9) fastpf0.new)))
(let (($x929 (= ((_ extract 9 9) age.s) ?x750)))
(let (($x746 (not (= age.s fastpf0.spte))))
(let (($x1244 (not fastpf0.go)))
(let (($x745 (or $x1244 (= ((_ extract 10 10) fastpf0.new) (_ bv1 1)))))
(let (($x3166 (or (not (= ((_ extract 1 1) spte0) (_ bv1 1))) (= ((_ extract 10 10) spte0) (_ bv1 1)))))
(let (($x3301 (= ((_ extract 9 9) spte0) (_ bv1 1))))
(let (($x960 (not bad.hostw)))
(let (($x1208 (or $x1239 (= ?x750 ((_ extract 9 9) fastpf0.spte)))))
(and $x1208 $x960 $x3301 $x3166 $x745 (or $x1244 $x746 $x929 $x1239)))))))))))))
