/**
 * The race of gup-longterm-vs-activate under 1aaf8c122918 (v6.14–6.15): a FOLL_LONGTERM pin that
 * could not isolate its CMA folio is reported as a success, and the folio stays pinned in CMA.
 *
 * Race (6.14: PG_lru cleared at enqueue, 33dfe9204f29; the reference after the test, v6.12):
 *   0. f is an anon folio in CMA, inactive, PG_referenced, PG_lru, mapped once.
 *   CPU0                                      CPU1
 *   pin_user_pages(FOLL_LONGTERM): pin f
 *     collect: PG_lru set → no drain
 *                                             follow_page_pte(FOLL_TOUCH) → folio_activate(f):
 *                                               test_and_clear PG_lru wins, folio_get, f queued
 *     folio_isolate_lru(f) fails (!PG_lru): f counted, not listed
 *     1aaf8c122918: the list is empty → return 0: f stays pinned in CMA (forbidden)
 * Fix:    517f496e1e61 (v6.16), David Hildenbrand's revert ("we are able to longterm pin folios
 *         that are not supposed to get longterm pinned, simply because they temporarily have the
 *         LRU flag cleared"): the count of unpinnable folios decides, -EAGAIN, pin again; the next
 *         collect sees !PG_lru and drains every CPU, so the isolation succeeds.
 * Source: the 1aaf8c122918 and 517f496e1e61 commit messages (stable review mails); the 6.14
 *         collect shape from KERNEL.md §2.6 (ColinIanKing/linux-next mm/gup.c @ 02c39c22). The
 *         interleaving itself is ours [infer]: the revert names two racing pinners or a racing
 *         isolation; a 6.11+ activate batch clears PG_lru the same way.
 * Expect: found under 6.14; never under 6.16 (and 6.11, which predates 1aaf8c122918).
 */
import base from './gup-longterm-vs-activate.js';
import { defineScenario } from '../scenario/index.js';

export default defineScenario({
  ...base,
  name: 'gup-pin-unisolated-cma',
  summary: 'a long-term pin that could not isolate its CMA folio succeeds anyway (1aaf8c122918)',
  seeds: ['Zhaoyang Huang 2025 "mm: gup: fix infinite loop within __get_longterm_locked" → 1aaf8c122918',
    'Hyesoo Yu / David Hildenbrand, June 2025: revert → 517f496e1e61'],
  before: '6.14',
  after: '6.16',
  expect: { '6.14': 'found', '6.16': 'never', '6.11': 'never' },
});
