// cpu/spin.ts on a clock of the test's own: a controlled CPU that spins while it keeps its core,
// sleeps at once when a window's gaps say the host is crowded, spins again after the backoff, and
// backs off longer while the host stays crowded. A free-mode CPU always spins.
import { describe, expect, it } from 'vitest';
import { SpinPolicy } from '../../../src/cpu/spin.js';

/** A wait of `looks` looks at the clock (1024 spins apart), the clock advancing `gapMs` between them; whether it spun to the end. */
function wait(p: SpinPolicy, clock: { now: number }, looks: number, gapMs: number): boolean {
  for (let spins = 1; spins <= looks * 1024; spins++) {
    if (spins % 1024 === 0 && spins > 1024) clock.now += gapMs;
    if (!p.spinOn(spins)) return false;
  }
  p.ended(looks * 1024);
  return true;
}

/** Waits of 10 looks with `gapMs` gaps until `ms` has passed; how many of them slept. */
function waitFor(p: SpinPolicy, clock: { now: number }, ms: number, gapMs: number): number {
  const end = clock.now + ms;
  let slept = 0;
  while (clock.now < end) {
    if (wait(p, clock, 10, gapMs)) continue;
    slept++;
    clock.now += 0.05; // the sleep
    p.ended(1);
  }
  return slept;
}

describe('spin policy', () => {
  it('controlled, the spinner keeps its core (gaps of 5 µs): spins through every wait', () => {
    const clock = { now: 0 };
    const p = new SpinPolicy(2, true, () => clock.now);
    expect(waitFor(p, clock, 150, 0.005)).toBe(0);
  });

  it('controlled, gaps of 2 ms: sleeps at once until the backoff ends, then spins again, and backs off longer while crowded', () => {
    const clock = { now: 0 };
    const p = new SpinPolicy(2, true, () => clock.now);
    // the first window (50 ms) of 2 ms gaps: crowded
    let spun = 0;
    while (wait(p, clock, 10, 2)) spun++;
    expect(clock.now).toBeGreaterThanOrEqual(50);
    expect(clock.now).toBeLessThan(80);
    // during the backoff (100 ms) every wait sleeps at once, whatever the clock says
    const crowdedAt = clock.now;
    expect(p.spinOn(1)).toBe(false);
    for (let k = 0; k < 1000 && clock.now < crowdedAt + 90; k++) { clock.now += 0.1; p.ended(1); expect(p.spinOn(1)).toBe(false); }
    // after it, the CPU spins again: an idle host (5 µs gaps) keeps it spinning
    clock.now = crowdedAt + 101;
    for (let k = 0; k < 64; k++) p.ended(1);
    expect(p.spinOn(1)).toBe(true);
    expect(waitFor(p, clock, 120, 0.005)).toBe(0);
    // crowded twice in a row: the second backoff is longer than the first
    const sleptFor = (): number => {
      while (wait(p, clock, 10, 2));
      const from = clock.now;
      while (!p.spinOn(1)) { clock.now += 1; for (let k = 0; k < 64; k++) p.ended(1); }
      return clock.now - from;
    };
    const first = sleptFor();
    const second = sleptFor();
    expect(first).toBeGreaterThanOrEqual(100);
    expect(second).toBeGreaterThanOrEqual(2 * first - 2);
  });

  it('free mode: spins through gaps of 2 ms (its CPUs must run at once)', () => {
    const clock = { now: 0 };
    const p = new SpinPolicy(2, false, () => clock.now);
    expect(waitFor(p, clock, 500, 2)).toBe(0);
  });

  it('a wait that spins its whole budget sleeps, and the budget halves', () => {
    const p = new SpinPolicy(2, false, () => 0);
    let spins = 1;
    while (p.spinOn(spins)) spins++;
    p.ended(spins);
    let again = 1;
    while (p.spinOn(again)) again++;
    expect(again).toBeLessThan(spins);
    expect(again).toBeGreaterThan(0);
  });
});
