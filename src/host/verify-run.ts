// `--mode verify [--preemptions K]`: every equivalence class of executions of iterations 0 .. N-1,
// with dynamic partial-order reduction (sched/dpor.ts), one fed run serving them all, its steps
// recording the words they touch (shm/footprint.ts). The result has the shape of any run's, so the
// report, the failure file and the shrinking of its first failure are those of the other modes.
import { exploreDpor, type DporProgress } from '../sched/dpor.js';
import type { Scenario } from '../scenario/define.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import { CrashError } from '../errors.js';
import { Explorer } from './explorer.js';
import type { ResolvedRun } from './options.js';
import { rawRun, type RawRun, type RunHooks } from './run-machine.js';

export interface VerifyFacts {
  /** The preemption bound K, or null: none. */
  preemptions: number | null;
  /** Equivalence classes explored (one complete execution each). */
  classes: number;
  /** Schedules run (classes, plus runs that sleep sets found redundant or that were not a decision). */
  runs: number;
  /** Iteration numbers whose every class (within the bound) was explored. */
  iterationsComplete: number;
  /** Every class of every iteration asked for was explored, none forbidden. */
  complete: boolean;
  /** Why it ended early: a finding, the --duration limit, or the user. */
  stoppedBy: 'finding' | 'duration' | 'interrupted' | null;
  /** Branches scheduled and not run when it stopped (0 when complete). */
  pending: number;
  /** Estimated classes of the iteration being explored when it stopped (Knuth's estimator). */
  estimate: number;
  /** Reversals the preemption bound kept out (0 without a bound: then nothing was left out). */
  pruned: number;
}

export interface VerifyHooks extends RunHooks {
  /** About every 100 ms: where the search is. */
  onSearch?: (p: DporProgress & { iteration: number }) => void;
}

export async function runVerify(ref: ScenarioRef, scenario: Scenario, r: ResolvedRun, bound: number | null, iterations: number,
  hooks: VerifyHooks = {}): Promise<{ raw: RawRun; facts: VerifyFacts }> {
  const t0 = performance.now();
  const explorer = await Explorer.open(ref, r, true);
  const startupMs = performance.now() - t0;
  const t1 = performance.now();
  const deadline = r.durationMs > 0 ? t1 + r.durationMs : Infinity;
  let stoppedBy: VerifyFacts['stoppedBy'] = null;
  const over = (): boolean => {
    if (hooks.signal?.aborted) stoppedBy = 'interrupted';
    else if (performance.now() >= deadline) stoppedBy = 'duration';
    return stoppedBy !== null;
  };
  const facts: VerifyFacts = { preemptions: bound, classes: 0, runs: 0, iterationsComplete: 0, complete: false, stoppedBy: null,
    pending: 0, estimate: 0, pruned: 0 };
  let last = t1;
  try {
    let first: RawRun['first'] = null;
    for (let it = 0; it < iterations && first === null && stoppedBy === null; it++) {
      const before = { classes: facts.classes, runs: facts.runs };
      const res = await exploreDpor(async (request) => {
        const e = await explorer.run(request, it);
        if (e.footprints === null) {
          throw new CrashError(`an iteration of ${scenario.name} touched more words than verify records ` +
            `(${explorer.footprintCapacity} footprint entries); it is too long to verify`);
        }
        return { schedule: e.schedule, masks: e.masks, footprints: e.footprints, failed: e.finding !== null };
      }, {
        bound: bound ?? Infinity, over, keepGoing: hooks.keepGoing ?? false,
        onProgress: (p) => {
          Object.assign(facts, { classes: before.classes + p.classes, runs: before.runs + p.runs, pending: p.pending, estimate: p.estimate });
          if (performance.now() - last > 100) {
            last = performance.now();
            hooks.onProgress?.(facts.runs, 0);
            hooks.onSearch?.({ ...p, iteration: it });
          }
        },
      });
      facts.pruned += res.pruned;
      if (res.failure && !hooks.keepGoing) {
        // the explorer's last run is the failing one: its failure, trace included
        first = explorer.lastFailure();
        stoppedBy = 'finding';
      } else if (res.complete) facts.iterationsComplete++;
    }
    hooks.onProgress?.(facts.runs, first === null ? 0 : 1);
    facts.stoppedBy = stoppedBy;
    facts.complete = facts.iterationsComplete === iterations && first === null;
    if (facts.complete) facts.pending = 0;
    const tallies = explorer.tallies(Object.keys(scenario.outcomes).length);
    return {
      raw: rawRun({ iterations: facts.runs, elapsedMs: performance.now() - t1, startupMs, ...tallies },
        { first, interrupted: hooks.signal?.aborted === true }),
      facts,
    };
  } finally {
    await explorer.close();
  }
}
