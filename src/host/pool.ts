// One worker per simulated CPU. A CPU worker that ended its run cleanly waits, unreferenced, for
// the next run of this process (a campaign's next unit, compare's next profile, the replay or the
// shrinking after a run): a run on warm workers skips Node's worker start-up and the bundle's
// import, most of what startupMs measures (bench/README.md, "Start-up"). The control plane is comlink.
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { CpuControl } from '../cpu/protocol.js';
import { DEFAULT_WORKER_MEMORY_MB } from './options.js';

/**
 * The CPU worker: workers/cpu.ts and everything it imports, bundled into one module beside this
 * one at build time (scripts/bundle.mjs), which starts much faster than the module graph.
 */
const WORKER_URL = new URL('../cpu/cpu-worker.bundle.js', import.meta.url);

/** Warm CPU workers kept at most (an idle worker holds about 10 MiB). */
const MAX_IDLE = 64;
/** Runs a worker serves before it is ended. */
const MAX_RUNS = 100;
/**
 * Each run of a scenario file imports a fresh instance of its module (cpu-control.ts), which the
 * worker keeps: a worker is ended once the bundles it imported exceed this share of its heap limit.
 */
const IMPORTED_SHARE = 1 / 16;
/** A warm worker no run took within this long is ended: a library user's process does not hold 64 idle threads. */
const IDLE_MS = 5000;

export interface CpuWorker<C = CpuControl> {
  readonly worker: Worker;
  readonly control: Comlink.Remote<C>;
}

/** What the pool knows of each CPU worker it started. */
interface Kept {
  readonly memoryMb: number;
  runs: number;
  /** Bytes of scenario bundles this worker imported. */
  imported: number;
  dead: boolean;
  /** While idle: ends the worker after IDLE_MS. */
  expiry: NodeJS.Timeout | null;
}
const kept = new WeakMap<Worker, Kept>();
const idle: CpuWorker[] = [];

/**
 * Starts `n` workers of entry `url` (the run's CPU worker unless given; the bench has its own), each
 * with a heap of at most `memoryMb` MiB: a worker that exceeds it ends with ERR_WORKER_OUT_OF_MEMORY
 * (watchdog.ts reports it) instead of taking the machine's memory. CPU workers come warm from the
 * pool when it has them.
 */
export function startWorkers<C = CpuControl>(n: number, url: URL = WORKER_URL, memoryMb = DEFAULT_WORKER_MEMORY_MB): CpuWorker<C>[] {
  const out: CpuWorker<C>[] = [];
  if (url === WORKER_URL) {
    // in the order they were given back: a run's CPU c gets the last run's CPU c when it can
    for (let i = 0; i < idle.length && out.length < n;) {
      const w = idle[i]!;
      if (kept.get(w.worker)!.memoryMb !== memoryMb) { i++; continue; }
      idle.splice(i, 1);
      clearTimeout(kept.get(w.worker)!.expiry ?? undefined);
      w.worker.ref();
      out.push(w as unknown as CpuWorker<C>);
    }
  }
  while (out.length < n) {
    const worker = new Worker(url, { name: `cpu${out.length}`, resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    if (url === WORKER_URL) {
      const k: Kept = { memoryMb, runs: 0, imported: 0, dead: false, expiry: null };
      kept.set(worker, k);
      // An idle worker that dies leaves the pool (and an 'error' with no listener would throw).
      const died = (): void => { k.dead = true; const i = idle.findIndex((w) => w.worker === worker); if (i >= 0) idle.splice(i, 1); };
      worker.on('error', died).on('exit', died);
    }
    out.push({ worker, control: Comlink.wrap<C>(nodeEndpoint(worker)) });
  }
  return out;
}

/** Ends `workers`. */
export async function stopWorkers<C>(workers: readonly CpuWorker<C>[]): Promise<void> {
  await Promise.all(workers.map(async (w) => {
    w.control[Comlink.releaseProxy]();
    await w.worker.terminate();
  }));
}

/**
 * Gives back CPU workers whose run ended cleanly (every run() resolved, none was terminated), after
 * importing `importedBytes` of scenario bundle: they wait for the next run, unreferenced, so that
 * they keep no process alive. Workers past MAX_RUNS or their import budget, or beyond MAX_IDLE, are ended.
 */
export async function recycleWorkers(workers: readonly CpuWorker[], importedBytes: number): Promise<void> {
  const ended: CpuWorker[] = [];
  for (const w of workers) {
    const k = kept.get(w.worker);
    if (k) { k.runs++; k.imported += importedBytes; }
    const spent = !k || k.dead || k.runs >= MAX_RUNS || k.imported > k.memoryMb * 2 ** 20 * IMPORTED_SHARE;
    if (spent || idle.length >= MAX_IDLE) { ended.push(w); continue; }
    w.worker.unref();
    idle.push(w);
    k.expiry = setTimeout(() => {
      const i = idle.indexOf(w);
      if (i >= 0) { idle.splice(i, 1); void stopWorkers([w]); }
    }, IDLE_MS).unref();
  }
  await stopWorkers(ended);
}

/** Warm CPU workers waiting for a run, of heap limit `memoryMb` if given (tests: that a run's workers went back). */
export function idleWorkerCount(memoryMb?: number): number {
  return idle.filter((w) => memoryMb === undefined || kept.get(w.worker)!.memoryMb === memoryMb).length;
}
