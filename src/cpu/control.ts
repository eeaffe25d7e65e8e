// The worker side of the control plane: build this CPU's context and run the iteration loop.
import { attachMachine } from '../shm/machine.js';
import { kernelSwitches, resolveProfile } from '../kernel/profile.js';
import type { Scenario } from '../scenario/define.js';
import type { CpuControl, WorkerInit } from './protocol.js';
import { CpuContext } from './context.js';
import { runCpu, type CpuRunResult, type IterationPlan } from './iterate.js';
import { importPatch, importScenario } from './import-scenario.js';
import { installKernelFns, kernelFns } from '../kernel/patchable.js';
import { strategyFor } from '../sched/modes.js';

export function createCpuControl(): CpuControl {
  let ready: { ctx: CpuContext; scenario: Scenario; plan: IterationPlan } | null = null;
  /**
   * Scenario files this worker has run (it may serve many runs: pool.ts). A later run of one imports
   * a fresh instance of its module, so that nothing its code kept at module level carries from one
   * run to the next: a warm worker runs as a new one would. Built-in scenarios keep no state.
   */
  const ran = new Map<string, number>();
  /** The next fresh instance of file `path` (0 the first time this worker imports it). */
  const instanceOf = (path: string): number => {
    const n = ran.get(path) ?? 0;
    ran.set(path, n + 1);
    return n;
  };
  return {
    async started(): Promise<void> {},
    async init(init: WorkerInit): Promise<void> {
      const { i32, L } = attachMachine(init.sab, init.config);
      const scenario = await importScenario(init.scenario, 'path' in init.scenario ? instanceOf(init.scenario.path) : 0);
      // the run's table, installed before any of its code runs: this worker serves one run at a time
      installKernelFns(kernelFns(init.patch === null ? null : await importPatch(init.patch, instanceOf(init.patch.path))));
      const ctx = new CpuContext({
        m: i32, L, id: init.cpu,
        k: kernelSwitches(resolveProfile(init.profile, init.patches)),
        strategy: strategyFor(init.mode),
        seedHash: init.plan.seedHash,
        jitter: init.jitter,
      });
      ready = { ctx, scenario, plan: init.plan };
    },
    async load(file, kind): Promise<void> {
      if (kind === 'patch') kernelFns(await importPatch(file)); // its wrappers run within the probe's limits too
      else await importScenario(file);
    },
    async run(): Promise<CpuRunResult> {
      if (!ready) throw new Error('internal error: run() before init() (this is a bug in foliorace)');
      return runCpu(ready.ctx, ready.scenario, ready.plan);
    },
  };
}
