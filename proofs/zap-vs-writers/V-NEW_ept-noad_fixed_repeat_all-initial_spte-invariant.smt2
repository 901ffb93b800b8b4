; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: e0d4031ed1423938b8363e4e7ba0f03225a51b0d5690754619da8f45fd0d0d52
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun slowpf1.pc () (_ BitVec 3))
(declare-fun tlb.v1.s0.valid () Bool)
(declare-fun tlb.v1.s0.d () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun slowpf1.flush () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x1440 (not (= ((_ extract 2 2) slowpf1.pc) (_ bv1 1)))))
(let (($x656 (or $x1440 (= ((_ extract 58 58) slowpf1.new) (_ bv1 1)))))
(let (($x1444 (or tlb.v1.s0.d (not tlb.v1.s0.valid))))
(let (($x1441 (or tlb.v0.s0.d (not tlb.v0.s0.valid))))
(let (($x2184 (or (not (= ((_ extract 11 11) spte0) (_ bv1 1))) (= ((_ extract 57 57) spte0) (_ bv1 1)))))
(let (($x2186 (not slowpf1.flush)))
(let (($x670 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(let (($x671 (not bad.hostw)))
(let (($x965 (or $x1440 (= ((_ extract 57 57) slowpf1.new) (_ bv1 1)))))
(and $x965 pfn_dirty.p100 $x671 $x670 $x2186 $x2184 $x1441 $x1444 $x656)))))))))))
