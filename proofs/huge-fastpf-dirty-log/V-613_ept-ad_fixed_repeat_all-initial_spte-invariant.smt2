; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 56a82b4f847be514b9c6228bd36c91824747a7e4a565ba0d7e83a0cdd0d79931
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun bad.hostw () Bool)
(assert
 (let (($x2708 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(let (($x1553 (= ((_ extract 57 57) spte0) (_ bv1 1))))
(let (($x2262 (not fastpf0.go)))
(let (($x1663 (not bad.hostw)))
(and $x1663 $x2262 $x1553 $x2708))))))
