/**
 * The infinite retry loop of __get_longterm_locked() that 1aaf8c122918 addressed: a FOLL_LONGTERM
 * pin of a CMA folio that is on no LRU, and never will be, retries forever. Reported as a LIVELOCK
 * (a CPU that passes 10,000 preemption points with no other CPU able to run: cpu/finding-kind.ts),
 * in pct and free mode alike, not as a timeout; the livelock ends the run.
 *
 * Setup: a driver's vm_ops->fault handed out a page it took with cma_alloc(); finish_fault()
 *        mapped it writable; it was never added to an LRU (1aaf8c122918's own example).
 * Loop (≤6.13, and again from 6.16; also 6.1.y before 6.1.129 and after the Sep 2025 queue):
 *   CPU0
 *   pin_user_pages(FOLL_LONGTERM)
 *   ┌→ __get_user_pages(): follow_page_pte() pins X (+1024)
 *   │  collect: X is in CMA → collected++; !PG_lru → lru_add_drain_all() (nothing to drain)
 *   │    folio_isolate_lru(X) fails: X never had PG_lru; the list stays empty
 *   │  migrate_longterm_unpinnable_folios(): unpin X; nothing to migrate → -EAGAIN
 *   └─ __gup_longterm_locked(): -EAGAIN → pin again
 * Fix:    1aaf8c122918 (v6.14, switch gup-collect-isolated-only): an empty list is success, so X
 *         stays pinned in CMA (what the driver wanted). 517f496e1e61 (v6.16) reverted it, because
 *         folios only *temporarily* off the LRU got pinned in CMA too (gup-pin-unisolated-cma).
 *         Its message says what closes the loop afterwards: nothing yet. "There is no known in-tree
 *         user making use of that so far, fortunately"; a future mechanism for the CMA area's
 *         owner to allow the pin is left to be written. So the loop is back from 6.16 on.
 * Source: 1aaf8c122918's message (6.1-stable review, index id 8563645861) and 517f496e1e61's
 *         (mm-hotfixes, index id 35715568333); the loop's shape is the model's gup.ts.
 * Expect: found (livelock) under 6.10, 6.16, 6.17, 7.3; never under 6.14 and 6.1.129.
 * Kernel: mm/gup.c __gup_longterm_locked(), check_and_migrate_movable_folios().
 */
import { defineScenario, kernel } from '../scenario/index.js';

const MM = 0;
const X = 0;
const PIN_RC = 0;

export default defineScenario({
  name: 'gup-longterm-never-lru',
  summary: 'a long-term pin of a driver\'s CMA page that is on no LRU retries forever (livelock)',
  seeds: ['Zhaoyang Huang, Jan 2025 "mm: gup: fix infinite loop within __get_longterm_locked" → 1aaf8c122918',
    'David Hildenbrand, June 2025: its revert → 517f496e1e61'],
  cpus: 1,
  machine: { folios: 4, cmaFolios: 2, mms: 1, ptesPerMm: 1 },
  outcomes: {
    'pinned-in-cma': 'acceptable',
    'pin-failed': 'interesting',
  },
  before: '6.10',
  after: '6.14',
  expect: { '6.10': 'found', '6.14': 'never', '6.16': 'found', '6.17': 'found', '7.3': 'found', '6.1.129': 'never' },

  setup(cpu) {
    kernel.finish_fault_cma_page(cpu, MM, X, 0x11);
  },

  actor(cpu, vars) {
    vars.set(PIN_RC, kernel.pin_user_pages(cpu, MM, X, kernel.FOLL_LONGTERM | kernel.FOLL_WRITE));
  },

  check(cpu, vars) {
    const rc = vars.get(PIN_RC);
    if (rc < 0) return 'pin-failed';
    kernel.unpin_folio(cpu, rc);
    return 'pinned-in-cma';
  },
});
