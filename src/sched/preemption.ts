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

/** pre[t]: preemptions among steps 0 .. t-1. */
export function preemptionsBefore(r: Ran): number[] {
  const pre = [0];
  for (let s = 0; s < r.schedule.length; s++) pre.push(pre[s]! + (isPreemption(r, s) ? 1 : 0));
  return pre;
}

/** Preemptions of a schedule that follows `r` to step t, then runs CPU x there (`pre`: preemptionsBefore(r)). */
export function switchCost(r: Ran, pre: readonly number[], t: number, x: number): number {
  const prev = t > 0 ? r.schedule[t - 1]! : -1;
  return pre[t]! + (prev >= 0 && x !== prev && ((r.masks[t] ?? 0) & (1 << prev)) !== 0 ? 1 : 0);
}
