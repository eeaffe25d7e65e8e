// One worker per simulated CPU, started for a run and ended after it. The control plane is comlink.
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { CpuControl } from './control.js';
import { DEFAULT_WORKER_MEMORY_MB } from './options.js';

/**
 * The CPU worker: workers/cpu.ts and everything it imports, bundled into one module beside this
 * one at build time (scripts/bundle-workers.mjs), which starts much faster than the module graph.
 */
const WORKER_URL = new URL('./cpu-worker.bundle.js', import.meta.url);

export interface CpuWorker<C = CpuControl> {
  readonly worker: Worker;
  readonly control: Comlink.Remote<C>;
}


/**
 * Starts `n` workers of entry `url` (the run's CPU worker unless given; the bench has its own), each
 * with a heap of at most `memoryMb` MiB: a worker that exceeds it ends with ERR_WORKER_OUT_OF_MEMORY
 * (watchdog.ts reports it) instead of taking the machine's memory.
 */
export function startWorkers<C = CpuControl>(n: number, url: URL = WORKER_URL, memoryMb = DEFAULT_WORKER_MEMORY_MB): CpuWorker<C>[] {
  const out: CpuWorker<C>[] = [];
  for (let c = 0; c < n; c++) {
    const worker = new Worker(url, { name: `cpu${c}`, resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    out.push({ worker, control: Comlink.wrap<C>(nodeEndpoint(worker)) });
  }
  return out;
}

export async function stopWorkers<C>(workers: readonly CpuWorker<C>[]): Promise<void> {
  await Promise.all(workers.map(async (w) => {
    w.control[Comlink.releaseProxy]();
    await w.worker.terminate();
  }));
}
