/**
 * A write to a page that was just swapped in: is it reused, or needlessly copied? (seed 1: David
 * Hildenbrand, "[PATCH v3 2/9] mm: optimize do_wp_page() for fresh pages in local LRU pagevecs",
 * 31 Jan 2022, d4c470970d45 + 53a05ad9f21d in 5.18; KERNEL.md §3.1). Not a bug hunt: every
 * outcome is acceptable, and the share of copies per case is the measurement.
 *
 * Setup: P wrote D0 to X, which was swapped out and freed: P's PTE is a swap entry (an
 *        asynchronous device, so swap-in goes through the swap cache).
 * Cases (one per iteration, in turn):
 *   local-batch     CPU0 read-faults X in (X: swap cache + PTE + CPU0's lru_add batch = 3 refs),
 *                   then writes. 5.17: 3 ≠ 1 → copy. 5.18: ≤ 3, !PageLRU → lru_add_drain() on
 *                   CPU0 drops the batch ref, try_to_free_swap() drops the cache's → reuse.
 *   remote-batch    CPU1 (a thread of P) read-faults X in, so X sits in CPU1's batch; CPU0
 *                   writes. The local drain cannot reach CPU1's batch → copy, before and after.
 *   activate-batch  CPU0 faults X in and drains; CPU1 touches X twice through GUP (FOLL_TOUCH),
 *                   so folio_activate() parks it in CPU1's activate batch with PG_lru still set;
 *                   CPU0 writes: PageLRU → no drain → ref 3 → copy, before and after.
 *   async-writeback CPU0 faults X in and writes it; reclaim on CPU1 swaps the page out again and
 *                   its write is still in flight when CPU0 faults it back and writes:
 *                   try_to_free_swap() refuses under writeback → copy, before and after.
 * The thread's claims: only the local-batch case changes with 5.18 (KERNEL.md §3.1 A–D). With
 * PG_anon_exclusive remembered in the swap PTE (5.19) every case reuses.
 * Kernel: mm/memory.c do_wp_page(), do_swap_page(); mm/swap.c lru_add_drain().
 */
import { defineScenario, pageOut, swapOut, kernel, type Cpu, type ScenarioVars } from '../scenario/index.js';

const MM = 0;
const ADDR = 0;
const D0 = 0xd0;
const D1 = 0xd1;
const D2 = 0xd2;
/** Scenario words: steps posted between the actors, and the result. */
const STEP_A = 0;
const STEP_B = 1;
const STEP_C = 2;
const REUSED = 3;
const READ_BACK = 4;

export const CASES = ['local-batch', 'remote-batch', 'activate-batch', 'async-writeback'] as const;
type Case = (typeof CASES)[number];

/** CPU0's measured write: the page it maps before, and whether the store landed in it. */
function measuredWrite(cpu: Cpu, vars: ScenarioVars, value: number): void {
  const before = kernel.mapped_folio(cpu, MM, ADDR);
  vars.set(REUSED, kernel.user_store(cpu, MM, ADDR, value) === before ? 1 : 2);
  vars.set(READ_BACK, kernel.user_load(cpu, MM, ADDR));
}

const ACTORS: Record<Case, (cpu: Cpu, vars: ScenarioVars) => void> = {
  'local-batch': (cpu, vars) => {
    if (cpu.id !== 0) return;
    kernel.user_load(cpu, MM, ADDR);
    measuredWrite(cpu, vars, D1);
  },
  'remote-batch': (cpu, vars) => {
    if (cpu.id === 1) { kernel.user_load(cpu, MM, ADDR); vars.post(STEP_A); return; }
    vars.await(STEP_A);
    measuredWrite(cpu, vars, D1);
  },
  'activate-batch': (cpu, vars) => {
    if (cpu.id === 1) {
      vars.await(STEP_A);
      kernel.follow_page_pte(cpu, MM, ADDR, kernel.FOLL_TOUCH); // PG_referenced
      kernel.follow_page_pte(cpu, MM, ADDR, kernel.FOLL_TOUCH); // folio_activate(): CPU1's activate batch
      vars.post(STEP_B);
      return;
    }
    kernel.user_load(cpu, MM, ADDR);
    kernel.lru_add_drain(cpu);
    vars.post(STEP_A);
    vars.await(STEP_B);
    measuredWrite(cpu, vars, D1);
  },
  'async-writeback': (cpu, vars) => {
    if (cpu.id === 1) {
      vars.await(STEP_A);
      pageOut(cpu, kernel.mapped_folio(cpu, MM, ADDR)); // the write stays in flight
      vars.post(STEP_B);
      vars.await(STEP_C);
      kernel.complete_swap_writes(cpu);
      return;
    }
    kernel.user_store(cpu, MM, ADDR, D1);
    kernel.lru_add_drain(cpu);
    vars.post(STEP_A);
    vars.await(STEP_B);
    kernel.user_load(cpu, MM, ADDR);
    measuredWrite(cpu, vars, D2);
    vars.post(STEP_C);
  },
};

/** The case an iteration runs: they take turns. */
function caseOf(vars: ScenarioVars): Case {
  return CASES[vars.iteration % CASES.length]!;
}

export default defineScenario({
  name: 'wp-reuse-local-batch',
  summary: 'write fault on a freshly swapped-in page: reuse or copy, per case (local/remote batch, activate, writeback)',
  seeds: ['David Hildenbrand 2022 "mm: optimize do_wp_page() for fresh pages in local LRU pagevecs" → d4c470970d45'],
  cpus: 2,
  machine: { folios: 8, cmaFolios: 0, mms: 1, ptesPerMm: 1, swapSlots: 2 },
  outcomes: {
    'local-batch: reused': 'acceptable', 'local-batch: copied': 'acceptable',
    'remote-batch: reused': 'acceptable', 'remote-batch: copied': 'acceptable',
    'activate-batch: reused': 'acceptable', 'activate-batch: copied': 'acceptable',
    'async-writeback: reused': 'acceptable', 'async-writeback: copied': 'acceptable',
    'lost-write': 'forbidden',
  },
  before: '5.17',
  after: '5.18',
  expect: { '5.17': 'never', '5.18': 'never', '5.19': 'never', '6.10': 'never', '6.11': 'never', '6.17': 'never' },
  claims: {
    'local-batch': 'copied before 5.18; reused from 5.18 (local drain, then try_to_free_swap)',
    'remote-batch': 'still copied in 5.18: a local drain cannot empty another CPU\'s batch',
    'activate-batch': 'still copied in 5.18: PageLRU is set, so no drain, and the batch holds a ref',
    'async-writeback': 'still copied in 5.18: try_to_free_swap() refuses a folio under writeback',
  },

  setup(cpu) {
    kernel.swapon(cpu, 0);
    swapOut(cpu, kernel.do_anonymous_page(cpu, MM, ADDR, kernel.Zone.NORMAL, D0));
  },

  actor(cpu, vars) {
    ACTORS[caseOf(vars)](cpu, vars);
  },

  check(_cpu, vars) {
    const c = caseOf(vars);
    if (vars.get(READ_BACK) !== (c === 'async-writeback' ? D2 : D1)) return 'lost-write';
    return vars.get(REUSED) === 1 ? `${c}: reused` : `${c}: copied`;
  },
});
