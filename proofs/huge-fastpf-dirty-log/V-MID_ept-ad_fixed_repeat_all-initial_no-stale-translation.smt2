; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-MID
; mode: ept-ad
; variant: fixed
; property: no-stale-translation
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: a6d5d6764e0ed91089210ad27b6aec9fc46439113a2bca6f8e8ac2e1226bad9b
(declare-fun tlb.v0.s0.pfn () (_ BitVec 64))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun fastpf0.go () Bool)
(assert
 (let (($x1576 (or fastpf0.go (not tlb.v0.s0.valid) (= (concat (_ bv0 24) ((_ extract 51 12) spte0)) tlb.v0.s0.pfn))))
(let (($x2645 (not fastpf0.go)))
(let (($x961 (= ((_ extract 11 11) spte0) (_ bv1 1))))
(and $x961 $x2645 $x1576)))))
