// Footprints (verify mode): the machine words each step of a controlled iteration read and wrote.
// A step is what one CPU does from passing a preemption point to its next one (cpu/context.ts
// pass()); one CPU runs at a time, so the baton holder appends each model access it makes to FP_LOG
// and FP_STEP[s] says where step s began. The main thread reads them after the iteration
// (readFootprints) and the partial-order reduction (sched/dpor.ts) compares them.
import type { AccessKind } from './access.js';
import { Ctrl, type Layout } from './layout.js';

/** One entry of FP_LOG: the word, the access kind, and whether it wrote (a failed compare-exchange only read). */
export function encodeAccess(addr: number, kind: AccessKind, wrote: boolean): number {
  return addr * 16 + kind * 2 + (wrote ? 1 : 0);
}

/** Words read and written (sorted, without repeats; a word written is not listed as read). */
export interface WordSets {
  readonly reads: readonly number[];
  readonly writes: readonly number[];
}

/** The words a step read and wrote: machine memory, and (--memory tso) store-buffer bookkeeping apart. */
export interface Footprint extends WordSets {
  /** Entries and heads of store buffers (shm/store-buffer.ts): how a CPU's steps and its buffer's flushes are ordered. */
  readonly buffer: WordSets;
}

const NO_WORDS: WordSets = { reads: [], writes: [] };
export const EMPTY_FOOTPRINT: Footprint = { reads: [], writes: [], buffer: NO_WORDS };

/** Whether two word sets conflict: one writes a word the other reads or writes. */
export function conflicts(a: WordSets, b: WordSets): boolean {
  return meets(a.writes, b.writes) || meets(a.writes, b.reads) || meets(a.reads, b.writes);
}

/**
 * Whether steps of two different agents, `p` with footprint `a` and `q` with `b`, are dependent.
 * Under --memory tso agent `cpus + c` is CPU c's store buffer (its flush steps). A CPU and its own
 * buffer depend on each other only through the buffer's words: under x86-TSO a CPU reads its own
 * store alike before and after the store reaches memory (store forwarding), so the CPU's accesses
 * to a word commute with the flushes of its own stores to it. Any other two agents depend through
 * memory (a buffer's words are touched by its CPU and its flushes alone). `cpus` 0: no buffers.
 */
export function dependent(p: number, a: Footprint, q: number, b: Footprint, cpus: number): boolean {
  return ownBuffer(p, q, cpus) ? conflicts(a.buffer, b.buffer) : conflicts(a, b);
}

/** Whether agents `p` and `q` are a CPU and its own store buffer (`cpus` 0: there are none). */
export function ownBuffer(p: number, q: number, cpus: number): boolean {
  return cpus > 0 && (p - q === cpus || q - p === cpus);
}

/** Whether two sorted lists share an element. */
function meets(x: readonly number[], y: readonly number[]): boolean {
  let i = 0, j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) return true;
    if (x[i]! < y[j]!) i++;
    else j++;
  }
  return false;
}

/** The footprint of entries `from` .. `to` - 1 of `log`; words from `bufferFrom` on are store-buffer words. */
export function footprintOf(log: ArrayLike<number>, from: number, to: number, bufferFrom = Infinity): Footprint {
  const r = new Set<number>(), w = new Set<number>();
  for (let i = from; i < to; i++) {
    const e = log[i]!;
    const addr = Math.floor(e / 16);
    if (e & 1) w.add(addr);
    else r.add(addr);
  }
  for (const a of w) r.delete(a);
  const sorted = (s: Set<number>, buffer: boolean): number[] =>
    [...s].filter((a) => (a >= bufferFrom) === buffer).sort((a, b) => a - b);
  if (bufferFrom === Infinity) return { reads: sorted(r, false), writes: sorted(w, false), buffer: NO_WORDS };
  return { reads: sorted(r, false), writes: sorted(w, false), buffer: { reads: sorted(r, true), writes: sorted(w, true) } };
}

/**
 * The footprint of each of the `steps` steps of the iteration the machine just ran, or null when
 * FP_LOG ran out (raise MachineConfig.footprints).
 */
export function readFootprints(m: Int32Array, L: Layout, steps: number): Footprint[] | null {
  if (Atomics.load(m, L.CTRL + Ctrl.FP_LOST) !== 0) return null;
  const len = Atomics.load(m, L.CTRL + Ctrl.FP_LEN);
  const log = m.subarray(L.FP_LOG, L.FP_LOG + len);
  // the store buffers' regions (SB_HEAD .. SB_VAL) are the layout's last; they exist under tso only
  const bufferFrom = (L.config.storeBuffer ?? 0) > 0 ? L.SB_HEAD : Infinity;
  const out: Footprint[] = new Array<Footprint>(steps);
  for (let s = 0; s < steps; s++) {
    const from = Atomics.load(m, L.FP_STEP + s);
    const to = s + 1 < steps ? Atomics.load(m, L.FP_STEP + s + 1) : len;
    out[s] = footprintOf(log, from, to, bufferFrom);
  }
  return out;
}
