// The interface every controlled exploration strategy implements. `free` is not a strategy: there
// is no baton in free mode, only optional jitter (jitter.ts).
import type { Layout } from '../shm/layout.js';

/** What a strategy reads and advances: the machine (its SCHED words) and the run's seed. */
export interface SchedState {
  readonly m: Int32Array;
  readonly L: Layout;
  /**
   * What the strategy schedules: the CPUs 0 .. cpus-1, and under --memory tso the flush of each
   * CPU c's store buffer as pseudo-CPU cpus + c (shm/layout.ts scheduledAgents()).
   */
  readonly agents: number;
  readonly seedHash: number;
}

/**
 * Decides which CPU runs next at a decision point. All of its state lives in the machine, so
 * whichever CPU holds the baton computes the same decision as any other would.
 */
export interface Strategy {
  /** Re-seed per-iteration state from (seed, iteration). Called by CPU0 before the iteration. */
  beginIteration(s: SchedState, iteration: number): void;
  /**
   * `runnable` is a non-empty bitmask of CPUs that may run; `current` is the deciding CPU (it may
   * itself be blocked or finished, then it is not in `runnable`); `step` counts the preemption
   * points passed so far in this iteration. Returns a CPU in `runnable`.
   */
  pick(s: SchedState, runnable: number, current: number, step: number): number;
}

/** Lowest set bit's index. */
export function lowestCpu(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}

/** The `i`-th set bit's index (0-based). */
export function nthCpu(mask: number, i: number): number {
  for (let c = 0; c < 32; c++) {
    if (mask & (1 << c)) { if (i === 0) return c; i--; }
  }
  throw new Error('internal error: nthCpu past the mask (this is a bug in foliorace)');
}

export function popcount(mask: number): number {
  let n = 0;
  for (let x = mask; x !== 0; x &= x - 1) n++;
  return n;
}
