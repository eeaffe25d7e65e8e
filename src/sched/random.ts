// Random walk: at every decision point, any runnable CPU with equal probability.
import { nextBelow, seedPrng } from './prng.js';
import { nthCpu, popcount, type SchedState, type Strategy } from './strategy.js';

export const randomStrategy: Strategy = {
  beginIteration(s: SchedState, iteration: number): void {
    seedPrng(s.m, s.L.SCHED_PRNG, s.seedHash, iteration, 0);
  },
  pick(s: SchedState, runnable: number): number {
    return nthCpu(runnable, nextBelow(s.m, s.L.SCHED_PRNG, popcount(runnable)));
  },
};
