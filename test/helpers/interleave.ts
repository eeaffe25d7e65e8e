// Interleavings for tests on a local machine: run another CPU's steps at a chosen preemption point
// of this one, as a scheduler would switch there. Only points where `cpu` holds no lock the steps
// need can be chosen (the local machine has nobody to wait for).
import type { CpuContext } from '../../src/cpu/context.js';
import type { SiteId } from '../../src/kernel/sites.js';

/**
 * Runs `steps` once, just before `cpu` passes the first preemption point at which `when(site)`
 * holds. Returns whether it has run.
 */
export function atFirst(cpu: CpuContext, when: (site: SiteId) => boolean, steps: () => void): () => boolean {
  const preempt = cpu.preempt.bind(cpu);
  let fired = false;
  cpu.preempt = (s: SiteId): void => {
    if (when(s)) {
      fired = true;
      cpu.preempt = preempt;
      steps();
    }
    preempt(s);
  };
  return () => fired;
}

/** Runs `steps` once, just before `cpu` passes `site` for the `nth` time (1-based). */
export function before(cpu: CpuContext, site: SiteId, nth: number, steps: () => void): void {
  let seen = 0;
  atFirst(cpu, (s) => s === site && ++seen === nth, steps);
}
