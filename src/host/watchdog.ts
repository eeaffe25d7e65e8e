// The supervisor of a run's workers, on the main thread: every run ends, whatever the scenario code
// does. It listens to each worker's `error` and `exit` events (a worker that threw outside the
// model, called process.exit or ran out of memory), watches progress (the hang watchdog) and the
// user's stop request, and when a worker cannot end by itself, terminates every worker. The
// machine's results stay readable afterwards: they live in the SharedArrayBuffer, which the main
// thread owns, and CPU0 publishes a first failure's FIRST_FAIL_ITER only after the rest of it.
//
//   no iteration finished for watchdogMs ──► ABORT (soft: CPUs at a wait or preemption point unwind;
//                                             a model livelock the step bound cannot see ends as a deadlock finding)
//          └─ still running after GRACE_MS ─► terminate; the CPUs not idle are named as the culprits
//   a worker's `error` / unexpected `exit` ─► terminate at once; that CPU is named
//   stop requested (signal) ────────────────► STOP (after this iteration); terminate after STOP_GRACE_MS
//
// A fed run (explorer.ts) waits for the main thread between its iterations: rest() stops the
// watchdog's clock there, and begin() restarts it with each schedule handed over.
import { SITES } from '../kernel/sites.js';
import { Ctrl, CPU_STRIDE, Phase, PHASE_NAMES, type Layout } from '../shm/layout.js';
import type { CpuWorker } from './pool.js';
import { durationText } from './options.js';

/**
 * After a soft abort, how long the CPUs get to unwind before they are terminated. A CPU that passes
 * waits or preemption points sees ABORT within microseconds once it runs; a host so crowded that
 * one waits half a second for a core is one whose watchdog of seconds would have fired already.
 */
export const GRACE_MS = 500;
/** After a stop request, how long the current iteration gets to finish. */
const STOP_GRACE_MS = 400;
/** Loading a scenario module (a .ts one is compiled) on a busy machine may take seconds: never less than this. */
const LOAD_MS = 60_000;

/** How long a worker may take to start and load under --watchdog `watchdogMs` (the probe's start-up too, load/probe.ts). */
export function loadLimitMs(watchdogMs: number): number {
  return Math.max(LOAD_MS, watchdogMs);
}
const TICK_MS = 100;

export type PhaseName = (typeof PHASE_NAMES)[number];

/** A worker that had to be ended: which CPU, doing what, and what happened. */
export interface WorkerFault {
  cpus: number[];
  phase: PhaseName;
  /** The iteration running (-1: before the first). */
  iteration: number;
  /** The last preemption point the (first) CPU passed, '' if none. */
  site: string;
  what: string;
}

export interface SuperviseOptions {
  cpus: number;
  watchdogMs: number;
  /** Heap limit of each worker (MiB), for the out-of-memory message. */
  workerMemoryMb: number;
  onProgress?: ((done: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

type Settled<T> = { ended: false; value: T } | { ended: true };

export class Supervisor {
  fault: WorkerFault | null = null;
  /** The soft watchdog fired: where each CPU was. */
  watchdog: string[] | null = null;
  /** The run was stopped by a stop request before it finished. */
  interrupted = false;
  private forced = false;
  private terminating = false;
  private started = false;
  /** A fed run waits for its next schedule: no iteration is due. */
  private resting = false;
  private readonly loaded: boolean[];
  private readonly ended: Promise<void>;
  private end: () => void = () => {};
  private readonly timer: NodeJS.Timeout;
  private last = -1;
  private lastChange = performance.now();
  private softAt = 0;
  private stopTimer: NodeJS.Timeout | null = null;
  private readonly onAbort = (): void => this.stopRequested();
  /** Removes this supervisor's listeners from each worker. */
  private readonly listeners: (() => void)[];

  constructor(private readonly workers: readonly CpuWorker<unknown>[], private readonly m: Int32Array,
    private readonly L: Layout, private readonly o: SuperviseOptions) {
    this.loaded = workers.map(() => false);
    this.ended = new Promise((resolve) => { this.end = resolve; });
    this.listeners = workers.map((w, c) => {
      const onError = (e: Error & { code?: string }): void => this.died(c, e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `ran out of memory (each CPU's worker may use ${o.workerMemoryMb} MiB: --worker-memory)`
        : `threw outside the model: ${oneLine(e)}`);
      const onExit = (code: number): void => { if (!this.terminating) this.died(c, `ended its worker with exit code ${code} (process.exit)`); };
      w.worker.on('error', onError).on('exit', onExit);
      return () => { w.worker.off('error', onError).off('exit', onExit); };
    });
    this.timer = setInterval(() => this.tick(), TICK_MS);
    if (o.signal?.aborted) this.stopRequested();
    else o.signal?.addEventListener('abort', this.onAbort);
  }

  /** Marks CPU `c`'s worker as loaded (its init() resolved). */
  loadedCpu(c: number): void {
    this.loaded[c] = true;
  }

  /** The run proper begins (or a fed run's next iteration): the watchdog now counts iterations instead of start-up time. */
  begin(): void {
    this.started = true;
    this.resting = false;
    this.lastChange = performance.now();
  }

  /** A fed run waits for the main thread's next schedule: no iteration is overdue until begin(). */
  rest(): void {
    this.resting = true;
  }

  /** `work`, unless the run is ended by force first; a rejection of `work` passes through. */
  async settle<T>(work: Promise<T>): Promise<Settled<T>> {
    if (this.forced) return { ended: true };
    return Promise.race([work.then((value): Settled<T> => ({ ended: false, value })), this.ended.then((): Settled<T> => ({ ended: true }))]);
  }

  /** Whether the run was ended by force (its workers are being terminated). */
  get terminated(): boolean {
    return this.forced;
  }

  /** Stops watching; every exit after this is ours. The workers may serve another run (pool.ts). */
  dispose(): void {
    this.terminating = true;
    for (const off of this.listeners) off();
    clearInterval(this.timer);
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.o.signal?.removeEventListener('abort', this.onAbort);
    this.o.onProgress?.(Atomics.load(this.m, this.L.CTRL + Ctrl.ITER));
  }

  private ctrl(w: number): number {
    return this.L.CTRL + w;
  }

  private tick(): void {
    const done = Atomics.load(this.m, this.ctrl(Ctrl.ITER));
    if (this.started) this.o.onProgress?.(done);
    const now = performance.now();
    if (done !== this.last || this.resting) { this.last = done; this.lastChange = now; }
    if (this.forced) return;
    if (!this.started) {
      const limit = loadLimitMs(this.o.watchdogMs);
      if (now - this.lastChange < limit) return;
      const cpus = this.loaded.flatMap((ok, c) => (ok ? [] : [c]));
      this.force({ cpus, what: `did not finish loading the scenario within ${durationText(limit)}` });
      return;
    }
    if (now - this.lastChange < this.o.watchdogMs) return;
    if (this.softAt === 0) { this.softAbort(); this.softAt = now; return; }
    if (now - this.softAt < GRACE_MS) return;
    const busy = this.cpuList().filter((c) => !this.idle(c));
    this.force({ cpus: busy.length > 0 ? busy : this.cpuList(),
      what: `stopped reaching preemption points: no iteration finished for ${durationText(this.o.watchdogMs)} (--watchdog) ` +
        `and it did not unwind within ${durationText(GRACE_MS)}; terminated` });
  }

  /** The watchdog's first step: every CPU that still passes waits or preemption points unwinds. */
  private softAbort(): void {
    this.watchdog = this.cpuList().map((c) => this.siteOf(c) || 'running');
    Atomics.store(this.m, this.ctrl(Ctrl.STOP), 1);
    Atomics.store(this.m, this.ctrl(Ctrl.ABORT), 1);
    this.ringAll();
  }

  private stopRequested(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    Atomics.store(this.m, this.ctrl(Ctrl.STOP), 1);
    this.stopTimer = setTimeout(() => this.force(null), this.started ? STOP_GRACE_MS : 0);
  }

  private died(c: number, what: string): void {
    if (this.forced || this.terminating) return;
    this.force({ cpus: [c], what });
  }

  /** Ends the run now: every worker is terminated; `fault` says why (null: a stop request). */
  private force(f: { cpus: number[]; what: string } | null): void {
    if (this.forced) return;
    this.forced = true;
    if (f) {
      const c = f.cpus[0] ?? 0;
      const phase = this.loaded[c] ? PHASE_NAMES[Atomics.load(this.m, this.L.CPU_PHASE + c * CPU_STRIDE)] ?? 'actor' : 'load';
      this.fault = { cpus: f.cpus, phase, iteration: this.iteration(), site: this.siteOf(c), what: f.what };
    }
    Atomics.store(this.m, this.ctrl(Ctrl.STOP), 1);
    Atomics.store(this.m, this.ctrl(Ctrl.ABORT), 1);
    this.ringAll();
    this.terminating = true;
    void Promise.allSettled(this.workers.map((w) => w.worker.terminate())).then(() => this.end());
  }

  private iteration(): number {
    return this.started ? Atomics.load(this.m, this.ctrl(Ctrl.CUR_ITER)) : -1;
  }

  private idle(c: number): boolean {
    const p = Atomics.load(this.m, this.L.CPU_PHASE + c * CPU_STRIDE);
    return this.loaded[c] === true && (p === Phase.IDLE || p === Phase.DONE);
  }

  private siteOf(c: number): string {
    return SITES[Atomics.load(this.m, this.L.CPU_SITE + c * CPU_STRIDE)]?.name ?? '';
  }

  private cpuList(): number[] {
    return Array.from({ length: this.o.cpus }, (_, c) => c);
  }

  private ringAll(): void {
    for (let c = 0; c < this.o.cpus; c++) {
      Atomics.add(this.m, this.L.CPU_DOORBELL + c * CPU_STRIDE, 1);
      Atomics.notify(this.m, this.L.CPU_DOORBELL + c * CPU_STRIDE);
    }
  }
}

/** "CPU1 stopped reaching preemption points: … (in actor, iteration 3, seed 1)": the fault in one line. */
export function describeFault(f: WorkerFault, seed: string): string {
  const who = f.cpus.map((c) => `CPU${c}`).join(' and ');
  const when = f.phase === 'load' ? 'while loading the scenario' : `in ${f.phase}${f.iteration >= 0 ? `, iteration ${f.iteration}` : ''}`;
  return `${who} ${f.what} (${when}, seed ${seed})`;
}

function oneLine(e: unknown): string {
  const msg = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return msg.split('\n')[0] ?? '';
}
