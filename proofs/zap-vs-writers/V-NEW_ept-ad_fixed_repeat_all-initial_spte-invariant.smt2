; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: bbcf05e1c320ff6d66c2bca45cd95fb4eef6fdc09e95be821d5119b90e07d11c
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun slowpf1.pc () (_ BitVec 3))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun tlb.v1.s0.d () Bool)
(declare-fun tlb.v1.s0.valid () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun hwritten.p100 () Bool)
(declare-fun written.g1 () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun slowpf1.flush () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x786 (not (= ((_ extract 2 2) slowpf1.pc) (_ bv1 1)))))
(let (($x657 (or $x786 (= ((_ extract 57 57) slowpf1.new) (_ bv1 1)))))
(let (($x1451 (not (= ((_ extract 57 57) spte0) ((_ extract 57 57) slowpf1.new)))))
(let (($x2378 (= ((_ extract 58 58) slowpf1.new) (_ bv1 1))))
(let (($x1564 (= ((_ extract 58 58) spte0) (_ bv1 1))))
(let (($x2385 (not $x1564)))
(let ((?x658 ((_ extract 57 57) spte0)))
(let (($x3657 (= ?x658 (_ bv1 1))))
(let (($x3302 (or $x2385 $x3657)))
(let (($x1363 (or tlb.v1.s0.valid (not tlb.v1.s0.d))))
(let (($x1051 (or tlb.v0.s0.valid (not tlb.v0.s0.w))))
(let (($x1007 (or tlb.v0.s0.valid (not tlb.v0.s0.d))))
(let (($x917 (or written.g1 (not hwritten.p100))))
(let (($x938 (or (not (= ((_ extract 11 11) spte0) (_ bv1 1))) $x3657)))
(let (($x677 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) $x1564)))
(let (($x674 (not bad.hostw)))
(let (($x664 (not slowpf1.flush)))
(and (or $x2378 $x786) pfn_dirty.p100 $x664 $x674 $x677 $x938 $x917 $x1007 $x1051 $x1363 $x3302 (or $x2385 $x2378 $x1451) $x657)))))))))))))))))))
