/**
 * A task frees a range with MADV_FREE, then writes to part of it again, while reclaim runs on
 * another CPU (seed 3: Minchan Kim, "[PATCH] mm: support madvise(MADV_FREE)", linux-mm 2014 and
 * its review; 854e9ed09ded, 802a3a92ad7a; KERNEL.md §3.3, interleavings 1 and 4).
 *
 * Setup: T wrote D0+i to pages 0..3 of its heap; they are on the inactive anon list.
 * Race (naive rule: the discard is decided once, from the PTEs at the reference check):
 *   CPU0 (T)                                    CPU1 (reclaim)
 *   madvise(MADV_FREE, pages 0..3): PTEs clean
 *                                               shrink_folio_list(page 0): no young, no dirty
 *                                                 PTE → RECLAIM, discardable
 *   store D1 to page 0: the MMU sets the PTE
 *     dirty bit, no fault
 *                                               try_to_unmap_one: the PTE comes back dirty, the
 *                                                 naive rule discards it anyway
 *   load page 0: none PTE → zero page: D1 is lost (forbidden)
 * Fix:    v3 re-checks with the dirty bit the unmap cleared and restores the PTE; mainline moves
 *         it to PG_dirty, and the lazy-free branch restores the PTE and makes the folio
 *         swap-backed again. Pages not written after MADV_FREE may read zero or their old value.
 * Expect: found under 3.14-madvfree-naive; never under 3.14-madvfree-v3, 5.17 and later.
 * Kernel: mm/madvise.c madvise_free_pte_range(); mm/rmap.c try_to_unmap_one(); mm/vmscan.c.
 */
import { defineScenario, reclaimPass, kernel } from '../scenario/index.js';
import { MADV_FREE_PROFILES, MADV_FREE_THREAD } from './madv-free-profiles.js';

const MM = 0;
const PAGES = 4;
/** Pages 0 .. WRITTEN-1 are written again after MADV_FREE. */
const WRITTEN = 2;
const D0 = 0xd0;
const D1 = 0xe0;
/** vars[READ + i]: what the task's load of page i returned. */
const READ = 0;

type Outcome = 'all-kept' | 'untouched-discarded' | 'lost-write' | 'wrong-data';

/** What a page must hold: written again → D1+i; untouched → D0+i or zero (discarded). */
function classify(addr: number, value: number): Outcome {
  if (addr < WRITTEN) return value === D1 + addr ? 'all-kept' : value === 0 || value === D0 + addr ? 'lost-write' : 'wrong-data';
  return value === D0 + addr ? 'all-kept' : value === 0 ? 'untouched-discarded' : 'wrong-data';
}

const SEVERITY: readonly Outcome[] = ['all-kept', 'untouched-discarded', 'wrong-data', 'lost-write'];

export default defineScenario({
  name: 'madv-free-redirty-vs-reclaim',
  summary: 'a task writes to part of a MADV_FREE\'d range while another CPU reclaims it',
  seeds: [MADV_FREE_THREAD,
    '854e9ed09ded (v4.5), 802a3a92ad7a "mm: reclaim MADV_FREE pages" (v4.12)'],
  cpus: 2,
  machine: { folios: 16, cmaFolios: 0, mms: 1, ptesPerMm: PAGES, swapSlots: 8 },
  outcomes: { 'all-kept': 'acceptable', 'untouched-discarded': 'acceptable', 'lost-write': 'forbidden', 'wrong-data': 'forbidden' },
  ...MADV_FREE_PROFILES,

  setup(cpu) {
    for (let i = 0; i < PAGES; i++) kernel.user_store(cpu, MM, i, D0 + i);
    kernel.lru_add_drain(cpu);
  },

  actor(cpu, vars) {
    if (cpu.id === 1) { reclaimPass(cpu); return; }
    if (kernel.madvise_free(cpu, MM, 0, PAGES) === kernel.EINVAL) throw new Error('scenario: the profile has no MADV_FREE');
    kernel.lru_add_drain(cpu); // the lazyfree batch drains (a full batch, or the task moved CPUs)
    for (let i = 0; i < WRITTEN; i++) kernel.user_store(cpu, MM, i, D1 + i);
    for (let i = 0; i < PAGES; i++) vars.set(READ + i, kernel.user_load(cpu, MM, i));
  },

  check(cpu, vars) {
    let worst = 0;
    for (let i = 0; i < PAGES; i++) {
      for (const v of [vars.get(READ + i), kernel.peek_user(cpu, MM, i)]) worst = Math.max(worst, SEVERITY.indexOf(classify(i, v)));
    }
    return SEVERITY[worst]!;
  },
});
