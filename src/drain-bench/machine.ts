// A bench machine on the main thread: populated once, its workers started once and reused for
// every measurement on it. Start-up (worker start, module load, attach, CPU0's snapshot) is timed
// apart from the measurements, with the memory the workers added.
import { Ctrl, type MachineConfig } from '../shm/layout.js';
import type { LocalMachine } from '../host/local-machine.js';
import { startWorkers, stopWorkers, type CpuWorker } from '../host/pool.js';
import type { BenchCpuControl, MeasureResult, MeasureSpec } from './control.js';

/**
 * The bench worker: workers/bench-cpu.ts bundled beside this module (scripts/bundle.mjs). Named from
 * dist/src, not from this directory: the command's bundle (dist/src/cli/main.js) holds this module.
 */
const WORKER_URL = new URL('../drain-bench/bench-worker.bundle.js', import.meta.url);

export interface Startup {
  cpus: number;
  /** Wall time from the first worker's start to every worker ready (ms). */
  ms: number;
  /** Resident memory the workers added, per worker (MiB). */
  rssPerWorkerMiB: number;
  /** The machine's SharedArrayBuffer (KiB). */
  machineKiB: number;
}

export class BenchMachine {
  private constructor(private readonly lm: LocalMachine, private readonly workers: CpuWorker<BenchCpuControl>[],
    readonly startup: Startup) {}

  /** Starts the workers; null if `signal` aborts first (the workers are then stopped). */
  static async start(lm: LocalMachine, signal?: AbortSignal): Promise<BenchMachine | null> {
    const config: MachineConfig = lm.L.config;
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    if (signal?.aborted) return null;
    const workers = startWorkers<BenchCpuControl>(config.cpus, WORKER_URL);
    let onAbort = (): void => {};
    const aborted = new Promise<'aborted'>((resolve) => { onAbort = () => resolve('aborted'); });
    signal?.addEventListener('abort', onAbort);
    try {
      const init = Promise.all(workers.map((w, cpu) => w.control.init({ sab: lm.sab, config, cpu })));
      if (await Promise.race([init, aborted]) === 'aborted') {
        await stopWorkers(workers);
        return null;
      }
    } catch (e) {
      await stopWorkers(workers);
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    const ms = performance.now() - t0;
    const rssPerWorkerMiB = (process.memoryUsage().rss - rss0) / config.cpus / 2 ** 20;
    return new BenchMachine(lm, workers, { cpus: config.cpus, ms, rssPerWorkerMiB, machineKiB: lm.sab.byteLength / 1024 });
  }

  get cpus(): number {
    return this.lm.L.config.cpus;
  }

  /** Runs one measurement on every CPU; returns CPU0's rep samples and every caller's call times. */
  async measure(spec: Omit<MeasureSpec, 'startGen'>): Promise<MeasureResult> {
    const full: MeasureSpec = { ...spec, startGen: Atomics.load(this.lm.i32, this.lm.L.CTRL + Ctrl.GEN) };
    const results = await Promise.all(this.workers.map((w) => w.control.measure(full)));
    return { reps: results[0]!.reps, callNs: results.flatMap((r) => r.callNs), callSimNs: results.flatMap((r) => r.callSimNs) };
  }

  async stop(): Promise<void> {
    await stopWorkers(this.workers);
  }
}
