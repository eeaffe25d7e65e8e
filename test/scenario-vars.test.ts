// vars.iteration and vars.random(): a scenario that randomises its actors replays one failing
// iteration by itself, and its choices do not depend on the schedule (pct or free mode).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayFailure, runScenario, tempOut } from './helpers/dist.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/random-actors.js', import.meta.url));
const counts = (r: Awaited<ReturnType<typeof runScenario>>): Record<string, number> =>
  Object.fromEntries(r.outcomes.map((o) => [o.name, o.count]));

describe('ScenarioVars: iteration and random()', () => {
  it('the same seed gives the same picks in pct and in free mode; another seed gives others; a failure replays', async () => {
    const base = { scenario: FIXTURE, kernel: '6.10', iterations: 200, out: tempOut() } as const;
    const pct = await runScenario({ ...base, mode: 'pct', seed: '7' });
    const free = await runScenario({ ...base, mode: 'free', seed: '7' });
    const other = await runScenario({ ...base, mode: 'pct', seed: '8' });
    expect(counts(pct)['wrong-iteration']).toBe(0);
    expect(counts(pct)['same-pick']).toBeGreaterThan(0);
    expect(counts(pct)['different-pick']).toBeGreaterThan(0);
    // the picks are a function of (seed, iteration, CPU), never of the schedule
    expect(counts(free)).toEqual(counts(pct));
    expect(free.firstFailure!.iteration).toBe(pct.firstFailure!.iteration);
    expect(other.firstFailure!.iteration).not.toBe(pct.firstFailure!.iteration);
    const r = await replayFailure(pct.firstFailure!.file!);
    expect(r.replay?.reproduced).toBe(true);
    expect(r.replay?.iteration).toBe(pct.firstFailure!.iteration);
  });
});
