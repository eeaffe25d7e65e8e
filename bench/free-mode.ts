// Free-mode throughput of gup-longterm-vs-activate (6.11, 2 CPUs) against the raw Atomics race loop
// (raw-loop.ts), alternating the two in one process so that both see the same host. Every rate is a
// rate under our scheduler on this machine, never the kernel's.
import { runScenario } from '../src/api/run.js';
import { rawLoopRate } from './raw-loop.js';

export interface FreeModeRow { seed: string; iterationsPerSecond: number; rawPerSecond: number; ratio: number }

/** Five free-mode runs (seeds 1-5), each followed by a raw-loop run; ratio = free / raw. */
export async function freeModeVsRaw(kernel = '6.11', iterations = 300_000): Promise<FreeModeRow[]> {
  const rows: FreeModeRow[] = [];
  for (const seed of ['1', '2', '3', '4', '5']) {
    const r = await runScenario({ scenario: 'gup-longterm-vs-activate', kernel, mode: 'free', cpus: 2, iterations, seed, out: null });
    const raw = await rawLoopRate();
    rows.push({ seed, iterationsPerSecond: r.iterationsPerSecond, rawPerSecond: raw, ratio: r.iterationsPerSecond / raw });
  }
  return rows;
}
