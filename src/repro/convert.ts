// A free-mode failure made exact: free mode records the order in which the CPUs took tickets at
// preemption points, which is not always the order of their operations (a ticket and the operation
// after it are not one atomic step), so the recorded order may not replay. Conversion searches for
// a controlled schedule that gives the same finding (kind and name), in three phases, until the
// budget runs out:
//   1. the recorded order itself;
//   2. near where it went wrong (the step the replay could not follow, or else every switch of the
//      recorded order): each switch between two CPUs moved by ±1, ±2, ±3 steps, the switches
//      nearest that step first; then pairs of such moves among the nearest eight switches;
//   3. PCT schedules (sched/pct-request.ts) of depth 1 to 3, seeded by the run's seed.
// When the recorded order's execution never had a choice (one CPU runnable at every decision), it
// is the only execution there is: the search ends there.
// Whatever is found is an execution of the replay strategy, so the file it is written to replays
// exactly.
import { blocksOf } from '../sched/shrink.js';
import { pctRequest } from '../sched/pct-request.js';
import { seedPrng } from '../sched/prng.js';
import type { Execution, Explorer } from '../host/explorer.js';

export interface ConvertResult {
  /** The exact execution found, or null when the budget ran out. */
  found: Execution | null;
  /** Which phase found it. */
  phase: 'recorded' | 'near-divergence' | 'pct' | null;
  ms: number;
  /** Schedules run, per phase. */
  tried: { recorded: number; nearDivergence: number; pct: number };
  /** The step (1-based) where the recorded order could not be followed; 0 if it could. */
  divergedAtStep: number;
}

const SHIFTS = [1, -1, 2, -2, 3, -3];
const PAIR_SWITCHES = 8;

/** Searches for an exact schedule reaching what `same` accepts, within `budgetMs` and until `stop()`. */
export async function convertFreeFailure(explorer: Explorer, recorded: readonly number[], iteration: number,
  same: (e: Execution) => boolean, budgetMs: number, seedHash: number, ncpus: number,
  stop: () => boolean = () => false): Promise<ConvertResult> {
  const t0 = performance.now();
  const tried = { recorded: 0, nearDivergence: 0, pct: 0 };
  const over = (): boolean => stop() || performance.now() - t0 >= budgetMs;
  const done = (found: Execution | null, phase: ConvertResult['phase'], divergedAtStep: number): ConvertResult =>
    ({ found, phase, ms: Math.round(performance.now() - t0), tried, divergedAtStep });

  tried.recorded++;
  const first = await explorer.run(recorded, iteration);
  if (same(first)) return done(first, 'recorded', first.diverged);
  if (first.masks.every((m) => (m & (m - 1)) === 0)) return done(null, null, first.diverged);
  const focus = first.diverged > 0 ? first.diverged - 1 : recorded.length;

  // Switch points of the recorded order, nearest the focus first.
  const cuts = blocksOf(recorded).slice(1).map((b) => b.start).sort((a, b) => Math.abs(a - focus) - Math.abs(b - focus) || a - b);
  const moved = (s: readonly number[], cut: number, d: number): number[] | null => {
    const to = cut + d;
    if (to <= 0 || to >= s.length) return null;
    const out = s.slice();
    if (d > 0) for (let i = cut; i < to; i++) out[i] = s[cut - 1]!; // the earlier CPU runs d more steps
    else for (let i = to; i < cut; i++) out[i] = s[cut]!; // the later CPU starts d steps sooner
    return out;
  };
  for (const cut of cuts) {
    for (const d of SHIFTS) {
      if (over()) return done(null, null, first.diverged);
      const req = moved(recorded, cut, d);
      if (!req) continue;
      tried.nearDivergence++;
      const e = await explorer.run(req, iteration);
      if (same(e)) return done(e, 'near-divergence', first.diverged);
    }
  }
  const near = cuts.slice(0, PAIR_SWITCHES);
  for (let i = 0; i < near.length; i++) {
    for (let j = i + 1; j < near.length; j++) {
      for (const d1 of SHIFTS) {
        for (const d2 of SHIFTS) {
          if (over()) return done(null, null, first.diverged);
          const one = moved(recorded, near[i]!, d1);
          const req = one && moved(one, near[j]!, d2);
          if (!req) continue;
          tried.nearDivergence++;
          const e = await explorer.run(req, iteration);
          if (same(e)) return done(e, 'near-divergence', first.diverged);
        }
      }
    }
  }
  const prng = new Int32Array(4);
  seedPrng(prng, 0, seedHash, iteration, 7);
  for (let n = 0; !over(); n++) {
    tried.pct++;
    const e = await explorer.run(pctRequest(prng, ncpus, recorded.length, 1 + (n % 3)), iteration);
    if (same(e)) return done(e, 'pct', first.diverged);
  }
  return done(null, null, first.diverged);
}
