; spte-verify certificate v1
; scenario: zap-pt-vs-fastpf
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 269e0235cde92282889e7a0303c76c3afb1dff818c786671f1e6714c9111c96c
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun spte1 () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun tlb.v0.s1.d () Bool)
(declare-fun tlb.v0.s1.valid () Bool)
(declare-fun tlb.v0.s1.w () Bool)
(declare-fun written.g1 () Bool)
(declare-fun bad.hostw () Bool)
(assert
 (let (($x1354 (= ((_ extract 57 57) fastpf0.new) (_ bv1 1))))
(let (($x1349 (not (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1)))))
(let (($x629 (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1)))))
(let (($x630 (= spte1 fastpf0.spte)))
(let (($x1352 (not $x630)))
(let (($x779 (not fastpf0.go)))
(let (($x1592 (not (= ((_ extract 57 57) fastpf0.spte) (_ bv1 1)))))
(let (($x1693 (not tlb.v0.s1.d)))
(let (($x1068 (not (= ((_ extract 11 11) spte1) (_ bv1 1)))))
(let (($x1299 (not tlb.v0.s1.w)))
(let (($x1039 (= ((_ extract 57 57) spte1) (_ bv1 1))))
(let (($x1152 (not $x1039)))
(let (($x1054 (or $x1068 $x1039)))
(let (($x1043 (not bad.hostw)))
(let (($x1153 (or $x779 (= ((_ extract 58 58) fastpf0.new) (_ bv1 1)))))
(let (($x1045 (or (= ((_ extract 1 1) spte1) (_ bv0 1)) (= ((_ extract 58 58) spte1) (_ bv1 1)))))
(let (($x898 (not (= fastpf0.spte (concat ((_ extract 63 10) spte1) (_ bv1 1) ((_ extract 8 0) spte1))))))
(let (($x684 (not tlb.v0.s1.valid)))
(and (or tlb.v0.s1.d $x684 $x779 $x630 $x898 $x1068 $x1354) $x1045 $x1153 $x1043 $x1054 (or written.g1 $x1352 $x629 $x1152 $x1349 $x1354) (or tlb.v0.s1.d $x1299 $x1352 $x629 $x1068 $x1349 $x1354) (or $x779 (= ((_ extract 11 11) fastpf0.spte) (_ bv1 1)) $x629 $x1349) (or tlb.v0.s1.valid $x1693 $x629 $x1592 $x1349 $x1354) (or $x779 $x1352 $x629 $x1349 $x1354)))))))))))))))))))))
