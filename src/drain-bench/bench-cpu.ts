// The worker side of the bench's control plane: attach the machine once, then run measurements.
import { attachMachine, type Machine } from '../shm/machine.js';
import { simResetStamps } from '../kernel/sim-time.js';
import { ModelSnapshot } from '../cpu/snapshot.js';
import type { BenchCpuControl, BenchInit, MeasureResult, MeasureSpec } from './control.js';
import { measureOn } from './rep.js';
import { kernelFns } from '../kernel/patchable.js';

export function createBenchCpu(): BenchCpuControl {
  let ready: { machine: Machine; cpu: number; snapshot: ModelSnapshot | null } | null = null;
  return {
    async init(init: BenchInit): Promise<void> {
      const machine = attachMachine(init.sab, init.config);
      if (init.cpu === 0) simResetStamps(machine.i32, machine.L); // populating took locks; the snapshot starts at time 0
      // CPU0 restores the population before every rep; the main thread wrote it before starting us.
      ready = { machine, cpu: init.cpu, snapshot: init.cpu === 0 ? new ModelSnapshot(machine.i32, machine.L) : null };
    },
    async measure(spec: MeasureSpec): Promise<MeasureResult> {
      if (!ready) throw new Error('internal error: measure() before init() (this is a bug in foliorace)');
      return measureOn(ready.machine.i32, ready.machine.L, ready.cpu, spec, ready.snapshot, kernelFns(null));
    },
  };
}
