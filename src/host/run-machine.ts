// Runs one scenario on a fresh machine: allocate it, start one worker per CPU, let them iterate,
// watch progress (and hangs) from the main thread, and read the results back out of the machine.
import { Ctrl, type Layout } from '../shm/layout.js';
import { decodeFailSchedule, decodeFailTrace, type TraceEvent } from '../shm/decode.js';
import { SITES } from '../kernel/sites.js';
import type { Scenario } from '../scenario/define.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import { CrashError } from '../errors.js';
import { newMachine } from './new-machine.js';
import type { ResolvedRun } from './options.js';
import { SupervisedRun, type RunEnd } from './supervised-run.js';
import { findingKindOf, type FindingKind } from '../cpu/finding-kind.js';

export interface ReplaySpec {
  /** CPU passing each preemption point, in order. */
  schedule: readonly number[];
  /** The iteration number the schedule was recorded in. */
  iteration: number;
}

export interface RunHooks {
  /** Called about every 100 ms with iterations done and, of them, those with a finding. */
  onProgress?: (done: number, found: number) => void;
  /** Aborting it ends the run after the current iteration (or ends its workers soon after); results are kept. */
  signal?: AbortSignal;
  /** Searches (exhaustive, verify): go on past failures, so that every outcome is counted (soundness tests). */
  keepGoing?: boolean;
}

export interface FirstFailure {
  iteration: number;
  kind: FindingKind;
  /** Outcome index (forbidden), violation code, CPU (error) or index into unknownOutcomes (unknown). */
  code: number;
  args: [number, number, number];
  events: TraceEvent[];
  truncated: boolean;
  schedule: number[];
  /** Where each CPU last waited (deadlock), or where the looping CPU was (livelock). */
  sites: string[];
  /** Who held the references at the iteration's last failed migration refcount check (RefHolders). */
  refHolders: number[];
}

/** What a run found and how it ended (supervised-run.ts). */
export interface RawRun extends RunEnd {
  iterations: number;
  elapsedMs: number;
  startupMs: number;
  outcomeCounts: number[];
  violations: number;
  deadlocks: number;
  livelocks: number;
  first: FirstFailure | null;
  /** Replay only: first schedule step (1-based) that could not be followed, 0 if none. */
  replayDiverged: number;
  /** Mean simulated time of an iteration (ns, kernel/sim-time.ts). */
  simNsPerIteration: number;
}

/** What every run has, counted; what only some runs have (a failure, a fault, a watchdog...) defaults to none. */
export type RawRunCounts = Pick<RawRun, 'iterations' | 'elapsedMs' | 'startupMs' | 'outcomeCounts' | 'violations' | 'deadlocks' | 'livelocks'>;

/** A RawRun of `counts`, with `more` of what only some runs have. */
export function rawRun(counts: RawRunCounts, more: Partial<RawRun> = {}): RawRun {
  return {
    watchdog: null, first: null, replayDiverged: 0, fault: null, unknownOutcomes: {}, workerFault: null, interrupted: false,
    simNsPerIteration: 0, ...counts, ...more,
  };
}

export async function runMachine(ref: ScenarioRef, scenario: Scenario, r: ResolvedRun, hooks: RunHooks = {},
  replay?: ReplaySpec): Promise<RawRun> {
  const machine = newMachine(r.config);
  const { i32: m, L } = machine;
  if (replay) {
    if (replay.schedule.length > r.config.scheduleCapacity) {
      throw new CrashError(`the schedule has ${replay.schedule.length} steps, more than scheduleCapacity ${r.config.scheduleCapacity}`);
    }
    replay.schedule.forEach((c, i) => Atomics.store(m, L.REPLAY + i, c));
    Atomics.store(m, L.CTRL + Ctrl.REPLAY_LEN, replay.schedule.length);
  }
  const plan = {
    iterations: r.iterations, firstIteration: replay?.iteration ?? 0, durationMs: r.durationMs,
    stopOnFirst: r.stopOnFirst, seedHash: r.seedHash,
  };
  const forbidden = Object.values(scenario.outcomes).flatMap((k, i) => (k === 'forbidden' ? [i] : []));
  const found = (): number => forbidden.reduce((a, i) => a + Atomics.load(m, L.OUTCOME_COUNT + i), 0) +
    Atomics.load(m, L.CTRL + Ctrl.VIOLATIONS) + Atomics.load(m, L.CTRL + Ctrl.DEADLOCKS) + Atomics.load(m, L.CTRL + Ctrl.LIVELOCKS);
  const progress = hooks.onProgress;
  const run = await SupervisedRun.start(ref, scenario.name, r, machine, plan,
    { onProgress: progress ? (done: number) => progress(done, found()) : undefined, signal: hooks.signal });
  try {
    const end = await run.end;
    return {
      ...end,
      iterations: Atomics.load(m, L.CTRL + Ctrl.ITER),
      elapsedMs: performance.now() - run.startedAt, startupMs: run.startupMs,
      outcomeCounts: Object.keys(scenario.outcomes).map((_, i) => Atomics.load(m, L.OUTCOME_COUNT + i)),
      violations: Atomics.load(m, L.CTRL + Ctrl.VIOLATIONS),
      deadlocks: Atomics.load(m, L.CTRL + Ctrl.DEADLOCKS),
      livelocks: Atomics.load(m, L.CTRL + Ctrl.LIVELOCKS),
      first: readFirstFailure(m, L, r.mode !== 'free'),
      replayDiverged: Atomics.load(m, L.CTRL + Ctrl.REPLAY_DIVERGED),
      simNsPerIteration: Atomics.load(m, L.CTRL + Ctrl.SIM_MEAN_NS),
    };
  } finally {
    await run.release();
  }
}

export function readFirstFailure(m: Int32Array, L: Layout, controlled: boolean): FirstFailure | null {
  const finding = readFinding(m, L);
  if (!finding) return null;
  const { events, truncated } = decodeFailTrace(m, L);
  const refHolders = Array.from({ length: L.sizes.FAIL_REF_HOLDERS }, (_, i) => Atomics.load(m, L.FAIL_REF_HOLDERS + i));
  return { ...finding, events, truncated, schedule: decodeFailSchedule(m, L, controlled, events), refHolders };
}

/** The first failure's iteration and finding, without its trace and schedule. */
export function readFinding(m: Int32Array, L: Layout): Omit<FirstFailure, 'events' | 'truncated' | 'schedule' | 'refHolders'> | null {
  const iteration = Atomics.load(m, L.CTRL + Ctrl.FIRST_FAIL_ITER);
  if (iteration < 0) return null;
  const kind = findingKindOf(Atomics.load(m, L.CTRL + Ctrl.FAIL_KIND)) ?? 'forbidden';
  const code = Atomics.load(m, L.CTRL + Ctrl.FAIL_CODE);
  const siteOf = (c: number): string => SITES[Atomics.load(m, L.FAIL_SITES + c)]?.name ?? 'running';
  return {
    iteration,
    kind,
    code,
    args: [Atomics.load(m, L.CTRL + Ctrl.FAIL_ARG0), Atomics.load(m, L.CTRL + Ctrl.FAIL_ARG1), Atomics.load(m, L.CTRL + Ctrl.FAIL_ARG2)],
    sites: Array.from({ length: L.config.cpus }, (_, c) =>
      kind === 'deadlock' || (kind === 'livelock' && c === code) ? siteOf(c) : ''),
  };
}
