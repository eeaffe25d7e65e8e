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

/** The words a step read and wrote (sorted, without repeats; a word written is not listed as read). */
export interface Footprint {
  readonly reads: readonly number[];
  readonly writes: readonly number[];
}

export const EMPTY_FOOTPRINT: Footprint = { reads: [], writes: [] };

/** Whether two steps of different CPUs conflict: one writes a word the other reads or writes. */
export function conflicts(a: Footprint, b: Footprint): boolean {
  return meets(a.writes, b.writes) || meets(a.writes, b.reads) || meets(a.reads, b.writes);
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

/** The footprint of entries `from` .. `to` - 1 of `log`. */
export function footprintOf(log: ArrayLike<number>, from: number, to: number): Footprint {
  const r = new Set<number>(), w = new Set<number>();
  for (let i = from; i < to; i++) {
    const e = log[i]!;
    const addr = Math.floor(e / 16);
    if (e & 1) w.add(addr);
    else r.add(addr);
  }
  for (const a of w) r.delete(a);
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  return { reads: sorted(r), writes: sorted(w) };
}

/**
 * The footprint of each of the `steps` steps of the iteration the machine just ran, or null when
 * FP_LOG ran out (raise MachineConfig.footprints).
 */
export function readFootprints(m: Int32Array, L: Layout, steps: number): Footprint[] | null {
  if (Atomics.load(m, L.CTRL + Ctrl.FP_LOST) !== 0) return null;
  const len = Atomics.load(m, L.CTRL + Ctrl.FP_LEN);
  const log = m.subarray(L.FP_LOG, L.FP_LOG + len);
  const out: Footprint[] = new Array<Footprint>(steps);
  for (let s = 0; s < steps; s++) {
    const from = Atomics.load(m, L.FP_STEP + s);
    const to = s + 1 < steps ? Atomics.load(m, L.FP_STEP + s + 1) : len;
    out[s] = footprintOf(log, from, to);
  }
  return out;
}
