// `--mode exhaustive --preemptions K`: every schedule with at most K preemptions of iterations
// 0 .. N-1 (a scenario may vary with the iteration), one fed run serving them all
// (sched/exhaustive.ts). The result has the shape of any run's, so the report, the failure file and
// the shrinking of its first failure are the same as in the other modes.
import { exploreExhaustively } from '../sched/exhaustive.js';
import type { Scenario } from '../scenario/define.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import { Explorer } from './explorer.js';
import type { ResolvedRun } from './options.js';
import { rawRun, type RawRun, type RunHooks } from './run-machine.js';

export interface ExhaustiveFacts {
  /** The preemption bound K. */
  preemptions: number;
  /** Schedules run (each with at most K preemptions). */
  schedules: number;
  /** Iteration numbers whose every schedule within the bound was run. */
  iterationsComplete: number;
  /** Every schedule of every iteration asked for was run, none forbidden. */
  complete: boolean;
  /** Why it ended early: a finding, the --duration limit, or the user. */
  stoppedBy: 'finding' | 'duration' | 'interrupted' | null;
}

export const DEFAULT_PREEMPTION_BOUND = 2;

export async function runExhaustive(ref: ScenarioRef, scenario: Scenario, r: ResolvedRun, bound: number, iterations: number,
  hooks: RunHooks = {}): Promise<{ raw: RawRun; facts: ExhaustiveFacts }> {
  const t0 = performance.now();
  const explorer = await Explorer.open(ref, r);
  const startupMs = performance.now() - t0;
  const t1 = performance.now();
  const deadline = r.durationMs > 0 ? t1 + r.durationMs : Infinity;
  let stoppedBy: ExhaustiveFacts['stoppedBy'] = null;
  const over = (): boolean => {
    if (hooks.signal?.aborted) stoppedBy = 'interrupted';
    else if (performance.now() >= deadline) stoppedBy = 'duration';
    return stoppedBy !== null;
  };
  let schedules = 0;
  let iterationsComplete = 0;
  let lastProgress = t1;
  try {
    let first: RawRun['first'] = null;
    for (let it = 0; it < iterations && first === null && stoppedBy === null; it++) {
      const res = await exploreExhaustively(bound, async (request) => {
        const e = await explorer.run(request, it);
        schedules++;
        if (hooks.onProgress && performance.now() - lastProgress > 100) { lastProgress = performance.now(); hooks.onProgress(schedules, 0); }
        return { schedule: e.schedule, masks: e.masks, failed: e.finding !== null };
      }, over, hooks.keepGoing);
      if (res.failure) {
        first = explorer.lastFailure();
        stoppedBy = 'finding';
      } else if (res.complete) iterationsComplete++;
    }
    hooks.onProgress?.(schedules, first === null ? 0 : 1);
    const tallies = explorer.tallies(Object.keys(scenario.outcomes).length);
    return {
      raw: rawRun({ iterations: schedules, elapsedMs: performance.now() - t1, startupMs, ...tallies },
        { first, interrupted: hooks.signal?.aborted === true }),
      facts: { preemptions: bound, schedules, iterationsComplete, complete: iterationsComplete === iterations, stoppedBy },
    };
  } finally {
    await explorer.close();
  }
}
