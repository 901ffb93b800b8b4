; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 1811ab27c86692f198944e2b4127cd9a850d5ddcd202c15ff577996bb3f7ff08
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun written.g1 () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun dlog.g1 () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun fastpf0.gfn () (_ BitVec 8))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun wrprot.pc () (_ BitVec 3))
(declare-fun fastpf0.hw_present () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x3302 (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1))))
(let (($x1350 (not written.g1)))
(let (($x3303 (or dlog.g1 tlb.v0.s0.d $x1350 $x3302)))
(let (($x2965 (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1))))
(let (($x1345 (not tlb.v0.s0.w)))
(let (($x2996 (or dlog.g1 $x1345 $x2965)))
(let (($x1757 (= fastpf0.gfn (_ bv1 8))))
(let (($x2974 (or (not $x2965) $x1757)))
(let (($x3172 (not $x3302)))
(let (($x2325 (or $x3172 $x1757)))
(let (($x1188 (or dlog.g1 $x1345 (= ((_ extract 11 11) spte0) (_ bv1 1)))))
(let (($x883 (not fastpf0.go)))
(let (($x1229 (or $x883 (= ((_ extract 1 1) fastpf0.new) (_ bv1 1)))))
(let (($x1174 (or dlog.g1 (not (= ((_ extract 1 1) fastpf0.spte) (_ bv1 1))))))
(let (($x1113 (or dlog.g1 $x883 (= ((_ extract 11 11) fastpf0.new) (_ bv1 1)))))
(let (($x1041 (= ((_ extract 1 1) spte0) (_ bv1 1))))
(let (($x1114 (or $x1345 $x1041 (= ((_ extract 2 2) wrprot.pc) (_ bv1 1)))))
(let (($x1166 (not tlb.v0.s0.d)))
(let (($x1111 (or tlb.v0.s0.w $x1166 $x1350)))
(let (($x681 (not $x1041)))
(let (($x668 (or dlog.g1 $x681 $x2965)))
(let (($x778 (or dlog.g1 $x1350 $x2965)))
(let (($x1304 (or (not fastpf0.hw_present) (not (= fastpf0.pc (_ bv0 3))))))
(let (($x770 (or tlb.v0.s0.valid $x1166)))
(let (($x779 (or dlog.g1 fastpf0.go $x1345)))
(let (($x922 (or dlog.g1 $x1345 $x3302)))
(let (($x2543 (or tlb.v0.s0.d (not tlb.v0.s0.valid))))
(let (($x1063 (or dlog.g1 $x681 $x3302)))
(let (($x2542 (or dlog.g1 fastpf0.go $x681)))
(let (($x1030 (or $x883 $x1757)))
(and $x1030 pfn_dirty.p100 $x2542 $x1063 $x2543 $x922 $x779 $x770 $x1304 $x778 $x668 $x1111 $x1114 $x1113 $x1174 $x1229 $x1188 $x2325 $x2974 $x2996 (or dlog.g1 tlb.v0.s0.d fastpf0.go $x1350 $x3172) $x3303))))))))))))))))))))))))))))))))
