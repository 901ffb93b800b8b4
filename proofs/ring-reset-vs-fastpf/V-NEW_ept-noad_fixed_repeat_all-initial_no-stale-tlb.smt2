; spte-verify certificate v1
; scenario: ring-reset-vs-fastpf
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: no-stale-tlb
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 69cfef86b072f77afc78696a29047a156579bcf2e4543618e6dd3082c73e3461
(declare-fun ring.pc () (_ BitVec 4))
(declare-fun lock.w () Bool)
(declare-fun ring.mask () Bool)
(declare-fun ring.cleared () Bool)
(declare-fun stale.ring.v0.s0 () Bool)
(assert
 (let (($x1739 (= ((_ extract 1 1) ring.pc) (_ bv1 1))))
(let (($x1630 (not $x1739)))
(let (($x1119 (= ((_ extract 2 2) ring.pc) (_ bv1 1))))
(let (($x1120 (not $x1119)))
(let (($x1159 (not (= ((_ extract 0 0) ring.pc) (_ bv1 1)))))
(let (($x1161 (= ((_ extract 3 3) ring.pc) (_ bv1 1))))
(let (($x1162 (not $x1161)))
(let (($x920 (or ring.mask $x1162 $x1119)))
(let (($x905 (or ring.mask $x1120 $x1630)))
(let (($x906 (or lock.w $x1162 $x1119)))
(let (($x907 (or lock.w $x1159 $x1162)))
(let (($x1149 (or ring.cleared (not ring.mask))))
(let (($x1151 (not stale.ring.v0.s0)))
(let (($x1150 (or ring.mask $x1151)))
(and $x1150 (or $x1161 $x1739 $x1119 $x1151) (or (not ring.cleared) $x1162 $x1120 $x1151) $x1149 $x907 $x906 $x905 $x920 (or lock.w $x1159 $x1120 $x1630)))))))))))))))))
