// The worker side of the bench's control plane: attach the machine once, then run measurements.
import { attachMachine, type Machine } from '../shm/machine.js';
import { simResetStamps } from '../kernel/sim-time.js';
import { ModelSnapshot } from '../cpu/snapshot.js';
import type { BenchCpuControl, BenchInit, MeasureResult, MeasureSpec } from './control.js';
import { measureOn } from './rep.js';
import { kernelFns, type KernelFns } from '../kernel/patchable.js';
import { importPatch } from '../cpu/import-scenario.js';
import type { PatchFile } from '../cpu/protocol.js';

export function createBenchCpu(): BenchCpuControl {
  let ready: { machine: Machine; cpu: number; snapshot: ModelSnapshot | null } | null = null;
  /** Each patch file's table, built once (its module imported once) per worker. */
  const tables = new Map<string, KernelFns>();
  const tableOf = async (patch: PatchFile | null): Promise<KernelFns> => {
    if (patch === null) return kernelFns(null);
    let t = tables.get(patch.bundle);
    if (!t) tables.set(patch.bundle, t = kernelFns(await importPatch(patch)));
    return t;
  };
  return {
    async init(init: BenchInit): Promise<void> {
      const machine = attachMachine(init.sab, init.config);
      if (init.cpu === 0) simResetStamps(machine.i32, machine.L); // populating took locks; the snapshot starts at time 0
      // CPU0 restores the population before every rep; the main thread wrote it before starting us.
      ready = { machine, cpu: init.cpu, snapshot: init.cpu === 0 ? new ModelSnapshot(machine.i32, machine.L) : null };
    },
    async measure(spec: MeasureSpec): Promise<MeasureResult> {
      if (!ready) throw new Error('internal error: measure() before init() (this is a bug in foliorace)');
      return measureOn(ready.machine.i32, ready.machine.L, ready.cpu, spec, ready.snapshot, await tableOf(spec.patch));
    },
  };
}
