; spte-verify certificate v1
; scenario: test-age-vs-fastpf
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 726f6a718e897484df8297a10152181a0e09d28e5b7a7c77de9cc8b808bc7ea2
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun age.s () (_ BitVec 64))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun bad.hostw () Bool)
(assert
 (let (($x648 (= fastpf0.pc (_ bv4 3))))
(let ((?x3496 ((_ extract 57 57) fastpf0.new)))
(let (($x3299 (= ((_ extract 57 57) age.s) ?x3496)))
(let (($x3626 (not (= age.s fastpf0.spte))))
(let (($x1574 (not fastpf0.go)))
(let (($x3912 (or $x648 (= ?x3496 ((_ extract 57 57) fastpf0.spte)))))
(let (($x2166 (or $x1574 (= ((_ extract 58 58) fastpf0.new) (_ bv1 1)))))
(let (($x2734 (= ((_ extract 57 57) spte0) (_ bv1 1))))
(let (($x2725 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(let (($x2731 (not bad.hostw)))
(let (($x1177 (or $x648 (= ((_ extract 57 57) fastpf0.spte) ?x3496))))
(and $x1177 $x2731 $x2725 $x2734 $x2166 $x3912 (or $x1574 $x3626 $x3299 $x648))))))))))))))
