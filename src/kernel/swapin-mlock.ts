// Which swap-in mappings mlock the folio, per version: mm/memory.c do_swap_page() picks the rmap
// call, and mm/rmap.c decides whether that call mlocks (KERNEL.md §1.4; docs/kernel-notes.md).
import { load } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';

/**
 * Whether do_swap_page()'s rmap call for `folio` (called before it) ends in mlock_vma_folio():
 * - ≤5.17: never; page_add_anon_rmap() did not mlock, reclaim's try_to_unmap_one() mlocks later;
 * - 5.18 (mlock-batch, with cea86fe246b6's rmap calls): every mapping, cached or freshly read;
 * - 6.11 (9ae2feacedde, swapin-new-anon-rmap): a folio never mapped since its allocation (read in
 *   by this fault or by readahead: !folio_test_anon()) takes folio_add_new_anon_rmap(), which does
 *   not mlock; only a folio that was mapped before (still anon in the swap cache) is mlocked.
 * The model's folio->mapping is FOLIO_MM: -1 from allocation until the first rmap.
 */
export function swapin_rmap_mlocks(cpu: Cpu, folio: number): boolean {
  if (!cpu.k.mlockBatch) return false;
  if (!cpu.k.swapinNewAnonRmap) return true;
  return load(cpu, cpu.L.FOLIO_MM + folio * FOLIO_STRIDE) >= 0;
}
