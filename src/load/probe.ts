// A scenario or patch file is code the user wrote, and importing it runs its top level (and, for
// a patch, building its table runs its wrappers). On the main thread a
// top level that never returns would hang foliorace beyond the reach of its watchdog and of its
// signal handlers, so the main thread imports a file only after a CPU worker has imported it
// within the time limit. Everything else a top level can do wrong (throw, exit, fail to parse) the
// main thread's own import reports, in the same words as always: the probe only bounds the time
// and the memory.
import { CrashError, ScenarioError, StoppedError } from '../errors.js';
import { DEFAULT_WATCHDOG_MS, DEFAULT_WORKER_MEMORY_MB, durationText, type RunOptions } from '../host/options.js';
import { recycleWorkers, startWorkers, stopWorkers } from '../host/pool.js';
import { loadLimitMs } from '../host/watchdog.js';
import { importedBytes } from '../cpu/import-scenario.js';
import { shown } from '../cpu/scenario-fault.js';
import type { FileKind } from '../cpu/protocol.js';

export interface ProbeOptions {
  /** How long the import may take (the run's watchdog). */
  timeoutMs: number;
  /** The worker's heap limit (MiB), as for a CPU's worker. */
  memoryMb: number;
  signal?: AbortSignal | undefined;
}

/** `loaded`: the import resolved in a worker that is still whole; it may serve the run (pool.ts). */
type ProbeEnd = { ok: true; loaded?: true } | { ok: false; why: string } | { ok: 'stopped' } | { ok: 'slow' };

/** Resolves when `bundle` (of `kind` file `path`) loaded in a worker (or failed in a way the main thread's import reports). */
export async function probeFile(path: string, bundle: string, kind: FileKind, o: ProbeOptions): Promise<void> {
  if (o.signal?.aborted) throw new StoppedError(`stopped before ${shown(path)} was loaded; nothing ran`);
  const [probe] = startWorkers(1, undefined, o.memoryMb);
  const { worker, control } = probe!;
  const startLimit = loadLimitMs(o.timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  let onAbort = (): void => {};
  let onError = (_e: Error & { code?: string }): void => {};
  let onExit = (): void => {};
  const end = await new Promise<ProbeEnd>((resolve) => {
    /** The probe's end is decided: what answers later changes nothing (nor starts a clock). */
    let over = false;
    const settle = (e: ProbeEnd): void => { over = true; resolve(e); };
    // The limit is the file's: a worker that had to be started (none idle in the pool) starts before
    // the clock runs. Its start-up is foliorace's, and on a crowded host it alone took over 0.5 s.
    timer = setTimeout(() => settle({ ok: 'slow' }), startLimit);
    const importing = (): Promise<void> => {
      clearTimeout(timer);
      timer = setTimeout(() => settle({ ok: false, why: `did not finish loading within ${durationText(o.timeoutMs)} ` +
        `(a top level${kind === 'patch' ? ' or wrapper' : ''} that loops, or awaits what never comes? --watchdog sets the limit)` }), o.timeoutMs);
      return control.load({ path, bundle }, kind);
    };
    onAbort = () => settle({ ok: 'stopped' });
    o.signal?.addEventListener('abort', onAbort);
    onError = (e) => settle(e.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? { ok: false, why: `ran out of memory while loading (a worker may use ${o.memoryMb} MiB: --worker-memory)` }
      : { ok: true });
    onExit = () => settle({ ok: true });
    worker.once('error', onError).once('exit', onExit);
    control.started().then(() => (over ? undefined : importing()))
      .then(() => settle({ ok: true, loaded: true }), () => settle({ ok: true }));
  });
  clearTimeout(timer);
  o.signal?.removeEventListener('abort', onAbort);
  worker.off('error', onError).off('exit', onExit);
  await (end.ok === true && end.loaded ? recycleWorkers([probe!], importedBytes({ path, bundle })) : stopWorkers([probe!]));
  if (end.ok === 'stopped') throw new StoppedError(`stopped while ${shown(path)} was loading; nothing ran`);
  if (end.ok === 'slow') throw new CrashError(`a worker to load ${shown(path)} in did not start within ${durationText(startLimit)}`);
  if (!end.ok) throw new ScenarioError(`${shown(path)} ${end.why}`);
}

/** How a scenario file is imported on the main thread: in a worker first, within the run's own limits. */
export function loadProbe(o: Pick<RunOptions, 'watchdogMs' | 'workerMemoryMb'>, signal?: AbortSignal): ProbeOptions {
  return { timeoutMs: o.watchdogMs ?? DEFAULT_WATCHDOG_MS, memoryMb: o.workerMemoryMb ?? DEFAULT_WORKER_MEMORY_MB, signal };
}
