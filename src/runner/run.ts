// Runs one scenario on a fresh machine: allocate it, start one worker per CPU, let them iterate,
// watch progress (and hangs) from the main thread, and read the results back out of the machine.
import { Ctrl, type Layout, CPU_STRIDE } from '../shm/layout.js';
import { decodeFailSchedule, decodeFailTrace, type TraceEvent } from '../shm/decode.js';
import { SITES } from '../kernel/sites.js';
import type { Scenario } from '../scenarios/define.js';
import type { ScenarioRef, WorkerInit } from './control.js';
import { CrashError } from './errors.js';
import { newMachine } from './new-machine.js';
import type { ResolvedRun } from './options.js';
import { startWorkers, stopWorkers } from './pool.js';

export interface ReplaySpec {
  /** CPU passing each preemption point, in order. */
  schedule: readonly number[];
  /** The iteration number the schedule was recorded in. */
  iteration: number;
}

export interface RunHooks {
  /** Called about every 100 ms with iterations done. */
  onProgress?: (done: number) => void;
  /** Aborting it ends the run after the current iteration; results are kept. */
  signal?: AbortSignal;
}

export interface FirstFailure {
  iteration: number;
  kind: 'forbidden' | 'violation' | 'deadlock';
  /** Outcome index (forbidden) or violation code. */
  code: number;
  args: [number, number, number];
  events: TraceEvent[];
  truncated: boolean;
  schedule: number[];
  /** Where each CPU last waited (deadlocks). */
  sites: string[];
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
  /** Mean simulated time of an iteration (ns, kernel/sim-time.ts). */
  simNsPerIteration: number;
}

/** FirstFailure kinds by Ctrl.FAIL_KIND (iterate.ts Finding). */
const KINDS = [null, 'forbidden', 'violation', 'deadlock'] as const;

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
  const workers = startWorkers(r.cpus);
  try {
    const plan = {
      iterations: r.iterations, firstIteration: replay?.iteration ?? 0, durationMs: r.durationMs,
      stopOnFirst: r.stopOnFirst, seedHash: r.seedHash,
    };
    const init = (cpu: number): WorkerInit => ({
      sab, config: r.config, cpu, scenario: ref, profile: r.profile.name, patches: { ...r.profile.patches },
      mode: r.mode, jitter: r.jitter, plan,
    });
    await Promise.all(workers.map((w, c) => w.control.init(init(c))));
    const startupMs = performance.now() - t0;
    const t1 = performance.now();
    const watch = watchRun(m, L, r, hooks);
    const results = await Promise.allSettled(workers.map((w) => w.control.run()));
    const watchdog = watch.stop();
    const elapsedMs = performance.now() - t1;
    const crash = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (crash) {
      const why = crash.reason instanceof Error ? crash.reason.message : String(crash.reason);
      throw new CrashError(`${why} (scenario ${scenario.name}, kernel ${r.profile.name}, mode ${r.mode}, seed ${r.seed}, ` +
        `iteration ${Atomics.load(m, L.CTRL + Ctrl.CUR_ITER)})`);
    }
    return {
      iterations: Atomics.load(m, L.CTRL + Ctrl.ITER),
      elapsedMs, startupMs,
      outcomeCounts: Object.keys(scenario.outcomes).map((_, i) => Atomics.load(m, L.OUTCOME_COUNT + i)),
      violations: Atomics.load(m, L.CTRL + Ctrl.VIOLATIONS),
      deadlocks: Atomics.load(m, L.CTRL + Ctrl.DEADLOCKS),
      watchdog,
      first: readFirstFailure(m, L, r.mode !== 'free'),
      replayDiverged: Atomics.load(m, L.CTRL + Ctrl.REPLAY_DIVERGED),
      simNsPerIteration: Atomics.load(m, L.CTRL + Ctrl.SIM_MEAN_NS),
    };
  } finally {
    await stopWorkers(workers);
  }
}

/** Progress reports, the user's stop request, and the hang watchdog, from the main thread. */
function watchRun(m: Int32Array, L: Layout, r: ResolvedRun, hooks: RunHooks): { stop(): string[] | null } {
  let last = -1;
  let lastChange = performance.now();
  let fired: string[] | null = null;
  const requestStop = (): void => { Atomics.store(m, L.CTRL + Ctrl.STOP, 1); };
  hooks.signal?.addEventListener('abort', requestStop);
  const timer = setInterval(() => {
    const done = Atomics.load(m, L.CTRL + Ctrl.ITER);
    hooks.onProgress?.(done);
    const now = performance.now();
    if (done !== last) { last = done; lastChange = now; return; }
    if (fired || now - lastChange < r.watchdogMs) return;
    fired = [];
    for (let c = 0; c < r.cpus; c++) fired.push(SITES[Atomics.load(m, L.CPU_SITE + c * CPU_STRIDE)]?.name ?? 'running');
    requestStop();
    Atomics.store(m, L.CTRL + Ctrl.ABORT, 1);
    for (let c = 0; c < r.cpus; c++) { Atomics.add(m, L.CPU_DOORBELL + c * CPU_STRIDE, 1); Atomics.notify(m, L.CPU_DOORBELL + c * CPU_STRIDE); }
  }, 100);
  return {
    stop(): string[] | null {
      clearInterval(timer);
      hooks.signal?.removeEventListener('abort', requestStop);
      hooks.onProgress?.(Atomics.load(m, L.CTRL + Ctrl.ITER));
      return fired;
    },
  };
}

function readFirstFailure(m: Int32Array, L: Layout, controlled: boolean): FirstFailure | null {
  const iteration = Atomics.load(m, L.CTRL + Ctrl.FIRST_FAIL_ITER);
  if (iteration < 0) return null;
  const { events, truncated } = decodeFailTrace(m, L);
  const kind = KINDS[Atomics.load(m, L.CTRL + Ctrl.FAIL_KIND)] ?? 'forbidden';
  return {
    iteration,
    kind,
    code: Atomics.load(m, L.CTRL + Ctrl.FAIL_CODE),
    args: [Atomics.load(m, L.CTRL + Ctrl.FAIL_ARG0), Atomics.load(m, L.CTRL + Ctrl.FAIL_ARG1), Atomics.load(m, L.CTRL + Ctrl.FAIL_ARG2)],
    events, truncated,
    schedule: decodeFailSchedule(m, L, controlled, events),
    sites: Array.from({ length: L.config.cpus }, (_, c) =>
      kind === 'deadlock' ? SITES[Atomics.load(m, L.FAIL_SITES + c)]?.name ?? 'running' : ''),
  };
}
