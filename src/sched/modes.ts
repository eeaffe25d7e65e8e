// Exploration modes and the strategy behind each controlled one.
import { pctStrategy } from './pct.js';
import { randomStrategy } from './random.js';
import { replayStrategy } from './replay.js';
import type { Strategy } from './strategy.js';

export const MODES = ['free', 'pct', 'random', 'replay', 'exhaustive', 'verify'] as const;
export type Mode = (typeof MODES)[number];

/** The strategy of a controlled mode; null for free mode (no baton). */
export function strategyFor(mode: Mode): Strategy | null {
  switch (mode) {
    case 'free': return null;
    case 'pct': return pctStrategy;
    case 'random': return randomStrategy;
    case 'replay': return replayStrategy;
    // Exhaustive search runs each of its schedules as a replay (host/exhaustive-run.ts).
    case 'exhaustive': return replayStrategy;
    // So does verify, its steps recording their footprints (host/verify-run.ts).
    case 'verify': return replayStrategy;
  }
}

/** Controlled modes encode runnable CPUs in a 31-bit mask. */
export const MAX_CONTROLLED_CPUS = 31;
