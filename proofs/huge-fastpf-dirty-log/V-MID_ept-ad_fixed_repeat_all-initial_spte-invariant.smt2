; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-MID
; mode: ept-ad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 875019e6551fae284b0da5e3940d2a4bfdd442c5ab791f71b7a5b2458d197bd0
(declare-fun bad.hostw () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun spte0 () (_ BitVec 64))
(assert
 (let (($x1909 (not bad.hostw)))
(let (($x932 (not fastpf0.go)))
(let (($x1212 (= ((_ extract 57 57) spte0) (_ bv1 1))))
(let (($x669 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(and $x669 $x1212 $x932 $x1909))))))
