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
import { defineScenario, kernel, type Cpu } from '../../scenario/index.js';
import { DIO_READ, dioReadActor, MM, X } from '../dio-read.js';

/** bio_iov_iter_get_pages() of a read: FOLL_GET and FOLL_WRITE through GUP-fast, as in 5.17 and 5.18. */
function getForRead(cpu: Cpu): number {
  const folio = kernel.get_user_pages_fast(cpu, MM, X, kernel.FOLL_WRITE);
  if (folio < 0) throw new Error(`scenario: get_user_pages_fast failed (${folio})`);
  return folio;
}

export default defineScenario({
  name: 'madv-free-dio-gup-fast',
  summary: 'GUP-fast vs reclaim\'s lazy-free discard: the smp_mb() of 6c8e2a256915 under weak memory',
  ...DIO_READ,
  before: '5.18',
  after: '5.18',
  expect: { '5.18': 'never' },
  actor(cpu, vars) {
    dioReadActor(cpu, vars, getForRead, kernel.put_page);
  },
});
