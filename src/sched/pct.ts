// PCT: Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010).
// Each iteration gives the CPUs (and under --memory tso the store buffers' flushes) distinct random priorities and draws d-1 change points among the
// expected k steps; the highest-priority runnable CPU always runs, and at the i-th change point the
// running CPU drops to priority i (below every initial priority). A bug of depth d is found with
// probability at least 1/(n·k^(d-1)) per iteration.
// Ours: k is learned (the longest iteration so far, kept in Ctrl.PCT_K), so it adapts per scenario.
//
// State (machine words):
//   PCT_PRIO[c]   — priority of CPU c; initial ones are DEPTH-1 .. DEPTH-2+n, change points use 0..DEPTH-2
//   PCT_CHANGE[i] — the step of change point i (i < DEPTH-1)
import { Ctrl } from '../shm/layout.js';
import { nextBelow, seedPrng } from './prng.js';
import type { SchedState, Strategy } from './strategy.js';

/** Bug depth the search targets; two change points cover the classic three-step races. */
export const PCT_DEPTH = 3;
const INITIAL_K = 64;

export const pctStrategy: Strategy = {
  beginIteration(s: SchedState, iteration: number): void {
    const { m, L, agents } = s;
    seedPrng(m, L.SCHED_PRNG, s.seedHash, iteration, 1);
    // Random permutation of priorities DEPTH-1 .. DEPTH-2+n (Fisher–Yates).
    for (let c = 0; c < agents; c++) Atomics.store(m, L.PCT_PRIO + c, PCT_DEPTH - 1 + c);
    for (let c = agents - 1; c > 0; c--) {
      const j = nextBelow(m, L.SCHED_PRNG, c + 1);
      const a = Atomics.load(m, L.PCT_PRIO + c);
      Atomics.store(m, L.PCT_PRIO + c, Atomics.load(m, L.PCT_PRIO + j));
      Atomics.store(m, L.PCT_PRIO + j, a);
    }
    const k = Math.max(INITIAL_K, Atomics.load(m, L.CTRL + Ctrl.PCT_K));
    for (let i = 0; i < PCT_DEPTH - 1; i++) Atomics.store(m, L.PCT_CHANGE + i, 1 + nextBelow(m, L.SCHED_PRNG, k));
  },

  pick(s: SchedState, runnable: number, current: number, step: number): number {
    const { m, L, agents } = s;
    for (let i = 0; i < PCT_DEPTH - 1; i++) {
      if (Atomics.load(m, L.PCT_CHANGE + i) === step) Atomics.store(m, L.PCT_PRIO + current, i);
    }
    let best = -1;
    let bestPrio = -1;
    for (let c = 0; c < agents; c++) {
      if ((runnable & (1 << c)) === 0) continue;
      const p = Atomics.load(m, L.PCT_PRIO + c);
      if (p > bestPrio) { best = c; bestPrio = p; }
    }
    return best;
  },
};
