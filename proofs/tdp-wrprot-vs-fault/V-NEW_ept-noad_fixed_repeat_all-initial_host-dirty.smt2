; spte-verify certificate v1
; scenario: tdp-wrprot-vs-fault
; kernel: V-NEW
; mode: ept-noad
; variant: fixed
; property: host-dirty
; form: repeat+all-initial
; hardware: d_assist_recheck=on, paging_structure_cache=on, tlb_drops=on
; engine: ic3 (z3 spacer)
; kind: inductive-invariant
; ts-sha256: daadeddf2ea429f1c7706e321b9188fb5f424b21a20293b74d4238a44eb8196e
(declare-fun pfn_dirty.p100 () Bool)
(assert
 pfn_dirty.p100)
