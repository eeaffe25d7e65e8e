// Exhaustive bounded search: the number of schedules it runs, checked against a count by hand.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayFailure, runScenario, tempOut } from './helpers/dist.js';
import { postsThrow } from './helpers/posts-throw.js';
import { NEWEST_PROFILE } from '../dist/src/kernel/profile.js';

const STEPS = fileURLToPath(new URL('./fixtures/steps-scenario.js', import.meta.url));

// The fixture's CPUs A (CPU0) and B (CPU1) pass 3 steps each (actor start, two posts) and never
// wait: a schedule is an interleaving of A1 A2 A3 with B1 B2 B3, C(6,3) = 20 in all. Its blocks
// alternate between the CPUs; every switch but the last is a preemption (the CPU left could have
// gone on; before the last block it has finished), and the first pick is free: p = blocks − 2.
// With nA blocks of A and nB of B, there are C(2, nA−1)·C(2, nB−1) ways (compositions of 3),
// doubled for the CPU that starts:
//   2 blocks (0 preemptions): 1·1·2 = 2     3 blocks (1): 2·1·2 = 4     4 blocks (2): 2·2·2 = 8
//   5 blocks (3): 1·2·2 = 4                 6 blocks (4): 1·1·2 = 2
// so at most K preemptions: K=0 → 2, K=1 → 6, K=2 → 14, K=3 → 18, K=4 → 20.
// "interleaved" (B2 between A2 and A3; a CPU's post stores after its step): the order A1 A2 B2 A3
// is fixed, B1 goes in one of 3 gaps before B2, B3 in one of 2 after it: 6 schedules, with
// 1 (A1 A2 B1 B2 B3 A3), 2 (B1 A1 A2 B2 B3 A3; A1 A2 B1 B2 A3 B3), 3 (B1 A1 A2 B2 A3 B3;
// A1 B1 A2 B2 B3 A3) and 4 (A1 B1 A2 B2 A3 B3) preemptions: K=0..4 → 0, 1, 3, 5, 6.
const BY_HAND = [[1, 6, 1], [2, 14, 3], [4, 20, 6]] as const; // K = 0 and 3 are checked by hand above too

describe('exhaustive mode', () => {
  it.each(BY_HAND)('at most %i preemptions: %i schedules, %i of them interleaved, as counted by hand', async (k, schedules, interleaved) => {
    const r = await runScenario({ scenario: STEPS, mode: 'exhaustive', preemptions: k, seed: '1', out: null });
    expect(r.exhaustive).toEqual({ preemptions: k, schedules, iterationsComplete: 1, complete: true, stoppedBy: null });
    expect(r.iterations).toBe(schedules);
    expect(r.outcomes.find((o) => o.name === 'interleaved')?.count).toBe(interleaved);
    expect(r.outcomes.find((o) => o.name === 'apart')?.count).toBe(schedules - interleaved);
  });

  it('finds the forbidden outcome of a scenario whose race needs no preemption, and the file replays it', async () => {
    const r = await runScenario({ scenario: 'gup-longterm-vs-activate', kernel: '6.10', mode: 'exhaustive', preemptions: 0, seed: '1', out: null });
    expect(r.exhaustive?.stoppedBy).toBe('finding');
    expect(r.firstFailure?.outcome).toBe('pin-failed-batch-ref');
    expect(r.firstFailure?.replayVerified).toBe(true);
  });

  it("a throw that only a preemption reaches ends the search as the scenario's error, with a file of the schedule that reached it", async () => {
    // CPU1 looks between CPU0's two posts: a preemption of CPU0 is needed
    const s = postsThrow('between-posts', 'a === 1 && b === 0', 'between the posts', 'acceptable');
    const none = await runScenario({ scenario: s.path, mode: 'exhaustive', preemptions: 0, seed: '1', out: null });
    expect(none.exhaustive).toMatchObject({ schedules: 2, complete: true, stoppedBy: null });
    const out = tempOut();
    const error = await runScenario({ scenario: s.path, mode: 'exhaustive', preemptions: 1, seed: '1', out })
      .then(() => null, (e: unknown) => e as Error & { report: unknown });
    expect(error?.name).toBe('ScenarioError');
    const [at, where, replay] = error!.message.split('\n');
    expect(at).toBe(`${s.at}: between the posts`);
    expect(where).toBe(`  in actor() on CPU1, iteration 0 · kernel ${NEWEST_PROFILE} · mode exhaustive · seed 1`);
    const file = /^ {2}replay: npx foliorace replay (\S+) \(verified: it throws again\)$/.exec(replay!)?.[1];
    expect(file).toBeDefined();
    expect(error!.report).toBeNull(); // nothing found before it: no "explored" or "found" report
    const again = await replayFailure(file!).then(() => null, (e: unknown) => e as Error);
    expect(again?.message.split('\n')).toEqual([at, where, `  replayed from ${file}: it throws again`]);
  });
});
