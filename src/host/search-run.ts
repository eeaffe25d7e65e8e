// A search over schedules on one fed run (explorer.ts): each iteration 0 .. N-1 (a scenario may
// vary with the iteration) searched by `search` (exhaustive mode: every schedule within a preemption
// bound, sched/exhaustive.ts; verify mode: every equivalence class, sched/dpor.ts), until a finding,
// the --duration limit, a stop request or the scenario's own fault. Its result is a RawRun like any run's, so the report, the failure file, the
// shrinking of its first failure and the report of the scenario's fault are the other modes'.
import type { SearchStop } from '../sched/exhaustive.js';
import type { Scenario } from '../scenario/define.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import { Explorer, FedFault, type Execution } from './explorer.js';
import type { ResolvedRun } from './options.js';
import { rawRun, type RawRun, type RunHooks } from './run-machine.js';

/**
 * Searches one iteration's schedules through `run` until `over()` says stop: whether a schedule
 * failed (the search stopped there, unless hooks.keepGoing) and whether it ran all it asks for.
 */
export type Search = (run: (request: readonly number[]) => Promise<Execution>, over: () => boolean, iteration: number) =>
  Promise<{ failed: boolean; complete: boolean }>;

/** What a search covered. */
export interface Searched {
  /** Schedules run. */
  schedules: number;
  /** Iteration numbers whose every schedule the search asks for was run. */
  iterationsComplete: number;
  /** Every schedule of every iteration asked for was run, none forbidden. */
  complete: boolean;
  /** Why it ended early: a finding, the --duration limit, the user, or the scenario's own fault. */
  stoppedBy: SearchStop | null;
}

/** With `footprints`, each schedule's steps record the words they touch (verify mode). */
export async function runSearch(ref: ScenarioRef, scenario: Scenario, r: ResolvedRun, iterations: number, hooks: RunHooks,
  search: Search, footprints = false): Promise<{ raw: RawRun; searched: Searched }> {
  const t0 = performance.now();
  const explorer = await Explorer.open(ref, scenario, r, footprints);
  const startupMs = performance.now() - t0;
  const t1 = performance.now();
  const deadline = r.durationMs > 0 ? t1 + r.durationMs : Infinity;
  let stoppedBy: SearchStop | null = null;
  const over = (): boolean => {
    if (hooks.signal?.aborted) stoppedBy = 'interrupted';
    else if (performance.now() >= deadline) stoppedBy = 'duration';
    return stoppedBy !== null;
  };
  let schedules = 0;
  let iterationsComplete = 0;
  let lastProgress = t1;
  let first: RawRun['first'] = null;
  let ended: FedFault['ended'] | null = null;
  try {
    try {
      for (let it = 0; it < iterations && stoppedBy === null; it++) {
        const res = await search(async (request) => {
          const e = await explorer.run(request, it);
          schedules++;
          if (hooks.onProgress && performance.now() - lastProgress > 100) { lastProgress = performance.now(); hooks.onProgress(schedules, 0); }
          return e;
        }, over, it);
        if (res.failed && !hooks.keepGoing) {
          first = explorer.lastFailure();
          stoppedBy = 'finding';
        } else if (res.complete) iterationsComplete++;
      }
    } catch (e) {
      if (!(e instanceof FedFault)) throw e;
      ended = e.ended;
      stoppedBy = 'scenario-error';
    }
    hooks.onProgress?.(schedules, first === null ? 0 : 1);
    const tallies = explorer.tallies(Object.keys(scenario.outcomes).length);
    return {
      raw: rawRun({ iterations: schedules, elapsedMs: performance.now() - t1, startupMs, ...tallies },
        { first, ...ended, watchdog: explorer.watchdog, interrupted: hooks.signal?.aborted === true }),
      searched: { schedules, iterationsComplete, complete: iterationsComplete === iterations, stoppedBy },
    };
  } finally {
    await explorer.close();
  }
}
