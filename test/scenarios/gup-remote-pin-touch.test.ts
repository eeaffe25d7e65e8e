import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, runScenario } from '../helpers/dist.js';
import { TEST_SEED } from '../helpers/seed.js';

const NAME = 'gup-remote-pin-touch';
const scenario = BUILTIN_SCENARIOS.find((s) => s.name === NAME)!;

describe(`${NAME} (seed ${TEST_SEED})`, () => {
  it('declares what each profile must show', () => {
    expect(scenario.expect).toEqual({ '6.10': 'found', '6.11': 'never', '6.17': 'never' });
  });

  for (const mode of ['pct', 'free'] as const) {
    it(`6.10, ${mode}: every pin fails on the reference in the pinning CPU's own activate batch`, async () => {
      const r = await runScenario({ scenario: NAME, kernel: '6.10', mode, seed: TEST_SEED, iterations: 500, out: null });
      expect(r.outcomes.find((o) => o.name === 'pin-failed-own-batch-ref')!.count).toBe(500);
      expect(r.firstFailure?.replayVerified).toBe(true);
      expect(r.violations + r.deadlocks).toBe(0);
    });

    for (const kernel of ['6.11', '6.17']) {
      it(`${kernel}, ${mode}: every pin migrates and stands`, async () => {
        const r = await runScenario({ scenario: NAME, kernel, mode, seed: TEST_SEED, iterations: 2_000, out: null });
        expect(r.outcomes.find((o) => o.name === 'pinned-after-migration')!.count).toBe(2_000);
        expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
      });
    }
  }

  it('6.10 + gup-always-drain=on (the rejected first proposal) also fixes it', async () => {
    const r = await runScenario({ scenario: NAME, kernel: '6.10', patches: { 'gup-always-drain': true }, mode: 'pct',
      seed: TEST_SEED, iterations: 200, out: null });
    expect(r.forbidden).toBe(0);
  });
});
