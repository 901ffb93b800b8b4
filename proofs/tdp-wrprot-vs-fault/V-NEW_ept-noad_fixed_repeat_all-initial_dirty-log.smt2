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
; ts-sha256: adf5f21e6815ee2f8a51248483c76ea8a1831b6656358616b55d8f6726ef63e3
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun dlog.g1 () Bool)
(declare-fun fastpf0.gfn () (_ BitVec 8))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun written.g1 () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x626 (not fastpf0.go)))
(let (($x627 (or dlog.g1 $x626 (= ((_ extract 1 1) fastpf0.new) (_ bv1 1)))))
(let (($x3009 (= fastpf0.gfn (_ bv1 8))))
(let (($x1339 (or $x626 $x3009)))
(let (($x1338 (or $x626 (= ((_ extract 11 11) fastpf0.spte) (_ bv1 1)))))
(let (($x2164 (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1))))
(let (($x1343 (not $x2164)))
(let (($x3133 (or $x1343 $x3009)))
(let (($x3220 (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1))))
(let (($x3208 (not $x3220)))
(let (($x2583 (or $x3208 $x3009)))
(let (($x1182 (or $x626 (= ((_ extract 11 11) fastpf0.new) (_ bv1 1)))))
(let (($x1278 (not written.g1)))
(let (($x1279 (or dlog.g1 $x1278 $x2164)))
(let (($x1224 (or dlog.g1 (not (= ((_ extract 1 1) fastpf0.spte) (_ bv1 1))))))
(let (($x994 (not tlb.v0.s0.w)))
(let (($x754 (or dlog.g1 $x994 $x3220)))
(let (($x1221 (or dlog.g1 tlb.v0.s0.valid $x994)))
(let (($x1222 (or dlog.g1 fastpf0.go $x3208 $x1343)))
(let (($x1166 (or tlb.v0.s0.d $x994)))
(let (($x769 (not (= ((_ extract 1 1) spte0) (_ bv1 1)))))
(let (($x1220 (or dlog.g1 $x769 $x3220)))
(let (($x1037 (or dlog.g1 $x1278 $x3220)))
(let (($x681 (= ((_ extract 11 11) spte0) (_ bv1 1))))
(let (($x679 (or dlog.g1 $x994 $x2164)))
(and $x679 pfn_dirty.p100 $x681 $x1037 $x1220 $x1166 (or dlog.g1 $x2164 $x769) $x1222 $x1221 $x754 $x1224 $x1279 $x1182 $x2583 $x3133 $x1338 $x1339 $x627)))))))))))))))))))))))))))
