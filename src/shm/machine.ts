// The machine: one SharedArrayBuffer and its Int32Array view, shaped by a Layout.
import { computeLayout, type Layout, type MachineConfig } from './layout.js';

/** What every thread holds of the machine: the buffer, the one view over it, and the layout. */
export interface Machine {
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly L: Layout;
}

/** Allocates a zeroed machine for `config`. */
export function createMachine(config: MachineConfig): Machine {
  const L = computeLayout(config);
  const sab = new SharedArrayBuffer(L.words * 4);
  return { sab, i32: new Int32Array(sab), L };
}

/** Wraps a buffer another thread allocated (workers receive it through the control plane). */
export function attachMachine(sab: SharedArrayBuffer, config: MachineConfig): Machine {
  const L = computeLayout(config);
  if (sab.byteLength !== L.words * 4) {
    throw new Error(`internal error: machine buffer is ${sab.byteLength} bytes, layout wants ${L.words * 4} (this is a bug in foliorace)`);
  }
  return { sab, i32: new Int32Array(sab), L };
}

/** A capacity of the machine ran out: the message names the MachineConfig field to raise. */
export class CapacityError extends Error {
  override readonly name = 'CapacityError';
  constructor(readonly field: keyof MachineConfig, what: string) {
    super(`machine capacity exhausted: ${what}; raise MachineConfig.${field} (scenario "machine" field)`);
  }
}
