/**
 * A direct-I/O read into a MADV_FREE'd buffer while reclaim runs (6c8e2a256915, Mauricio Faria de
 * Oliveira, "mm: fix race between MADV_FREE reclaim and blkdev direct IO read", v5.18).
 *
 * Setup: T wrote D0 to buffer page X, then MADV_FREE'd it: X's folio is lazy-free (clean,
 * !PG_swapbacked) on the inactive file list.
 * Race (v4.12–5.17, 802a3a92ad7a; v4.5's form had the same hole with swap):
 *   CPU0 (T: read(fd, X) with O_DIRECT)       CPU1 (reclaim)
 *   bio_iov_iter_get_pages(): GUP takes a
 *     reference on X's folio
 *                                             shrink_folio_list(): try_to_unmap_one() sees a
 *                                               clean lazy-free folio → discard: X's PTE is
 *                                               cleared; the GUP reference keeps the folio
 *                                               from being freed (ref freeze fails)
 *   the device writes D1 into the folio; the
 *     completion dirties it and drops the ref
 *   load X: none PTE → zero page: D1 is lost (forbidden)
 * Fix:    6c8e2a256915: the lazy-free discard also requires refcount == 1 + mapcount; an
 *         extra reference restores the PTE (switch lazyfree-refcheck). Barry Song's v6.15 change
 *         keeps that test and leaves the folio lazy-free when only a reference stopped it.
 * Model:  the read's GUP is pin_user_pages(FOLL_WRITE) (the kernel of 5.17 took a FOLL_GET
 *         reference through GUP-fast: +1 instead of +1024, the same to the refcount test
 *         [infer]). If reclaim took X before the pin, GUP faults it in (faultin_page() → a write
 *         fault: a zeroed page), as the kernel's GUP does.
 * Source: the commit message (race, reproducer, "consistent on v5.17-rc3") and its diff, read
 *         in the 5.10 backport mail; the v6.15 rule from Barry Song's v4 posting (14 Feb 2025).
 * Expect: found under 5.17; never under 5.18 and later.
 * Kernel: mm/rmap.c try_to_unmap_one(); mm/vmscan.c shrink_folio_list(); block/fops.c.
 */
import { defineScenario, kernel } from '../scenario/index.js';
import { DIO_READ, dioReadActor, MM, X } from './dio-read.js';

export default defineScenario({
  name: 'madv-free-dio-read',
  summary: 'an O_DIRECT read into a MADV_FREE\'d buffer while reclaim discards it',
  ...DIO_READ,
  before: '5.17',
  after: '5.18',
  expect: { '5.17': 'found', '5.18': 'never', '6.10': 'never', '6.17': 'never' },
  actor(cpu, vars) {
    dioReadActor(cpu, vars, (c) => kernel.pin_user_pages(c, MM, X, kernel.FOLL_WRITE), kernel.unpin_folio);
  },
});
