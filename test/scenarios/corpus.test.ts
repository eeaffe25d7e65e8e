// The corpus scenarios of issue 12 (docs/corpus.md): each found under its "before" profile in pct
// and in free mode, never under its "after" profile. Budgets here are small (pct: stop at the first
// finding, or a few thousand iterations; free: stop at the first finding within FREE_FIND_MS,
// test/helpers/free.ts); the 200,000-iteration and 60 s figures are in docs/corpus.md with the
// commands that measured them.
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, runScenario } from '../helpers/dist.js';
import { TEST_SEED } from '../helpers/seed.js';
import { FREE_FIND_MS, FREE_FIND_TEXT, nothingFound } from '../helpers/free.js';

interface Case {
  name: string; before: string; after: string; outcome: string; expect: Record<string, string>; jitter?: number;
  /** Why free mode is not asserted for the before profile (its window is a few steps wide). */
  freeSkip?: string;
}

const CASES: Case[] = [
  { name: 'gup-pin-unisolated-cma', before: '6.14', after: '6.16', outcome: 'pinned-unpinnable',
    expect: { '6.14': 'found', '6.16': 'never', '6.11': 'never' },
    freeSkip: 'the window (CPU1 clears PG_lru between collect\'s test and the isolation) is a few instructions wide: ' +
      'free mode found it in 2.5 s on a quiet machine, not within 10 s at load 27 (docs/corpus.md)' },
  { name: 'swapin-skip-cache-race', before: '5.19', after: '6.10', outcome: 'lost-write',
    expect: { '5.18': 'found', '5.19': 'found', '6.10': 'never', '6.17': 'never' }, jitter: 50 },
  { name: 'madv-free-dio-read', before: '5.17', after: '5.18', outcome: 'lost-dio-data',
    expect: { '5.17': 'found', '5.18': 'never', '6.10': 'never', '6.17': 'never' } },
  { name: 'gup-pin-mlocked-fault', before: '6.16', after: '6.17', outcome: 'pin-failed-mlock-batch-ref',
    expect: { '5.17': 'never', '5.18': 'found', '6.10': 'found', '6.11': 'found', '6.14': 'found', '6.16': 'found',
      '6.17': 'never', '7.3': 'never' } },
  { name: 'swapin-sole-owner-write', before: '7.3', after: '6.17', outcome: 'reused-by-wp-fault',
    expect: { '5.17': 'never', '5.18': 'never', '5.19': 'never', '6.10': 'never', '6.17': 'never', '7.3': 'found' } },
];

describe(`swapin-sole-owner-write: 4b34f1d82c65's revert as posted (seed ${TEST_SEED})`, () => {
  it('7.3 with swapin-free-after-map=off: the sole owner\'s write reuses the page in do_swap_page() again, no pgreuse', async () => {
    const r = await runScenario({ scenario: 'swapin-sole-owner-write', kernel: '7.3', patches: { 'swapin-free-after-map': false },
      mode: 'pct', seed: TEST_SEED, iterations: 100, out: null });
    expect(r.outcomes.find((o) => o.name === 'reused-at-swap-in')?.count).toBe(100);
    expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
  });
});

for (const c of CASES) {
  const scenario = BUILTIN_SCENARIOS.find((s) => s.name === c.name)!;
  describe(`${c.name} (seed ${TEST_SEED})`, () => {
    it(`declares before ${c.before}, after ${c.after} and what each profile must show`, () => {
      expect([scenario.before, scenario.after]).toEqual([c.before, c.after]);
      expect(scenario.expect).toEqual(c.expect);
      expect(scenario.outcomes[c.outcome]).toBe('forbidden');
    });

    it(`${c.before}, pct: finds ${c.outcome} within 20 000 iterations`, async () => {
      const r = await runScenario({ scenario: c.name, kernel: c.before, mode: 'pct', seed: TEST_SEED, iterations: 20_000,
        stopOnFirst: true, out: null });
      expect(r.forbidden).toBe(1);
      expect(r.firstFailure?.outcome).toBe(c.outcome);
      expect(r.violations + r.deadlocks).toBe(0);
    });

    (c.freeSkip ? it.skip : it)(`${c.before}, free: finds ${c.outcome} within ${FREE_FIND_TEXT}${c.freeSkip ? ` (skipped: ${c.freeSkip})` : ''}`, async () => {
      const r = await runScenario({ scenario: c.name, kernel: c.before, mode: 'free', seed: TEST_SEED, iterations: 1e9,
        durationMs: FREE_FIND_MS, stopOnFirst: true, out: null, ...(c.jitter ? { jitter: c.jitter } : {}) });
      expect(r.forbidden, nothingFound(r)).toBe(1);
      expect(r.firstFailure?.outcome).toBe(c.outcome);
    });

    it(`${c.after}, pct: never reaches a forbidden outcome in 1 000 iterations`, async () => {
      const r = await runScenario({ scenario: c.name, kernel: c.after, mode: 'pct', seed: TEST_SEED, iterations: 1_000, out: null });
      expect(r.iterations).toBe(1_000);
      expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
    });

    it(`${c.after}, free: never reaches a forbidden outcome in 1 000 iterations`, async () => {
      const r = await runScenario({ scenario: c.name, kernel: c.after, mode: 'free', seed: TEST_SEED, iterations: 1_000, out: null });
      expect(r.iterations).toBe(1_000);
      expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
    });
  });
}

describe('gup-longterm-vs-activate and gup-remote-pin-touch under the new profiles', () => {
  it('6.14, pct: 1aaf8c122918 turns the activate race into pinned-unpinnable; 6.16 never pins in CMA', async () => {
    const before = await runScenario({ scenario: 'gup-longterm-vs-activate', kernel: '6.14', mode: 'pct', seed: TEST_SEED,
      iterations: 20_000, stopOnFirst: true, out: null });
    expect(before.firstFailure?.outcome).toBe('pinned-unpinnable');
    const after = await runScenario({ scenario: 'gup-longterm-vs-activate', kernel: '6.16', mode: 'pct', seed: TEST_SEED,
      iterations: 1_000, out: null });
    expect([after.forbidden, after.violations, after.deadlocks]).toEqual([0, 0, 0]);
  });

  it('7.3, pct: the pin no longer drains blindly, yet the remote-pin touch is still drained for', async () => {
    const r = await runScenario({ scenario: 'gup-remote-pin-touch', kernel: '7.3', mode: 'pct', seed: TEST_SEED,
      iterations: 200, out: null });
    expect([r.forbidden, r.violations, r.deadlocks]).toEqual([0, 0, 0]);
  });
});

describe(`reclaim-vs-mlocked-swapin (seed ${TEST_SEED})`, () => {
  const run = (kernel: string) => runScenario({ scenario: 'reclaim-vs-mlocked-swapin', kernel, mode: 'pct', seed: TEST_SEED,
    iterations: 1_000, out: null });
  const count = (r: Awaited<ReturnType<typeof run>>, name: string): number => r.outcomes.find((o) => o.name === name)!.count;

  it('5.17, pct: the fault does not mlock, so each mlocked page was mlocked by reclaim (try_to_unmap_one refused); none swapped out', async () => {
    const r = await run('5.17');
    expect(count(r, 'mlocked')).toBeGreaterThan(0);
    expect([r.forbidden, r.violations, r.deadlocks, r.livelocks]).toEqual([0, 0, 0, 0]);
  });

  it('6.10, pct: every swap-in of the VM_LOCKED vma is mlocked at the fault or by reclaim; none swapped out', async () => {
    const r = await run('6.10');
    expect(count(r, 'mlocked')).toBe(1_000);
    expect([r.forbidden, r.violations, r.deadlocks, r.livelocks]).toEqual([0, 0, 0, 0]);
  });

  it('6.11, pct: a fresh swap-in (9ae2feacedde) stays evictable until reclaim meets it; none swapped out', async () => {
    const r = await run('6.11');
    expect(count(r, 'evictable')).toBeGreaterThan(0);
    expect([r.forbidden, r.violations, r.deadlocks, r.livelocks]).toEqual([0, 0, 0, 0]);
  });
});
