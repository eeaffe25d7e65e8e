// The machine and readers the swap, fault and fork unit tests share: two mms of two PTEs, four
// swap slots, a device of the test's choosing.
import { testMachine, type TestMachine, cpusOf, fword, word } from './machine.js';
import type { CpuContext } from '../../src/cpu/context.js';
import { lru_add_drain } from '../../src/kernel/swap.js';
import { swapon } from '../../src/kernel/swapfile.js';
import { user_store } from '../../src/kernel/user.js';

export const CFG = { folios: 8, cmaFolios: 0, mms: 2, ptesPerMm: 2, swapSlots: 4 };
export const D0 = 0xd0;
export const D1 = 0xd1;

export const pte = (m: TestMachine, mm: number, addr: number): number => word(m, m.L.PTE, mm * m.L.config.ptesPerMm + addr);
export const swapMap = (m: TestMachine, slot: number): number => word(m, m.L.SWAP_MAP, slot);
export const swapCache = (m: TestMachine, slot: number): number => word(m, m.L.SWAP_CACHE, slot);
export const swapData = (m: TestMachine, slot: number): number => word(m, m.L.SWAP_DATA, slot);
export const mapcount = (m: TestMachine, f: number): number => fword(m, m.L.FOLIO_MAPCOUNT, f);
export const data = (m: TestMachine, f: number): number => fword(m, m.L.FOLIO_DATA, f);
export const alive = (m: TestMachine, f: number): boolean => fword(m, m.L.FOLIO_ALLOC, f) === 1;
/** Folios allocated now. */
export const allocated = (m: TestMachine): number => {
  let n = 0;
  for (let f = 0; f < m.L.config.folios; f++) n += fword(m, m.L.FOLIO_ALLOC, f);
  return n;
};

/** A machine under `kernel` with a swap device of kind `device` (SwapDevice bits; 0: asynchronous). */
export function machine(kernel: string, device = 0): { m: TestMachine; c0: CpuContext; c1: CpuContext } {
  const m = testMachine(kernel, CFG);
  const [c0, c1] = cpusOf(m);
  swapon(c0, device);
  return { m, c0, c1 };
}

/** A mapped anon folio holding `value` at mm 0 / `addr`, on the inactive anon list. */
export function anonFolio(c: CpuContext, addr = 0, value = D0): number {
  const f = user_store(c, 0, addr, value);
  lru_add_drain(c);
  return f;
}
