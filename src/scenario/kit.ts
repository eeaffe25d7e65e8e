// Building blocks the swap and MADV_FREE scenarios share, exported by the package under these
// names: getting a page out to swap the way reclaim does it. Ordinary helpers, not kernel
// functions: each stands for what MADV_PAGEOUT or kswapd would do. Built on the public API only.
import { kernel } from '../kernel/public.js';
import type { Cpu } from '../kernel/cpu.js';

/**
 * Reclaims `folio` as MADV_PAGEOUT does (mm/madvise.c: isolate, then reclaim_pages()): it gets a
 * swap slot, its mappings become swap PTEs and it is written out. On an asynchronous device the
 * write is still in flight when this returns. Returns how many folios were freed (0 or 1).
 */
export function pageOut(cpu: Cpu, folio: number): number {
  kernel.folio_get(cpu, folio);
  const isolated = kernel.folio_isolate_lru(cpu, folio);
  kernel.folio_put(cpu, folio);
  return isolated ? kernel.reclaim_pages(cpu, [folio]) : 0;
}

/**
 * Swaps `folio` out completely (setup only, one CPU): out of its CPU's batch, written, and freed
 * from the swap cache, so that the next access faults it in from the device. With `keepCached`
 * it stays in the swap cache, clean and on the LRU, as a folio whose write finished and that
 * reclaim has not come back for yet.
 */
export function swapOut(cpu: Cpu, folio: number, keepCached = false): void {
  kernel.lru_add_drain(cpu);
  if (pageOut(cpu, folio) > 0) return;
  kernel.complete_swap_writes(cpu);
  kernel.lru_add_drain(cpu); // the completion queued the folio for rotation (PG_reclaim)
  if (keepCached) return;
  if (pageOut(cpu, folio) === 0) throw new Error(`scenario setup: folio f${folio} could not be swapped out`);
}

/**
 * What kswapd does to a small machine, briefly: two passes over the inactive anon and file lists
 * (a folio kept for its young bit the first time goes the second), then the swap device's
 * completions and a local drain of the rotations they queue. Returns how many folios were freed.
 */
export function reclaimPass(cpu: Cpu): number {
  let freed = 0;
  for (let pass = 0; pass < 2; pass++) {
    freed += kernel.shrink_inactive_list(cpu, 32, kernel.Lru.INACTIVE_ANON) +
      kernel.shrink_inactive_list(cpu, 32, kernel.Lru.INACTIVE_FILE);
  }
  kernel.complete_swap_writes(cpu);
  kernel.lru_add_drain(cpu);
  return freed;
}
