// Runs one scenario on a fresh machine: allocate it, start one worker per CPU, let them iterate,
// watch progress (and hangs) from the main thread, and read the results back out of the machine.
import { Ctrl, type Layout } from '../shm/layout.js';
import { decodeFailSchedule, decodeFailTrace, type TraceEvent } from '../shm/decode.js';
import { SITES } from '../kernel/sites.js';
import type { Scenario } from '../scenario/define.js';
import type { ScenarioRef, WorkerInit } from '../cpu/protocol.js';
import { CrashError, PatchError } from '../errors.js';
import { importedBytes } from '../cpu/import-scenario.js';
import { shown, type ScenarioFault } from '../cpu/scenario-fault.js';
import { newMachine } from './new-machine.js';
import type { ResolvedRun } from './options.js';
import type { IterationPlan } from '../cpu/iterate.js';
import { recycleWorkers, startWorkers, stopWorkers, type CpuWorker } from './pool.js';
import { Supervisor, type WorkerFault } from './watchdog.js';
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
  /** Where each CPU last waited (deadlocks). */
  sites: string[];
  /** Who held the references at the iteration's last failed migration refcount check (RefHolders). */
  refHolders: number[];
}

export interface RawRun {
  iterations: number;
  elapsedMs: number;
  startupMs: number;
  outcomeCounts: number[];
  violations: number;
  deadlocks: number;
  /** The watchdog fired: where each CPU was. */
  watchdog: string[] | null;
  first: FirstFailure | null;
  /** Replay only: first schedule step (1-based) that could not be followed, 0 if none. */
  replayDiverged: number;
  /** The scenario's own code threw (the run stopped there). */
  fault: ScenarioFault | null;
  /** Outcomes check() returned that the scenario does not declare, in order of first appearance. */
  unknownOutcomes: Record<string, number>;
  /** A worker had to be ended (hung, exited, out of memory, threw outside the model). */
  workerFault: WorkerFault | null;
  /** A stop request (signal) ended the run before its planned end. */
  interrupted: boolean;
  /** Mean simulated time of an iteration (ns, kernel/sim-time.ts). */
  simNsPerIteration: number;
}

/** What every run has, counted; what only some runs have (a failure, a fault, a watchdog...) defaults to none. */
export type RawRunCounts = Pick<RawRun, 'iterations' | 'elapsedMs' | 'startupMs' | 'outcomeCounts' | 'violations' | 'deadlocks'>;

/** A RawRun of `counts`, with `more` of what only some runs have. */
export function rawRun(counts: RawRunCounts, more: Partial<RawRun> = {}): RawRun {
  return {
    watchdog: null, first: null, replayDiverged: 0, fault: null, unknownOutcomes: {}, workerFault: null, interrupted: false,
    simNsPerIteration: 0, ...counts, ...more,
  };
}

export async function runMachine(ref: ScenarioRef, scenario: Scenario, r: ResolvedRun, hooks: RunHooks = {},
  replay?: ReplaySpec): Promise<RawRun> {
  const { i32: m, L, sab } = newMachine(r.config);
  if (replay) {
    if (replay.schedule.length > r.config.scheduleCapacity) {
      throw new CrashError(`the schedule has ${replay.schedule.length} steps, more than scheduleCapacity ${r.config.scheduleCapacity}`);
    }
    replay.schedule.forEach((c, i) => Atomics.store(m, L.REPLAY + i, c));
    Atomics.store(m, L.CTRL + Ctrl.REPLAY_LEN, replay.schedule.length);
  }
  const t0 = performance.now();
  const plan = {
    iterations: r.iterations, firstIteration: replay?.iteration ?? 0, durationMs: r.durationMs,
    stopOnFirst: r.stopOnFirst, seedHash: r.seedHash,
  };
  const workers = startWorkers(r.cpus, undefined, r.workerMemoryMb);
  const forbidden = Object.values(scenario.outcomes).flatMap((k, i) => (k === 'forbidden' ? [i] : []));
  const found = (): number => forbidden.reduce((a, i) => a + Atomics.load(m, L.OUTCOME_COUNT + i), 0) +
    Atomics.load(m, L.CTRL + Ctrl.VIOLATIONS) + Atomics.load(m, L.CTRL + Ctrl.DEADLOCKS);
  const progress = hooks.onProgress;
  const sup = new Supervisor(workers, m, L, {
    cpus: r.cpus, watchdogMs: r.watchdogMs, workerMemoryMb: r.workerMemoryMb,
    onProgress: progress ? (done: number) => progress(done, found()) : undefined, signal: hooks.signal,
  });
  let clean = false; // every worker's run() resolved and none was terminated: they may serve another run
  try {
    const init = workerInit(ref, r, sab, plan);
    const started = await sup.settle(Promise.all(workers.map(async (w, c) => {
      await w.control.init(init(c));
      sup.loadedCpu(c);
    })));
    const startupMs = performance.now() - t0;
    const t1 = performance.now();
    sup.begin();
    const ran = started.ended ? started : await sup.settle(Promise.allSettled(workers.map((w) => w.control.run())));
    sup.dispose();
    const elapsedMs = performance.now() - t1;
    const crash = ran.ended ? undefined : ran.value.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    const ends = ran.ended ? [] : ran.value.flatMap((x) => (x.status === 'fulfilled' ? [x.value] : []));
    clean = ends.length === workers.length && !sup.terminated;
    if (crash) {
      const why = crash.reason instanceof Error ? crash.reason.message : String(crash.reason);
      const where = `scenario ${scenario.name}, kernel ${r.profile.name}, mode ${r.mode}, seed ${r.seed}, ` +
        `iteration ${Atomics.load(m, L.CTRL + Ctrl.CUR_ITER)}`;
      // the model ran the user's patch: what broke it is more likely the patch than foliorace
      if (r.patch) throw new PatchError(`the model crashed with patch file ${shown(r.patch.path)} (${r.patch.name}) in it: ${why} (${where})`);
      throw new CrashError(`${why} (${where})`);
    }
    return {
      iterations: Atomics.load(m, L.CTRL + Ctrl.ITER),
      elapsedMs, startupMs,
      outcomeCounts: Object.keys(scenario.outcomes).map((_, i) => Atomics.load(m, L.OUTCOME_COUNT + i)),
      violations: Atomics.load(m, L.CTRL + Ctrl.VIOLATIONS),
      deadlocks: Atomics.load(m, L.CTRL + Ctrl.DEADLOCKS),
      watchdog: sup.watchdog,
      first: readFirstFailure(m, L, r.mode !== 'free'),
      replayDiverged: Atomics.load(m, L.CTRL + Ctrl.REPLAY_DIVERGED),
      fault: ends.find((e) => e.fault !== null)?.fault ?? null,
      unknownOutcomes: ends[0]?.unknownOutcomes ?? {},
      workerFault: sup.fault,
      interrupted: sup.interrupted,
      simNsPerIteration: Atomics.load(m, L.CTRL + Ctrl.SIM_MEAN_NS),
    };
  } finally {
    sup.dispose();
    await (clean ? recycleWorkers(workers, importedBytes(ref)) : stopWorkers(workers));
  }
}

/** What each CPU's worker is given: the machine, the scenario, the profile and the plan. */
function workerInit(ref: ScenarioRef, r: ResolvedRun, sab: SharedArrayBuffer, plan: IterationPlan): (cpu: number) => WorkerInit {
  return (cpu) => ({
    sab, config: r.config, cpu, scenario: ref, profile: r.profile.name, patches: { ...r.profile.patches }, patch: r.patch,
    mode: r.mode, jitter: r.jitter, plan,
  });
}

/** Starts one worker per CPU on machine `sab` and loads the scenario in each (fed runs: explorer.ts). */
export async function startMachineWorkers(ref: ScenarioRef, r: ResolvedRun, sab: SharedArrayBuffer,
  plan: IterationPlan): Promise<CpuWorker[]> {
  const workers = startWorkers(r.cpus, undefined, r.workerMemoryMb);
  const init = workerInit(ref, r, sab, plan);
  try {
    await Promise.all(workers.map((w, c) => w.control.init(init(c))));
  } catch (e) {
    await stopWorkers(workers);
    throw e;
  }
  return workers;
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
  return {
    iteration,
    kind,
    code: Atomics.load(m, L.CTRL + Ctrl.FAIL_CODE),
    args: [Atomics.load(m, L.CTRL + Ctrl.FAIL_ARG0), Atomics.load(m, L.CTRL + Ctrl.FAIL_ARG1), Atomics.load(m, L.CTRL + Ctrl.FAIL_ARG2)],
    sites: Array.from({ length: L.config.cpus }, (_, c) =>
      kind === 'deadlock' ? SITES[Atomics.load(m, L.FAIL_SITES + c)]?.name ?? 'running' : ''),
  };
}
