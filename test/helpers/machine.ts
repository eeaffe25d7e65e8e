// A machine and CPU contexts for calling model functions directly on the test's own thread
// (src/runner/local-machine.ts; the bench uses the same).
import { localMachine, type LocalMachine } from '../../src/runner/local-machine.js';
import type { MachineConfig } from '../../src/shm/layout.js';

export type TestMachine = LocalMachine;

/** A booted machine with `cpus` contexts under kernel profile `kernel` (+ patch overrides). */
export function testMachine(kernel: string, opts: Partial<MachineConfig> = {}, patches: Record<string, boolean> = {}): TestMachine {
  return localMachine(kernel, opts, patches);
}
