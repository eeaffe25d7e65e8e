// Models the page that 1aaf8c122918's message names as the cause of __get_longterm_locked()'s
// infinite loop: a driver whose vm_ops->fault hands out pages it took with cma_alloc(), which
// mm/memory.c finish_fault() maps, and which never join an LRU list. No in-tree driver does this
// (517f496e1e61's message); it is the one way a small folio here is never on an LRU.
import { fetchAdd } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { map_new_folio } from './memory.js';
import { Zone } from './page_alloc.js';
import { patchable } from './patchable.js';

/**
 * A driver's fault on `addr` of `mm` (mm/memory.c finish_fault() of a page from cma_alloc(),
 * v6.x shape): a CMA folio holding `data`, mapped writable, not anonymous and on no LRU; its one
 * reference is the mapping's (folio_add_file_rmap_pte()). Returns the folio, or -1 when the PTE
 * was not empty or CMA is exhausted.
 */
export function finish_fault_cma_page(cpu: Cpu, mm: number, addr: number, data: number): number {
  const folio = patchable.folio_alloc(cpu, Zone.CMA);
  if (folio < 0) return -1;
  // folio_add_file_rmap_pte(): a mapcount, no anon rmap
  return map_new_folio(cpu, mm, addr, folio, data, () => fetchAdd(cpu, cpu.L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE, 1))
    ? folio : -1;
}
