; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 00316200ae7141ea54f08bc01d4b05495d49f71af7ad245f436c5ee4f9aeb06b
(declare-fun slowpf1.pc () (_ BitVec 3))
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun slowpf1.upd.old () (_ BitVec 64))
(declare-fun slowpf1.gfn () (_ BitVec 8))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun cpu0.pc () (_ BitVec 1))
(declare-fun tlb.v1.s0.d () Bool)
(declare-fun tlb.v1.s0.valid () Bool)
(declare-fun tlb.v1.s0.w () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x991 (not (= ((_ extract 1 1) slowpf1.pc) (_ bv1 1)))))
(let (($x1356 (not (= ((_ extract 2 2) slowpf1.pc) (_ bv1 1)))))
(let (($x630 (not (= ((_ extract 11 11) slowpf1.new) (_ bv1 1)))))
(let (($x1025 (not (= ((_ extract 1 1) slowpf1.upd.old) (_ bv1 1)))))
(let (($x1083 (or $x630 (= ((_ extract 0 0) slowpf1.gfn) (_ bv1 1)))))
(let (($x1582 (not (= ((_ extract 11 11) spte0) (_ bv1 1)))))
(let (($x1134 (or $x1025 $x1582)))
(let (($x1239 (or (not (= ((_ extract 10 10) slowpf1.new) cpu0.pc)) (= cpu0.pc ((_ extract 11 11) slowpf1.new)))))
(let (($x1227 (not (= ((_ extract 10 10) slowpf1.upd.old) (_ bv1 1)))))
(let ((?x1228 ((_ extract 10 10) spte0)))
(let (($x993 (= ?x1228 (_ bv1 1))))
(let (($x909 (= ((_ extract 0 0) slowpf1.pc) (_ bv1 1))))
(let (($x1189 (not (= ((_ extract 1 1) spte0) (_ bv1 1)))))
(let (($x1034 (= ((_ extract 9 9) spte0) (_ bv1 1))))
(let (($x913 (or $x1582 $x1034)))
(let (($x1190 (or (not (= ((_ extract 10 10) slowpf1.new) (_ bv1 1))) (= ((_ extract 9 9) slowpf1.new) (_ bv1 1)))))
(let (($x817 (or $x1034 (= ?x1228 (_ bv0 1)))))
(let (($x2423 (or tlb.v1.s0.valid (not tlb.v1.s0.d))))
(let (($x2422 (or tlb.v1.s0.valid (not tlb.v1.s0.w))))
(let (($x767 (not bad.hostw)))
(let ((?x895 ((_ extract 10 10) slowpf1.new)))
(let (($x803 (= ?x895 (_ bv1 1))))
(let (($x2385 (or $x630 $x803)))
(and $x2385 pfn_dirty.p100 (or $x1582 $x993 (= ((_ extract 1 1) spte0) (_ bv0 1))) $x767 $x2422 $x2423 $x817 $x1190 $x913 (or $x1189 $x909 $x991) (or $x1582 $x993 $x1227) $x1239 $x1134 $x1083 (or $x1025 $x630 $x1356 $x991))))))))))))))))))))))))))
