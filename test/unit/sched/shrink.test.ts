import { describe, expect, it } from 'vitest';
import { countPreemptions, type Ran } from '../../../src/sched/preemption.js';
import { shrinkSchedule, type Tried } from '../../../src/sched/shrink.js';

// A toy of the replay strategy: two CPUs of STEPS steps each, both always runnable until done. A
// request's CPU runs while it has steps; past the request (or when its CPU is done) the running CPU
// goes on, else the other. The "bug": CPU1 has run 3 steps before CPU0 runs its 5th, and CPU0 runs
// its 5th before CPU1's last. Fewest preemptions: CPU1 runs 3 (the first pick is free), then CPU0 to
// its end (one preemption), then CPU1 (forced): 1 preemption, and no schedule has 0.
const STEPS = 10;

function execute(request: readonly number[]): Tried {
  const left = [STEPS, STEPS];
  const done = [0, 0];
  const schedule: number[] = [];
  const masks: number[] = [];
  let cur = -1;
  let bug1 = false;
  let bug2 = false;
  for (let s = 0; left[0]! + left[1]! > 0; s++) {
    const mask = (left[0]! > 0 ? 1 : 0) | (left[1]! > 0 ? 2 : 0);
    const want = request[s];
    let c: number;
    if (want !== undefined && (mask & (1 << want))) c = want;
    else if (cur >= 0 && (mask & (1 << cur))) c = cur;
    else c = mask & 1 ? 0 : 1;
    schedule.push(c);
    masks.push(mask);
    left[c]!--;
    done[c]!++;
    if (c === 0 && done[0] === 5) { bug1 = done[1]! >= 3; bug2 = done[1]! < STEPS; }
    cur = c;
  }
  return { schedule, masks, same: bug1 && bug2 };
}

describe('shrinking (a toy executor)', () => {
  const messy = [0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0];
  const start: Ran = execute(messy);

  it('the toy starts from a failing schedule with many preemptions', () => {
    expect(execute(messy).same).toBe(true);
    expect(countPreemptions(start)).toBeGreaterThan(5);
  });

  it('a stop request ends it at once, with the best schedule so far (still failing, no larger than the start)', async () => {
    let runs = 0;
    const r = await shrinkSchedule(start, async (q) => { runs++; return execute(q); }, undefined, () => runs >= 3);
    expect(r.runs).toBe(3);
    expect(r.limited).toBe(true);
    expect(execute(r.best.schedule).same).toBe(true);
    expect(countPreemptions(r.best)).toBeLessThanOrEqual(countPreemptions(start));
    const whole = await shrinkSchedule(start, async (q) => execute(q));
    expect(whole.runs).toBeGreaterThan(3);
  });

  it('shrinks to the fewest preemptions the bug needs, keeping the bug', async () => {
    const r = await shrinkSchedule(start, async (q) => execute(q));
    expect(countPreemptions(r.best)).toBe(1);
    expect(execute(r.best.schedule).same).toBe(true);
    expect(r.limited).toBe(false);
  });

  it('is deterministic, and a shrunk schedule shrinks to itself', async () => {
    const a = await shrinkSchedule(start, async (q) => execute(q));
    const b = await shrinkSchedule(start, async (q) => execute(q));
    expect(b.best.schedule).toEqual(a.best.schedule);
    const again = await shrinkSchedule(a.best, async (q) => execute(q));
    expect(again.best.schedule).toEqual(a.best.schedule);
  });

  it('counts preemptions only where the CPU left could have gone on', () => {
    // CPU0 runs out after 10 steps: the switch to CPU1 then is forced, not a preemption.
    expect(countPreemptions(execute([0]))).toBe(0);
    expect(countPreemptions(execute([0, 0, 1]))).toBe(1);
    expect(countPreemptions(execute([1, 1, 1, 0, 0, 1]))).toBe(2);
  });
});
