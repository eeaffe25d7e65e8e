// `--mode verify [--preemptions K]`: every equivalence class of executions of iterations 0 .. N-1,
// with dynamic partial-order reduction (sched/dpor.ts), one fed run serving them all, its steps
// recording the words they touch (shm/footprint.ts). A search like exhaustive mode's
// (search-run.ts): the report, the failure file, the shrinking of its first failure and the report
// of the scenario's own fault are those of every other mode.
import { exploreDpor, partDepth, type DporProgress } from '../sched/dpor.js';
import type { Scenario } from '../scenario/define.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import { CrashError } from '../errors.js';
import type { ResolvedRun } from './options.js';
import type { RawRun, RunHooks } from './run-machine.js';
import { runSearch, type Searched } from './search-run.js';

export interface VerifyFacts extends Searched {
  /** The preemption bound K, or null: none. */
  preemptions: number | null;
  /** Equivalence classes explored (one complete execution each); `schedules` counts every run. */
  classes: number;
  /** Branches scheduled and not run when it stopped (0 when complete). */
  pending: number;
  /** Estimated classes of the iteration being explored when it stopped (Knuth's estimator). */
  estimate: number;
  /** Reversals the preemption bound kept out (0 without a bound: then nothing was left out). */
  pruned: number;
  /** --part I/N: which part of the tree this run explored (absent: the whole tree). */
  part?: VerifyPart;
}

/**
 * A part of the tree: the top (the first `depth` branching decisions of each iteration) is walked by
 * every part alike; its subtrees are shared out, subtree m to part m mod count (sched/dpor.ts).
 * Complete parts 1..count of one run together explore every class once.
 */
export interface VerifyPart {
  /** 1-based. */
  index: number;
  count: number;
  depth: number;
  /** Subtrees of the top, over every iteration: the same in every part. */
  subtrees: number;
  /** Those this part explored. */
  own: number;
}

export interface VerifyHooks extends RunHooks {
  /** After each schedule: where the search of `iteration` is. */
  onSearch?: (p: DporProgress & { iteration: number }) => void;
}

export async function runVerify(ref: ScenarioRef, scenario: Scenario, r: ResolvedRun, bound: number | null, iterations: number,
  hooks: VerifyHooks = {}, part?: { index: number; count: number; depth?: number }): Promise<{ raw: RawRun; facts: VerifyFacts }> {
  let classes = 0, pending = 0, estimate = 0, pruned = 0, subtrees = 0, own = 0;
  const split = part === undefined ? undefined : { index: part.index - 1, count: part.count, depth: part.depth ?? partDepth(part.count) };
  const { raw, searched } = await runSearch(ref, scenario, r, iterations, hooks, async (run, over, iteration) => {
    const done = classes;
    const res = await exploreDpor(async (request) => {
      const e = await run(request);
      if (e.footprints === null) {
        throw new CrashError(`an iteration of ${scenario.name} touched more words than verify records in one schedule; ` +
          'it is too long to verify');
      }
      return { schedule: e.schedule, masks: e.masks, footprints: e.footprints, failed: e.finding !== null };
    }, {
      bound: bound ?? Infinity, over, keepGoing: hooks.keepGoing ?? false, ...(split ? { part: split } : {}),
      buffers: r.memory === 'tso' ? r.cpus : 0,
      onProgress: (p) => {
        classes = done + p.classes;
        ({ pending, estimate } = p);
        hooks.onSearch?.({ ...p, iteration });
      },
    });
    pruned += res.pruned;
    subtrees += res.subtrees;
    own += res.own;
    return { failed: res.failure !== null, complete: res.complete };
  }, true);
  return {
    raw, facts: { preemptions: bound, ...searched, classes, pending: searched.complete ? 0 : pending, estimate, pruned,
      ...(split ? { part: { index: split.index + 1, count: split.count, depth: split.depth, subtrees, own } } : {}) },
  };
}
