; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-613
; mode: legacy
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 660f1e4af35ba69de1b263b4d2ff663c044459aab3d9311d7e1900e36fc0ec83
(declare-fun fastpf0.gfn () (_ BitVec 8))
(declare-fun fastpf0.hw_present () Bool)
(declare-fun written.g1 () Bool)
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun dlog.g1 () Bool)
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun stale.wrprot.v0.s0 () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x1300 (or (not fastpf0.hw_present) (= fastpf0.gfn (_ bv1 8)))))
(let (($x897 (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1))))
(let (($x1560 (not $x897)))
(let (($x2229 (or fastpf0.hw_present $x1560)))
(let (($x1022 (not (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1)))))
(let (($x2834 (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1))))
(let (($x1267 (not $x2834)))
(let (($x1012 (= ((_ extract 53 52) fastpf0.new) (_ bv1 2))))
(let (($x950 (not (= ((_ extract 0 0) fastpf0.new) (_ bv1 1)))))
(let (($x754 (= ((_ extract 0 0) fastpf0.spte) (_ bv1 1))))
(let (($x885 (or dlog.g1 (not (= ((_ extract 1 1) fastpf0.spte) (_ bv1 1))))))
(let (($x839 (or dlog.g1 (not fastpf0.go) (= ((_ extract 11 11) fastpf0.new) (_ bv1 1)))))
(let (($x955 (not (= ((_ extract 1 1) spte0) (_ bv1 1)))))
(let (($x956 (or dlog.g1 $x955 $x2834)))
(let (($x1299 (= ((_ extract 1 1) fastpf0.new) (_ bv1 1))))
(let (($x914 (or dlog.g1 $x955 $x1299)))
(let (($x957 (not tlb.v0.s0.w)))
(let (($x834 (or dlog.g1 $x957 $x1299)))
(let (($x835 (or dlog.g1 fastpf0.go $x957)))
(let (($x1212 (or tlb.v0.s0.valid $x957)))
(let (($x1034 (or dlog.g1 fastpf0.go $x955)))
(let (($x2535 (not written.g1)))
(let (($x2480 (or tlb.v0.s0.d (not tlb.v0.s0.valid) $x2535)))
(let (($x2479 (or tlb.v0.s0.w (not tlb.v0.s0.d) $x2535)))
(let (($x2476 (or tlb.v0.s0.w (not stale.wrprot.v0.s0))))
(let (($x2445 (or dlog.g1 $x957 $x2834)))
(let (($x2446 (or dlog.g1 $x955 $x897)))
(let (($x2477 (or dlog.g1 $x957 $x897)))
(let (($x2478 (or dlog.g1 fastpf0.go $x2535)))
(and $x2478 pfn_dirty.p100 $x2477 $x2446 (or dlog.g1 $x897 $x2535) $x2445 $x2476 $x2479 $x2480 $x1034 $x1212 $x835 $x834 $x914 $x956 $x839 $x885 (or $x754 $x950 $x1022 $x1012 $x1560) (or fastpf0.hw_present $x1267 $x1022) (or dlog.g1 $x2834 $x2535) $x2229 (or dlog.g1 $x1299 $x2535) $x1300)))))))))))))))))))))))))))))))
