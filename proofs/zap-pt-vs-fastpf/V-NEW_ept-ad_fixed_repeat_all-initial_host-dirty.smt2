; spte-verify certificate v1
; scenario: zap-pt-vs-fastpf
; kernel: V-NEW
; mode: ept-ad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: 63c79fec4b4d98a087d9bd5224e45e611ff057158fb2f992cb86eeb1a1c8f622
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
