; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-OLD
; mode: ept-noad
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 449356bf741582e46873a88d6736dd15473f15b494ac02396d86771c17aa053a
(declare-fun written.g1 () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun dlog.g1 () Bool)
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun fastpf0.gfn () (_ BitVec 8))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.hw_present () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(assert
 (let (($x843 (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1))))
(let (($x1212 (not tlb.v0.s0.w)))
(let (($x1208 (not fastpf0.go)))
(let (($x2714 (or dlog.g1 $x1208 $x1212 $x843)))
(let (($x1152 (= fastpf0.gfn (_ bv1 8))))
(let (($x2516 (or (not $x843) $x1152)))
(let (($x1206 (or (not (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1))) $x1152)))
(let (($x1013 (not (= ((_ extract 52 52) fastpf0.new) (_ bv1 1)))))
(let (($x1009 (not (= ((_ extract 1 1) spte0) (_ bv1 1)))))
(let (($x898 (not (= ((_ extract 53 53) fastpf0.new) (_ bv1 1)))))
(let (($x909 (= ((_ extract 53 52) spte0) (_ bv3 2))))
(let (($x992 (or dlog.g1 (= ((_ extract 1 1) fastpf0.spte) (_ bv0 1)))))
(let (($x672 (not written.g1)))
(let (($x1058 (or dlog.g1 $x672 $x843)))
(let (($x818 (or $x1208 (= ((_ extract 1 1) fastpf0.new) (_ bv1 1)))))
(let (($x1388 (or dlog.g1 $x1009 $x843)))
(let (($x1076 (or (not fastpf0.hw_present) $x1152)))
(let (($x1384 (or dlog.g1 $x1208 (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1)) $x843)))
(let (($x1385 (or dlog.g1 tlb.v0.s0.valid $x1212)))
(let (($x1074 (or tlb.v0.s0.d $x1212)))
(let (($x1382 (or tlb.v0.s0.w (not tlb.v0.s0.d) $x672)))
(let (($x2713 (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1))))
(let (($x1383 (or dlog.g1 $x1212 $x2713)))
(let (($x1012 (or dlog.g1 $x1009 $x2713)))
(let (($x1108 (or dlog.g1 fastpf0.go (= ((_ extract 1 1) spte0) (_ bv0 1)))))
(let (($x2656 (or dlog.g1 fastpf0.go $x1212)))
(and $x2656 $x1108 $x1012 (or dlog.g1 $x2713 $x672) $x1383 $x1382 $x1074 $x1385 $x1384 $x1076 $x1388 $x818 $x1058 (or dlog.g1 $x1212 $x898 $x1013) $x992 (or dlog.g1 $x909 $x898 $x1009 $x1013) $x1206 (or (= fastpf0.pc (_ bv4 3)) (= fastpf0.spte (_ bv0 64)) $x1152) $x2516 $x2714 (or dlog.g1 tlb.v0.s0.d fastpf0.go $x672)))))))))))))))))))))))))))))
