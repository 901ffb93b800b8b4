"""The fast explicit engine: breadth-first search a whole frontier at a time.

Same model, same semantics, same verdicts as the reference explorer
(:mod:`verify.engines.explore`), which stays the one it is tested against: each BFS level
is cut into chunks of states held as columns (one numpy array per model variable), and
every action's guard and effect -- the very functions the concrete MMU and the SMT
encoding run -- are evaluated once per chunk through :class:`verify.vector.ArrayOps`.

State store (what a stored state costs, reported as ``bytes_per_state``):

* *visited set*: an open-addressing hash table of 128-bit Zobrist fingerprints (two
  uint64 words per slot, load ≤ 1/2).  A state's fingerprint is the XOR over its
  variables of a per-variable random mix of the value, so a successor's fingerprint is
  its parent's with only the variables the action wrote re-mixed.  Two distinct states
  share a fingerprint with probability about 2^-128 per pair: for n states the chance
  that any state was wrongly taken as seen is below n²/2^129 (10^-23 at 10^8 states);
  the PROVED message says it is a fingerprinted search.
* *parents*: the parent's number and the action (int64 + int16 per state), enough to
  rebuild a schedule, which is then replayed on the reference semantics
  (:func:`verify.engines.replay.replay`) from the initial state.
* *frontier*: the current and next level as columns of the narrowest dtype per width.

The local-step reduction is the reference one, vectorised: per state, if a ``local``
action is enabled, only the lowest-id one is taken.  ``memory_mb`` bounds the store
and the frontier; going past it (or a ``MemoryError``) is UNKNOWN with the states
reached, never a crash.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from verify.engines.explore import ExploreStats, settle
from verify.engines.preflight import preflight
from verify.engines.replay import Frame
from verify.engines.symmetry import use_symmetry
from verify.errors import InputError
from verify.interrupt import checkpoint
from verify.model import Action, Model, St
from verify.reports.results import CheckResult, ProgressFn, Verdict
from verify.vector import VECTOR

ENGINE = "vector"
STORE_NOTE = "{}states, 128-bit fingerprinted store"
CHUNK = 1 << 16
TABLE_BITS = 16
_U64 = np.uint64
Arr = npt.NDArray[Any]


def _mix(x: Arr, seed: int) -> Arr:
    """splitmix64 finaliser of ``x ^ seed`` (uint64 arrays wrap)."""
    if x.ndim == 0:   # numpy warns on wrapping scalar arithmetic, not on arrays
        return _mix(x.reshape(1), seed).reshape(())
    z = x ^ _U64(seed)
    z += _U64(0x9E3779B97F4A7C15)
    z ^= z >> _U64(30)
    z *= _U64(0xBF58476D1CE4E5B9)
    z ^= z >> _U64(27)
    z *= _U64(0x94D049BB133111EB)
    z ^= z >> _U64(31)
    return z


def _dtype(width: int) -> Any:
    if width == 0:
        return np.bool_
    for bits, dt in ((8, np.uint8), (16, np.uint16), (32, np.uint32)):
        if width <= bits:
            return dt
    return np.uint64


class _Table:
    """Open-addressing set of 128-bit keys (h1, h2), h2 never 0 (0 = empty slot)."""

    def __init__(self, capacity: int = 1 << 16) -> None:
        self.t1: Arr = np.zeros(capacity, dtype=_U64)
        self.t2: Arr = np.zeros(capacity, dtype=_U64)
        self.size = 0

    @property
    def nbytes(self) -> int:
        return int(self.t1.nbytes + self.t2.nbytes)

    def _grow(self) -> None:
        old1, old2 = self.t1, self.t2
        used = old2 != 0
        self.t1 = np.zeros(2 * len(old1), dtype=_U64)
        self.t2 = np.zeros(2 * len(old2), dtype=_U64)
        self.size = 0
        self.insert(old1[used], old2[used])

    def insert(self, h1: Arr, h2: Arr) -> Arr:
        """Insert keys (duplicates allowed); returns the mask of the entries that put a
        key into the table (one per key that was not present before)."""
        n = len(h1)
        while 2 * (self.size + n) > len(self.t1):
            self._grow()
        mask = _U64(len(self.t1) - 1)
        slot = h1 & mask
        new = np.zeros(n, dtype=np.bool_)
        pending = np.arange(n)
        t1, t2 = self.t1, self.t2
        while pending.size:
            s = slot[pending]
            k1, k2 = h1[pending], h2[pending]
            c2 = t2[s]
            empty = c2 == 0
            match = (t1[s] == k1) & (c2 == k2)
            # empty slots: the first claimant of each slot takes it; the others look at
            # the same slot again (it then holds a key: theirs, or one to probe past)
            e, se = pending[empty], s[empty]
            _u, first = np.unique(se, return_index=True)
            win = e[first]
            ws = se[first]
            t1[ws] = h1[win]
            t2[ws] = h2[win]
            new[win] = True
            lost = np.ones(len(e), dtype=np.bool_)
            lost[first] = False
            busy = pending[~empty & ~match]
            slot[busy] = (slot[busy] + _U64(1)) & mask
            pending = np.concatenate([e[lost], busy])
        self.size += int(new.sum())
        return new


class _Cols(Mapping[str, Any]):
    """A lazy view of a chunk's columns at some rows, gathered (as uint64 / bool) on
    first read: guards read few of the variables."""

    def __init__(self, frame: _Layout, cols: list[Arr], rows: Arr | None) -> None:
        self.f = frame
        self.cols = cols
        self.rows = rows
        self.cache: dict[str, Arr] = {}

    def __getitem__(self, name: str) -> Arr:
        v = self.cache.get(name)
        if v is None:
            c = self.cols[self.f.index[name]]
            if self.rows is not None:
                c = c[self.rows]
            v = c if c.dtype == np.bool_ else c.astype(_U64, copy=False)
            self.cache[name] = v
        return v

    def __iter__(self) -> Any:
        return iter(self.f.names)

    def __len__(self) -> int:
        return len(self.f.names)


class _Layout:
    """Column dtypes, width masks and fingerprint seeds of one model's variables.

    A state's hash lanes ``H`` (uint64, ``2 * (1 + V)`` per state): two lanes for the
    variables outside any vCPU block, two per vCPU block (zero blocks unless the
    symmetry reduction is on).  A block's lanes XOR a per-*position* mix of its
    variables, so equal blocks hash equally whichever vCPU owns them; the key mixes
    each block's lanes once more and adds them up (mod 2^64) into the shared ones: a
    multiset hash, the same for every state of an orbit, in which equal blocks do not
    cancel as they would under XOR."""

    def __init__(self, model: Model, symmetry: bool) -> None:
        self.names = [v.name for v in model.vars]
        self.index = dict(model.var_index)
        self.dtypes = [_dtype(v.width) for v in model.vars]
        self.masks = [None if v.is_bool else _U64((1 << v.width) - 1) for v in model.vars]
        rng = np.random.default_rng(0x5D7E)
        seeds = [(int(a), int(b)) for a, b in
                 rng.integers(0, 1 << 63, size=(len(self.names) + 1, 2), dtype=np.int64)]
        self.block_seed = seeds[-1]
        self.lane = [0] * len(self.names)      # first hash lane of each variable
        self.seeds = seeds[:-1]
        blocks = model.symmetry if symmetry else ()
        self.nblocks = len(blocks)
        for v, block in enumerate(blocks):
            for m, name in enumerate(block):
                j = self.index[name]
                self.lane[j] = 2 + 2 * v
                self.seeds[j] = seeds[self.index[blocks[0][m]]]
        self.nlanes = 2 + 2 * self.nblocks
        # variables of up to 16 bits: both lanes' mixes of every value, precomputed
        self.tables: list[Arr | None] = []
        for j, var in enumerate(model.vars):
            if max(1, var.width) <= TABLE_BITS:
                x = np.arange(1 << max(1, var.width), dtype=_U64)
                a, b = self.seeds[j]
                self.tables.append(np.stack([_mix(x, a), _mix(x, b)], axis=1))
            else:
                self.tables.append(None)

    def norm(self, j: int, value: Any, n: int) -> Arr:
        """``value`` (an array of ``n`` rows, or a scalar, from an effect) as column
        ``j``'s dtype, masked to the variable's width; a scalar stays 0-d."""
        m = self.masks[j]
        a: Arr = np.asarray(value, dtype=np.bool_) if m is None else \
            np.asarray(value, dtype=_U64) & m
        if a.ndim and a.shape[0] != n:
            a = np.broadcast_to(a, (n,))
        return a.astype(self.dtypes[j])

    def mixes(self, j: int, col: Arr) -> tuple[Arr, Arr]:
        """Both lanes' mix of column ``j`` (narrow variables: a table lookup)."""
        t = self.tables[j]
        if t is not None:
            m = t[col.astype(np.intp)]
            return m[..., 0], m[..., 1]
        x = col.astype(_U64)
        a, b = self.seeds[j]
        return _mix(x, a), _mix(x, b)

    def lanes(self, cols: list[Arr], n: int) -> Arr:
        h = np.zeros((n, self.nlanes), dtype=_U64)
        for j, c in enumerate(cols):
            m1, m2 = self.mixes(j, c)
            h[:, self.lane[j]] ^= m1
            h[:, self.lane[j] + 1] ^= m2
        return h

    def key(self, h: Arr) -> tuple[Arr, Arr]:
        """The 128-bit fingerprint of hash lanes ``h``; the second word is never 0."""
        k1 = h[:, 0].copy()
        k2 = h[:, 1].copy()
        if self.nblocks:
            # a sum, not an XOR, of the blocks' mixes: two equal blocks must not cancel
            a, b = self.block_seed
            s1 = np.zeros(len(h), dtype=_U64)
            s2 = np.zeros(len(h), dtype=_U64)
            for v in range(self.nblocks):
                s1 += _mix(h[:, 2 + 2 * v].copy(), a)
                s2 += _mix(h[:, 3 + 2 * v].copy(), b)
            k1 ^= s1
            k2 ^= s2
        return k1, k2 | _U64(1)


@dataclass
class FastStats(ExploreStats):
    """The reference engine's counts, and the memory this engine's stores took."""
    peak_bytes: int = 0
    store_bytes: int = 0

    @property
    def bytes_per_state(self) -> float:
        return self.store_bytes / self.states if self.states else 0.0


class _Groups:
    """Actions by actor and source pc, in id order."""

    def __init__(self, model: Model, lay: _Layout) -> None:
        self.by_actor: list[tuple[int, list[tuple[int, list[Action]]]]] = []
        for info in model.actors:
            pc_j = lay.index[model.pc_var(info.name)]
            by_pc: dict[int, list[Action]] = {}
            for a in model.actions:
                if a.actor == info.name:
                    by_pc.setdefault(model.pc_code(a.actor, a.src), []).append(a)
            self.by_actor.append((pc_j, sorted(by_pc.items())))


def explore_fast(model: Model, bound: int, properties: Sequence[Any] | None = None, *,
                 reduction: bool = True, max_states: int | None = None,
                 time_limit: float | None = None, memory_mb: float | None = None,
                 symmetry: bool = True, dead: bool = True, por: bool = True,
                 progress: ProgressFn | None = None, chunk: int = CHUNK,
                 stats_out: FastStats | None = None) -> list[CheckResult]:
    """:func:`verify.engines.explore.explore`, a frontier at a time (see the module
    docstring).  Verdicts, depths and state counts are those of the reference engine."""
    t0 = time.monotonic()
    props = preflight(model, bound, reduction, properties)
    frame = Frame(model)
    sym = use_symmetry(model, symmetry)
    lay = _Layout(model, sym)
    groups = _Groups(model, lay)
    from verify.engines.reduction import ample_labels
    ample = ample_labels(model) if reduction and por else frozenset()
    resets: dict[int, list[tuple[int, Any]]] = {}
    if dead:
        from verify.engines.liveness import dead_resets
        for aid, names in dead_resets(model).items():
            resets[aid] = [(lay.index[n], model.vars[lay.index[n]].init) for n in names]
    o = VECTOR
    stats = stats_out if stats_out is not None else FastStats()
    budget = None if memory_mb is None else int(memory_mb * 1024 * 1024)
    try:
        roots = list(dict.fromkeys(frame.initial_states()))
    except ValueError as e:
        raise InputError(f"fast engine: {e}") from None

    table = _Table()
    parents: list[Arr] = []
    actions_of: list[Arr] = []
    found: dict[str, tuple[int, int]] = {}   # property -> (state number, depth)
    open_props = list(props)

    def check(cols: list[Arr], n: int, base: int, depth: int) -> None:
        st = St(_Cols(lay, cols, None))
        for p in list(open_props):
            bad = np.broadcast_to(np.asarray(model.violated(o, st, p), dtype=np.bool_), (n,))
            hit = np.flatnonzero(bad)
            if hit.size:
                found[p.name] = (base + int(hit[0]), depth)
                open_props.remove(p)

    n0 = len(roots)
    cols0 = [lay.norm(j, np.array([r[j] for r in roots], dtype=object).astype(
        np.bool_ if lay.masks[j] is None else _U64), n0) for j in range(len(lay.names))]
    h0 = lay.lanes(cols0, n0)
    table.insert(*lay.key(h0))
    parents.append(np.full(n0, -1, dtype=np.int64))
    actions_of.append(np.full(n0, -1, dtype=np.int16))
    stats.states = n0
    check(cols0, n0, 0, 0)
    frontier = (cols0, h0, 0)   # columns, hash lanes, number of the first state
    depth = 0
    kept_bytes = 0
    try:
        while len(frontier[1]) and open_props and depth < bound:
            cols, fh, fbase = frontier
            nf = len(fh)
            out_cols: list[list[Arr]] = [[] for _ in lay.names]
            outh: list[Arr] = []
            level_base = stats.states
            in_bytes = sum(c.nbytes for c in cols) + fh.nbytes
            out_bytes = 0
            for c0 in range(0, nf, chunk):
                c1 = min(nf, c0 + chunk)
                checkpoint()
                ccols = [c[c0:c1] for c in cols]
                succ = _expand(model, lay, groups, ccols, c1 - c0, reduction, resets, ample)
                if not succ:
                    continue
                stats.transitions += sum(len(k) for _a, k, _u in succ)
                # successor fingerprints: the parent's, re-mixed where the action wrote
                ch = fh[c0:c1]
                old_mix: dict[int, tuple[Arr, Arr]] = {}
                cand: list[Arr] = []
                for _a, k, upd in succ:
                    g = ch[k]
                    for j, newc in upd.items():
                        om = old_mix.get(j)
                        if om is None:
                            om = old_mix[j] = lay.mixes(j, ccols[j])
                        n1, n2 = lay.mixes(j, newc)
                        ln = lay.lane[j]
                        g[:, ln] ^= om[0][k] ^ n1
                        g[:, ln + 1] ^= om[1][k] ^ n2
                    cand.append(g)
                allh = np.concatenate(cand)
                a1, a2 = lay.key(allh)
                keep = np.flatnonzero(table.insert(a1, a2))
                if not keep.size:
                    continue
                base = stats.states
                # successor i of the chunk: action segment, row of its parent
                seg_end = np.cumsum([len(k) for _a, k, _u in succ])
                seg = np.searchsorted(seg_end, keep, side="right")
                seg_start = seg_end - np.array([len(k) for _a, k, _u in succ])
                within = keep - seg_start[seg]
                prow = np.concatenate([k for _a, k, _u in succ])[keep]
                new_cols = [c[prow] for c in ccols]
                nn = len(keep)
                bounds = np.searchsorted(seg, np.arange(len(succ) + 1))
                for si, (_a, _k, upd) in enumerate(succ):
                    lo, hi = int(bounds[si]), int(bounds[si + 1])
                    if lo == hi:
                        continue
                    w = within[lo:hi]
                    for j, newc in upd.items():
                        new_cols[j][lo:hi] = newc[w] if newc.ndim else newc
                parents.append(fbase + c0 + prow)
                actions_of.append(np.array([a.id for a, _k, _u in succ],
                                           dtype=np.int16)[seg])
                nh = allh[keep]
                stats.states += nn
                check(new_cols, nn, base, depth + 1)
                for j in range(len(lay.names)):
                    out_cols[j].append(new_cols[j])
                outh.append(nh)
                kept_bytes += parents[-1].nbytes + actions_of[-1].nbytes
                out_bytes += sum(c.nbytes for c in new_cols) + nh.nbytes
                used = table.nbytes + kept_bytes + in_bytes + out_bytes
                stats.peak_bytes = max(stats.peak_bytes, used)
                if budget is not None and used > budget:
                    stats.limit_hit = f"memory budget {memory_mb:g} MB reached"
                if max_states is not None and stats.states >= max_states:
                    stats.limit_hit = f"state limit {max_states} reached"
                if time_limit is not None and time.monotonic() - t0 > time_limit:
                    stats.limit_hit = f"time limit {time_limit}s reached"
                if progress is not None:
                    progress(depth + 1, stats.states, None)
                if stats.limit_hit is not None:
                    break
            depth += 1
            if outh:
                frontier = ([np.concatenate(oc) for oc in out_cols], np.concatenate(outh),
                            level_base)
            else:
                frontier = ([], np.zeros((0, lay.nlanes), dtype=_U64), level_base)
            if progress is not None:
                progress(depth, stats.states, None)
            if stats.limit_hit is not None:
                break
    except MemoryError:
        stats.limit_hit = "out of memory"
    stats.depth_reached = depth
    stats.exhausted = not len(frontier[1]) and stats.limit_hit is None
    stats.store_bytes = table.nbytes + sum(p.nbytes for p in parents) + \
        sum(p.nbytes for p in actions_of)
    elapsed = time.monotonic() - t0

    par = np.concatenate(parents)
    act = np.concatenate(actions_of)
    results: list[CheckResult] = []
    for p in props:
        r = CheckResult(model.name, p.name, ENGINE, None, bound, Verdict.HOLDS, elapsed,
                        states=stats.states, reduction=reduction,
                        extra={"transitions": stats.transitions,
                               "depth_reached": stats.depth_reached,
                               "exhausted": stats.exhausted,
                               "bytes_per_state": round(stats.bytes_per_state, 1),
                               "symmetry": sym, "dead": dead, "ample": bool(ample),
                               "peak_mb": round(stats.peak_bytes / 2**20, 1)})
        hit = None
        if p.name in found:
            gi, d = found[p.name]
            schedule: list[str] = []
            while par[gi] >= 0:
                schedule.append(model.actions[int(act[gi])].label)
                gi = int(par[gi])
            schedule.reverse()
            hit = (d, schedule, roots[gi])
        settle(model, frame, p, r, hit=hit, limit=stats.limit_hit, exhausted=stats.exhausted,
               states=stats.states, depth_reached=stats.depth_reached, bound=bound,
               store=STORE_NOTE.format("orbits of " if sym else ""))
        results.append(r)
    return results


def _expand(model: Model, lay: _Layout, groups: _Groups, ccols: list[Arr], n: int,
            reduction: bool, resets: Mapping[int, list[tuple[int, Any]]],
            ample: frozenset[tuple[str, str]] = frozenset()
            ) -> list[tuple[Action, Arr, dict[int, Arr]]]:
    """Every (action, rows it is taken from, columns it writes) of one chunk."""
    o = VECTOR
    enabled: list[tuple[Action, Arr]] = []
    for pc_j, by_pc in groups.by_actor:
        pc = ccols[pc_j]
        for code, acts in by_pc:
            rows = np.flatnonzero(pc == code)
            if not rows.size:
                continue
            st = St(_Cols(lay, ccols, rows))
            for a in acts:
                g = np.broadcast_to(np.asarray(a.guard(o, st), dtype=np.bool_), rows.shape)
                if g.any():
                    enabled.append((a, rows[g]))
    if ample:
        # the ample-set rule: the first actor (in model order) at an ample label with an
        # enabled action there takes the state alone
        rank = {info.name: k for k, info in enumerate(model.actors)}
        first = np.full(n, len(rank), dtype=np.int64)
        for a, rows in enabled:
            if (a.actor, a.src) in ample:
                first[rows] = np.minimum(first[rows], rank[a.actor])
        pruned = []
        for a, rows in enabled:
            f = first[rows]
            keep = rows[(f == len(rank)) | (f == rank[a.actor])]
            if keep.size:
                pruned.append((a, keep))
        enabled = pruned
    elif reduction and any(a.local for a, _r in enabled):
        best = np.full(n, -1, dtype=np.int64)
        for a, rows in sorted(((a, r) for a, r in enabled if a.local), key=lambda x: x[0].id):
            free = rows[best[rows] < 0]
            best[free] = a.id
        pruned = []
        for a, rows in enabled:
            b = best[rows]
            keep = rows[(b == a.id)] if a.local else rows[b < 0]
            if keep.size:
                pruned.append((a, keep))
        enabled = pruned
    out: list[tuple[Action, Arr, dict[int, Arr]]] = []
    for a, rows in sorted(enabled, key=lambda x: x[0].id):
        st = St(_Cols(lay, ccols, rows))
        upd = model.step(o, st, a)
        cols = {lay.index[name]: lay.norm(lay.index[name], v, len(rows))
                for name, v in upd.items()}
        for j, init in resets.get(a.id, ()):
            cols[j] = lay.norm(j, init, len(rows))
        out.append((a, rows, cols))
    return out


__all__ = ["ENGINE", "FastStats", "explore_fast"]
