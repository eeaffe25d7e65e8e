// The thread's claims (KERNEL.md §3.1) as share ranges: only the local-batch case changes in 5.18.
import { describe, expect, it } from 'vitest';
import { runScenario, type RunReport } from '../helpers/dist.js';
import { compareRows } from '../../dist/src/report/compare.js';
import { TEST_SEED } from '../helpers/seed.js';

const NAME = 'wp-reuse-local-batch';
const CASES = ['local-batch', 'remote-batch', 'activate-batch', 'async-writeback'];

/** Share of `result` in each case of one run. */
function shares(r: RunReport, result: 'reused' | 'copied'): Record<string, number> {
  const rows = compareRows([r]);
  return Object.fromEntries(CASES.map((c) => [c, rows.find((row) => row.case === c)!.kernels[r.kernel]!.shares[result] ?? 0]));
}

const run = (kernel: string, mode: 'pct' | 'free'): Promise<RunReport> =>
  runScenario({ scenario: NAME, kernel, mode, seed: TEST_SEED, iterations: 2_000, out: null });

describe(`${NAME} (seed ${TEST_SEED})`, () => {
  it.each(['pct', 'free'] as const)('%s: each case runs a quarter of the iterations, nothing is forbidden', async (mode) => {
    const r = await run('5.18', mode);
    expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
    for (const row of compareRows([r]).filter((x) => CASES.includes(x.case))) {
      expect(row.kernels['5.18']!.iterations).toBe(r.iterations / 4);
    }
  });

  it.each(['pct', 'free'] as const)('5.17, %s: every case copies (page_count must be 1)', async (mode) => {
    const copied = shares(await run('5.17', mode), 'copied');
    for (const c of CASES) expect(copied[c]).toBeGreaterThanOrEqual(0.99);
  });

  it.each(['pct', 'free'] as const)('5.18, %s: the local batch is reused; remote, activate and writeback still copy', async (mode) => {
    const r = await run('5.18', mode);
    expect(shares(r, 'reused')['local-batch']).toBeGreaterThanOrEqual(0.99);
    const copied = shares(r, 'copied');
    for (const c of CASES.slice(1)) expect(copied[c]).toBeGreaterThanOrEqual(0.99);
  });

  it('5.19, pct: the swap PTE remembers exclusivity, so every case reuses', async () => {
    const reused = shares(await run('5.19', 'pct'), 'reused');
    for (const c of CASES) expect(reused[c]).toBeGreaterThanOrEqual(0.99);
  });
});
