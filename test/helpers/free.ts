// How long a test lets free mode search for a race it must find (--duration, with --stop-on-first).
// Free mode's CPUs race for real, so what it finds in a given time depends on the cores the host
// gives it. Alone on this 2-core machine these races are found in under 2 s. While another test
// file's free run spins on the same two cores, a 2 s sample of madv-free-redirty-vs-reclaim ran 311
// iterations and found none (the other 2 s samples of that stretch: 1,505 to 9,874 iterations, 155 to
// 1,072 finds); a 10 s budget once missed in CI. The budget outlasts such a stretch. It is not the
// typical time to a find: a find stops the run at once.
import { loadavg } from 'node:os';
import type { RunReport } from './dist.js';

export const FREE_FIND_MS = 30_000;
/** The budget as test titles print it. */
export const FREE_FIND_TEXT = `${FREE_FIND_MS / 1000} s`;

/** What a run that found nothing did, for the assertion's message: how far it got, and the host's load. */
export function nothingFound(r: RunReport): string {
  const counts = r.outcomes.map((o) => `${o.name} ${o.count}`).join(', ');
  return `${r.mode} mode found nothing: ${r.iterations} iterations in ${Math.round(r.elapsedMs)} ms (${counts}); ` +
    `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;
}
