// One machine and its workers serving many schedules, one iteration each (a fed run, feed.ts):
// what shrinking, the conversion of free-mode failures and exhaustive search are built on. Every
// schedule runs under the replay strategy: its CPUs are followed while they can run, and past its
// end the running CPU goes on (no preemption), so any list of CPUs is a valid request and the
// execution that comes back (its own schedule and the runnable CPUs at each decision) is exact.
// Its workers run under the same supervisor as any run's (supervised-run.ts), and the scenario's
// fault ends it as it ends any run: the caller gets it as a FedFault, in a RawRun's words.
import { readFootprints, type Footprint } from '../shm/footprint.js';
import { Ctrl, type Layout } from '../shm/layout.js';
import type { Scenario } from '../scenario/define.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import { CrashError } from '../errors.js';
import { newMachine } from './new-machine.js';
import { replayRun, type ResolvedRun } from './options.js';
import { GRACE_MS } from './watchdog.js';
import { readFinding, readFirstFailure, type FirstFailure, type RawRun } from './run-machine.js';
import { SupervisedRun, type RunEnd } from './supervised-run.js';
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

/** Footprint entries one verify iteration may record. */
export const DEFAULT_FOOTPRINTS = 1 << 20;

/**
 * A fed run ended on the scenario's own fault: its throw (with the failure of the schedule that
 * reached it: `first`), or a worker that had to be ended. The parts of a RawRun that say so, for
 * its caller to report as any run's (api/run.ts); whatever searched schedules stops there.
 */
export class FedFault extends Error {
  override readonly name = 'FedFault';
  constructor(readonly ended: Pick<RawRun, 'fault' | 'workerFault' | 'first'>) {
    super(`the scenario's code failed in a fed run: ${ended.fault?.message ?? ended.workerFault?.what ?? ''}`);
  }
}

export class Explorer {
  /** Schedules run so far. */
  runs = 0;
  /** Steps of the last schedule run (their SCHED_MASK words are cleared before the next). */
  private lastSteps = 0;

  private constructor(private readonly m: Int32Array, private readonly L: Layout, private readonly cpus: SupervisedRun) {}

  /** Starts the workers of a fed replay run of `scenario` under `r`'s profile and CPUs. */
  static async open(ref: ScenarioRef, scenario: Scenario, r: ResolvedRun, footprints = false): Promise<Explorer> {
    const fed = replayRun(r, 2 ** 31 - 1);
    if (footprints) fed.config = { ...fed.config, footprints: DEFAULT_FOOTPRINTS };
    const machine = newMachine(fed.config);
    const plan = { iterations: fed.iterations, firstIteration: 0, durationMs: 0, stopOnFirst: false, seedHash: fed.seedHash, fed: true };
    const cpus = await SupervisedRun.start(ref, scenario.name, fed, machine, plan);
    cpus.sup.rest(); // no iteration is due before the first schedule
    return new Explorer(machine.i32, machine.L, cpus);
  }

  /**
   * Runs `request` as iteration `iteration` (a scenario may vary with it) and returns what ran.
   * Throws FedFault when the scenario's code fails (its throw, hang, exit or out-of-memory ends the
   * fed run, as it ends any run), CrashError when foliorace's own code does.
   */
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
    this.cpus.sup.begin();
    const judged = await Promise.race([waitAsync(m, L.CTRL + Ctrl.FEED_DONE, done).then(() => true), this.cpus.end.then(() => false)]);
    this.cpus.sup.rest();
    Atomics.notify(m, L.CTRL + Ctrl.FEED_DONE); // the run ended first: no waiter is left behind
    const finding = readFinding(m, L);
    if (!judged || finding?.kind === 'error') throw this.endedBy(await this.cpus.end);
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
      schedule, masks, finding, diverged: Atomics.load(m, L.CTRL + Ctrl.REPLAY_DIVERGED),
      footprints: L.sizes.FP_LOG > 0 ? readFootprints(m, L, steps) : null,
    };
  }

  /** Why the fed run is over: the scenario's fault (a throw's failure is the last schedule run's), or an early end. */
  private endedBy(end: RunEnd): Error {
    if (end.fault === null && end.workerFault === null) return new CrashError('the workers of a fed run ended early');
    return new FedFault({ fault: end.fault, workerFault: end.workerFault, first: end.fault ? this.lastFailure() : null });
  }

  /** Outcomes, violations, deadlocks and livelocks over every schedule run so far. */
  tallies(outcomes: number): { outcomeCounts: number[]; violations: number; deadlocks: number; livelocks: number } {
    const { m, L } = this;
    return {
      outcomeCounts: Array.from({ length: outcomes }, (_, i) => Atomics.load(m, L.OUTCOME_COUNT + i)),
      violations: Atomics.load(m, L.CTRL + Ctrl.VIOLATIONS),
      deadlocks: Atomics.load(m, L.CTRL + Ctrl.DEADLOCKS),
      livelocks: Atomics.load(m, L.CTRL + Ctrl.LIVELOCKS),
    };
  }

  /** The watchdog fired (a livelock in the model, unwound as a deadlock finding; the fed run ended): where each CPU was. */
  get watchdog(): string[] | null {
    return this.cpus.sup.watchdog;
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
    await Promise.race([this.cpus.end.catch(() => null), new Promise((resolve) => { timer = setTimeout(resolve, GRACE_MS); })]);
    clearTimeout(timer);
    await this.cpus.release();
  }

  private ringCpu0(): void {
    Atomics.add(this.m, this.L.CPU_DOORBELL, 1);
    Atomics.notify(this.m, this.L.CPU_DOORBELL);
  }
}

/** Atomics.waitAsync (Node 16+; not in the es2022 lib's types). */
function waitAsync(m: Int32Array, at: number, value: number): Promise<'ok' | 'not-equal' | 'timed-out'> {
  type Result = { async: boolean; value: 'ok' | 'not-equal' | 'timed-out' | Promise<'ok' | 'timed-out'> };
  const w = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): Result }).waitAsync(m, at, value);
  return Promise.resolve(w.value);
}
