/**
 * One CPU activates a folio while another MADV_FREEs it: before 6.11 the folio sits in both
 * CPUs' batches at once, and the order of their drains decides where it ends (KERNEL.md §4.1;
 * David Hildenbrand's question about mm/madvise.c in the 2024 thread of 33dfe9204f29).
 *
 * Setup: f is an anon folio, inactive, PG_referenced (accessed once), on inactive_anon, mapped.
 * Race (6.10):
 *   CPU0 (a touch: folio_mark_accessed)         CPU1 (madvise(MADV_FREE))
 *   PG_lru set → folio_activate: get,
 *     f in CPU0's activate batch
 *                                               PG_lru still set → folio_mark_lazyfree: get,
 *                                                 f in CPU1's lazyfree batch too
 *   (both are queued: two batch references)
 *   lru_add_drain()                             lru_add_drain()
 *   The drain that runs first moves f (active_anon, or inactive_file with PG_swapbacked clear);
 *   the second moves it again: lazyfree after activate → inactive_file; activate after
 *   lazyfree → active_file, a lazy-free folio on the active list. A drain that finds PG_lru
 *   cleared by the other's move in progress skips f (its reference still goes).
 * 6.11:   the enqueue takes PG_lru; the second enqueue fails, so f is in one batch only and
 *         ends on active_anon or inactive_file.
 * Expect: nothing forbidden under any profile; the placement histogram is the result, and the
 *         refcount ledger and list integrity hold after every iteration (invariants).
 * Kernel: mm/swap.c folio_activate(), folio_mark_lazyfree(), folio_batch_move_lru().
 */
import { defineScenario, kernel, type OutcomeKind } from '../scenario/index.js';

const MM = 0;
const ADDR = 0;
const FOLIO = 0;
/** vars[QUEUED + c]: CPU c's batch holds f (step QUEUED + c also posts it). */
const QUEUED = 1;
const POSTED = 3;

const PLACES = kernel.LRU_NAMES.slice(0, 4);
type Outcome = `${'one-batch' | 'two-batches'}: ${(typeof PLACES)[number]}`;
const OUTCOMES = Object.fromEntries(['one-batch', 'two-batches'].flatMap((b) => PLACES.map((l) => [`${b}: ${l}`, 'interesting'])));

export default defineScenario({
  name: 'same-folio-two-batches',
  summary: 'one CPU activates a folio while another MADV_FREEs it: the folio in two CPUs\' batches',
  seeds: ['33dfe9204f29 "mm/gup: clear the LRU flag of a page before adding to LRU batch" (v6.11) and its review'],
  cpus: 2,
  machine: { folios: 4, cmaFolios: 0, mms: 1, ptesPerMm: 1, swapSlots: 1 },
  outcomes: OUTCOMES as Record<Outcome, OutcomeKind>,
  before: '6.10',
  after: '6.11',
  expect: { '6.10': 'never', '6.11': 'never', '6.17': 'never' },
  claims: {
    'two-batches': 'before 6.11 both enqueues pass their PG_lru test: the final list depends on which drain runs first',
    'one-batch': 'from 6.11 (33dfe9204f29) the first enqueue takes PG_lru and the second fails: never in two batches',
  },

  setup(cpu, vars) {
    const f = kernel.user_store(cpu, MM, ADDR, 1);
    kernel.lru_add_drain(cpu);
    kernel.folio_mark_accessed(cpu, f); // the first access: PG_referenced
    vars.set(FOLIO, f);
  },

  actor(cpu, vars) {
    const f = vars.get(FOLIO);
    if (cpu.id === 0) kernel.folio_mark_accessed(cpu, f);
    else kernel.madvise_free(cpu, MM, ADDR, 1);
    const batch = cpu.id === 0 ? kernel.Batch.lru_activate : kernel.Batch.lru_lazyfree;
    vars.set(QUEUED + cpu.id, kernel.folio_batch_count(cpu, cpu.id, batch) > 0 ? 1 : 0);
    // both enqueues are done before either drain: if both queued, f is in two batches now
    vars.post(POSTED + cpu.id);
    vars.await(POSTED + 1 - cpu.id);
    kernel.lru_add_drain(cpu);
  },

  check(cpu, vars) {
    const batches = vars.get(QUEUED) + vars.get(QUEUED + 1) === 2 ? 'two-batches' : 'one-batch';
    const place = PLACES[kernel.folioLru(cpu, vars.get(FOLIO))];
    if (place === undefined) throw new Error('model bug: the folio ended on no evictable LRU list');
    return `${batches}: ${place}`;
  },
});
