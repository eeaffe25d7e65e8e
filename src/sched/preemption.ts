// Preemptions of an execution: steps where the CPU that ran the step before could have gone on but
// another CPU ran instead. A switch forced by a block, a wait or the end of an actor is not one, and
// the first step (no CPU was running) is not one. The measure shrinking minimises and exhaustive
// search bounds (Musuvathi & Qadeer, "Iterative context bounding", PLDI 2007).

/** A schedule as it ran: the CPU of each step and the runnable CPUs (bit mask) at its decision. */
export interface Ran {
  readonly schedule: readonly number[];
  readonly masks: readonly number[];
}

/** Whether step `s` of `r` is a preemption. */
export function isPreemption(r: Ran, s: number): boolean {
  if (s === 0) return false;
  const prev = r.schedule[s - 1]!;
  return r.schedule[s] !== prev && ((r.masks[s] ?? 0) & (1 << prev)) !== 0;
}

export function countPreemptions(r: Ran): number {
  let n = 0;
  for (let s = 1; s < r.schedule.length; s++) if (isPreemption(r, s)) n++;
  return n;
}
