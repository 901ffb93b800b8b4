; spte-verify certificate v1
; scenario: zap-vs-writers
; kernel: V-613
; mode: legacy
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 35e8fb3e70d58cb38d4500059763ca163ce2b637e27154b95c2426dd6e47f6da
(declare-fun slowpf1.new () (_ BitVec 64))
(declare-fun spte0 () (_ BitVec 64))
(declare-fun slowpf1.gfn () (_ BitVec 8))
(declare-fun bad.hostw () Bool)
(declare-fun pfn_dirty.p100 () Bool)
(assert
 (let (($x952 (not (= ((_ extract 11 11) slowpf1.new) (_ bv1 1)))))
(let (($x1010 (or $x952 (= ((_ extract 10 10) slowpf1.new) (_ bv1 1)))))
(let (($x1019 (not (= ((_ extract 11 11) spte0) (_ bv1 1)))))
(let (($x1012 (or $x1019 (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 10 10) spte0) (_ bv1 1)))))
(let (($x3306 (or $x1019 (= ((_ extract 9 9) spte0) (_ bv1 1)))))
(let (($x2561 (or $x952 (= ((_ extract 0 0) slowpf1.gfn) (_ bv1 1)))))
(let (($x1167 (not bad.hostw)))
(let (($x1277 (or $x952 (= ((_ extract 9 9) slowpf1.new) (_ bv1 1)))))
(and $x1277 pfn_dirty.p100 $x1167 $x2561 $x3306 $x1012 $x1010))))))))))
