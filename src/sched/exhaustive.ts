// Exhaustive search with a preemption bound (Musuvathi & Qadeer, "Iterative context bounding for
// systematic testing of multithreaded programs", PLDI 2007): every schedule with at most K
// preemptions, each run exactly once.
//
// A schedule is determined by its choices that differ from the default (the running CPU goes on;
// when it cannot, the lowest runnable CPU). A request is a prefix: the steps of an execution up to
// some step t, then another runnable CPU x at t; past it, defaults. The search runs the empty
// request, then for every execution it runs, branches at each step t at or past its request's end
// to every other runnable CPU x whose choice keeps the preemptions within K: those of the steps
// before t, plus one if x preempts the CPU of step t-1 (which could have gone on). Each schedule
// with at most K preemptions is the execution of exactly one request, so each runs once, and the
// count of runs is the count of such schedules.
//
// Pruning: none that could drop a schedule. A switch between two steps whose operations touch
// disjoint words cannot change the outcome (partial-order reduction), but the model does not record
// which words a step touches, and recording it would cost free mode's hot path. Choices where one
// CPU alone can run are not branches at all. The search stops at the first forbidden finding.
import { preemptionsBefore, switchCost, type Ran } from './preemption.js';

export interface Explored extends Ran {
  /** The run gave a finding (forbidden outcome, violation or deadlock): the search stops. */
  readonly failed: boolean;
}

export interface ExhaustiveResult {
  /** Schedules run. */
  schedules: number;
  /** The failing execution that ended the search, if any. */
  failure: Explored | null;
  /** Every schedule within the bound was run (false: stopped by a finding or by `over`). */
  complete: boolean;
}

/** Why a search over schedules ended before it was complete (null: it was complete, or is running). */
export type SearchStop = 'finding' | 'duration' | 'interrupted' | 'scenario-error';

interface Branch { base: readonly number[]; t: number; x: number }

/** Runs every schedule with at most `bound` preemptions, until one fails or `over()` says stop. */
export async function exploreExhaustively(bound: number, run: (request: readonly number[]) => Promise<Explored>,
  over: () => boolean = () => false, keepGoing = false): Promise<ExhaustiveResult> {
  const stack: Branch[] = [];
  let schedules = 0;
  let next: number[] | null = [];
  for (;;) {
    if (next === null) {
      const b = stack.pop();
      if (!b) return { schedules, failure: null, complete: true };
      next = [...b.base.slice(0, b.t), b.x];
    }
    if (over()) return { schedules, failure: null, complete: false };
    const from = next.length; // steps before it were chosen by the request
    const e = await run(next);
    schedules++;
    if (e.failed && !keepGoing) return { schedules, failure: e, complete: false };
    // Branches in reverse, so that the earliest step's alternatives are run first (depth first).
    const pre = preemptionsBefore(e);
    for (let t = e.schedule.length - 1; t >= from; t--) {
      const mask = e.masks[t] ?? 0;
      for (let x = 31 - Math.clz32(mask); x >= 0; x--) {
        if (!(mask & (1 << x)) || x === e.schedule[t]) continue;
        if (switchCost(e, pre, t, x) <= bound) stack.push({ base: e.schedule, t, x });
      }
    }
    next = null;
  }
}
