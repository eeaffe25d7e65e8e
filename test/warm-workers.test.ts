// A process that runs many scenarios (a campaign, compare, the replay and shrinking after a
// failure) runs them on warm workers (src/host/pool.ts). A warm worker must run as a new one
// would: a scenario file's module-level state does not carry over, and a throw in it still names
// the user's line.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, tempOut, type RunReport } from './helpers/dist.js';
import { idleWorkerCount } from '../dist/src/host/pool.js';

const FILE = new URL('./fixtures/module-state.ts', import.meta.url).pathname;
/**
 * This file's own heap limit, which no other test file uses: vitest runs files one after another
 * in a process (isolate: false), and the pool's other workers are theirs (a worker that served its
 * hundredth run there is ended, not given back).
 */
const MEMORY_MB = 320;
const run = (iterations: number) =>
  runScenario({ scenario: FILE, kernel: '6.10', mode: 'pct', seed: '1', iterations, out: tempOut(), workerMemoryMb: MEMORY_MB });
const count = (r: RunReport, outcome: string): number | undefined => r.outcomes.find((o) => o.name === outcome)?.count;

describe('warm workers', () => {
  it('a clean run gives its workers back, and the next run of a file sees a fresh module', async () => {
    const first = await run(3);
    expect(count(first, 'one-setup')).toBe(3);
    expect(idleWorkerCount(MEMORY_MB)).toBe(2);
    const second = await run(3);
    expect(idleWorkerCount(MEMORY_MB)).toBe(2); // the first run's workers ran it: no new ones
    expect(second.outcomes).toEqual(first.outcomes);
    expect(count(second, 'setups-carried-over')).toBe(0);
  });

  it("a throw in a warm worker's fresh module names the user's line, as in a new worker", async () => {
    await run(3);
    const line = readFileSync(FILE, 'utf8').split('\n').findIndex((l) => l.includes('throw new Error')) + 1;
    await expect(run(10)).rejects.toThrow(new RegExp(`module-state\\.ts:${line}:\\d+: iteration 3 of a run with 1 setup\\(s\\)`));
  });

  it('a worker whose imported scenario code outgrows its share of the heap is ended, not kept', async () => {
    // The same scenario with a 3 MB string in it: above 1/16 of a 32 MiB heap after one import.
    const dir = mkdtempSync(join(tmpdir(), 'foliorace-warm-'));
    const text = readFileSync(FILE, 'utf8').replace("'../../dist/src/index.js'", "'foliorace'");
    const small = join(dir, 'small.mjs'), big = join(dir, 'big.mjs');
    writeFileSync(small, text);
    writeFileSync(big, text.replace("summary: 'counts setups at module level'", `summary: '${'x'.repeat(3_000_000)}'`));
    const go = (scenario: string) => runScenario({ scenario, kernel: '6.10', mode: 'pct', seed: '1', iterations: 3, out: null, workerMemoryMb: 32 });
    expect(count(await go(big), 'one-setup')).toBe(3);
    expect(idleWorkerCount(32)).toBe(0);
    expect(count(await go(small), 'one-setup')).toBe(3);
    expect(idleWorkerCount(32)).toBe(2);
  });
});
