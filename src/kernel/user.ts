// What a process does to its memory: loads and stores that go through its page table, fault when
// the PTE does not allow the access, and retry, as the CPU retries a faulting instruction.
//
// A store through a writable PTE sets its dirty and accessed bits without a fault, as the MMU
// does. The access is one indivisible step against the PTE: the model takes the mm's PTL around
// it. Every kernel change to a PTE happens under the PTL, so an access sees a PTE either before
// or after a kernel change, never in between; that is what the MMU and the TLB flush that ends
// every such change guarantee on real hardware.
import { load, store } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { VM_FAULT_OOM } from './memory.js';
import { Zone } from './page_alloc.js';
import {
  is_swap_pte, pte_addr, pte_folio, pte_lockptr, pte_none, pte_present, pte_swp_offset, pte_write, PTE_DIRTY, PTE_YOUNG,
} from './pgtable.js';
import { S } from './sites.js';
import { patchable } from './patchable.js';

/**
 * One access by the process of `mm` at `addr`: `act` runs under the PTL once the PTE allows it;
 * an empty PTE goes to `none` (which returns the result, or null to retry); any other PTE faults.
 */
function access(cpu: Cpu, mm: number, addr: number, write: boolean, act: (pte: number, at: number) => number,
  none: () => number | null): number {
  const ptl = pte_lockptr(cpu, mm);
  const at = pte_addr(cpu, mm, addr);
  for (;;) {
    spin_lock(cpu, ptl);
    const pte = load(cpu, at);
    if (pte_present(pte) && (!write || pte_write(pte))) {
      const result = act(pte, at);
      spin_unlock(cpu, ptl);
      return result;
    }
    spin_unlock(cpu, ptl);
    if (pte_none(pte)) {
      const result = none();
      if (result !== null) return result;
    } else {
      patchable.handle_pte_fault(cpu, mm, addr, write);
    }
  }
}

/** The process of `mm` reads the value at `addr` (a never-written or discarded page reads 0). */
export function user_load(cpu: Cpu, mm: number, addr: number): number {
  const { L } = cpu;
  return access(cpu, mm, addr, false, (pte, at) => {
    store(cpu, at, pte | PTE_YOUNG);
    const folio = pte_folio(pte);
    const value = load(cpu, L.FOLIO_DATA + folio * FOLIO_STRIDE);
    cpu.trace(S.user_load, folio, value);
    return value;
  }, () => {
    // the zero page: the kernel maps it read-only; reading it needs no folio in the model
    cpu.trace(S.user_load, -1, 0);
    return 0;
  });
}

/** The process of `mm` stores `value` at `addr`. Returns the folio that now holds it. */
export function user_store(cpu: Cpu, mm: number, addr: number, value: number): number {
  const { L } = cpu;
  return access(cpu, mm, addr, true, (pte, at) => {
    store(cpu, at, pte | PTE_DIRTY | PTE_YOUNG);
    const folio = pte_folio(pte);
    store(cpu, L.FOLIO_DATA + folio * FOLIO_STRIDE, value);
    cpu.trace(S.user_store, folio, value);
    return folio;
  }, () => {
    const folio = patchable.do_anonymous_page(cpu, mm, addr, Zone.NORMAL, value);
    if (folio === VM_FAULT_OOM) throw new Error('model bug: out of folios (raise the scenario\'s machine.folios)');
    if (folio < 0) return null;
    cpu.trace(S.user_store, folio, value);
    return folio;
  });
}

/**
 * What a load at `addr` of `mm` would return now, without faulting or changing anything (for a
 * scenario's check): the mapped page, else the swap cache's page for the slot, else the device.
 */
export function peek_user(cpu: Cpu, mm: number, addr: number): number {
  const { L } = cpu;
  const pte = load(cpu, pte_addr(cpu, mm, addr));
  if (pte_present(pte)) return load(cpu, L.FOLIO_DATA + pte_folio(pte) * FOLIO_STRIDE);
  if (!is_swap_pte(pte)) return 0;
  const slot = pte_swp_offset(pte);
  const cached = load(cpu, L.SWAP_CACHE + slot);
  return cached >= 0 ? load(cpu, L.FOLIO_DATA + cached * FOLIO_STRIDE) : load(cpu, L.SWAP_DATA + slot);
}

/** The folio mapped at `addr` of `mm` now (-1 if none is present); an observation, no fault. */
export function mapped_folio(cpu: Cpu, mm: number, addr: number): number {
  const pte = load(cpu, pte_addr(cpu, mm, addr));
  return pte_present(pte) ? pte_folio(pte) : -1;
}
