// Models mm/madvise.c (v6.10) for one private anon VMA spanning an mm's page table: MADV_FREE
// (madvise_free_single_vma → madvise_free_pte_range, KERNEL.md §2.13) and MADV_DONTNEED
// (madvise_dontneed_single_vma → zap_page_range_single → mm/memory.c zap_pte_range). The 2014
// MADV_FREE postings (profiles 3.14-madvfree-*) only clean the PTEs; their reclaim side is in
// rmap.ts (page_discardable) and vmscan.ts.
import { load, store } from '../shm/access.js';
import type { Cpu } from './cpu.js';
import { folio_trylock, folio_unlock, spin_lock, spin_unlock } from './locking.js';
import { folio_clear, folio_flags, has, Pg } from './page-flags.js';
import { is_swap_pte, pte_addr, pte_folio, pte_lockptr, pte_none, pte_present, pte_swp_offset, PTE_HW_BITS } from './pgtable.js';
import { MadvFree } from './profile.js';
import { folio_remove_rmap_pte } from './rmap.js';
import { S } from './sites.js';
import { folio_put } from './swap.js';
import { free_swap_cache } from './swap_state.js';
import { free_swap_and_cache } from './swapfile.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import { fbatch_drain_lazyfree, folio_mark_lazyfree_batch } from './lazyfree-batch.js';
import { EINVAL } from './errno.js';
import { patchable } from './patchable.js';

/** -EINVAL: madvise(MADV_FREE) on a kernel without it (before v4.5). */
export { EINVAL };

/**
 * mm/madvise.c madvise_free_single_vma() (v6.10): MADV_FREE of pages [start, start + nr) of
 * `mm`. Returns 0, or EINVAL when the profile has no MADV_FREE. The PTL is held across the
 * walk (one page table per mm), as madvise_free_pte_range() holds it per table.
 */
export function madvise_free(cpu: Cpu, mm: number, start: number, nr: number): number {
  const rule = cpu.k.madvFree;
  if (rule === MadvFree.NONE) return EINVAL;
  // mainline drains first, so this CPU's fresh folios are on the LRU and may become lazy-free
  if (rule === MadvFree.LAZYFREE) patchable.lru_add_drain(cpu);
  const ptl = pte_lockptr(cpu, mm);
  // the 2026 tree's caller batch (lazyfree-batch.ts); null: the per-CPU lru_lazyfree batch
  const batch = cpu.k.lazyfreeCallerBatch ? [] : null;
  spin_lock(cpu, ptl);
  for (let addr = start; addr < start + nr; addr++) {
    const at = pte_addr(cpu, mm, addr);
    cpu.preempt(S.madvise_free_pte);
    const pte = load(cpu, at);
    if (rule === MadvFree.LAZYFREE) madvise_free_pte(cpu, at, addr, pte, batch);
    else if (pte_present(pte)) clean_pte(cpu, at, addr, pte); // 2014: the walk only cleans PTEs
  }
  if (batch) fbatch_drain_lazyfree(cpu, batch);
  spin_unlock(cpu, ptl);
  return 0;
}

/** Clears a present PTE's dirty and young bits (ptep_get_and_clear_full, mkold, mkclean, set). */
function clean_pte(cpu: Cpu, at: number, addr: number, pte: number): void {
  if ((pte & PTE_HW_BITS) !== 0) store(cpu, at, pte & ~PTE_HW_BITS);
  cpu.trace(S.madvise_free_pte, pte_folio(pte), addr);
}

/** mm/madvise.c madvise_free_pte_range(), one PTE (v6.10; the PTL is held); `batch`: the caller's (7.3). */
function madvise_free_pte(cpu: Cpu, at: number, addr: number, pte: number, batch: number[] | null): void {
  const { L } = cpu;
  if (pte_none(pte)) return;
  if (is_swap_pte(pte)) {
    // cheaper to drop the swap entry now than to swap it in later
    free_swap_and_cache(cpu, pte_swp_offset(pte));
    store(cpu, at, 0);
    cpu.trace(S.madvise_free_pte, -1, addr);
    return;
  }
  if (!pte_present(pte)) return; // a migration entry
  const folio = pte_folio(pte);
  const flags = folio_flags(cpu, folio);
  if (has(flags, Pg.swapcache) || has(flags, Pg.dirty)) {
    if (!folio_trylock(cpu, folio)) return;
    // a shared folio may still hold data another process needs
    if (load(cpu, L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE) !== 1 ||
        (has(flags, Pg.swapcache) && !patchable.folio_free_swap(cpu, folio))) {
      folio_unlock(cpu, folio);
      return;
    }
    folio_clear(cpu, folio, Pg.dirty);
    folio_unlock(cpu, folio);
  }
  clean_pte(cpu, at, addr, pte);
  // PG_swapbacked is cleared only when the batch drains (lru_lazyfree)
  if (batch) folio_mark_lazyfree_batch(cpu, batch, folio);
  else patchable.folio_mark_lazyfree(cpu, folio);
}

/**
 * mm/madvise.c madvise_dontneed_single_vma() → mm/memory.c zap_pte_range() (v6.10): every PTE of
 * [start, start + nr) is cleared under the PTL; swap entries are freed; the pages' references
 * are dropped after the PTL, as tlb_finish_mmu() → free_pages_and_swap_cache() does once the
 * TLB is flushed. An anon PTE's dirty and young bits are simply dropped (zap_present_folio_ptes
 * transfers them only for file folios).
 */
export function madvise_dontneed(cpu: Cpu, mm: number, start: number, nr: number): void {
  const gathered: number[] = []; // the mmu_gather batch
  const ptl = pte_lockptr(cpu, mm);
  spin_lock(cpu, ptl);
  for (let addr = start; addr < start + nr; addr++) {
    const at = pte_addr(cpu, mm, addr);
    cpu.preempt(S.zap_pte);
    const pte = load(cpu, at);
    if (pte_present(pte)) {
      store(cpu, at, 0);
      folio_remove_rmap_pte(cpu, pte_folio(pte));
      gathered.push(pte_folio(pte));
    } else if (is_swap_pte(pte)) {
      store(cpu, at, 0);
      free_swap_and_cache(cpu, pte_swp_offset(pte));
    } else {
      continue; // none (or a migration entry: not zapped in the model, stubs.ts)
    }
    cpu.trace(S.zap_pte, pte_present(pte) ? pte_folio(pte) : -1, addr);
  }
  spin_unlock(cpu, ptl);
  for (const folio of gathered) {
    free_swap_cache(cpu, folio);
    folio_put(cpu, folio);
  }
}
