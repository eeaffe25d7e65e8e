// Models mm/memory.c (v6.10). This slice: the anonymous-page fault that brings a new folio in.
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { folio_alloc, type ZoneId } from './page_alloc.js';
import { folio_set, Pg } from './page-flags.js';
import { mk_pte, pte_addr, pte_lockptr, PTE_DIRTY, PTE_WRITE, PTE_YOUNG } from './pgtable.js';
import { folio_add_anon_rmap_pte } from './rmap.js';
import { S } from './sites.js';
import { folio_add_lru } from './swap.js';

/**
 * mm/memory.c do_anonymous_page() for a write fault: a new exclusive anon folio holding `data`,
 * mapped writable at `addr` of `mm` and queued in this CPU's lru_add batch. `zone` says where the
 * allocator put it (movable allocations may land in CMA). Returns the folio, or -1 on no memory.
 */
export function do_anonymous_page(cpu: Cpu, mm: number, addr: number, zone: ZoneId, data: number): number {
  const folio = folio_alloc(cpu, zone);
  if (folio < 0) return -1;
  Atomics.store(cpu.m, cpu.L.FOLIO_DATA + folio * FOLIO_STRIDE, data);
  folio_set(cpu, folio, Pg.anon);
  folio_set(cpu, folio, Pg.swapbacked);
  folio_set(cpu, folio, Pg.anon_exclusive);
  const ptl = pte_lockptr(cpu, mm);
  spin_lock(cpu, ptl);
  folio_add_anon_rmap_pte(cpu, folio, mm, addr);
  folio_add_lru(cpu, folio);
  cpu.preempt(S.set_pte);
  Atomics.store(cpu.m, pte_addr(cpu, mm, addr), mk_pte(folio, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
  cpu.trace(S.set_pte, folio, addr);
  spin_unlock(cpu, ptl);
  return folio;
}
