; spte-verify certificate v1
; scenario: zap-pt-vs-fastpf
; kernel: V-613
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: c481a776a89b10b2ad69e9420f98b923fcd28397612da37f8f69f79f6ff90799
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
