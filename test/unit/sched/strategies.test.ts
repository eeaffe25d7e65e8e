import { describe, expect, it } from 'vitest';
import { Ctrl, computeLayout } from '../../../src/shm/layout.js';
import { hashSeed, nextU32, seedPrng } from '../../../src/sched/prng.js';
import { pctStrategy, PCT_DEPTH } from '../../../src/sched/pct.js';
import { randomStrategy } from '../../../src/sched/random.js';
import { replayStrategy } from '../../../src/sched/replay.js';
import type { SchedState } from '../../../src/sched/strategy.js';

function state(ncpus: number, seed = 'x'): SchedState {
  const L = computeLayout({ cpus: ncpus, folios: 1, cmaFolios: 0, mms: 0, ptesPerMm: 0, swapSlots: 0, batchSize: 1,
    traceCapacity: 1, scheduleCapacity: 64, scenarioVars: 0, outcomes: 1 });
  return { m: new Int32Array(new SharedArrayBuffer(L.words * 4)), L, agents: ncpus, seedHash: hashSeed(seed) };
}

describe('prng', () => {
  it('the same seed and stream give the same numbers; another stream differs', () => {
    const a = new Int32Array(4), b = new Int32Array(4), c = new Int32Array(4);
    seedPrng(a, 0, hashSeed('7'), 3, 0);
    seedPrng(b, 0, hashSeed('7'), 3, 0);
    seedPrng(c, 0, hashSeed('7'), 4, 0);
    const draw = (s: Int32Array): number[] => Array.from({ length: 5 }, () => nextU32(s, 0));
    const da = draw(a);
    expect(draw(b)).toEqual(da);
    expect(draw(c)).not.toEqual(da);
  });
});

describe('strategies pick only runnable CPUs', () => {
  for (const [name, strategy] of [['pct', pctStrategy], ['random', randomStrategy]] as const) {
    it(`${name}: over many seeds, iterations and masks`, () => {
      for (let seed = 0; seed < 20; seed++) {
        const s = state(4, String(seed));
        strategy.beginIteration(s, seed);
        for (let step = 0; step < 200; step++) {
          const mask = 1 + ((step * 7 + seed) % 15);
          const cpu = strategy.pick(s, mask, step % 4, step);
          expect(mask & (1 << cpu)).not.toBe(0);
        }
      }
    });
  }

  it('pct: without change points the highest-priority runnable CPU keeps running', () => {
    const s = state(3);
    pctStrategy.beginIteration(s, 0);
    for (let i = 0; i < PCT_DEPTH - 1; i++) Atomics.store(s.m, s.L.PCT_CHANGE + i, 1_000_000);
    const first = pctStrategy.pick(s, 0b111, 0, 1);
    for (let step = 2; step < 50; step++) expect(pctStrategy.pick(s, 0b111, first, step)).toBe(first);
  });

  it('pct: at a change point the running CPU drops below the others', () => {
    const s = state(2);
    pctStrategy.beginIteration(s, 0);
    Atomics.store(s.m, s.L.PCT_CHANGE, 5);
    Atomics.store(s.m, s.L.PCT_CHANGE + 1, 1_000_000);
    const first = pctStrategy.pick(s, 0b11, 0, 1);
    expect(pctStrategy.pick(s, 0b11, first, 5)).toBe(1 - first);
  });

  it('replay: follows the schedule, and records where it could not', () => {
    const s = state(2);
    [1, 0, 1].forEach((c, i) => Atomics.store(s.m, s.L.REPLAY + i, c));
    Atomics.store(s.m, s.L.CTRL + Ctrl.REPLAY_LEN, 3);
    expect(replayStrategy.pick(s, 0b11, 0, 0)).toBe(1);
    expect(replayStrategy.pick(s, 0b11, 1, 1)).toBe(0);
    expect(Atomics.load(s.m, s.L.CTRL + Ctrl.REPLAY_DIVERGED)).toBe(0);
    expect(replayStrategy.pick(s, 0b01, 0, 2)).toBe(0);
    expect(Atomics.load(s.m, s.L.CTRL + Ctrl.REPLAY_DIVERGED)).toBe(3);
  });
});
