; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-OLD
; mode: legacy
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 71a6240348262281811b0db84e6f63551e565855feb47f61d6368a9d05b5a281
(declare-fun written.g3 () Bool)
(declare-fun dlog.g3 () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun dlog.g2 () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun written.g2 () Bool)
(assert
 (let (($x1613 (or dlog.g3 (not written.g3))))
(let (($x613 (not tlb.v0.s0.w)))
(let (($x1614 (or dlog.g2 $x613)))
(let (($x1359 (or dlog.g3 $x613)))
(let (($x1363 (= ((_ extract 1 1) spte0) (_ bv0 1))))
(let (($x1187 (or dlog.g2 $x1363)))
(let (($x1895 (or dlog.g3 $x1363)))
(let (($x1587 (not fastpf0.go)))
(let (($x1563 (or dlog.g2 (not written.g2))))
(and $x1563 $x1587 $x1895 $x1187 $x1359 $x1614 $x1613)))))))))))
