; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 53de9a3a7c542ba446dc6e16e94cf06b585966842ecb2ce63a46901ea7351c42
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun spte0 () (_ BitVec 64))
(declare-fun pfn_dirty.p100 () Bool)
(declare-fun bad.hostw () Bool)
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.spte () (_ BitVec 64))
(assert
 (let (($x1693 (or (not fastpf0.go) (= ((_ extract 58 58) fastpf0.new) (_ bv1 1)))))
(let (($x2769 (or (= ((_ extract 1 1) spte0) (_ bv0 1)) (= ((_ extract 58 58) spte0) (_ bv1 1)))))
(let (($x1482 (not bad.hostw)))
(let (($x1650 (= ((_ extract 57 57) spte0) (_ bv1 1))))
(let (($x3132 (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1)))))
(let (($x3031 (= ((_ extract 57 57) fastpf0.new) (_ bv1 1))))
(let (($x1945 (not (= ((_ extract 57 57) fastpf0.spte) (_ bv1 1)))))
(let (($x3585 (not (= ((_ extract 0 0) fastpf0.pc) (_ bv1 1)))))
(and (or $x3585 $x1945 $x3031 $x3132) $x1650 $x1482 pfn_dirty.p100 $x2769 $x1693))))))))))
