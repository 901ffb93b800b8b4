; spte-verify certificate v1
; scenario: tdp-age-vs-fastpf
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 54b1aebc6baf632c671a7779afb0a003f5bb13327e8079b4d03e0e5e37adf04f
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun bad.hostw () Bool)
(declare-fun fastpf0.go () Bool)
(assert
 (let (($x727 (not (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1)))))
(let (($x1289 (= ((_ extract 57 57) fastpf0.new) ((_ extract 57 57) fastpf0.spte))))
(let (($x1126 (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1)))))
(let (($x3389 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(let (($x1210 (= ((_ extract 57 57) spte0) (_ bv1 1))))
(let (($x1216 (not bad.hostw)))
(let (($x2039 (or (not fastpf0.go) (= ((_ extract 58 58) fastpf0.new) (_ bv1 1)))))
(and $x2039 $x1216 $x1210 $x3389 (or $x1126 $x1289 $x727))))))))))
