// The two MADV_FREE data-loss scenarios: found under the naive rule in pct and free mode, with a
// failure file that replays; never under Minchan Kim's v3 rule or mainline.
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, replayFailure, runScenario, tempOut } from '../helpers/dist.js';
import { TEST_SEED } from '../helpers/seed.js';
import { FREE_FIND_MS, FREE_FIND_TEXT, nothingFound } from '../helpers/free.js';

const NAIVE = '3.14-madvfree-naive';
// A "never" case's sizes: those the naive rule fails well within (seed 1). swapin-clean-pte: in 82%
// of pct iterations, 99.8% of free ones. redirty-vs-reclaim's window is rare (pct: once in 2,000,
// at iteration 996), so it keeps 2,000 and 5,000.
const CASES = [
  { name: 'madv-free-swapin-clean-pte', forbidden: 'data-lost', never: { pct: 200, free: 500 } },
  { name: 'madv-free-redirty-vs-reclaim', forbidden: 'lost-write', never: { pct: 2_000, free: 5_000 } },
] as const;

for (const { name, forbidden, never } of CASES) {
  describe(`${name} (seed ${TEST_SEED})`, () => {
    it('declares: found under the naive rule, never under v3 and mainline', () => {
      const s = BUILTIN_SCENARIOS.find((x) => x.name === name)!;
      expect(s.expect).toMatchObject({ [NAIVE]: 'found', '3.14-madvfree-v3': 'never', '5.17': 'never', '6.10': 'never', '6.11': 'never' });
    });

    it(`${NAIVE}, pct: finds ${forbidden}; the failure file replays it`, async () => {
      const r = await runScenario({ scenario: name, kernel: NAIVE, mode: 'pct', seed: TEST_SEED, iterations: 20_000,
        stopOnFirst: true, out: tempOut() });
      expect(r.firstFailure?.outcome).toBe(forbidden);
      expect(r.firstFailure?.replayVerified).toBe(true);
      const again = await replayFailure(r.firstFailure!.file!);
      expect(again.replay?.reproduced).toBe(true);
      expect(r.violations + r.deadlocks).toBe(0);
    });

    it(`${NAIVE}, free: finds ${forbidden} within ${FREE_FIND_TEXT}`, async () => {
      const r = await runScenario({ scenario: name, kernel: NAIVE, mode: 'free', seed: TEST_SEED, iterations: 1e9,
        durationMs: FREE_FIND_MS, stopOnFirst: true, out: null });
      expect(r.firstFailure?.outcome, nothingFound(r)).toBe(forbidden);
    });

    for (const kernel of ['3.14-madvfree-v3', '6.10', '6.11']) {
      for (const [mode, iterations] of [['pct', never.pct], ['free', never.free]] as const) {
        it(`${kernel}, ${mode}: never in ${iterations} iterations, no violation`, async () => {
          const r = await runScenario({ scenario: name, kernel, mode, seed: TEST_SEED, iterations, out: null });
          expect(r.iterations).toBe(iterations);
          expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
        });
      }
    }
  });
}
