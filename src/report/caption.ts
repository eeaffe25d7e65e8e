// The one line that says how big a failing schedule is, and what it was shrunk from: above the race
// diagram and in the trace's title.
import type { ShrinkReport } from './report.js';

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "12 steps, 1 preemption (shrunk from 74 steps, 3 preemptions)"; '' when nothing is known. */
export function scheduleCaption(steps: number, preemptions: number | null | undefined, shrunk: ShrinkReport | null | undefined): string {
  if (preemptions === null || preemptions === undefined) return '';
  const now = `${plural(steps, 'step')}, ${plural(preemptions, 'preemption')}`;
  if (!shrunk) return now;
  const stopped = shrunk.stopped ? '; a stop signal ended the shrinking here' : '';
  return `${now} (shrunk from ${plural(shrunk.fromSteps, 'step')}, ${plural(shrunk.fromPreemptions, 'preemption')}${stopped})`;
}
