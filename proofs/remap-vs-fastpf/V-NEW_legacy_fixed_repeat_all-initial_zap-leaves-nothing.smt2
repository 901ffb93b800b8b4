; spte-verify certificate v1
; scenario: remap-vs-fastpf
; kernel: V-NEW
; mode: legacy
; variant: fixed
; property: zap-leaves-nothing
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 236c662544d01e933905b00040f156191e6262a3eaf72fb3f9291c3529b00528
(declare-fun spte0 () (_ BitVec 64))
(declare-fun remap.pc () (_ BitVec 4))
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun lock.w () Bool)
(declare-fun tlb.v0.s0.w () Bool)
(assert
 (let (($x1117 (= ((_ extract 11 11) spte0) (_ bv1 1))))
(let (($x559 (= ((_ extract 1 1) remap.pc) (_ bv1 1))))
(let (($x560 (not tlb.v0.s0.valid)))
(let (($x1210 (or $x560 $x559 $x1117)))
(let (($x1588 (= ((_ extract 0 0) remap.pc) (_ bv1 1))))
(let (($x1555 (= ((_ extract 2 2) remap.pc) (_ bv1 1))))
(let (($x1542 (not $x1555)))
(let (($x835 (not $x559)))
(let (($x836 (or lock.w $x835 $x1117 $x1555)))
(let (($x910 (or (not (= ((_ extract 1 1) spte0) (_ bv1 1))) $x1117)))
(let (($x914 (or $x560 (not (= ((_ extract 3 3) remap.pc) (_ bv1 1))) $x1117)))
(let (($x865 (or $x560 (not $x1588) $x835 $x1117)))
(let (($x874 (or $x560 $x1117 $x1555)))
(and $x874 (or tlb.v0.s0.w $x560 $x1542 $x559 $x1588) $x865 $x914 $x910 $x836 (or lock.w $x1542 $x559 $x1588) $x1210)))))))))))))))
