// Exploration modes and the strategy behind each controlled one.
import { pctStrategy } from '../sched/pct.js';
import { randomStrategy } from '../sched/random.js';
import { replayStrategy } from '../sched/replay.js';
import type { Strategy } from '../sched/strategy.js';

export const MODES = ['free', 'pct', 'random', 'replay', 'exhaustive'] as const;
export type Mode = (typeof MODES)[number];

/** The strategy of a controlled mode; null for free mode (no baton). */
export function strategyFor(mode: Mode): Strategy | null {
  switch (mode) {
    case 'free': return null;
    case 'pct': return pctStrategy;
    case 'random': return randomStrategy;
    case 'replay': return replayStrategy;
    // Exhaustive search runs each of its schedules as a replay (runner/exhaustive-run.ts).
    case 'exhaustive': return replayStrategy;
  }
}

/** Controlled modes encode runnable CPUs in a 31-bit mask. */
export const MAX_CONTROLLED_CPUS = 31;
