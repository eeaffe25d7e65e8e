// A machine with CPU contexts for calling model functions directly on one thread (unit tests and
// micro-benchmarks). The contexts run in free mode and are not quiet, so preemption bookkeeping and
// traces happen as in a run, but nothing is scheduled: the caller's call order is the interleaving.
import type { MachineConfig } from '../shm/layout.js';
import type { Machine } from '../shm/machine.js';
import { boot_machine } from '../kernel/boot.js';
import { kernelSwitches, resolveProfile } from '../kernel/profile.js';
import { CpuContext } from '../cpu/context.js';
import { newMachine } from './new-machine.js';

export interface LocalMachine extends Machine {
  cpus: CpuContext[];
}

/** A booted machine with `cpus` contexts under kernel profile `kernel` (+ patch overrides). */
export function localMachine(kernel: string, opts: Partial<MachineConfig> = {}, patches: Record<string, boolean> = {}): LocalMachine {
  const k = kernelSwitches(resolveProfile(kernel, patches));
  const config: MachineConfig = {
    cpus: 2, folios: 16, cmaFolios: 4, mms: 1, ptesPerMm: 16, swapSlots: 8, batchSize: k.batchSize,
    traceCapacity: 4096, scheduleCapacity: 1000, scenarioVars: 8, outcomes: 1, ...opts,
  };
  const machine = newMachine(config);
  const { i32: m, L } = machine;
  boot_machine(m, L);
  const cpus = Array.from({ length: config.cpus }, (_, id) => {
    const c = new CpuContext({ m, L, id, k, strategy: null, seedHash: 1, jitter: 0 });
    c.quiet = false;
    return c;
  });
  return { ...machine, cpus };
}

