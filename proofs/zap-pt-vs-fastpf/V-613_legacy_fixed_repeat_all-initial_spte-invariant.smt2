; spte-verify certificate v1
; scenario: zap-pt-vs-fastpf
; kernel: V-613
; mode: legacy
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 74a5c85720429c620242a4f912b459fb904847f71ebdbd802acb157f51281514
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun spte1 () (_ BitVec 64))
(declare-fun bad.hostw () Bool)
(declare-fun fastpf0.go () Bool)
(assert
 (let (($x949 (= fastpf0.pc (_ bv5 3))))
(let (($x841 (or (not (= ((_ extract 9 9) fastpf0.spte) (_ bv1 1))) $x949 (= ((_ extract 9 9) fastpf0.new) (_ bv1 1)))))
(let (($x626 (not (= ((_ extract 11 11) fastpf0.new) (_ bv1 1)))))
(let (($x944 (= ((_ extract 11 11) fastpf0.spte) (_ bv1 1))))
(let (($x2283 (or (not (= ((_ extract 11 11) spte1) (_ bv1 1))) (= ((_ extract 9 9) spte1) (_ bv1 1)))))
(let (($x878 (or (= ((_ extract 1 1) spte1) (_ bv0 1)) (= ((_ extract 10 10) spte1) (_ bv1 1)))))
(let (($x1031 (not bad.hostw)))
(let (($x863 (or (not fastpf0.go) (= ((_ extract 10 10) fastpf0.new) (_ bv1 1)))))
(and $x863 $x1031 $x878 $x2283 (or $x944 $x626 $x949) $x841))))))))))
