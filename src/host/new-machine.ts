// A machine ready for a run: allocated, its static words written (each folio's zone: the first
// `cmaFolios` are CMA) and its result words initialised, before any worker attaches.
import { Ctrl, FOLIO_STRIDE, type MachineConfig } from '../shm/layout.js';
import { createMachine, type Machine } from '../shm/machine.js';
import { Zone } from '../kernel/page_alloc.js';

export function newMachine(config: MachineConfig): Machine {
  const machine = createMachine(config);
  const { i32: m, L } = machine;
  for (let f = 0; f < config.folios; f++) {
    Atomics.store(m, L.FOLIO_ZONE + f * FOLIO_STRIDE, f < config.cmaFolios ? Zone.CMA : Zone.NORMAL);
  }
  Atomics.store(m, L.CTRL + Ctrl.FIRST_FAIL_ITER, -1);
  return machine;
}
