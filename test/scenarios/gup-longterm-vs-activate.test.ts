import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, runScenario, tempOut } from '../helpers/dist.js';
import { TEST_SEED } from '../helpers/seed.js';
import { FREE_FIND_MS, FREE_FIND_TEXT, nothingFound } from '../helpers/free.js';

const NAME = 'gup-longterm-vs-activate';
// Sizes (pct, seeds 1-5): 6.10 finds the race at iteration 0 or 1, in about 55% of iterations;
// 6.17's window in about 2% (415-461 of 20 000). A 6.11 that lost its fix would show either within
// a few hundred iterations: in 5 000, about 100 findings are expected even at 6.17's rate.
const scenario = BUILTIN_SCENARIOS.find((s) => s.name === NAME)!;

describe(`${NAME} (seed ${TEST_SEED})`, () => {
  it('declares what each profile must show', () => {
    expect(scenario.expect).toEqual({ '6.10': 'found', '6.11': 'never', '6.14': 'found', '6.16': 'never', '6.17': 'window',
      '7.3': 'window' });
  });

  it('6.10, pct: finds pin-failed-batch-ref within 2 000 iterations, with a failure file', async () => {
    const r = await runScenario({ scenario: NAME, kernel: '6.10', mode: 'pct', seed: TEST_SEED, iterations: 2_000, out: tempOut() });
    expect(r.forbidden).toBeGreaterThan(0);
    expect(r.outcomes.find((o) => o.name === 'pin-failed-batch-ref')!.count).toBe(r.forbidden);
    expect(r.firstFailure?.outcome).toBe('pin-failed-batch-ref');
    expect(r.firstFailure?.file).toMatch(/gup-longterm-vs-activate-6\.10-pct-/);
    expect(r.firstFailure?.replayVerified).toBe(true);
    expect(r.violations + r.deadlocks).toBe(0);
  });

  it(`6.10, free: finds pin-failed-batch-ref with --stop-on-first within ${FREE_FIND_TEXT}`, async () => {
    const r = await runScenario({ scenario: NAME, kernel: '6.10', mode: 'free', seed: TEST_SEED, iterations: 1e9, durationMs: FREE_FIND_MS,
      stopOnFirst: true, out: null });
    expect(r.forbidden, nothingFound(r)).toBe(1);
    expect(r.firstFailure?.outcome).toBe('pin-failed-batch-ref');
  });

  it('6.11, pct: never reaches a forbidden outcome in 5 000 iterations', async () => {
    const r = await runScenario({ scenario: NAME, kernel: '6.11', mode: 'pct', seed: TEST_SEED, iterations: 5_000, out: null });
    expect(r.iterations).toBe(5_000);
    expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
    expect(r.outcomes.find((o) => o.name === 'pinned-after-migration')!.count).toBeGreaterThan(4_750);
  });

  // 6.10 finds it in 5,860 to 7,527 of 10,000 free iterations (seeds 1-3, --no-shrink).
  it('6.11, free: never reaches a forbidden outcome in 10 000 iterations', async () => {
    const r = await runScenario({ scenario: NAME, kernel: '6.11', mode: 'free', seed: TEST_SEED, iterations: 10_000, out: null });
    expect(r.iterations).toBe(10_000);
    expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
  });

  it('6.10 + lru-clear-at-enqueue=on behaves as 6.11: no forbidden outcome in pct', async () => {
    const r = await runScenario({ scenario: NAME, kernel: '6.10', patches: { 'lru-clear-at-enqueue': true }, mode: 'pct',
      seed: TEST_SEED, iterations: 5_000, out: null });
    expect(r.patches['lru-clear-at-enqueue']).toBe(true);
    expect(r.forbidden).toBe(0);
  });

  it('6.17, pct: the activate-after-drain window is still found, in under 10% of 5 000 iterations', async () => {
    const r = await runScenario({ scenario: NAME, kernel: '6.17', mode: 'pct', seed: TEST_SEED, iterations: 5_000, out: null });
    expect(r.forbidden).toBeGreaterThan(0);
    expect(r.forbidden).toBeLessThan(r.iterations / 10);
    expect(r.violations + r.deadlocks).toBe(0);
  });

  it('6.11, random: the model stays consistent (no violation, no deadlock) under random interleavings', async () => {
    const r = await runScenario({ scenario: NAME, kernel: '6.11', mode: 'random', seed: TEST_SEED, iterations: 5_000, out: null });
    expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
  });
});
