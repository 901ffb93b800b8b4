; spte-verify certificate v1
; scenario: zap-pt-vs-fastpf
; kernel: V-613
; mode: ept-noad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 998e4578db7be0cc312038f90c71ff009a5045b1a9d5fdbf60f6ce03d0851a69
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun spte1 () (_ BitVec 64))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun bad.hostw () Bool)
(assert
 (let (($x837 (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1)))))
(let (($x1298 (not (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1)))))
(let (($x995 (= ((_ extract 57 57) fastpf0.new) (_ bv1 1))))
(let (($x710 (not (= ((_ extract 11 11) spte1) (_ bv1 1)))))
(let (($x1293 (not (= spte1 fastpf0.spte))))
(let (($x3231 (not fastpf0.go)))
(let (($x1192 (or $x3231 (= ((_ extract 58 58) fastpf0.new) (_ bv1 1)))))
(let (($x3177 (= ((_ extract 57 57) spte1) (_ bv1 1))))
(let (($x3126 (or $x710 $x3177)))
(let (($x748 (or (= ((_ extract 5 5) spte1) (_ bv1 1)) $x3177)))
(let (($x829 (or (= ((_ extract 1 1) spte1) (_ bv0 1)) (= ((_ extract 58 58) spte1) (_ bv1 1)))))
(let (($x751 (not bad.hostw)))
(let (($x745 (or $x3231 $x1298 $x837 (= ((_ extract 11 11) fastpf0.spte) (_ bv1 1)))))
(and $x745 $x751 $x829 $x748 $x3126 $x1192 (or $x1293 $x710 $x995 $x1298 $x837))))))))))))))))
