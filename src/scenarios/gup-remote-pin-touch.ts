/**
 * A FOLL_LONGTERM pin through pin_user_pages_remote() (how VFIO pins guest memory) of a CMA folio
 * that was accessed once already: FOLL_TOUCH makes the pin itself activate the folio, parking a
 * reference in the pinning CPU's own activate batch (seed 4; KERNEL.md §3.4).
 *
 * Race (6.10), on one CPU: no second CPU is needed.
 *   0. f is an anon folio in CMA, inactive, PG_referenced, PG_lru, mapped once.
 *   CPU0 pin_user_pages_remote(FOLL_LONGTERM)
 *          follow_page_pte(FOLL_PIN | FOLL_TOUCH): pin f, folio_mark_accessed(f)
 *            folio_activate(f): PG_lru stays set, folio_get → f in CPU0's activate batch
 *          collect: PG_lru set → no lru_add_drain_all(); folio_isolate_lru(f) succeeds
 *          migrate_pages: ref 2 ≠ expected 1 on every pass → -ENOMEM
 * Fix:    33dfe9204f29 (6.11, lru-clear-at-enqueue): the activation clears PG_lru, so collect
 *         drains every CPU, this one included (its own work item, run while it waits); 6.17's
 *         refcount test (98c6d259319e) drains locally first (a09a8a1fbb37).
 * Note:   [infer] mm/gup.c pin_user_pages_remote() adds FOLL_TOUCH, and VFIO pins that way: this
 *         may be the very path of yangge's report ("virtual machine fails to start"), which needs
 *         no concurrent access at all. Found by the fidelity review of this model.
 * Expect: found under 6.10 in every iteration; never under 6.11 and 6.17.
 * Kernel: mm/gup.c pin_user_pages_remote(), follow_page_pte(), collect_longterm_unpinnable_folios().
 */
import { defineScenario, kernel } from '../scenario/index.js';

const PIN_RC = 0;

export default defineScenario({
  name: 'gup-remote-pin-touch',
  summary: 'kernel.pin_user_pages_remote(FOLL_LONGTERM) activates the CMA folio it must migrate, on its own CPU',
  seeds: ['yangge 2024 "mm/gup: don\'t check page lru flag before draining it" → 33dfe9204f29',
    'mm/gup.c kernel.pin_user_pages_remote(): FOLL_TOUCH'],
  cpus: 1,
  machine: { folios: 8, cmaFolios: 2, mms: 1, ptesPerMm: 4 },
  outcomes: {
    'pinned-after-migration': 'acceptable',
    'pin-failed-own-batch-ref': 'forbidden',
    'pin-failed-other': 'forbidden',
    'pinned-unpinnable': 'forbidden',
  },
  before: '6.10',
  after: '6.11',
  expect: { '6.10': 'found', '6.11': 'never', '6.17': 'never' },

  setup(cpu) {
    const folio = kernel.do_anonymous_page(cpu, 0, 0, kernel.Zone.CMA, 0x7e57);
    kernel.lru_add_drain(cpu);
    kernel.folio_set(cpu, folio, kernel.Pg.referenced);
  },

  actor(cpu, vars) {
    vars.set(PIN_RC, kernel.pin_user_pages_remote(cpu, 0, 0));
  },

  check(cpu, vars) {
    const rc = vars.get(PIN_RC);
    if (rc >= 0) return kernel.folio_is_longterm_pinnable(cpu, rc) ? 'pinned-after-migration' : 'pinned-unpinnable';
    return (kernel.lastMigrationFailure(cpu)?.batchRefs ?? 0) > 0 ? 'pin-failed-own-batch-ref' : 'pin-failed-other';
  },
});
