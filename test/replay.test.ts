import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replayFailure, runScenario, tempOut } from './helpers/dist.js';
import { TEST_SEED } from './helpers/seed.js';
import { FREE_FIND_MS, nothingFound } from './helpers/free.js';

describe(`replay (seed ${TEST_SEED})`, () => {
  it('6.10, pct: a failure file replays to the same outcome and the same schedule, every time', async () => {
    const run = await runScenario({ scenario: 'gup-longterm-vs-activate', kernel: '6.10', mode: 'pct', seed: TEST_SEED,
      iterations: 2_000, out: tempOut() });
    const file = run.firstFailure!.file!;
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as { schedule: string; outcome: string; iteration: number;
      shrunk: { schedule: string } };
    expect(recorded.outcome).toBe('pin-failed-batch-ref');
    for (let i = 0; i < 3; i++) {
      const r = await replayFailure(file);
      expect(r.replay).toEqual({ of: 'pct', iteration: recorded.iteration, expected: 'pin-failed-batch-ref', reproduced: true,
        verdict: 'reproduced', got: 'pin-failed-batch-ref', why: null, divergedAtStep: 0 });
      expect(r.firstFailure?.schedule).toBe(recorded.shrunk.schedule); // the shrunk one, shown by the run too
      expect(r.firstFailure?.schedule).toBe(run.firstFailure!.schedule);
      expect(r.firstFailure?.diagram).toBe(run.firstFailure!.diagram);
      expect(r.forbidden).toBe(1);
    }
  });

  it('6.10, free: recorded ticket orders replay to the same outcome whenever the run verified them', async () => {
    // A free-mode schedule is the order of the CPUs' tickets, which can in rare cases differ from
    // the order of their operations; the run reports that as replayVerified = false.
    let verified = 0;
    for (const seed of ['1', '2', '3', '4', '5', '6'].map((s) => `${TEST_SEED}-${s}`)) {
      const run = await runScenario({ scenario: 'gup-longterm-vs-activate', kernel: '6.10', mode: 'free', seed,
        iterations: 1e9, durationMs: FREE_FIND_MS, stopOnFirst: true, out: tempOut() });
      expect(run.firstFailure, nothingFound(run)).not.toBeNull();
      const r = await replayFailure(run.firstFailure!.file!);
      expect(r.replay?.reproduced).toBe(run.firstFailure!.replayVerified);
      if (run.firstFailure!.replayVerified) verified++;
    }
    expect(verified).toBeGreaterThanOrEqual(3); // about 95% verify; 4 misses in 6 would be a regression
  });
});
