// A user's scenario file that imports 'foliorace' runs in the bundled worker (one module holding
// the runner and its own copy of the model) and calls the model through the package entry. The
// two copies must behave as one: the same schedule and outcomes as the built-in scenario it
// restates, and a failure that replays.
import { describe, expect, it } from 'vitest';
import { replayFailure, runScenario, tempOut } from './helpers/dist.js';
import { TEST_SEED } from './helpers/seed.js';

const FIXTURE = new URL('./fixtures/package-entry-pin.js', import.meta.url).pathname;

describe(`a scenario file importing the package entry (seed ${TEST_SEED})`, () => {
  it('pct, 6.10: the same outcomes as the built-in gup-longterm-vs-activate, and its failure replays', async () => {
    const opts = { kernel: '6.10', mode: 'pct' as const, seed: TEST_SEED, iterations: 1_000 };
    const user = await runScenario({ ...opts, scenario: FIXTURE, out: tempOut() });
    const builtin = await runScenario({ ...opts, scenario: 'gup-longterm-vs-activate', out: null });
    const n = (r: typeof user, ...names: string[]): number =>
      r.outcomes.filter((o) => names.includes(o.name)).reduce((s, o) => s + o.count, 0);
    expect(n(user, 'pin-failed')).toBeGreaterThan(0);
    expect(n(user, 'pin-failed')).toBe(n(builtin, 'pin-failed-batch-ref', 'pin-failed-transient-ref'));
    expect(n(user, 'pinned')).toBe(n(builtin, 'pinned-in-place', 'pinned-after-migration', 'pinned-unpinnable'));
    const again = await replayFailure(user.firstFailure!.file!);
    expect(again.replay?.reproduced).toBe(true);
  });
});
