// Deadlocks, hangs and crashes: findings are reported as results; crashes end the run cleanly.
import { describe, expect, it } from 'vitest';
import { replayFailure, runScenario, tempOut, type RunReport } from './helpers/dist.js';
import { FREE_FIND_MS, nothingFound } from './helpers/free.js';
import { TEST_SEED } from './helpers/seed.js';
import { run } from './helpers/in-process.js';

const fixture = (f: string): string => new URL(`./fixtures/${f}`, import.meta.url).pathname;

describe(`deadlock detection (seed ${TEST_SEED})`, () => {
  it('pct: an ABBA lock inversion is reported as a deadlock with each CPU\'s wait, and replays to it', async () => {
    const r = await runScenario({ scenario: fixture('abba-deadlock.js'), mode: 'pct', seed: TEST_SEED, iterations: 2_000, out: tempOut() });
    expect(r.deadlocks).toBeGreaterThan(0);
    expect(r.deadlocks + r.outcomes[0]!.count).toBe(r.iterations);
    expect(r.firstFailure?.kind).toBe('deadlock');
    expect(r.firstFailure?.outcome).toBe('deadlock: CPU0 in spin_lock_wait, CPU1 in spin_lock_wait');
    expect(r.firstFailure?.replayVerified).toBe(true);
    const again = await replayFailure(r.firstFailure!.file!);
    expect(again.replay?.reproduced).toBe(true);
  });

  it('free: the watchdog ends a hung iteration and reports where each CPU waits', async () => {
    const r = await runScenario({ scenario: fixture('abba-deadlock.js'), mode: 'free', seed: TEST_SEED, iterations: 1e9,
      durationMs: 20_000, watchdogMs: 500, out: null });
    expect(r.watchdog).toEqual(['spin_lock_wait', 'spin_lock_wait']);
    expect(r.deadlocks).toBe(1);
    expect(r.firstFailure?.kind).toBe('deadlock');
  });
});

describe(`livelock detection (seed ${TEST_SEED})`, () => {
  it('6.10, pct: a long-term pin of a CMA page on no LRU retries forever: a livelock, its loop drawn, replayed; the run stops there', async () => {
    const r = await runScenario({ scenario: 'gup-longterm-never-lru', kernel: '6.10', mode: 'pct', seed: TEST_SEED,
      iterations: 3, out: tempOut() });
    expect([r.livelocks, r.deadlocks, r.iterations]).toEqual([1, 0, 1]);
    expect(r.firstFailure?.kind).toBe('livelock');
    expect(r.firstFailure?.outcome).toMatch(/^livelock: CPU0 made no progress for 10000 steps, last at /);
    expect(r.firstFailure?.diagram).toMatch(/⟲ CPU0 loops: .* ×\d+, numbers aside/);
    expect(r.firstFailure?.diagram).toContain('check_and_migrate(f0) = -EAGAIN');
    const again = await replayFailure(r.firstFailure!.file!);
    expect(again.replay?.reproduced).toBe(true);
  });

  // Free mode counts a loop's steps otherwise than a controlled run: its livelock may be named at
  // another last site than the exact schedule's (6.17), and is the same livelock (finding.ts sameFinding).
  it.each([['6.10'], ['6.17']])('%s, free: the same loop is a livelock, not a watchdog timeout, and its conversion replays it', async (kernel) => {
    const r = await runScenario({ scenario: 'gup-longterm-never-lru', kernel, mode: 'free', seed: TEST_SEED,
      iterations: 1e9, durationMs: 20_000, watchdogMs: 15_000, out: tempOut() });
    expect([r.livelocks, r.deadlocks, r.iterations, r.watchdog]).toEqual([1, 0, 1, null]);
    expect(r.firstFailure?.outcome).toMatch(/^livelock: CPU0 made no progress for 10000 steps, last at /);
    expect(r.firstFailure?.replayVerified).toBe(true);
    const again = await replayFailure(r.firstFailure!.file!);
    expect(again.replay?.verdict).toBe('reproduced');
  });

  it('6.14, pct: 1aaf8c122918 ends the loop; the page is pinned where it is, no livelock', async () => {
    const r = await runScenario({ scenario: 'gup-longterm-never-lru', kernel: '6.14', mode: 'pct', seed: TEST_SEED,
      iterations: 50, out: null });
    expect([r.livelocks, r.deadlocks, r.forbidden]).toEqual([0, 0, 0]);
    expect(r.outcomes.find((o) => o.name === 'pinned-in-cma')?.count).toBe(50);
  });
});

describe(`lru_add_drain_all() generations (seed ${TEST_SEED})`, () => {
  // With the generation bumped after the scan of the batches instead of before, a folio is left
  // behind in 10 to 18% of pct and random iterations (seeds 1 to 3, 1,000 iterations each).
  // Free mode piggybacks only while callers run at once: its 3 CPUs share the 2 cores, and beside
  // another test file 3,000 iterations once had none. It runs rounds of 3,000 until one piggybacks,
  // within the budget of a free find (helpers/free.ts); every round must leave no folio behind.
  for (const mode of ['pct', 'random', 'free'] as const) {
    it(`${mode}, 3 CPUs: concurrent callers leave no folio behind, and some piggyback on another's drain`, async () => {
      const until = performance.now() + FREE_FIND_MS;
      let piggybacked = 0;
      let r: RunReport;
      do {
        r = await runScenario({ scenario: fixture('drain-all-race.js'), kernel: '6.10', mode, seed: TEST_SEED,
          iterations: mode === 'free' ? 3_000 : 1_000, out: null });
        const count = (name: string): number => r.outcomes.find((o) => o.name === name)!.count;
        // livelocks: CPUs that finish first leave one running alone; it must not pass for looping (free mode too)
        expect([r.forbidden, r.violations, r.deadlocks, r.livelocks]).toEqual([0, 0, 0, 0]);
        expect(count('left-in-a-batch')).toBe(0);
        expect(count('each-drained') + count('piggybacked')).toBe(r.iterations);
        piggybacked += count('piggybacked');
      } while (mode === 'free' && piggybacked === 0 && performance.now() < until);
      expect(piggybacked, nothingFound(r)).toBeGreaterThan(0);
    });
  }
});

describe('crashes', () => {
  it('a scenario whose actor throws is a scenario error: exit 2 naming the CPU, the scenario file and line, and the seed', async () => {
    const r = await run('run', fixture('crashing-scenario.js'), '--mode', 'pct', '--seed', '9', '--no-out');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^foliorace: scenario error: .*crashing-scenario\.js:16:\d+: scenario bug on purpose\n {2}in actor\(\) on CPU1, iteration 0 · kernel 7\.3 · mode pct · seed 9\n$/);
  });
});
