; spte-verify certificate v1
; scenario: zap-pt-vs-fastpf
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: spte-invariant
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: abe38977c8197eabe8a5272cf8b874cc6c4b7ddf0c20a10af02fa403ec0efdc9
(declare-fun fastpf0.spte () (_ BitVec 64))
(declare-fun fastpf0.pc () (_ BitVec 3))
(declare-fun fastpf0.new () (_ BitVec 64))
(declare-fun spte1 () (_ BitVec 64))
(declare-fun fastpf0.go () Bool)
(declare-fun bad.hostw () Bool)
(assert
 (let (($x1160 (not (= ((_ extract 57 57) fastpf0.spte) (_ bv1 1)))))
(let (($x1115 (not (= ((_ extract 1 1) fastpf0.pc) (_ bv1 1)))))
(let (($x860 (= ((_ extract 57 57) fastpf0.new) (_ bv1 1))))
(let (($x985 (not (= ((_ extract 2 2) fastpf0.pc) (_ bv1 1)))))
(let (($x1290 (or (not (= ((_ extract 11 11) spte1) (_ bv1 1))) (= ((_ extract 57 57) spte1) (_ bv1 1)))))
(let (($x2669 (not fastpf0.go)))
(let (($x855 (or $x2669 (= ((_ extract 58 58) fastpf0.new) (_ bv1 1)))))
(let (($x854 (or (= ((_ extract 1 1) spte1) (_ bv0 1)) (= ((_ extract 58 58) spte1) (_ bv1 1)))))
(let (($x702 (not bad.hostw)))
(and (or $x2669 $x985 (= ((_ extract 11 11) fastpf0.spte) (_ bv1 1)) $x1115) $x702 $x854 $x855 $x1290 (or $x985 $x860 $x1115 $x1160))))))))))))
