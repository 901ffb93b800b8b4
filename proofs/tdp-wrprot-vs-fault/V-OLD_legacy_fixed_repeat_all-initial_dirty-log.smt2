; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-OLD
; mode: legacy
; variant: fixed
; property: dirty-log
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 04621135f11f5ed32154926bf0eb3cd24ecc11ffe9054d4437cffb086fd789b0
(declare-fun written.g1 () Bool)
(declare-fun fastpf0.go () Bool)
(declare-fun dlog.g1 () Bool)
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.gfn () (_ BitVec 8))
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(assert
 (let (($x676 (not written.g1)))
(let (($x677 (or dlog.g1 fastpf0.go $x676)))
(let (($x679 (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1))))
(let (($x2756 (or dlog.g1 $x676 $x679)))
(let (($x1649 (= ((_ extract 1 1) fastpf0.new) (_ bv1 1))))
(let (($x2633 (not (= ((_ extract 1 1) spte0) (_ bv1 1)))))
(let (($x2827 (or dlog.g1 $x2633 $x1649)))
(let (($x2826 (not (= fastpf0.new (concat ((_ extract 63 7) spte0) (_ bv3 2) ((_ extract 4 0) spte0))))))
(let (($x2751 (= (= fastpf0.spte spte0) (= spte0 (concat ((_ extract 63 7) spte0) (_ bv3 2) ((_ extract 4 0) spte0))))))
(let (($x2754 (not $x2751)))
(let (($x1337 (= fastpf0.gfn (_ bv1 8))))
(let (($x1330 (or (not fastpf0.go) $x1337)))
(let (($x921 (or dlog.g1 (not (= ((_ extract 1 1) fastpf0.spte) (_ bv1 1))))))
(let (($x1306 (not (= ((_ extract 53 53) fastpf0.new) (_ bv1 1)))))
(let (($x1364 (= ((_ extract 53 53) spte0) (_ bv1 1))))
(let (($x1352 (not tlb.v0.s0.w)))
(let (($x1340 (or dlog.g1 $x1352 $x1649)))
(let (($x1346 (or (= fastpf0.pc (_ bv0 3)) $x1337)))
(let (($x999 (or dlog.g1 $x1352 $x679)))
(let (($x1318 (or dlog.g1 $x1352 (not (= ((_ extract 52 52) spte0) (_ bv1 1))) (not $x1364))))
(let (($x941 (or $x1337 (= fastpf0.spte (_ bv0 64)))))
(let (($x937 (or dlog.g1 $x2633 $x679)))
(let (($x2726 (or dlog.g1 $x1352 (= ((_ extract 0 0) spte0) (_ bv1 1)))))
(let (($x927 (or dlog.g1 fastpf0.go $x1352)))
(let (($x2725 (or tlb.v0.s0.valid $x1352)))
(let (($x848 (or dlog.g1 fastpf0.go $x2633)))
(let (($x2538 (or tlb.v0.s0.d (not tlb.v0.s0.valid) $x676)))
(let (($x2695 (or tlb.v0.s0.w (not tlb.v0.s0.d) $x676)))
(let (($x2724 (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1))))
(let (($x1374 (or dlog.g1 $x2633 $x2724)))
(let (($x2720 (or dlog.g1 $x1352 $x2724)))
(let (($x2721 (or dlog.g1 $x676 $x1649)))
(and $x2721 (or dlog.g1 $x2724 $x676) $x2720 $x1374 $x2695 $x2538 $x848 $x2725 $x927 $x2726 $x937 $x941 $x1318 $x999 $x1346 $x1340 (or dlog.g1 $x2633 $x1364 $x1306) $x921 $x1330 (or dlog.g1 $x2754 $x2633 $x2826) $x2827 $x2756 $x677))))))))))))))))))))))))))))))))))
