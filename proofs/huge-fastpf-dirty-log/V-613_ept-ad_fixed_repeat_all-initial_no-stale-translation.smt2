; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: no-stale-translation
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 748d974c3d424dcc7866ed6f694c642eee68adcdd149c75b62bc07ee97186ffd
(declare-fun spte0 () (_ BitVec 64))
(declare-fun tlb.v0.s0.pfn () (_ BitVec 64))
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun fastpf0.go () Bool)
(assert
 (let (($x1684 (or fastpf0.go (not tlb.v0.s0.valid) (= tlb.v0.s0.pfn (concat (_ bv0 24) ((_ extract 51 12) spte0))))))
(let (($x575 (not fastpf0.go)))
(let (($x1930 (= ((_ extract 11 11) spte0) (_ bv1 1))))
(and $x1930 $x575 $x1684)))))
