// One machine and its workers serving many schedules, one iteration each (a fed run, feed.ts):
// what shrinking, the conversion of free-mode failures and exhaustive search are built on. Every
// schedule runs under the replay strategy: its CPUs are followed while they can run, and past its
// end the running CPU goes on (no preemption), so any list of CPUs is a valid request and the
// execution that comes back (its own schedule and the runnable CPUs at each decision) is exact.
import { readFootprints, type Footprint } from '../shm/footprint.js';
import { Ctrl, type Layout } from '../shm/layout.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import { CrashError } from '../errors.js';
import { importedBytes } from '../cpu/import-scenario.js';
import { newMachine } from './new-machine.js';
import { replayRun, type ResolvedRun } from './options.js';
import { recycleWorkers, stopWorkers, type CpuWorker } from './pool.js';
import { GRACE_MS } from './watchdog.js';
import { readFinding, readFirstFailure, startMachineWorkers, type FirstFailure } from './run-machine.js';
import type { FindingOf } from '../repro/finding.js';

/** One schedule as it ran. */
export interface Execution {
  /** CPU passing each preemption point. */
  schedule: number[];
  /** Runnable CPUs (bit mask) at each decision. */
  masks: number[];
  finding: FindingOf | null;
  /** First step (1-based) of the request that could not be followed; 0 if none. */
  diverged: number;
  /** Verify: the words each step read and wrote (null: the explorer records none, or the log ran out). */
  footprints: Footprint[] | null;
}

/** Footprint entries one verify iteration may record unless the scenario's machine says otherwise. */
export const DEFAULT_FOOTPRINTS = 1 << 20;

export class Explorer {
  /** Schedules run so far. */
  runs = 0;
  /** Footprint entries one schedule may record (0: none recorded). */
  get footprintCapacity(): number { return this.L.sizes.FP_LOG; }
  /** Steps of the last schedule run (their SCHED_MASK words are cleared before the next). */
  private lastSteps = 0;
  private readonly ended: Promise<unknown>;

  private constructor(private readonly m: Int32Array, private readonly L: Layout, private readonly r: ResolvedRun,
    private readonly workers: CpuWorker[], private readonly ref: ScenarioRef) {
    this.ended = Promise.all(workers.map((w) => w.control.run())).then(() => null, (e: unknown) => e ?? 'crashed');
  }

  /**
   * Starts the workers of a fed replay run of `scenario` under `r`'s profile and CPUs; with
   * `footprints`, each schedule's steps record the words they touch (verify mode).
   */
  static async open(ref: ScenarioRef, r: ResolvedRun, footprints = false): Promise<Explorer> {
    const fed = replayRun(r, 2 ** 31 - 1);
    if (footprints) fed.config = { ...fed.config, footprints: fed.config.footprints ?? DEFAULT_FOOTPRINTS };
    const { i32, L, sab } = newMachine(fed.config);
    const plan = { iterations: fed.iterations, firstIteration: 0, durationMs: 0, stopOnFirst: false, seedHash: fed.seedHash, fed: true };
    return new Explorer(i32, L, fed, await startMachineWorkers(ref, fed, sab, plan), ref);
  }

  /** Runs `request` as iteration `iteration` (a scenario may vary with it) and returns what ran. */
  async run(request: readonly number[], iteration: number): Promise<Execution> {
    const { m, L } = this;
    const n = Math.min(request.length, L.config.scheduleCapacity);
    for (let i = 0; i < n; i++) Atomics.store(m, L.REPLAY + i, request[i]!);
    // a step that followed no decision (its CPU went on, forced) leaves its mask 0, not the last run's
    for (let i = 0; i < this.lastSteps; i++) Atomics.store(m, L.SCHED_MASK + i, 0);
    Atomics.store(m, L.CTRL + Ctrl.REPLAY_LEN, n);
    Atomics.store(m, L.CTRL + Ctrl.REPLAY_DIVERGED, 0);
    Atomics.store(m, L.CTRL + Ctrl.FIRST_FAIL_ITER, -1);
    Atomics.store(m, L.CTRL + Ctrl.FEED_ITER, iteration);
    const done = Atomics.load(m, L.CTRL + Ctrl.FEED_DONE);
    Atomics.add(m, L.CTRL + Ctrl.FEED_NEXT, 1);
    this.ringCpu0();
    const wait = waitAsync(m, L.CTRL + Ctrl.FEED_DONE, done, this.r.watchdogMs);
    const got = await Promise.race([wait, this.ended.then((e) => ({ e }))]);
    if (typeof got === 'object') {
      throw new CrashError(got.e instanceof Error ? got.e.message : `the workers of a fed run ended early (${String(got.e)})`);
    }
    if (got === 'timed-out') throw new CrashError(`a fed iteration made no progress for ${this.r.watchdogMs} ms`);
    this.runs++;
    const steps = Atomics.load(m, L.CTRL + Ctrl.STEP);
    const schedule: number[] = new Array<number>(steps);
    const masks: number[] = new Array<number>(steps);
    for (let i = 0; i < steps; i++) {
      schedule[i] = Atomics.load(m, L.SCHED_LOG + i);
      masks[i] = Atomics.load(m, L.SCHED_MASK + i);
    }
    this.lastSteps = steps;
    return {
      schedule, masks, finding: readFinding(m, L), diverged: Atomics.load(m, L.CTRL + Ctrl.REPLAY_DIVERGED),
      footprints: L.sizes.FP_LOG > 0 ? readFootprints(m, L, steps) : null,
    };
  }

  /** Outcomes, violations and deadlocks over every schedule run so far. */
  tallies(outcomes: number): { outcomeCounts: number[]; violations: number; deadlocks: number } {
    const { m, L } = this;
    return {
      outcomeCounts: Array.from({ length: outcomes }, (_, i) => Atomics.load(m, L.OUTCOME_COUNT + i)),
      violations: Atomics.load(m, L.CTRL + Ctrl.VIOLATIONS),
      deadlocks: Atomics.load(m, L.CTRL + Ctrl.DEADLOCKS),
    };
  }

  /** The full failure (trace included) of the last schedule run, if it failed. */
  lastFailure(): FirstFailure | null {
    return readFirstFailure(this.m, this.L, true);
  }

  /** Stops the fed run; workers that end it within GRACE_MS may serve another run (pool.ts). */
  async close(): Promise<void> {
    Atomics.store(this.m, this.L.CTRL + Ctrl.STOP, 1);
    this.ringCpu0();
    let timer: NodeJS.Timeout | undefined;
    const clean = await Promise.race([this.ended.then((e) => e === null),
      new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), GRACE_MS); })]);
    clearTimeout(timer);
    await (clean ? recycleWorkers(this.workers, importedBytes(this.ref)) : stopWorkers(this.workers));
  }

  private ringCpu0(): void {
    Atomics.add(this.m, this.L.CPU_DOORBELL, 1);
    Atomics.notify(this.m, this.L.CPU_DOORBELL);
  }
}

/** Atomics.waitAsync (Node 16+; not in the es2022 lib's types). */
function waitAsync(m: Int32Array, at: number, value: number, ms: number): Promise<'ok' | 'not-equal' | 'timed-out'> {
  type Result = { async: boolean; value: 'ok' | 'not-equal' | 'timed-out' | Promise<'ok' | 'timed-out'> };
  const w = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, t: number): Result }).waitAsync(m, at, value, ms);
  return Promise.resolve(w.value);
}
