; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: no-stale-translation
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: cae01f04c66a7873e1178b015658f029102da97a33ee3a3ffc7e0ac33f0a908e
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun tlb.v0.s0.pfn () (_ BitVec 64))
(declare-fun tlb.v0.s0.valid () Bool)
(assert
 (let (($x2951 (= ((_ extract 11 11) spte0) (_ bv1 1))))
(let (($x2965 (not fastpf0.go)))
(let (($x2400 (or (not tlb.v0.s0.valid) (= (concat (_ bv0 24) ((_ extract 51 12) spte0)) tlb.v0.s0.pfn))))
(and $x2400 $x2965 $x2951)))))
