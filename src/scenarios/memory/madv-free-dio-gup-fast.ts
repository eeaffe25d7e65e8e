/**
 * The smp_mb() of 6c8e2a256915 (v5.18): reclaim's lazy-free discard clears the PTE, smp_mb(),
 * reads the refcount; GUP-fast takes its reference (a fully ordered try-get), then re-reads the
 * PTE. It is the store-buffering pattern (litmus SB): with the barrier one side sees the other's
 * store; without it both may miss.
 *
 * Setup: T wrote D0 to X and MADV_FREE'd it: X's folio is lazy-free, clean, on the inactive file list.
 * Race (--memory tso, ptep-get-and-clear-generic on, lazyfree-refcheck-no-mb on):
 *   CPU0 (T: read(fd, X) with O_DIRECT)            CPU1 (reclaim)
 *                                                  try_to_unmap_one(): PTE := 0 waits in the store buffer
 *                                                  refcount = 1 + mapcount: no extra reference → discard
 *   get_user_pages_fast(X): PTE present; try-get
 *     (ref +1); PTE re-read: unchanged → taken
 *                                                  (store buffer) the PTE's 0 reaches memory
 *   the device writes D1, the completion dirties the folio and drops the reference
 *   load X: none PTE → zero page: D1 is lost (forbidden)
 * With the smp_mb() the cleared PTE is in memory before the refcount is read: GUP-fast sees it
 * gone (and takes the slow path, which faults X in), or reclaim sees the reference (and restores
 * the PTE). On x86 ptep_get_and_clear() is a locked xchg, itself a full barrier: without the
 * generic ptep_get_and_clear() (include/linux/pgtable.h, a load and pte_clear(), as on sparc64, a
 * TSO machine [infer: read its pgtable_64.h, which defines none]) the race is not there even
 * without the smp_mb().
 * Source: the commit message ("Races and Barriers": clear PTE; barrier; read refcount / inc
 *         refcount; barrier; read PTE), read in its 5.15 stable backport mail (7 Apr 2022);
 *         arch/x86/include/asm/pgtable_64.h and arch/arm64/include/asm/pgtable.h ptep_get_and_clear().
 * Expect: under sc never, with or without the barrier; under tso with the generic PTE clear, found
 *         without the barrier, never with it (test/memory.test.ts).
 * Kernel: mm/rmap.c try_to_unmap_one(); mm/gup.c gup_fast_pte_range(); block/fops.c.
 */
import { defineScenario, kernel, reclaimPass } from '../../scenario/index.js';

const MM = 0;
const X = 0;
const D0 = 0xd0;
const D1 = 0xd1;
/** vars[READ]: what T loaded from X after the read completed. */
const READ = 0;

export default defineScenario({
  name: 'madv-free-dio-gup-fast',
  summary: 'GUP-fast vs reclaim\'s lazy-free discard: the smp_mb() of 6c8e2a256915 under weak memory',
  seeds: ['Mauricio Faria de Oliveira, Jan–Feb 2022 "mm: fix race between MADV_FREE reclaim and blkdev direct IO read" → 6c8e2a256915'],
  cpus: 2,
  machine: { folios: 8, cmaFolios: 0, mms: 1, ptesPerMm: 1, swapSlots: 2 },
  outcomes: { 'read-data-seen': 'acceptable', 'lost-dio-data': 'forbidden' },
  before: '5.18',
  after: '5.18',
  expect: { '5.18': 'never' },

  setup(cpu) {
    kernel.user_store(cpu, MM, X, D0);
    kernel.lru_add_drain(cpu);
    kernel.madvise_free(cpu, MM, X, 1);
    kernel.lru_add_drain(cpu);
  },

  actor(cpu, vars) {
    if (cpu.id === 1) { reclaimPass(cpu); return; }
    // bio_iov_iter_get_pages() of a read: FOLL_GET and FOLL_WRITE through GUP-fast, as in 5.17/5.18
    const folio = kernel.get_user_pages_fast(cpu, MM, X, kernel.FOLL_WRITE);
    if (folio < 0) throw new Error(`scenario: get_user_pages_fast failed (${folio})`);
    kernel.memcpy_to_folio(cpu, folio, D1);
    kernel.folio_set(cpu, folio, kernel.Pg.dirty); // bio_check_pages_dirty(): folio_mark_dirty()
    kernel.put_page(cpu, folio);
    vars.set(READ, kernel.user_load(cpu, MM, X));
  },

  check(_cpu, vars) {
    return vars.get(READ) === D1 ? 'read-data-seen' : 'lost-dio-data';
  },
});
