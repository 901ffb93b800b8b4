; spte-verify certificate v1
; scenario: huge-fastpf-dirty-log
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: no-stale-translation
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 226bd583e635d5df90c5041e42daed5b573c83054507134685d499542a8dc64a
(declare-fun spte0 () (_ BitVec 64))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun tlb.v0.s0.pfn () (_ BitVec 64))
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun tlb.v0.s0.valid () Bool)
(declare-fun fastpf0.go () Bool)
(assert
 (let (($x2311 (not (= fastpf0.new spte0))))
(let (($x1753 (= tlb.v0.s0.pfn (concat (_ bv0 24) ((_ extract 51 12) fastpf0.new)))))
(let (($x810 (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1))))
(let (($x896 (not tlb.v0.s0.valid)))
(let (($x2114 (or fastpf0.go $x896 (= tlb.v0.s0.pfn (concat (_ bv0 24) ((_ extract 51 12) spte0))))))
(let (($x2847 (not fastpf0.go)))
(let (($x2441 (= ((_ extract 11 11) spte0) (_ bv1 1))))
(let (($x673 (or (not $x810) (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1))))))
(and $x673 $x2441 $x2847 $x2114 (or $x896 $x810 $x1753 $x2311)))))))))))
