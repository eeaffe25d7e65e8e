import { describe, expect, it } from 'vitest';
import { runScenario } from '../helpers/dist.js';
import { TEST_SEED } from '../helpers/seed.js';

const NAME = 'same-folio-two-batches';

/** The outcomes a run reached, by name. */
const reached = (r: { outcomes: { name: string; count: number }[] }): string[] =>
  r.outcomes.filter((o) => o.count > 0).map((o) => o.name).sort();

describe(`${NAME} (seed ${TEST_SEED})`, () => {
  for (const mode of ['pct', 'free'] as const) {
    it(`6.10, ${mode}: the folio is in two batches every time; where it ends depends on the drain order`, async () => {
      const r = await runScenario({ scenario: NAME, kernel: '6.10', mode, seed: TEST_SEED, iterations: 3_000, out: null });
      expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
      const seen = reached(r);
      expect(seen.every((o) => o.startsWith('two-batches: '))).toBe(true);
      // lazyfree then activate leaves a lazy-free folio on the active file list
      if (mode === 'pct') expect(seen).toEqual(expect.arrayContaining(['two-batches: active_file', 'two-batches: inactive_file']));
    });

    it(`6.11, ${mode}: never in two batches; the folio ends on active_anon or inactive_file`, async () => {
      const r = await runScenario({ scenario: NAME, kernel: '6.11', mode, seed: TEST_SEED, iterations: 3_000, out: null });
      expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
      const seen = reached(r);
      expect(seen.every((o) => o === 'one-batch: active_anon' || o === 'one-batch: inactive_file')).toBe(true);
      if (mode === 'pct') expect(seen).toEqual(['one-batch: active_anon', 'one-batch: inactive_file']);
    });
  }
});
