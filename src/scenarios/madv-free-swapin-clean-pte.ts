/**
 * A page swapped back in by a read fault has a clean PTE, yet its only other copy may be gone
 * soon: reclaim must not mistake it for a MADV_FREE'd page (seed 3: Minchan Kim, "[PATCH] mm:
 * support madvise(MADV_FREE)", linux-mm 2014; Johannes Weiner's review; KERNEL.md §3.3,
 * interleaving 2). The task never calls MADV_FREE here.
 *
 * Setup: T wrote D0 to X; X was swapped out completely (swap PTE, slot written, no folio).
 * Race (naive rule: "discard an anon page iff its PTEs are clean"):
 *   CPU0 (T)                                    CPU1 (reclaim)
 *   load X: do_swap_page reads the slot into
 *     a swap-cache folio, maps it read-only:
 *     PTE clean, PG_dirty clear; swap_free
 *   lru_add_drain()
 *                                               shrink_inactive_list(): the reference check
 *                                                 finds no dirty PTE → discardable; unmap
 *                                                 clears the PTE (no swap PTE), the clean
 *                                                 swap-cache folio is freed with its slot
 *   load X: none PTE → zero page: D0 is lost (forbidden)
 * Fix:    the v3 posting: a page in the swap cache (or PG_dirty) is never discardable; mainline
 *         (4.5+) knows lazy-free folios by a flag, never by a clean PTE.
 * Expect: found under 3.14-madvfree-naive; never under 3.14-madvfree-v3, 5.17 and later.
 * Kernel: mm/vmscan.c shrink_folio_list(); mm/rmap.c try_to_unmap_one(); mm/memory.c do_swap_page().
 */
import { defineScenario, reclaimPass, swapOut, kernel } from '../scenario/index.js';
import { MADV_FREE_PROFILES, MADV_FREE_THREAD } from './madv-free-profiles.js';

const MM = 0;
const ADDR = 0;
const D0 = 0xd0;
const FAULTED = 0;
const FIRST_READ = 1;
const SECOND_READ = 2;

export default defineScenario({
  name: 'madv-free-swapin-clean-pte',
  summary: 'a page swapped in by a read fault (clean PTE, in the swap cache) meets reclaim',
  seeds: [MADV_FREE_THREAD,
    '854e9ed09ded "mm: support madvise(MADV_FREE)" (v4.5)'],
  cpus: 2,
  machine: { folios: 8, cmaFolios: 0, mms: 1, ptesPerMm: 1, swapSlots: 2 },
  outcomes: { 'data-kept': 'acceptable', 'data-lost': 'forbidden' },
  ...MADV_FREE_PROFILES,

  setup(cpu) {
    swapOut(cpu, kernel.do_anonymous_page(cpu, MM, ADDR, kernel.Zone.NORMAL, D0));
  },

  actor(cpu, vars) {
    if (cpu.id === 0) {
      vars.set(FIRST_READ, kernel.user_load(cpu, MM, ADDR));
      kernel.lru_add_drain(cpu); // the swap-in folio leaves this CPU's lru_add batch for the LRU
      vars.post(FAULTED);
      vars.set(SECOND_READ, kernel.user_load(cpu, MM, ADDR));
    } else {
      vars.await(FAULTED);
      reclaimPass(cpu);
    }
  },

  check(cpu, vars) {
    const kept = vars.get(FIRST_READ) === D0 && vars.get(SECOND_READ) === D0 && kernel.peek_user(cpu, MM, ADDR) === D0;
    return kept ? 'data-kept' : 'data-lost';
  },
});
