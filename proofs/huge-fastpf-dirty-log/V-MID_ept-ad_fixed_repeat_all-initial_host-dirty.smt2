; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-MID
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: defa5d10d2f1a20ab82e3cd6fe94eaa0bf72ef5476ffd6a3088d6feecd59fcd4
(declare-fun spte0 () (_ BitVec 64))
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun hwritten.p100 () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun tlb.v0.s0.pfn () (_ BitVec 64))
(declare-fun hwritten.p101 () Bool)
(assert
 (let (($x658 (= ((_ extract 9 9) spte0) (_ bv1 1))))
(let (($x529 (or (not tlb.v0.s0.d) $x658)))
(let (($x652 (= ((_ extract 11 11) spte0) (_ bv1 1))))
(let (($x2418 (or (not hwritten.p100) $x658 (= ((_ extract 53 52) spte0) (_ bv1 2)))))
(let (($x970 (= ((_ extract 51 12) spte0) (_ bv256 40))))
(let (($x931 (not (= ((_ extract 52 52) spte0) (_ bv1 1)))))
(let (($x932 (not fastpf0.go)))
(let (($x1555 (not (= ((_ extract 0 0) tlb.v0.s0.pfn) (_ bv1 1)))))
(let (($x2112 (or (not hwritten.p101) $x658)))
(and $x2112 $x1555 $x932 $x931 $x970 $x2418 $x652 $x529)))))))))))
