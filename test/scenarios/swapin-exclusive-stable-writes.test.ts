import { describe, expect, it } from 'vitest';
import { replayFailure, runScenario, tempOut } from '../helpers/dist.js';
import { TEST_SEED } from '../helpers/seed.js';

const NAME = 'swapin-exclusive-stable-writes';
const ZRAM = `${NAME}-zram`;
const FORBIDDEN = 'page-changed-during-writeback';

describe(`${NAME} (seed ${TEST_SEED})`, () => {
  it('5.19-swp-v2, pct: the page changes under writeback, also an invariant violation; replays', async () => {
    const r = await runScenario({ scenario: NAME, kernel: '5.19-swp-v2', mode: 'pct', seed: TEST_SEED, iterations: 3_000, out: tempOut() });
    expect(r.forbidden).toBeGreaterThan(0);
    expect(r.outcomes.find((o) => o.name === FORBIDDEN)!.count).toBe(r.forbidden);
    expect(r.violations).toBe(r.forbidden); // invariant 14 fires in the same iterations
    expect(r.firstFailure?.outcome).toBe(FORBIDDEN);
    const again = await replayFailure(r.firstFailure!.file!);
    expect(again.replay?.reproduced).toBe(true);
  });

  it('5.19-swp-v2, free: found with --stop-on-first', async () => {
    const r = await runScenario({ scenario: NAME, kernel: '5.19-swp-v2', mode: 'free', seed: TEST_SEED, iterations: 1e9,
      durationMs: 20_000, stopOnFirst: true, out: null });
    expect(r.forbidden).toBe(1);
  });

  it.each(['5.17', '5.18', '5.19', '6.11'])('%s: never, in pct and free', async (kernel) => {
    for (const mode of ['pct', 'free'] as const) {
      const r = await runScenario({ scenario: NAME, kernel, mode, seed: TEST_SEED, iterations: mode === 'pct' ? 3_000 : 20_000, out: null });
      expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
    }
  });

  it('zram-like synchronous device: never, even with the posted (inverted) test, in pct and free', async () => {
    for (const mode of ['pct', 'free'] as const) {
      const r = await runScenario({ scenario: ZRAM, kernel: '5.19-swp-v2', mode, seed: TEST_SEED, iterations: mode === 'pct' ? 3_000 : 20_000, out: null });
      expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
      expect(r.outcomes.find((o) => o.name === 'write-kept')!.count).toBe(r.iterations);
    }
  });
});
