import { describe, expect, it } from 'vitest';
import { replayFailure, runScenario, tempOut } from '../helpers/dist.js';
import { TEST_SEED } from '../helpers/seed.js';
import { FREE_FIND_MS, nothingFound } from '../helpers/free.js';

const NAME = 'wp-swapcache-reuse-after-fork';
const FORBIDDEN = 'child-sees-parent-write';

describe(`${NAME} (seed ${TEST_SEED})`, () => {
  it('5.17-willy, pct: the child reads the parent\'s write; the failure file replays to it', async () => {
    const r = await runScenario({ scenario: NAME, kernel: '5.17-willy', mode: 'pct', seed: TEST_SEED, iterations: 5_000, out: tempOut() });
    expect(r.forbidden).toBeGreaterThan(0);
    expect(r.outcomes.find((o) => o.name === FORBIDDEN)!.count).toBe(r.forbidden);
    expect(r.firstFailure?.replayVerified).toBe(true);
    expect(r.violations + r.deadlocks).toBe(0);
    const again = await replayFailure(r.firstFailure!.file!);
    expect(again.replay?.reproduced).toBe(true);
    expect(again.firstFailure?.outcome).toBe(FORBIDDEN);
  });

  it('5.17-willy, free: found with --stop-on-first', async () => {
    const r = await runScenario({ scenario: NAME, kernel: '5.17-willy', mode: 'free', seed: TEST_SEED, iterations: 1e9,
      durationMs: FREE_FIND_MS, stopOnFirst: true, out: null });
    expect(r.forbidden, nothingFound(r)).toBe(1);
    expect(r.firstFailure?.outcome).toBe(FORBIDDEN);
  });

  // Sizes: 5.17-willy's reuse shows in 257 and 274 of 1,000 pct iterations and in 174 and 181 of
  // 5,000 free ones (seeds 1, 2; --no-shrink), so a profile with the bug fails these by far.
  it.each(['5.17', '5.17-liang', '5.18', '5.19', '6.17'])('%s: never, in pct and free; the parent always copies', async (kernel) => {
    for (const mode of ['pct', 'free'] as const) {
      const r = await runScenario({ scenario: NAME, kernel, mode, seed: TEST_SEED, iterations: mode === 'pct' ? 1_000 : 5_000, out: null });
      expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
      expect(r.outcomes.find((o) => o.name === 'parent-copied')!.count).toBe(r.iterations);
    }
  });
});
