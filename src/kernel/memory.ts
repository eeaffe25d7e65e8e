// Models mm/memory.c (v6.10 shape): the anonymous-page fault that brings a new folio in, and the
// fault dispatch (handle_pte_fault) to it, to the swap fault (memory-swapin.ts) and to the
// write-protect fault (memory-wp.ts).
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { do_wp_page } from './memory-wp.js';
import { do_swap_page } from './memory-swapin.js';
import { allocAnonFolio, type ZoneId } from './page_alloc.js';
import { Pg } from './page-flags.js';
import {
  is_migration_entry, is_swap_pte, mk_pte, pte_addr, pte_folio, pte_lockptr, pte_none, pte_write, PTE_DIRTY, PTE_WRITE,
  PTE_YOUNG,
} from './pgtable.js';
import { folio_add_anon_rmap_pte } from './rmap.js';
import { S } from './sites.js';
import { folio_add_lru_vma } from './mlock.js';
import { folio_put } from './swap.js';

/** do_anonymous_page() results that are not a folio. */
export const VM_FAULT_OOM = -1;
export const FAULT_RACED = -2;

/**
 * mm/memory.c do_anonymous_page() for a write fault: a new exclusive anon folio holding `data`,
 * mapped writable at `addr` of `mm` and queued in this CPU's lru_add batch. `zone` says where the
 * allocator put it (movable allocations may land in CMA). Returns the folio, VM_FAULT_OOM when
 * the zone is empty, or FAULT_RACED when another fault mapped the address first.
 */
export function do_anonymous_page(cpu: Cpu, mm: number, addr: number, zone: ZoneId, data: number): number {
  const folio = allocAnonFolio(cpu, zone, Pg.anon_exclusive);
  if (folio < 0) return VM_FAULT_OOM;
  Atomics.store(cpu.m, cpu.L.FOLIO_DATA + folio * FOLIO_STRIDE, data);
  const ptl = pte_lockptr(cpu, mm);
  const at = pte_addr(cpu, mm, addr);
  spin_lock(cpu, ptl);
  if (!pte_none(Atomics.load(cpu.m, at))) {
    spin_unlock(cpu, ptl);
    folio_put(cpu, folio);
    return FAULT_RACED;
  }
  folio_add_anon_rmap_pte(cpu, folio, mm, addr);
  folio_add_lru_vma(cpu, folio, mm);
  cpu.preempt(S.set_pte);
  Atomics.store(cpu.m, at, mk_pte(folio, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
  cpu.trace(S.set_pte, folio, addr);
  spin_unlock(cpu, ptl);
  return folio;
}

/**
 * mm/memory.c handle_pte_fault() for a private anon mapping whose PTE at `addr` is not none: a
 * swap PTE goes to do_swap_page(), a write to a read-only PTE to do_wp_page(). The caller
 * retries its access afterwards, as the CPU retries the faulting instruction.
 */
export function handle_pte_fault(cpu: Cpu, mm: number, addr: number, write: boolean): void {
  const at = pte_addr(cpu, mm, addr);
  cpu.preempt(S.handle_mm_fault);
  const orig = Atomics.load(cpu.m, at); // vmf->orig_pte, read before the PTL is taken
  cpu.trace(S.handle_mm_fault, pte_folio(orig), addr);
  if (pte_none(orig)) return;
  if (is_migration_entry(orig)) {
    cpu.block(at, orig, true, S.migration_entry_wait);
    return;
  }
  if (is_swap_pte(orig)) {
    do_swap_page(cpu, mm, addr, orig, write);
    return;
  }
  const ptl = pte_lockptr(cpu, mm);
  spin_lock(cpu, ptl);
  if (Atomics.load(cpu.m, at) !== orig) { spin_unlock(cpu, ptl); return; }
  if (write && !pte_write(orig)) {
    do_wp_page(cpu, mm, addr, orig); // releases the PTL
    return;
  }
  spin_unlock(cpu, ptl);
}
