// Models mm/mlock.c as it was before the mlock batch (v5.17; the batch is 2fbb0c10d1e8, v5.18,
// switch mlock-batch): mlock_vma_page() and munlock_vma_page() move a page between the evictable
// and unevictable lists by isolating it and putting it back, and putback_lru_page() is
// lru_cache_add(): the page waits in this CPU's lru_add batch, with a reference and PG_lru clear,
// until that batch drains and lru_add() picks its list by PG_mlocked. No mlock batch exists, so a
// reference it leaves is one GUP's !PG_lru test drains for.
import type { Cpu } from './cpu.js';
import { folio_set, folio_test_clear, folio_test_set, Pg } from './page-flags.js';
import { patchable } from './patchable.js';

/** mm/mlock.c mlock_vma_page() (v5.17): a newly mlocked page moves to the unevictable list. */
export function mlock_vma_page(cpu: Cpu, folio: number): void {
  if (folio_test_set(cpu, folio, Pg.mlocked)) return;
  // isolation fails while the page is off the LRU (reclaim or migration holds it, or it waits in
  // an lru_add batch): whoever puts it back sees PG_mlocked
  if (patchable.folio_isolate_lru(cpu, folio)) patchable.folio_putback_lru(cpu, folio);
}

/** mm/mlock.c munlock_vma_page() (v5.17): PG_mlocked goes now; the page returns to an evictable list. */
export function munlock_vma_page(cpu: Cpu, folio: number): void {
  if (!folio_test_clear(cpu, folio, Pg.mlocked)) return;
  if (patchable.folio_isolate_lru(cpu, folio)) patchable.folio_putback_lru(cpu, folio);
}

/**
 * mm/swap.c lru_cache_add_inactive_or_unevictable() (v5.17) for a new page of a VM_LOCKED vma:
 * PG_mlocked is set as it joins this CPU's lru_add batch, whose drain puts it on the unevictable list.
 */
export function lru_cache_add_inactive_or_unevictable(cpu: Cpu, folio: number): void {
  folio_set(cpu, folio, Pg.mlocked);
  patchable.folio_add_lru(cpu, folio);
}
