// Interleavings for tests on a local machine: run another CPU's steps at a chosen preemption point
// of this one, as a scheduler would switch there. Only points where `cpu` holds no lock the steps
// need can be chosen (the local machine has nobody to wait for).
import type { CpuContext } from '../../src/runner/cpu-context.js';
import type { SiteId } from '../../src/kernel/sites.js';

/** Runs `steps` once, just before `cpu` passes `site` for the `nth` time (1-based). */
export function before(cpu: CpuContext, site: SiteId, nth: number, steps: () => void): void {
  const preempt = cpu.preempt.bind(cpu);
  let seen = 0;
  cpu.preempt = (s: SiteId): void => {
    if (s === site && ++seen === nth) {
      cpu.preempt = preempt;
      steps();
    }
    preempt(s);
  };
}
