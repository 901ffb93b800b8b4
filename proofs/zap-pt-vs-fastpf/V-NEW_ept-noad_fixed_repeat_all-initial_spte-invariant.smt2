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
; ts-sha256: 9733182363b056057847a93f6c429285d1902a2327607486af052cb2d27ee72f
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun spte1 () (_ BitVec 64))
(declare-fun tlb.v0.s1.d () Bool)
(declare-fun tlb.v0.s1.valid () Bool)
(declare-fun bad.hostw () Bool)
(assert
 (let (($x1095 (not (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1)))))
(let (($x770 (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1)))))
(let (($x627 (= ((_ extract 11 11) fastpf0.spte) (_ bv1 1))))
(let (($x628 (not fastpf0.go)))
(let (($x1575 (not (= ((_ extract 57 57) fastpf0.spte) (_ bv1 1)))))
(let (($x1586 (= ((_ extract 57 57) fastpf0.new) (_ bv1 1))))
(let (($x1260 (= fastpf0.pc (_ bv5 3))))
(let (($x1192 (not (= ((_ extract 11 11) spte1) (_ bv1 1)))))
(let (($x1121 (not (= spte1 fastpf0.spte))))
(let (($x842 (not tlb.v0.s1.d)))
(let (($x692 (or $x628 (= ((_ extract 58 58) fastpf0.new) (_ bv1 1)))))
(let (($x1043 (= ((_ extract 57 57) spte1) (_ bv1 1))))
(let (($x1050 (or $x1192 $x1043)))
(let (($x1044 (or (= ((_ extract 1 1) spte1) (_ bv0 1)) (= ((_ extract 58 58) spte1) (_ bv1 1)))))
(let (($x1205 (not bad.hostw)))
(let (($x734 (or $x1043 (= ((_ extract 58 58) spte1) (_ bv0 1)))))
(and $x734 $x1205 $x1044 $x1050 $x692 (or tlb.v0.s1.valid $x842 $x1121 $x1192 $x1586 $x1260) (or $x628 $x1586 $x770 $x1575 $x1095) (or $x628 $x627 $x770 $x1095)))))))))))))))))))
