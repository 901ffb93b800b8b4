"""C from the same actions: an ``Ops`` backend that writes C, and the search program.

:class:`CEmitter` implements :class:`verify.expr.Ops` by emitting C statements: every
operation appends ``uint64_t tN = ...;`` (or ``int tN = ...;`` for booleans) to the
function being written and returns the temporary's name, so shared subterms stay shared
(a DAG, as with z3) and the text grows linearly.  Calling a model's guards, effects and
properties with a :class:`CEmitter` and a state whose values are ``s[j]`` turns them into
C functions -- the same functions that run on Python ints, z3 terms and numpy columns,
so the native engine cannot drift from the model.  Meaning is :class:`~verify.expr.IntOps`'
(64-bit unsigned, wrapping; each stored variable masked to its width).

:func:`program` writes the whole breadth-first search (the engine of
:mod:`verify.engines.native`) around them: state packing, the local-step reduction,
dead-variable resets, the fingerprint (a multiset hash of vCPU blocks when symmetry is
on, as in :mod:`verify.engines.fast`), a 96-bit-fingerprint open-addressing visited set
(12 bytes a slot; any two states collide with probability about 2^-96), parent
pointers, limits, and a line-based report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from verify.expr import WORD, Ops
from verify.model import Model, Property, St

_M64 = (1 << 64) - 1


class CEmitter(Ops[str, str]):
    """Emits C into ``self.lines``; values are C expressions (temporaries or literals)."""

    symbolic = True

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.n = 0

    def _t(self, ctype: str, expr: str) -> str:
        self.n += 1
        name = f"t{self.n}"
        self.lines.append(f"  {ctype} {name} = {expr};")
        return name

    def _u(self, expr: str) -> str:
        return self._t("uint64_t", expr)

    def _b(self, expr: str) -> str:
        return self._t("int", expr)

    def lit(self, value: int, width: int = WORD) -> str:
        return f"{value & ((1 << width) - 1) & _M64:#x}ULL"

    def true(self) -> str:
        return "1"

    def false(self) -> str:
        return "0"

    def and_(self, *xs: str) -> str:
        if not xs:
            return "1"
        return xs[0] if len(xs) == 1 else self._b(" & ".join(xs))

    def or_(self, *xs: str) -> str:
        if not xs:
            return "0"
        return xs[0] if len(xs) == 1 else self._b(" | ".join(xs))

    def not_(self, x: str) -> str:
        return self._b(f"!{x}")

    def ite(self, c: str, a: str, b: str) -> str:
        return self._u(f"{c} ? {a} : {b}")

    def ite_b(self, c: str, a: str, b: str) -> str:
        return self._b(f"{c} ? {a} : {b}")

    def beq(self, a: str, b: str) -> str:
        return self._b(f"{a} == {b}")

    def eq(self, a: str, b: str) -> str:
        return self._b(f"{a} == {b}")

    def ult(self, a: str, b: str) -> str:
        return self._b(f"{a} < {b}")

    def band(self, a: str, b: str) -> str:
        return self._u(f"{a} & {b}")

    def bor(self, a: str, b: str) -> str:
        return self._u(f"{a} | {b}")

    def shl(self, a: str, n: int) -> str:
        return "0ULL" if n >= WORD else self._u(f"{a} << {n}")

    def lshr(self, a: str, n: int) -> str:
        return "0ULL" if n >= WORD else self._u(f"{a} >> {n}")

    def add(self, a: str, b: str) -> str:
        return self._u(f"{a} + {b}")


def _function(head: str, body: list[str], tail: list[str]) -> str:
    return "\n".join([head + " {", *body, *tail, "}"])


def _seeds(n: int, salt: int) -> list[int]:
    rng = np.random.default_rng(salt)
    return [int(x) | 1 for x in rng.integers(0, 1 << 63, size=n, dtype=np.int64)]


def program(model: Model, props: Sequence[Property], roots: Sequence[Sequence[Any]], *,
            reduction: bool, resets: dict[int, list[str]], symmetry: bool,
            ample: frozenset[tuple[str, str]] = frozenset()) -> str:
    """The C source of the search for ``model`` (see the module docstring)."""
    names = [v.name for v in model.vars]
    index = {n: j for j, n in enumerate(names)}
    nv = len(names)
    widths = [max(1, v.width) for v in model.vars]
    st = St({n: f"s[{j}]" for j, n in enumerate(names)})
    out: list[str] = [PRELUDE]

    # packing: first fit into 64-bit words, no variable across a word boundary
    place: list[tuple[int, int]] = []
    words: list[int] = []
    for w in widths:
        for k, used in enumerate(words):
            if used + w <= 64:
                place.append((k, used))
                words[k] += w
                break
        else:
            place.append((len(words), 0))
            words.append(w)
    pw = max(1, len(words))
    masks = [(1 << w) - 1 for w in widths]
    out.append(f"#define NV {nv}\n#define PW {pw}\n#define NA {len(model.actions)}\n"
               f"#define NP {len(props)}")
    pk = [f"  p[{k}] = 0;" for k in range(pw)]
    up = []
    for j, (k, off) in enumerate(place):
        pk.append(f"  p[{k}] |= s[{j}] << {off};")
        up.append(f"  s[{j}] = (p[{k}] >> {off}) & {masks[j]:#x}ULL;")
    out.append(_function("static inline void pack(const uint64_t *s, uint64_t *p)", pk, []))
    out.append(_function("static inline void unpack(const uint64_t *p, uint64_t *s)", up, []))

    # fingerprint: per-variable mixes; vCPU blocks hashed per position, then summed
    blocks = model.symmetry if symmetry else ()
    seed = _seeds(nv, 0x5D7E)
    odd = _seeds(nv, 0x0DD5)
    in_block: dict[int, tuple[int, int]] = {}
    for v, block in enumerate(blocks):
        for m, n in enumerate(block):
            in_block[index[n]] = (v, m)
            seed[index[n]] = seed[index[blocks[0][m]]]
            odd[index[n]] = odd[index[blocks[0][m]]]
    nl = 2 + 2 * len(blocks)
    lane = [2 + 2 * in_block[j][0] if j in in_block else 0 for j in range(nv)]
    out.append(f"#define NL {nl}")
    lb = ["  for (int i = 0; i < NL; i++) H[i] = 0;", "  uint64_t m;"]
    for j in range(nv):
        lb.append(f"  m = mix64(s[{j}] + {seed[j]:#x}ULL); H[{lane[j]}] ^= m; "
                  f"H[{lane[j] + 1}] += m * {odd[j]:#x}ULL;")
    out.append(_function("static inline void lanes(const uint64_t *s, uint64_t *H)", lb, []))
    kb = ["  uint64_t h1 = H[0], h2 = H[1];"]
    for v in range(len(blocks)):
        kb.append(f"  h1 += mix64(H[{2 + 2 * v}] ^ 0x6a09e667f3bcc909ULL); "
                  f"h2 += mix64(H[{3 + 2 * v}] ^ 0xbb67ae8584caa73bULL);")
    kb.append("  k[0] = h1; k[1] = h2 | 1;")
    out.append(_function("static inline void key(const uint64_t *H, uint64_t *k)", kb, []))

    def rehash(j: int, k: int) -> str:
        """Re-mix variable j's lanes where the action changed it (new value u[k])."""
        return (f"  if (u[{k}] != s[{j}]) {{ uint64_t mo = mix64(s[{j}] + {seed[j]:#x}ULL), "
                f"mn = mix64(u[{k}] + {seed[j]:#x}ULL); H[{lane[j]}] ^= mo ^ mn; "
                f"H[{lane[j] + 1}] += (mn - mo) * {odd[j]:#x}ULL; }}")

    writes: list[list[int]] = []   # per action: the variables it writes, in u[] order

    # guards, effects (with dead-variable resets), properties
    for a in model.actions:
        e = CEmitter()
        g = model.enabled(e, st, a)
        out.append(_function(f"static inline int g{a.id}(const uint64_t *s)", e.lines,
                             [f"  return {g};"]))
        e = CEmitter()
        upd = model.step(e, st, a)
        vals: dict[int, str] = {index[n]: f"({val}) & {masks[index[n]]:#x}ULL"
                                for n, val in upd.items()}
        for n in resets.get(a.id, ()):
            j = index[n]
            vals[j] = f"{int(model.vars[j].init) & masks[j]:#x}ULL"
        order = sorted(vals)
        writes.append(order)
        assigns = [f"  u[{k}] = {vals[j]};" for k, j in enumerate(order)]
        assigns += [rehash(j, k) for k, j in enumerate(order)]
        out.append(_function(f"static inline void e{a.id}(const uint64_t *s, uint64_t *u, "
                             "uint64_t *H)", e.lines, assigns))
    for i, p in enumerate(props):
        e = CEmitter()
        b = model.violated(e, st, p)
        out.append(_function(f"static inline int prop{i}(const uint64_t *s)", e.lines,
                             [f"  return {b};"]))
    out.append("static int (*const PROP[NP > 0 ? NP : 1])(const uint64_t *) = {"
               + ", ".join(f"prop{i}" for i in range(len(props))) + "};")

    # successors: by actor and pc, then the reduction rule
    en = ["  int c = 0, c0;"]
    for info in model.actors:
        pcj = index[model.pc_var(info.name)]
        en.append("  c0 = c;")
        en.append(f"  switch (s[{pcj}]) {{")
        by_pc: dict[int, list[int]] = {}
        for a in model.actions:
            if a.actor == info.name:
                by_pc.setdefault(model.pc_code(a.actor, a.src), []).append(a.id)
        for code, ids in sorted(by_pc.items()):
            en.append(f"  case {code}:")
            en += [f"    if (g{i}(s)) out[c++] = {i};" for i in ids]
            en.append("    break;")
        en.append("  }")
        amp = [lab for lab in info.labels if (info.name, lab) in ample]
        if amp:
            # the ample-set rule: this actor's enabled actions at such a label, alone
            codes = " || ".join(f"s[{pcj}] == {model.pc_code(info.name, lab)}" for lab in amp)
            en.append(f"  if (c > c0 && ({codes})) {{ memmove(out, out + c0, "
                      "(size_t)(c - c0) * sizeof(int)); return c - c0; }")
    if reduction and not ample and any(a.local for a in model.actions):
        local = "".join("1" if a.local else "0" for a in model.actions)
        en.append(f'  static const char LOCAL[] = "{local}";')
        en.append("  int best = -1;")
        en.append("  for (int i = 0; i < c; i++) if (LOCAL[out[i]] == '1' && "
                  "(best < 0 || out[i] < best)) best = out[i];")
        en.append("  if (best >= 0) { out[0] = best; return 1; }")
    en.append("  return c;")
    out.append(_function("static int enabled(const uint64_t *s, int *out)", en, []))
    maxw = max([len(w) for w in writes] + [1])
    out.append(f"#define MAXW {maxw}")
    out.append("static const int W_N[NA > 0 ? NA : 1] = {"
               + ", ".join(str(len(w)) for w in writes) + "};")
    out.append("static const int16_t W_IDX[NA > 0 ? NA : 1][MAXW] = {"
               + ", ".join("{" + ", ".join(str(j) for j in (w or [0])) + "}" for w in writes)
               + "};")
    ap = ["  switch (a) {"]
    ap += [f"  case {a.id}: e{a.id}(s, u, H); break;" for a in model.actions]
    ap.append("  }")
    out.append(_function("static void apply(int a, const uint64_t *s, uint64_t *u, "
                         "uint64_t *H)", ap, []))
    out.append(_function(
        "static inline void materialize(int a, const uint64_t *s, const uint64_t *u, "
        "uint64_t *n)",
        ["  memcpy(n, s, sizeof(uint64_t) * NV);",
         "  for (int k = 0; k < W_N[a]; k++) n[W_IDX[a][k]] = u[k];"], []))

    rows = []
    for r in roots:
        rows.append("{" + ", ".join(f"{int(x) & masks[j]:#x}ULL"
                                    for j, x in enumerate(r)) + "}")
    out.append(f"#define NROOTS {len(roots)}")
    out.append("static const uint64_t ROOTS[NROOTS][NV] = {" + ",\n".join(rows) + "};")
    out.append(SEARCH)
    return "\n\n".join(out) + "\n"


PRELUDE = r"""
/* generated by spte-verify (verify/engines/ccode.py) from the model's own actions */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

static inline uint64_t mix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
"""

SEARCH = r"""
/* ---- the search ----------------------------------------------------------------- */
typedef struct { uint32_t *k; uint64_t cap, size; } table_t;   /* 3 words a slot */
typedef struct { uint64_t *rows; uint64_t *ids; uint64_t n, cap; } queue_t;
#define RW PW   /* a queued state: its packed row (hash lanes are recomputed) */
#define BATCH 16

static uint64_t bytes_now = 0, bytes_peak = 0, budget = 0;
static void account(int64_t d) {   /* from several threads: atomically */
  uint64_t n = __atomic_add_fetch(&bytes_now, (uint64_t)d, __ATOMIC_RELAXED);
  if (n > bytes_peak) bytes_peak = n;
}
static void *xrealloc(void *p, size_t old, size_t n) {
  void *q = realloc(p, n);
  if (!q) { printf("LIMIT out of memory\n"); return NULL; }
  account((int64_t)n - (int64_t)old);
  return q;
}

static table_t T;
static uint32_t *parent; static uint16_t *action; static uint64_t pcap = 0;
static uint64_t nstates = 0;

static int t_insert(const uint64_t *k);
static int t_grow(void) {
  table_t old = T;
  uint64_t cap = old.cap ? old.cap * 2 : (1u << 16);
  T.k = calloc(cap * 3, sizeof(uint32_t));
  if (!T.k) { T = old; return 0; }
  account((int64_t)(cap * 12));
  T.cap = cap; T.size = 0;
  for (uint64_t i = 0; i < old.cap; i++) {
    const uint32_t *e = &old.k[3 * i];
    if (!e[0]) continue;
    uint64_t k[2] = {(uint64_t)e[1] | ((uint64_t)e[2] << 32), (uint64_t)e[0] << 32};
    t_insert(k);
  }
  if (old.k) { free(old.k); account(-(int64_t)(old.cap * 12)); }
  return 1;
}
/* The visited set: a 96-bit fingerprint per slot -- the 64-bit k[0] (whose low bits pick
   the slot) and 32 bits of k[1] as the claim word (never 0 = empty, never 1 = being
   written).  Insert returns 1 if new, 0 if present.  Safe from several threads at once:
   a slot is claimed by compare-and-swap of its claim word to 1, its k[0] written, then
   the claim word published; a thread that meets a slot being written waits for it.  The
   table never grows while threads insert (it is grown between rounds).  Two distinct
   states share a fingerprint with probability about 2^-96 per pair. */
static int t_insert(const uint64_t *k) {
  uint64_t m = T.cap - 1, i = k[0] & m;
  uint32_t c = (uint32_t)(k[1] >> 32), lo = (uint32_t)k[0], hi = (uint32_t)(k[0] >> 32);
  if (c < 2) c += 2;
  for (;;) {
    uint32_t *e = &T.k[3 * i];
    uint32_t w = __atomic_load_n(&e[0], __ATOMIC_ACQUIRE);
    if (!w) {
      uint32_t zero = 0;
      if (__atomic_compare_exchange_n(&e[0], &zero, 1, 0, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE)) {
        e[1] = lo; e[2] = hi;
        __atomic_store_n(&e[0], c, __ATOMIC_RELEASE);
        __atomic_fetch_add(&T.size, 1, __ATOMIC_RELAXED);
        return 1;
      }
      w = zero;
    }
    while (w == 1) w = __atomic_load_n(&e[0], __ATOMIC_ACQUIRE);
    if (w == c && e[1] == lo && e[2] == hi) return 0;
    i = (i + 1) & m;
  }
}
static int q_push(queue_t *q, const uint64_t *row, uint64_t id) {
  if (q->n == q->cap) {
    uint64_t nc = q->cap ? q->cap + q->cap / 2 : 1024;
    uint64_t *r = xrealloc(q->rows, q->cap * RW * 8, nc * RW * 8);
    if (!r) return 0;
    q->rows = r;
    uint64_t *d = xrealloc(q->ids, q->cap * 8, nc * 8);
    if (!d) return 0;
    q->ids = d; q->cap = nc;
  }
  memcpy(&q->rows[q->n * RW], row, RW * 8); q->ids[q->n++] = id;
  return 1;
}
static int record(uint64_t par, int a) {
  if (nstates == pcap) {
    uint64_t nc = pcap ? pcap + pcap / 2 : 1024;
    uint32_t *p = xrealloc(parent, pcap * 4, nc * 4);
    if (!p) return 0;
    parent = p;
    uint16_t *q = xrealloc(action, pcap * 2, nc * 2);
    if (!q) return 0;
    action = q; pcap = nc;
  }
  parent[nstates] = (uint32_t)par; action[nstates] = (uint16_t)a;
  nstates++;
  return 1;
}

static int64_t found_state[NP > 0 ? NP : 1]; static int found_depth[NP > 0 ? NP : 1];
static int open_props = NP;
static void check(const uint64_t *s, uint64_t id, int depth) {
  for (int p = 0; p < NP; p++)
    if (found_state[p] < 0 && PROP[p](s)) {
      found_state[p] = (int64_t)id; found_depth[p] = depth; open_props--;
    }
}
static double now(void) {
  struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- one round: a slice of the level, expanded by every thread ------------------- */
#define MAXT 16
#define ROUND 16384
#define MAXC (BATCH * (NA > 0 ? NA : 1))
typedef struct {
  uint64_t *rows, *par; uint16_t *act; uint64_t n, cap;   /* new states, in order */
  uint64_t transitions; int oom;
  uint64_t SS[BATCH * NV], SU[MAXC * MAXW], SH[MAXC * NL], SK[2 * MAXC], SP[MAXC];
  int SA[MAXC], SB[MAXC];
} worker_t;
static worker_t *W[MAXT];
static int NT = 1;
static queue_t *RCUR; static uint64_t R0, R1, RNEXT;

static int w_push(worker_t *w, const uint64_t *n, uint64_t par, int a) {
  if (w->n == w->cap) {
    uint64_t nc = w->cap ? w->cap * 2 : 4096;
    uint64_t *r = xrealloc(w->rows, w->cap * RW * 8, nc * RW * 8);
    if (!r) return 0;
    w->rows = r;
    uint64_t *p = xrealloc(w->par, w->cap * 8, nc * 8);
    if (!p) return 0;
    w->par = p;
    uint16_t *q = xrealloc(w->act, w->cap * 2, nc * 2);
    if (!q) return 0;
    w->act = q; w->cap = nc;
  }
  pack(n, &w->rows[w->n * RW]); w->par[w->n] = par; w->act[w->n] = (uint16_t)a; w->n++;
  return 1;
}

static void *expand(void *arg) {
  worker_t *w = arg;
  uint64_t H[NL], n[NV];
  int en[NA > 0 ? NA : 1];
  for (;;) {
    uint64_t i0 = __atomic_fetch_add(&RNEXT, BATCH, __ATOMIC_RELAXED);
    if (i0 >= R1 || w->oom) break;
    uint64_t i1 = i0 + BATCH < R1 ? i0 + BATCH : R1;
    /* BATCH states: all their successors first (as the values each action writes, not
       whole states), their table slots prefetched, then the inserts (the table does not
       fit in any cache); only a new state is built in full */
    int tot = 0;
    for (uint64_t i = i0; i < i1; i++) {
      uint64_t *s = &w->SS[(i - i0) * NV];
      unpack(&RCUR->rows[i * RW], s);
      lanes(s, H);
      int c = enabled(s, en);
      for (int e = 0; e < c; e++, tot++) {
        memcpy(&w->SH[tot * NL], H, NL * 8);  /* the parent's lanes, updated by apply */
        apply(en[e], s, &w->SU[tot * MAXW], &w->SH[tot * NL]);
        w->SA[tot] = en[e]; w->SP[tot] = RCUR->ids[i]; w->SB[tot] = (int)(i - i0);
      }
    }
    w->transitions += tot;
    for (int e = 0; e < tot; e++) {
      key(&w->SH[e * NL], &w->SK[2 * e]);
      if (!w->SK[2 * e]) w->SK[2 * e] = 1;
      __builtin_prefetch(&T.k[3 * (w->SK[2 * e] & (T.cap - 1))]);
    }
    for (int e = 0; e < tot; e++) {
      if (!t_insert(&w->SK[2 * e])) continue;
      materialize(w->SA[e], &w->SS[w->SB[e] * NV], &w->SU[e * MAXW], n);
      if (!w_push(w, n, w->SP[e], w->SA[e])) { w->oom = 1; break; }
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  long bound = atol(argv[1]);
  double max_states = atof(argv[2]), time_limit = atof(argv[3]);
  budget = (uint64_t)(atof(argv[4]) * 1048576.0);
  NT = argc > 5 ? atoi(argv[5]) : 1;
  if (NT < 1) NT = 1;
  if (NT > MAXT) NT = MAXT;
  double t0 = now();
  const char *limit = NULL;
  for (int p = 0; p < NP; p++) found_state[p] = -1;
  queue_t cur = {0}, nxt = {0};
  uint64_t s[NV], row[RW], k[2], transitions = 0, H[NL];
  for (int t = 0; t < NT; t++) {
    W[t] = calloc(1, sizeof(worker_t));
    if (!W[t]) { printf("LIMIT out of memory\n"); return 0; }
    account(sizeof(worker_t));
  }
  if (!t_grow()) { printf("LIMIT out of memory\n"); return 0; }
  for (int r = 0; r < NROOTS; r++) {
    lanes(ROOTS[r], H);
    key(H, k);
    if (!k[0]) k[0] = 1;
    if (4 * (T.size + 1) > 3 * T.cap && !t_grow()) { limit = "out of memory"; break; }
    if (t_insert(k) != 1) continue;
    if (!record(UINT32_MAX, r)) { limit = "out of memory"; break; }
    pack(ROOTS[r], row);
    if (!q_push(&cur, row, nstates - 1)) { limit = "out of memory"; break; }
    check(ROOTS[r], nstates - 1, 0);
  }
  printf("ROOTS %llu\n", (unsigned long long)nstates);
  int depth = 0;
  pthread_t th[MAXT];
  while (!limit && cur.n && open_props > 0 && depth < bound) {
    for (uint64_t r0 = 0; r0 < cur.n && !limit; r0 += ROUND) {
      uint64_t r1 = r0 + ROUND < cur.n ? r0 + ROUND : cur.n;
      /* room for every successor of the round: the table must not grow under threads */
      while (4 * (T.size + (r1 - r0) * (NA > 0 ? NA : 1)) > 3 * T.cap)
        if (!t_grow()) { limit = "out of memory"; break; }
      if (limit) break;
      RCUR = &cur; R0 = r0; R1 = r1; RNEXT = r0;
      for (int t = 1; t < NT; t++) pthread_create(&th[t], NULL, expand, W[t]);
      expand(W[0]);
      for (int t = 1; t < NT; t++) pthread_join(th[t], NULL);
      /* the round's new states, thread by thread: numbered, recorded, checked */
      for (int t = 0; t < NT && !limit; t++) {
        worker_t *w = W[t];
        if (w->oom) { limit = "out of memory"; break; }
        transitions += w->transitions; w->transitions = 0;
        for (uint64_t j = 0; j < w->n; j++) {
          if (!record(w->par[j], w->act[j])) { limit = "out of memory"; break; }
          if (!q_push(&nxt, &w->rows[j * RW], nstates - 1)) { limit = "out of memory"; break; }
          unpack(&w->rows[j * RW], s);
          check(s, nstates - 1, depth + 1);
        }
        w->n = 0;
      }
      if (!limit) {
        if (budget && bytes_now > budget) limit = "memory budget reached";
        else if (max_states > 0 && nstates >= max_states) limit = "state limit reached";
        else if (time_limit > 0 && now() - t0 > time_limit) limit = "time limit reached";
      }
    }
    depth++;
    /* the level just expanded is not needed any more: give its memory back */
    free(cur.rows); free(cur.ids); account(-(int64_t)(cur.cap * (RW + 1) * 8));
    cur = nxt; nxt = (queue_t){0};
    fprintf(stderr, "LEVEL %d %llu\n", depth, (unsigned long long)nstates);
    fflush(stderr);
    if (!limit && budget && bytes_now > budget) limit = "memory budget reached";
  }
  printf("STATES %llu\nTRANSITIONS %llu\nDEPTH %d\nEXHAUSTED %d\nPEAK %llu\nSTORE %llu\n",
         (unsigned long long)nstates, (unsigned long long)transitions, depth,
         (!limit && cur.n == 0) ? 1 : 0, (unsigned long long)bytes_peak,
         (unsigned long long)(T.cap * 12 + pcap * 6));
  if (limit) printf("LIMIT %s\n", limit);
  for (int p = 0; p < NP; p++) {
    if (found_state[p] < 0) continue;
    printf("FOUND %d %d", p, found_depth[p]);
    uint64_t g = (uint64_t)found_state[p];
    /* the schedule, last step first; then the root */
    while (parent[g] != UINT32_MAX) { printf(" %u", action[g]); g = parent[g]; }
    printf(" ROOT %u\n", action[g]);
  }
  return 0;
}
"""


__all__ = ["CEmitter", "program"]
