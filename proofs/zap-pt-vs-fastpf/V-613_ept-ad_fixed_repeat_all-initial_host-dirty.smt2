; spte-verify certificate v1
; scenario: zap-pt-vs-fastpf
; kernel: V-613
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 0cdbe50b59eb505b4c29b0e5d4a29acf80b51c3dce646011d2b1247bc95f7f50
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
