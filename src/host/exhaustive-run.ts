// `--mode exhaustive --preemptions K`: every schedule with at most K preemptions of iterations
// 0 .. N-1, one fed run serving them all (sched/exhaustive.ts, search-run.ts).
import { exploreExhaustively } from '../sched/exhaustive.js';
import type { Scenario } from '../scenario/define.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import type { ResolvedRun } from './options.js';
import type { RawRun, RunHooks } from './run-machine.js';
import { runSearch, type Searched } from './search-run.js';

export interface ExhaustiveFacts extends Searched {
  /** The preemption bound K. */
  preemptions: number;
}

export const DEFAULT_PREEMPTION_BOUND = 2;

export async function runExhaustive(ref: ScenarioRef, scenario: Scenario, r: ResolvedRun, bound: number, iterations: number,
  hooks: RunHooks = {}): Promise<{ raw: RawRun; facts: ExhaustiveFacts }> {
  const { raw, searched } = await runSearch(ref, scenario, r, iterations, hooks, async (run, over) => {
    const res = await exploreExhaustively(bound, async (request) => {
      const e = await run(request);
      return { schedule: e.schedule, masks: e.masks, failed: e.finding !== null };
    }, over, hooks.keepGoing);
    return { failed: res.failure !== null, complete: res.complete };
  });
  return { raw, facts: { preemptions: bound, ...searched } };
}
