; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: no-stale-translation
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: c8ad800e3c9695f5c76964f0a5abd9cd7c4574bfc1fc03f96072ffdcae79f365
(declare-fun spte0 () (_ BitVec 64))
(declare-fun wrprot.pc () (_ BitVec 3))
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun tlb.v0.s0.pfn () (_ BitVec 64))
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun dlog.g1 () Bool)
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun written.g1 () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun wrprot.old () (_ BitVec 64))
(declare-fun fastpf0.hw_present () Bool)
(declare-fun hwritten.p100 () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x1377 (= ((_ extract 1 1) spte0) (_ bv1 1))))
(let (($x1557 (= ((_ extract 2 2) wrprot.pc) (_ bv1 1))))
(let (($x1375 (= wrprot.pc (_ bv3 3))))
(let (($x686 (not tlb.v0.s0.w)))
(let ((?x1380 ((_ extract 51 12) spte0)))
(let (($x650 (= ?x1380 (_ bv256 40))))
(let (($x682 (= tlb.v0.s0.pfn (concat (_ bv0 24) ?x1380))))
(let (($x657 (not tlb.v0.s0.valid)))
(let (($x1803 (or dlog.g1 $x657 $x1557 $x682)))
(let (($x1611 (or (= fastpf0.pc (_ bv4 3)) (= ((_ extract 51 12) fastpf0.new) ((_ extract 51 12) fastpf0.spte)))))
(let (($x1613 (= tlb.v0.s0.pfn (_ bv256 64))))
(let (($x1614 (or written.g1 $x657 $x1613)))
(let (($x729 (or tlb.v0.s0.d $x657 $x1613)))
(let (($x938 (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1))))
(let (($x1009 (not fastpf0.go)))
(let (($x1013 (or $x1009 (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1)) $x938)))
(let (($x977 (or (not fastpf0.hw_present) (not (= fastpf0.pc (_ bv0 3))))))
(let (($x979 (or written.g1 (not hwritten.p100))))
(let (($x982 (or $x1009 (= ((_ extract 11 11) fastpf0.new) (_ bv1 1)))))
(let (($x973 (or $x1009 (= ((_ extract 1 1) fastpf0.new) (_ bv1 1)))))
(let (($x965 (or fastpf0.go (not (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1))) (not $x938))))
(let (($x974 (or tlb.v0.s0.w (not tlb.v0.s0.d) (not written.g1))))
(let (($x858 (= ((_ extract 11 11) spte0) (_ bv1 1))))
(let (($x1305 (or $x657 $x1375 $x1557 $x682)))
(and $x1305 pfn_dirty.p100 $x858 $x974 $x965 $x973 $x982 $x979 $x977 (or $x1557 (= ((_ extract 0 0) wrprot.pc) (_ bv1 1)) (= wrprot.old (_ bv0 64))) $x1013 $x729 $x1614 $x1611 $x1803 (or $x657 $x1557 $x682 $x650) (or $x686 $x1375 $x1557 $x1377)))))))))))))))))))))))))))
