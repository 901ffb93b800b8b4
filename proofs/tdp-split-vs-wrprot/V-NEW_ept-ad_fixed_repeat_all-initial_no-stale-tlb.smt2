; spte-verify certificate v1
; scenario: tdp-split-vs-wrprot
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 4c366c8376acc599458483326d94ce97a936686a1d0ee6d86412d567bd2b6dba
(declare-fun wrprot.pc () (_ BitVec 4))
(declare-fun stale.wrprot.v0.s1 () Bool)
(declare-fun stale.wrprot.v0.s0 () Bool)
(declare-fun stale.wrprot.v0.s2 () Bool)
(assert
 (let (($x3097 (= ((_ extract 3 3) wrprot.pc) (_ bv1 1))))
(let (($x3351 (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
(let (($x2956 (or (not stale.wrprot.v0.s1) $x3351 $x3097)))
(let (($x3359 (or (not stale.wrprot.v0.s0) $x3351 $x3097)))
(let (($x3625 (or (not stale.wrprot.v0.s2) $x3351 $x3097)))
(and $x3625 $x3359 $x2956)))))))
