// Models the page that 1aaf8c122918's message names as the cause of __get_longterm_locked()'s
// infinite loop: a driver whose vm_ops->fault hands out pages it took with cma_alloc(), which
// mm/memory.c finish_fault() maps, and which never join an LRU list. No in-tree driver does this
// (517f496e1e61's message); it is the one way a small folio here is never on an LRU.
import { fetchAdd, load, store } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { folio_alloc, Zone } from './page_alloc.js';
import { mk_pte, pte_addr, pte_lockptr, pte_none, PTE_DIRTY, PTE_WRITE, PTE_YOUNG } from './pgtable.js';
import { S } from './sites.js';
import { folio_put } from './swap.js';

/**
 * A driver's fault on `addr` of `mm` (mm/memory.c finish_fault() of a page from cma_alloc(),
 * v6.x shape): a CMA folio holding `data`, mapped writable, not anonymous and on no LRU; its one
 * reference is the mapping's (folio_add_file_rmap_pte()). Returns the folio, or -1 when the PTE
 * was not empty or CMA is exhausted.
 */
export function finish_fault_cma_page(cpu: Cpu, mm: number, addr: number, data: number): number {
  const { L } = cpu;
  const folio = folio_alloc(cpu, Zone.CMA);
  if (folio < 0) return -1;
  store(cpu, L.FOLIO_DATA + folio * FOLIO_STRIDE, data);
  const ptl = pte_lockptr(cpu, mm);
  const at = pte_addr(cpu, mm, addr);
  spin_lock(cpu, ptl);
  if (!pte_none(load(cpu, at))) {
    spin_unlock(cpu, ptl);
    folio_put(cpu, folio);
    return -1;
  }
  fetchAdd(cpu, L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE, 1); // folio_add_file_rmap_pte()
  cpu.preempt(S.set_pte);
  store(cpu, at, mk_pte(folio, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
  cpu.trace(S.set_pte, folio, addr);
  spin_unlock(cpu, ptl);
  return folio;
}
