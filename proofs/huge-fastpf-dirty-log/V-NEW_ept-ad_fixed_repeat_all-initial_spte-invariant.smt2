; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: dca2bc8e133031becfe767aea6e032e7a8656f6f968408c673c0776243237ffa
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun bad.hostw () Bool)
(assert
 (let (($x678 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(let (($x3001 (not fastpf0.go)))
(let (($x2299 (not bad.hostw)))
(let (($x2200 (= ((_ extract 57 57) spte0) (_ bv1 1))))
(and $x2200 $x2299 $x3001 $x678))))))
