; spte-verify certificate v1
; scenario: test-age-vs-fastpf
; kernel: V-613
; mode: legacy
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 82726a11803d2ea8812c9a4bef9dc4d9db2b0b2313c8f5091d4fcc7218ffddef
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun tlb.v0.s0.d () Bool)
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun fastpf0.gfn () (_ BitVec 8))
(declare-fun fastpf0.hw_present () Bool)
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun tlb.v0.s0.w () Bool)
(declare-fun age.pc () (_ BitVec 3))
(declare-fun pfn_dirty.p100 () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun pfn_accessed.p100 () Bool)
(assert
 (let (($x2387 (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1)))))
(let (($x4260 (not (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1)))))
(let (($x1731 (not (= ((_ extract 1 1) fastpf0.spte) (_ bv1 1)))))
(let (($x2351 (not fastpf0.go)))
(let (($x3401 (or tlb.v0.s0.valid (not tlb.v0.s0.d))))
(let (($x3675 (or (not fastpf0.hw_present) (= ((_ extract 0 0) fastpf0.gfn) (_ bv1 1)))))
(let (($x1812 (or $x2351 (= ((_ extract 10 10) fastpf0.new) (_ bv1 1)))))
(let (($x1529 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 10 10) spte0) (_ bv1 1)))))
(let (($x1007 (or tlb.v0.s0.valid (not tlb.v0.s0.w))))
(let (($x1549 (= ((_ extract 9 9) spte0) (_ bv1 1))))
(let (($x2830 (not (= age.pc (_ bv5 3)))))
(let (($x987 (not (= age.pc (_ bv6 3)))))
(let (($x1573 (not bad.hostw)))
(let (($x822 (not pfn_accessed.p100)))
(let (($x764 (or $x2351 $x4260 $x2387 (= ((_ extract 9 9) fastpf0.spte) ((_ extract 9 9) fastpf0.new)))))
(and $x764 $x822 $x1573 pfn_dirty.p100 $x987 $x2830 $x1549 $x1007 $x1529 $x1812 $x3675 $x3401 (or $x2351 $x1731 $x4260 $x2387))))))))))))))))))
