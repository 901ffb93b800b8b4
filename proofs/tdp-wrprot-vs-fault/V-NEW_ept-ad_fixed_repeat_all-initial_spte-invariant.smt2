; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: d2ec7f68317447dae756b089fe96a72a143e9f2a21e9309f1496756bb5fd78d1
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.go () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun bad.hostw () Bool)
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun fastpf0.gfn () (_ BitVec 8))
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun written.g1 () Bool)
(assert
 (let (($x1351 (= ((_ extract 11 11) fastpf0.spte) (_ bv1 1))))
(let (($x2590 (= fastpf0.pc (_ bv4 3))))
(let (($x622 (not fastpf0.go)))
(let (($x2595 (or $x622 $x2590 $x1351)))
(let (($x2180 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(let (($x1166 (not bad.hostw)))
(let (($x3197 (or $x622 (= ((_ extract 58 58) fastpf0.new) (_ bv1 1)))))
(let (($x710 (not (= ((_ extract 11 11) fastpf0.new) (_ bv1 1)))))
(let (($x2681 (= fastpf0.gfn (_ bv1 8))))
(let (($x2484 (not tlb.v0.s0.w)))
(let (($x675 (= ((_ extract 57 57) spte0) (_ bv1 1))))
(let (($x984 (not (= ((_ extract 57 57) fastpf0.spte) (_ bv1 1)))))
(let (($x1087 (= ((_ extract 57 57) fastpf0.new) (_ bv1 1))))
(let (($x1290 (not (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1)))))
(let (($x1143 (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1)))))
(and (or $x1143 $x1290 $x1087 $x984) $x675 (or written.g1 $x2484 $x2590 $x1351 $x2681 $x710) $x3197 $x1166 $x2180 $x2595)))))))))))))))))
