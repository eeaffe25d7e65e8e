// A machine and CPU contexts for calling model functions directly on the test's own thread
// (src/host/local-machine.ts; the bench uses the same).
import { localMachine, type LocalMachine } from '../../src/host/local-machine.js';
import { invariantChecker, type Violation } from '../../src/cpu/invariants.js';
import type { CpuContext } from '../../src/cpu/context.js';
import { CPU_STRIDE, FOLIO_STRIDE, TRACE_EVENT_WORDS, type MachineConfig } from '../../src/shm/layout.js';
import { has, type PgBit } from '../../src/kernel/page-flags.js';
import type { SiteId } from '../../src/kernel/sites.js';

export type TestMachine = LocalMachine;

/** A booted machine with `cpus` contexts under kernel profile `kernel` (+ patch overrides). */
export function testMachine(kernel: string, opts: Partial<MachineConfig> = {}, patches: Record<string, boolean> = {}): TestMachine {
  return localMachine(kernel, opts, patches);
}

/** Word `i` of the region at `base`. */
export const word = (m: TestMachine, base: number, i: number): number => Atomics.load(m.i32, base + i);
/** Field `base` (a `m.L.FOLIO_*`, `LRU_*` or `OBS_*` field) of folio record `f`. */
export const fword = (m: TestMachine, base: number, f: number): number => Atomics.load(m.i32, base + f * FOLIO_STRIDE);
/** CPU `c`'s word of a per-CPU ('cpu-line') region. */
export const cpuWord = (m: TestMachine, base: number, c: number): number => Atomics.load(m.i32, base + c * CPU_STRIDE);
export const ref = (m: TestMachine, f: number): number => fword(m, m.L.FOLIO_REF, f);
export const flag = (m: TestMachine, f: number, bit: PgBit): boolean => has(fword(m, m.L.FOLIO_FLAGS, f), bit);
export const list = (m: TestMachine, f: number): number => fword(m, m.L.OBS_LIST, f);

/** The machine's first two CPUs. */
export function cpusOf(m: TestMachine): [CpuContext, CpuContext] {
  const [c0, c1] = m.cpus;
  if (!c0 || !c1) throw new Error('test machine needs two CPUs');
  return [c0, c1];
}

/** The machine's first invariant violation, or null. */
export function violation(m: TestMachine): Violation | null {
  return invariantChecker(m.i32, m.L, cpusOf(m)[0].k)();
}

/** How many events of `site` (about folio `folio`, if given) CPU `c` has recorded so far. */
export function countEvents(m: TestMachine, c: number, site: SiteId, folio?: number): number {
  const cap = m.L.config.traceCapacity;
  const n = Math.min(cap, Atomics.load(m.i32, m.L.TRACE_LEN + c * CPU_STRIDE));
  let count = 0;
  for (let i = 0; i < n; i++) {
    const at = m.L.TRACE + (c * cap + i) * TRACE_EVENT_WORDS;
    if (m.i32[at + 1] === site && (folio === undefined || m.i32[at + 2] === folio)) count++;
  }
  return count;
}
