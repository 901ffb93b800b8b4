; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 20c320b21e687ffba3491c5be6dfea0d234741ce4e2952441405c0159cd83bac
(declare-fun spte0 () (_ BitVec 64))
(declare-fun bad.hostw () Bool)
(declare-fun fastpf0.go () Bool)
(assert
 (let (($x1557 (not bad.hostw)))
(let (($x1802 (= ((_ extract 57 57) spte0) (_ bv1 1))))
(let (($x2219 (not fastpf0.go)))
(and $x2219 $x1802 $x1557 (or (= ((_ extract 58 58) spte0) (_ bv1 1)) (= ((_ extract 1 1) spte0) (_ bv0 1))))))))
