/**
 * GUP long-term pin vs a reference parked in another CPU's activate batch (seed 4: yangge,
 * "mm/gup: don't check page lru flag before draining it", linux-mm June 2024).
 *
 * Race (6.10):
 *   0. f is an anon folio in CMA, on the inactive anon LRU (PG_lru, PG_referenced), mapped once.
 *   CPU1                                      CPU0
 *   follow_page_pte(FOLL_TOUCH)
 *     folio_mark_accessed(f)
 *       folio_activate(f): PG_lru set,
 *       folio_get → f in CPU1's activate batch
 *                                             pin_user_pages(FOLL_LONGTERM)
 *                                               collect: PG_lru set → no lru_add_drain_all()
 *                                               folio_isolate_lru(f) succeeds
 *                                               migrate_pages: ref 2 ≠ expected 1, ×10 → -ENOMEM
 * Fix:    33dfe9204f29 (6.11, switch lru-clear-at-enqueue): the activate batch clears PG_lru when
 *         queueing, so collect sees !PG_lru and drains every CPU first.
 * 6.17:   33dfe9204f29 is reverted; collect drains when the refcount is not the expected one
 *         (98c6d259319e), locally first (a09a8a1fbb37). With a FOLL_PIN bias of 1024 that test is
 *         always true for a small folio, so both drains always run. A window remains [infer], and
 *         it is wider than "between the drain and the isolation", because folio_activate()'s
 *         PG_lru test and its reference are two steps (mm/swap.c, 6.17):
 *   CPU1                                      CPU0
 *   folio_activate(f): PG_lru set? yes
 *     (preempted here, no lock held)
 *                                             collect: ref ≠ expected+1 → lru_add_drain(),
 *                                               lru_add_drain_all(): CPU1's batches are empty
 *     folio_get(f), f queued in CPU1's
 *       activate batch
 *                                             folio_isolate_lru(f) succeeds; migration fails
 *         The window opens at CPU1's PG_lru test, which may come before the drain, and closes
 *         at CPU0's isolation. Hugh Dickins' commit message concedes that draining cannot
 *         promise migration. The rate pct or free mode finds it at is our scheduler's on this
 *         machine, not the kernel's: in a kernel the window is a few instructions.
 * 6.14:   (33dfe9204f29 + 1aaf8c122918) CPU1's activation clears PG_lru between collect's test
 *         and the isolation: the isolation fails and the pin succeeds in CMA, pinned-unpinnable
 *         (scenario gup-pin-unisolated-cma); 6.16 (517f496e1e61) retries instead.
 * 7.3: the pin-refs fix drains only when a batch reference shows; the same
 *         window as 6.17 remains (measured in docs/corpus.md).
 * Also:   under 6.11 CPU1's folio_activate takes its reference before it tries PG_lru, a transient
 *         reference that would fail a migration. Here it cannot: CPU1 holds the PTL from lookup to
 *         put, and migration must take the PTL to unmap, so "pin-failed-transient-ref" (interesting)
 *         stays at 0; it guards the classification, and a scenario whose activation is not under
 *         the PTL can reach it (ref-after-lru-test, v6.12, closes that window).
 * Expect: found under 6.10 (pct, free) and 6.14; never under 6.11 and 6.16; a narrower window under
 *         6.17 and 7.3.
 * Kernel: mm/gup.c collect_longterm_unpinnable_folios(), mm/swap.c folio_activate(),
 *         mm/migrate.c migrate_pages().
 */
import { defineScenario, kernel } from '../scenario/index.js';

const FOLIO = 0;
const PIN_RC = 1;
const MM = 0;
const ADDR = 0;

export default defineScenario({
  name: 'gup-longterm-vs-activate',
  summary: 'FOLL_LONGTERM pin must migrate a CMA folio while another CPU activates it',
  seeds: ['yangge 2024 "mm/gup: don\'t check page lru flag before draining it" → 33dfe9204f29',
    'Hugh Dickins 2025 "mm: better GUP pin lru_add_drain_all()" → 98c6d259319e, a09a8a1fbb37'],
  cpus: 2,
  machine: { folios: 8, cmaFolios: 2, mms: 1, ptesPerMm: 4 },
  outcomes: {
    'pinned-after-migration': 'acceptable',
    'pinned-in-place': 'acceptable',
    'pin-failed-batch-ref': 'forbidden',
    'pin-failed-transient-ref': 'interesting',
    'pinned-unpinnable': 'forbidden',
  },
  before: '6.10',
  after: '6.11',
  expect: { '6.10': 'found', '6.11': 'never', '6.14': 'found', '6.16': 'never', '6.17': 'window', '7.3': 'window' },

  setup(cpu, vars) {
    const folio = kernel.do_anonymous_page(cpu, MM, ADDR, kernel.Zone.CMA, 0x5eed);
    kernel.lru_add_drain(cpu);
    kernel.folio_set(cpu, folio, kernel.Pg.referenced); // accessed once already: the next access activates it
    vars.set(FOLIO, folio);
  },

  actor(cpu, vars) {
    if (cpu.id === 0) vars.set(PIN_RC, kernel.pin_user_pages(cpu, MM, ADDR));
    else kernel.follow_page_pte(cpu, MM, ADDR, kernel.FOLL_TOUCH);
  },

  check(cpu, vars) {
    const rc = vars.get(PIN_RC);
    if (rc >= 0) {
      if (!kernel.folio_is_longterm_pinnable(cpu, rc)) return 'pinned-unpinnable';
      return rc === vars.get(FOLIO) ? 'pinned-in-place' : 'pinned-after-migration';
    }
    const batchRefs = kernel.lastMigrationFailure(cpu)?.batchRefs ?? 0;
    return batchRefs > 0 ? 'pin-failed-batch-ref' : 'pin-failed-transient-ref';
  },
});
