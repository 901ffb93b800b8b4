; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: zap-leaves-nothing
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 962f4d08cd2493354a5976533ebdeb7815ac36328f19562199860a4ca9dbe36a
(declare-fun spte0 () (_ BitVec 64))
(declare-fun zap.pc () (_ BitVec 3))
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun tlb.v1.s0.valid () Bool)
(declare-fun slowpf1.pc () (_ BitVec 3))
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun slowpf1.gfn () (_ BitVec 8))
(declare-fun tlb.v1.s0.d () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun bad.lock () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x1611 (= ((_ extract 11 11) spte0) (_ bv1 1))))
(let (($x1508 (= ((_ extract 2 2) zap.pc) (_ bv1 1))))
(let (($x1609 (not tlb.v0.s0.valid)))
(let (($x2072 (or $x1609 $x1508 $x1611)))
(let (($x2073 (not tlb.v1.s0.valid)))
(let (($x1539 (or $x2073 $x1508 $x1611)))
(let (($x1078 (not (= zap.pc (_ bv7 3)))))
(let (($x1082 (or $x1609 $x1078 $x1611)))
(let (($x1084 (not (= ((_ extract 2 2) slowpf1.pc) (_ bv1 1)))))
(let (($x1217 (= ((_ extract 11 11) slowpf1.new) (_ bv1 1))))
(let (($x1044 (or $x1084 (= ((_ extract 0 0) slowpf1.gfn) (_ bv1 1)))))
(let (($x1173 (or $x2073 $x1078 $x1611)))
(let (($x1221 (or (not tlb.v1.s0.d) $x1078 $x1611)))
(let (($x847 (not tlb.v0.s0.d)))
(let (($x855 (or $x847 $x1078 $x1611)))
(let (($x856 (or bad.lock tlb.v0.s0.valid $x847)))
(let (($x849 (or (not (= ((_ extract 1 1) spte0) (_ bv1 1))) $x1611)))
(and $x849 pfn_dirty.p100 $x856 $x855 $x1221 $x1173 $x1044 (or $x1217 $x1084) $x1082 (or $x2073 $x1611 (= ((_ extract 1 1) zap.pc) (_ bv1 1))) (or $x1609 $x1611 (= ((_ extract 1 1) zap.pc) (_ bv1 1))) $x1539 $x2072)))))))))))))))))))
