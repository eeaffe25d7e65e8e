import { describe, expect, it } from 'vitest';
import { runScenario, tempOut, type RunReport } from './helpers/dist.js';
import { TEST_SEED } from './helpers/seed.js';

function withoutTimings(r: RunReport): unknown {
  const { elapsedMs: _e, iterationsPerSecond: _i, startupMs: _s, ...rest } = r;
  const f = rest.firstFailure;
  if (!f) return rest;
  const shrunk = f.shrunk ? { ...f.shrunk, ms: 0 } : f.shrunk;
  const conversion = f.conversion ? { ...f.conversion, ms: 0 } : f.conversion;
  return { ...rest, firstFailure: { ...f, shrunk, conversion } };
}

describe(`determinism (seed ${TEST_SEED})`, () => {
  for (const mode of ['pct', 'random'] as const) {
    it(`${mode}: the same scenario, profile and seed give identical reports, schedule included`, async () => {
      const o = { scenario: 'gup-longterm-vs-activate', kernel: '6.10', mode, seed: TEST_SEED, iterations: 3_000, out: tempOut() };
      const a = await runScenario(o);
      const b = await runScenario(o);
      expect(a.firstFailure?.file).toMatch(/\.json$/);
      expect(withoutTimings(b)).toEqual(withoutTimings(a)); // the failure file too: the same one
    });
  }

  it.each([['wp-swapcache-reuse-after-fork', '5.17-willy'], ['madv-free-redirty-vs-reclaim', '3.14-madvfree-naive']])(
    'pct, %s under %s: identical reports from the same seed', async (scenario, kernel) => {
      const o = { scenario, kernel, mode: 'pct' as const, seed: TEST_SEED, iterations: 1_500, out: null };
      const a = await runScenario(o);
      const b = await runScenario(o);
      expect(withoutTimings(b)).toEqual(withoutTimings(a));
    });

  it('pct: another seed gives another schedule', async () => {
    // outcomes only: the first failure need not be shrunk
    const o = { scenario: 'gup-longterm-vs-activate', kernel: '6.10', mode: 'pct' as const, iterations: 3_000, out: null, shrink: false };
    const a = await runScenario({ ...o, seed: `${TEST_SEED}a` });
    const b = await runScenario({ ...o, seed: `${TEST_SEED}b` });
    expect(a.outcomes).not.toEqual(b.outcomes);
  });
});
