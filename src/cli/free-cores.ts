// Free mode races its CPUs for real: a race whose window is a few steps wide needs the CPUs'
// workers on cores at the same moment. With fewer cores than CPUs (a one-CPU container, taskset)
// they take turns a time slice at a time, each longer than an iteration, and such a race is not
// found at all (bench/README.md, "Free mode on a crowded host"). A run that found nothing there
// must say so, or "0 forbidden" reads as a verdict.
import { availableParallelism } from 'node:os';
import { stderr } from './io.js';

/** The warning for a run of `cpus` CPUs in `mode` on a host with `cores` cores, or null. */
export function freeCoresWarning(mode: string, cpus: number, cores = availableParallelism()): string | null {
  if (mode !== 'free' || cpus <= cores) return null;
  return `free mode ran ${cpus} CPUs on ${cores} core${cores === 1 ? '' : 's'}: they could not all run at once, ` +
    'and a race needs them to, so finding nothing here says little (--mode pct or verify schedules the CPUs instead)';
}

/** On stderr, once: the free runs among `runs` (reports, a campaign's cells) had more CPUs than the host has cores. */
export function warnFreeCores(runs: readonly { mode: string; cpus: number }[]): void {
  const w = runs.map((r) => freeCoresWarning(r.mode, r.cpus)).find((x) => x !== null);
  if (w) stderr().write(`foliorace: warning: ${w}\n`);
}
