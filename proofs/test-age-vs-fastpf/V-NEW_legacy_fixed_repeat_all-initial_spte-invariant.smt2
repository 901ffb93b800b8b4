; spte-verify certificate v1
; scenario: test-age-vs-fastpf
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: f2508f2cb91feb8a69a98ecbb13986c2005ebebad32e00ae73347036cb0a32c2
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.go () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun cpu0.pc () (_ BitVec 1))
(declare-fun written.g1 () Bool)
(declare-fun age.pc () (_ BitVec 2))
(declare-fun age.young () Bool)
(declare-fun accessed.s0 () Bool)
(declare-fun bad.hostw () Bool)
(assert
 (let (($x2989 (= ((_ extract 9 9) fastpf0.new) (_ bv1 1))))
(let (($x3654 (not (= fastpf0.spte (concat ((_ extract 63 7) spte0) (_ bv1 1) ((_ extract 5 0) spte0))))))
(let (($x1888 (= fastpf0.pc (_ bv4 3))))
(let (($x1709 (not fastpf0.go)))
(let (($x1862 (not tlb.v0.s0.w)))
(let (($x1166 (not (= fastpf0.spte (concat ((_ extract 63 6) spte0) (_ bv0 1) ((_ extract 4 0) spte0))))))
(let (($x1503 (or $x1709 $x1166 $x1888 $x2989)))
(let (($x2572 (not (= fastpf0.spte (concat ((_ extract 63 7) spte0) (_ bv3 2) ((_ extract 4 0) spte0))))))
(let (($x1129 (or $x1709 $x2572 $x1888 $x2989)))
(let ((?x1167 ((_ extract 1 1) fastpf0.spte)))
(let (($x854 (not (= ?x1167 (ite (= ?x1167 cpu0.pc) (_ bv0 1) (_ bv1 1))))))
(let (($x1067 (not (= spte0 fastpf0.spte))))
(let (($x1068 (or $x1709 $x1067 $x1888 $x2989)))
(let (($x782 (not (= fastpf0.spte (concat ((_ extract 63 6) spte0) (_ bv1 1) ((_ extract 4 0) spte0))))))
(let (($x785 (or $x1709 $x782 $x1888 $x2989)))
(let (($x875 (not (= (concat ((_ extract 63 6) spte0) (_ bv0 1) ((_ extract 4 0) spte0)) fastpf0.spte))))
(let (($x944 (or written.g1 $x875 $x1888 $x2989)))
(let (($x1288 (or $x1709 (not (= ?x1167 (_ bv1 1))) $x1888)))
(let (($x745 (= ((_ extract 0 0) age.pc) (_ bv1 1))))
(let (($x1249 (not age.young)))
(let (($x1231 (or $x1709 (= ((_ extract 10 10) fastpf0.new) (_ bv1 1)))))
(let (($x1038 (or $x1709 $x1888 (= ((_ extract 11 11) fastpf0.spte) (_ bv1 1)))))
(let (($x1282 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 10 10) spte0) (_ bv1 1)))))
(let (($x1584 (not bad.hostw)))
(let (($x1567 (= ((_ extract 9 9) spte0) (_ bv1 1))))
(let (($x749 (not (= fastpf0.spte (concat ((_ extract 63 7) spte0) (_ bv2 2) ((_ extract 4 0) spte0))))))
(let (($x2717 (or $x1709 $x749 $x1888 $x2989)))
(and $x2717 $x1567 $x1584 $x1282 $x1038 $x1231 (or written.g1 accessed.s0 $x1067 $x1888 $x1249 $x745 $x2989) $x1288 $x944 $x785 $x1068 (or $x1709 $x854 $x1888 $x3654 $x2989) $x1129 $x1503 (or $x1862 $x1709 $x1888 $x3654 $x2989))))))))))))))))))))))))))))))
