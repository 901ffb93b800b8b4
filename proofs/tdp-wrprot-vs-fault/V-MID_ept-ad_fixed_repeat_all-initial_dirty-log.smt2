; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-MID
; mode: ept-ad
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: e41cc5b7bc43c8869d3b2d6f02a3cbf232a01d73c7e2e7ac66bea3b116132d9f
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun written.g1 () Bool)
(declare-fun dlog.g1 () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun fastpf0.gfn () (_ BitVec 8))
(declare-fun fastpf0.hw_present () Bool)
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun cpu0.pc () (_ BitVec 1))
(declare-fun fastpf0.go () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun stale.wrprot.v0.s0 () Bool)
(assert
 (let (($x667 (not tlb.v0.s0.w)))
(let (($x1299 (or dlog.g1 written.g1 $x667)))
(let (($x1212 (not written.g1)))
(let (($x1296 (or tlb.v0.s0.w (not tlb.v0.s0.valid) $x1212)))
(let (($x1099 (or (not fastpf0.hw_present) (= fastpf0.gfn (_ bv1 8)))))
(let (($x2913 (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1))))
(let (($x1295 (not $x2913)))
(let (($x3867 (or fastpf0.hw_present (not (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1))) $x1295)))
(let (($x1601 (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1))))
(let (($x815 (not $x1601)))
(let (($x897 (or fastpf0.hw_present $x815)))
(let (($x821 (or dlog.g1 (not (= ((_ extract 1 1) fastpf0.spte) (_ bv1 1))))))
(let (($x1167 (or dlog.g1 $x667 (= ((_ extract 11 11) spte0) (_ bv1 1)))))
(let ((?x1074 ((_ extract 11 11) spte0)))
(let (($x1076 (= cpu0.pc ?x1074)))
(let (($x962 (not (= cpu0.pc ((_ extract 11 11) fastpf0.new)))))
(let (($x942 (or dlog.g1 $x1212 $x1601)))
(let (($x901 (not (= ((_ extract 1 1) spte0) (_ bv1 1)))))
(let (($x1041 (or dlog.g1 $x901 $x2913)))
(let (($x737 (or dlog.g1 fastpf0.go $x1212)))
(let (($x728 (or tlb.v0.s0.w (not tlb.v0.s0.d) $x1212)))
(let (($x729 (not stale.wrprot.v0.s0)))
(let (($x2873 (or tlb.v0.s0.w $x729)))
(let (($x1040 (or tlb.v0.s0.valid $x729)))
(let (($x2871 (or dlog.g1 fastpf0.go $x901)))
(let (($x944 (or dlog.g1 $x901 $x1601)))
(let (($x2587 (or dlog.g1 $x1212 $x2913)))
(and $x2587 $x944 $x2871 $x1040 $x2873 $x728 $x737 (or dlog.g1 (= ((_ extract 1 1) fastpf0.new) (_ bv1 1)) $x901) $x1041 $x942 (or dlog.g1 (= ((_ extract 1 1) fastpf0.new) (_ bv1 1)) $x1212) (or dlog.g1 $x962 $x1076 $x815 $x1295) (or dlog.g1 (= ((_ extract 11 11) fastpf0.new) (_ bv1 1)) $x1212) $x1167 $x821 $x897 $x3867 $x1099 $x1296 $x1299)))))))))))))))))))))))))))))
