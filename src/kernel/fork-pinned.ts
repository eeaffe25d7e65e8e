// Models mm/memory.c copy_present_page() (v5.9+, 70e806e4e645 "mm: Do early cow for pinned pages
// during fork() for ptes"; v6.10 shape): fork() does not share a page that may be pinned (a
// FOLL_PIN would lose its coherence with the parent at the next COW); it gives the child a copy
// at once and leaves the parent's PTE, and the page's exclusivity, as they were.
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { allocAnonFolio, Zone } from './page_alloc.js';
import { Pg } from './page-flags.js';
import { mk_pte, PTE_DIRTY, PTE_WRITE, PTE_YOUNG } from './pgtable.js';
import { folio_add_anon_rmap_pte } from './rmap.js';
import { folio_add_lru } from './swap.js';

/**
 * mm/memory.c copy_present_page(): the child's copy of the possibly pinned `folio` mapped at
 * `addr` of `child` (both PTLs held by copy_page_range()). Returns the child's new PTE: writable
 * and dirty (maybe_mkwrite(pte_mkdirty()) in a writable private mapping). Simplified: the kernel
 * allocates the page before taking the locks (-EAGAIN and retry); the model allocates in place.
 */
export function copy_present_page(cpu: Cpu, child: number, addr: number, folio: number): number {
  const { m, L } = cpu;
  const copy = allocAnonFolio(cpu, Zone.NORMAL, Pg.anon_exclusive);
  if (copy < 0) throw new Error('model bug: out of folios copying a pinned page at fork (raise the scenario\'s machine.folios)');
  Atomics.store(m, L.FOLIO_DATA + copy * FOLIO_STRIDE, Atomics.load(m, L.FOLIO_DATA + folio * FOLIO_STRIDE));
  folio_add_anon_rmap_pte(cpu, copy, child, addr);
  folio_add_lru(cpu, copy);
  return mk_pte(copy, PTE_WRITE | PTE_DIRTY | PTE_YOUNG);
}
