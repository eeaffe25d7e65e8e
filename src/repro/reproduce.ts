// What a run does with its first failure before it reports it: make it exact (a controlled
// schedule replays as is; a free-mode order is converted, convert.ts), shrink it (sched/shrink.ts),
// and run the schedule to be shown once more for its trace. One fed run serves all of it.
import type { Ran } from '../sched/preemption.js';
import { encodeSchedule } from '../sched/schedule.js';
import { shrinkSchedule, shrinkSize } from '../sched/shrink.js';
import type { Scenario } from '../scenario/define.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import { convertFreeFailure, type ConvertResult } from './convert.js';
import { Explorer, type Execution } from '../host/explorer.js';
import type { FailureFile } from './failure.js';
import type { ShrinkReport } from '../report/report.js';
import { sameTarget, type Target } from './finding.js';
import type { ResolvedRun } from '../host/options.js';
import type { FirstFailure } from '../host/run-machine.js';

/** A shrunk schedule and the facts of its shrinking. */
export interface ShrinkFacts extends ShrinkReport {
  schedule: number[];
}

export interface Reproduction {
  /** The failure as an exact schedule, or null (a free-mode order that could not be converted). */
  exact: Ran | null;
  /** Free mode only: the conversion of the recorded order. */
  conversion: ConvertResult | null;
  /** null: not shrunk (not asked, or not exact). */
  shrunk: ShrinkFacts | null;
  /** The failure of the schedule to show (shrunk, else exact), with its trace; null if not exact. */
  shown: FirstFailure | null;
}

export interface ReproduceOptions {
  shrink: boolean;
  /** Free mode: time for the conversion. */
  convertBudgetMs: number;
  /** A stop request ends the conversion and the shrinking where they are (what they found is kept). */
  signal?: AbortSignal | undefined;
}

/** A failure as recorded: the schedule (a free-mode order, or a controlled schedule) and its iteration. */
export interface Recorded {
  schedule: readonly number[];
  iteration: number;
}

/**
 * `free`: `first.schedule` is a free-mode order, to convert; otherwise it replays as is. Throws the
 * explorer's FedFault when a schedule it runs makes the scenario's code fail.
 */
export async function reproduce(ref: ScenarioRef, scenario: Scenario, r: ResolvedRun, first: Recorded, target: Target,
  o: ReproduceOptions, free = r.mode === 'free'): Promise<Reproduction> {
  const explorer = await Explorer.open(ref, scenario, r);
  const stop = (): boolean => o.signal?.aborted ?? false;
  try {
    const same = (e: Execution): boolean => sameTarget(scenario, target, e.finding);
    let exact: Execution | null;
    let conversion: ConvertResult | null = null;
    if (free) {
      conversion = await convertFreeFailure(explorer, first.schedule, first.iteration, same, o.convertBudgetMs, r.seedHash, r.cpus, stop);
      exact = conversion.found;
    } else {
      const e = await explorer.run(first.schedule, first.iteration);
      exact = same(e) ? e : null;
    }
    if (!exact) return { exact: null, conversion, shrunk: null, shown: null };
    let shown: Ran = exact;
    let shrunk: ShrinkFacts | null = null;
    if (o.shrink) shrunk = await shrinkRan(explorer, exact, first.iteration, same, stop);
    if (shrunk) shown = { schedule: shrunk.schedule, masks: [] };
    await explorer.run(shown.schedule, first.iteration);
    return { exact, conversion, shrunk, shown: explorer.lastFailure() };
  } finally {
    await explorer.close();
  }
}

/** Shrinks an exact execution of a failure; the facts of the result. */
export async function shrinkRan(explorer: Explorer, exact: Ran, iteration: number,
  same: (e: Execution) => boolean, stop: () => boolean): Promise<ShrinkFacts> {
  const t0 = performance.now();
  const res = await shrinkSchedule(exact, async (request) => {
    const e = await explorer.run(request, iteration);
    return { schedule: e.schedule, masks: e.masks, same: same(e) };
  }, undefined, stop);
  return {
    schedule: res.best.schedule.slice(), ...shrinkSize(res.best, exact),
    ms: Math.round(performance.now() - t0), runs: res.runs, ...(res.limited && stop() ? { stopped: true } : {}),
  };
}

/** The `shrunk` record of a failure file (no timings: the same run writes the same file). */
export function shrunkRecord(k: ShrinkFacts): NonNullable<FailureFile['shrunk']> {
  const { preemptions, steps, fromPreemptions, fromSteps } = k;
  return { schedule: encodeSchedule(k.schedule), preemptions, steps, fromPreemptions, fromSteps };
}

/** The report's view of a shrink: its facts without the schedule. */
export function shrinkReport(k: ShrinkFacts): ShrinkReport {
  const { schedule: _s, ...facts } = k;
  return facts;
}
