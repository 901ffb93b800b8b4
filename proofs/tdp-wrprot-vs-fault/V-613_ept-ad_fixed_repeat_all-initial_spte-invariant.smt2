; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: ed10ded15dfd6d16771a12d943b28f73d13e47d3127a039a7301e3ea5539e9d9
(declare-fun bad.hostw () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun stale.wrprot.v0.s0 () Bool)
(declare-fun written.g1 () Bool)
(declare-fun fastpf0.gfn () (_ BitVec 8))
(declare-fun dlog.g1 () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x1031 (not bad.hostw)))
(let (($x1918 (= ((_ extract 57 57) spte0) (_ bv1 1))))
(let (($x2571 (not fastpf0.go)))
(let (($x2356 (or $x2571 (= ((_ extract 58 58) fastpf0.new) (_ bv1 1)))))
(let ((?x3009 ((_ extract 1 1) spte0)))
(let (($x2025 (= ?x3009 (_ bv1 1))))
(let (($x1008 (= ((_ extract 57 57) fastpf0.new) (_ bv1 1))))
(let (($x2713 (= fastpf0.pc (_ bv4 3))))
(let (($x3062 (not (= spte0 fastpf0.spte))))
(let (($x2807 (not tlb.v0.s0.w)))
(let (($x1384 (not tlb.v0.s0.valid)))
(let (($x1117 (not (= ((_ extract 11 11) fastpf0.new) (_ bv1 1)))))
(let (($x1032 (= fastpf0.gfn (_ bv1 8))))
(let (($x1106 (= ((_ extract 11 11) fastpf0.spte) (_ bv1 1))))
(let (($x855 (or (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1))) $x1008 (not (= ((_ extract 57 57) fastpf0.spte) (_ bv1 1))) (not (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1))))))
(let (($x1582 (or $x2571 $x2713 $x1106)))
(let (($x955 (or (= ?x3009 (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(and $x955 pfn_dirty.p100 $x1582 (or dlog.g1 written.g1 $x3062 $x2713 (not $x2025) $x1008) $x855 (or $x1106 $x2713 $x1032 $x1117) (or written.g1 stale.wrprot.v0.s0 $x1384 $x2807 $x3062 $x2713 $x1008 $x2025) $x2356 $x1918 $x1031)))))))))))))))))))
