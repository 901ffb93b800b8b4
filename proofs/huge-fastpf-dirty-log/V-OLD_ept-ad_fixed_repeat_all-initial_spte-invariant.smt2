; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-OLD
; mode: ept-ad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 51d90c738bcd26c28b953d9262c4838e3ca230e9bc5dabcfae93b6738902291e
(declare-fun bad.hostw () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(assert
 (let (($x2037 (not bad.hostw)))
(let (($x2470 (= ((_ extract 10 10) spte0) (_ bv1 1))))
(let (($x1947 (not fastpf0.go)))
(let (($x1581 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 11 11) spte0) (_ bv1 1)))))
(and $x1581 $x1947 $x2470 $x2037))))))
