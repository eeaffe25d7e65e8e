import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replayFailure, runScenario, tempOut } from './helpers/dist.js';
import { TEST_SEED } from './helpers/seed.js';

describe(`replay (seed ${TEST_SEED})`, () => {
  it('6.10, pct: a failure file replays to the same outcome and the same schedule, every time', async () => {
    const run = await runScenario({ scenario: 'gup-longterm-vs-activate', kernel: '6.10', mode: 'pct', seed: TEST_SEED,
      iterations: 2_000, out: tempOut() });
    const file = run.firstFailure!.file!;
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as { schedule: string; outcome: string; iteration: number };
    expect(recorded.outcome).toBe('pin-failed-batch-ref');
    for (let i = 0; i < 3; i++) {
      const r = await replayFailure(file);
      expect(r.replay).toEqual({ of: 'pct', iteration: recorded.iteration, expected: 'pin-failed-batch-ref', reproduced: true, divergedAtStep: 0 });
      expect(r.firstFailure?.schedule).toBe(recorded.schedule);
      expect(r.firstFailure?.diagram).toBe(run.firstFailure!.diagram);
      expect(r.forbidden).toBe(1);
    }
  });

  it('6.10, free: the recorded ticket order is a schedule the replay follows to the same outcome', async () => {
    const run = await runScenario({ scenario: 'gup-longterm-vs-activate', kernel: '6.10', mode: 'free', seed: TEST_SEED,
      iterations: 1e9, durationMs: 10_000, stopOnFirst: true, out: tempOut() });
    const r = await replayFailure(run.firstFailure!.file!);
    expect(r.replay?.reproduced).toBe(run.firstFailure!.replayVerified);
    expect(r.replay?.reproduced).toBe(true);
  });
});
