// Shrinking a failing schedule: fewest preemptions first, then fewest steps, keeping the finding.
// Greedy and deterministic: candidates are edits of the best schedule so far, tried in a fixed
// order; a candidate is run (any list of CPUs is a valid request: the run follows it while it can
// and takes no preemption past its end) and the execution that came back replaces the best when it
// keeps the finding and is smaller. Each acceptance restarts the candidates; the search ends when
// none is smaller. The same start gives the same result.
//
// Edits, on the schedule's blocks (maximal runs of one CPU):
//   1. keep the first k blocks and let the CPU running at the cut go on (k = 1, 2, ...);
//   2. merge a block with the next block of the same CPU, the blocks between moving after it
//      (a^x b^y a^z → a^(x+z) b^y), or before it (→ b^y a^(x+z));
//   3. move a switch between two blocks earlier or later by 1, 2, 4, ... steps.
import { countPreemptions, type Ran } from './preemption.js';

export interface Tried extends Ran {
  /** The run gave the same finding. */
  readonly same: boolean;
}

export interface ShrinkResult {
  best: Ran;
  /** Schedules run. */
  runs: number;
  /** Stopped by the run limit or by `stop`, not by a fixed point: `best` is as far as it got. */
  limited: boolean;
}

/**
 * A shrink's sizes, what every view of one (report, failure file, CLI line) shows: preemptions and
 * steps of the schedule it ended at, and of the one it started from.
 */
export interface ShrinkSize {
  preemptions: number;
  steps: number;
  fromPreemptions: number;
  fromSteps: number;
}

/** The sizes of shrinking `from` to `best`. */
export function shrinkSize(best: Ran, from: Ran): ShrinkSize {
  return { preemptions: countPreemptions(best), steps: best.schedule.length, fromPreemptions: countPreemptions(from), fromSteps: from.schedule.length };
}

/** Size of an execution: preemptions, then steps. */
export function sizeOf(r: Ran): [number, number] {
  return [countPreemptions(r), r.schedule.length];
}

function smaller(a: Ran, b: Ran): boolean {
  const [pa, sa] = sizeOf(a);
  const [pb, sb] = sizeOf(b);
  return pa < pb || (pa === pb && sa < sb);
}

interface Block { cpu: number; start: number; len: number }

export function blocksOf(schedule: readonly number[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < schedule.length;) {
    let j = i;
    while (j < schedule.length && schedule[j] === schedule[i]) j++;
    out.push({ cpu: schedule[i]!, start: i, len: j - i });
    i = j;
  }
  return out;
}

function repeat(cpu: number, n: number): number[] {
  return new Array<number>(n).fill(cpu);
}

/** The candidate requests of `s`, in the order they are tried. */
export function* shrinkCandidates(s: readonly number[]): Generator<number[]> {
  const blocks = blocksOf(s);
  for (let k = 1; k < blocks.length; k++) yield s.slice(0, blocks[k]!.start);
  for (let i = 0; i < blocks.length; i++) {
    const a = blocks[i]!;
    const j = blocks.findIndex((b, x) => x > i + 1 && b.cpu === a.cpu);
    if (j < 0) continue;
    const b = blocks[j]!;
    const between = s.slice(a.start + a.len, b.start);
    const rest = s.slice(b.start + b.len);
    yield [...s.slice(0, a.start), ...repeat(a.cpu, a.len + b.len), ...between, ...rest];
    yield [...s.slice(0, a.start), ...between, ...repeat(a.cpu, a.len + b.len), ...rest];
  }
  for (let i = 0; i + 1 < blocks.length; i++) {
    const a = blocks[i]!;
    const b = blocks[i + 1]!;
    const cut = b.start;
    for (let d = 1; d < a.len && d <= b.len; d *= 2) yield [...s.slice(0, cut - d), ...repeat(b.cpu, d), ...s.slice(cut - d, cut), ...s.slice(cut + d)];
    for (let d = 1; d < b.len; d *= 2) yield [...s.slice(0, cut), ...repeat(a.cpu, d), ...s.slice(cut, cut + b.len - d), ...s.slice(cut + b.len)];
  }
}

/**
 * Shrinks `start` (an execution that gave the finding) with `run`, which runs a request and says
 * whether it kept the finding. At most `maxRuns` runs; none once `stop()` says so (a signal).
 */
export async function shrinkSchedule(start: Ran, run: (request: readonly number[]) => Promise<Tried>,
  maxRuns = 5000, stop: () => boolean = () => false): Promise<ShrinkResult> {
  let best: Ran = start;
  let runs = 0;
  const seen = new Set<string>();
  for (;;) {
    let improved = false;
    for (const request of shrinkCandidates(best.schedule)) {
      const key = request.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      if (runs >= maxRuns || stop()) return { best, runs, limited: true };
      runs++;
      const got = await run(request);
      if (got.same && smaller(got, best)) { best = { schedule: got.schedule, masks: got.masks }; improved = true; break; }
    }
    if (!improved) return { best, runs, limited: false };
  }
}
