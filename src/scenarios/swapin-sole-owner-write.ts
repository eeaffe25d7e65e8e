/**
 * A sole owner's write fault on a swapped-out page that fork() once shared: reused in
 * do_swap_page(), or only after a detour through do_wp_page() (4b34f1d82c65 and its June 2026
 * revert posting; docs/corpus.md row 23).
 *
 * Setup: P wrote D0 to X; fork() shared X with C, so the swap PTEs lose their exclusive marker;
 *        reclaim swapped X out to an asynchronous device (slot E, count 2; X stays in the swap
 *        cache); C unmapped it (E's count 1). P is X's only user, but its swap PTE does not say so.
 * Path (one CPU; no race: the kernel's own order decides):
 *   CPU0 (P) store D1: do_swap_page() finds X in the swap cache, swap PTE not exclusive
 *     ≤6.x:  should_try_to_free_swap(): write, ref 2 → folio_free_swap(); ref 1 → mapped writable
 *     7.0:   4b34f1d82c65 keeps the swap cache until after set_ptes(): ref 2 ≠ 1 → mapped read-only;
 *            the write continues in do_wp_page(), which reuses X (pgreuse +1)
 * Either way P writes D1 into X: "There is no correctness problem though, only the reuse and
 * cleanup optimizations were lost" (the revert's message). The scenario calls the detour forbidden
 * because that lost fast path is what the revert restores; /proc/vmstat's pgreuse tells the two
 * apart (wp_page_reuse() counts it, do_swap_page() does not).
 * Fix:    the revert, posted 24 Jun 2026 (Kairui Song), not found merged; the later mm tree maps
 *         writable only an exclusive folio, so the detour stays (docs/corpus.md row 23). Modelled
 *         by switch swapin-free-after-map; `--patch swapin-free-after-map=off` is the revert.
 * Expect: found under 7.3; never under 5.17 … 6.17 and the stable profiles.
 * Kernel: mm/memory.c do_swap_page(), should_try_to_free_swap(), do_wp_page(), wp_page_reuse().
 */
import { defineScenario, swapOut, kernel } from '../scenario/index.js';

const PARENT = 0;
const CHILD = 1;
const ADDR = 0;
const D0 = 0xd0;
const D1 = 0xd1;
const X = 0; // vars: X's folio (set in setup), the pgreuse count the actor saw
const REUSES = 1;

export default defineScenario({
  name: 'swapin-sole-owner-write',
  summary: 'a sole owner\'s write fault on a once-shared swapped-out page goes through do_wp_page() (reuse fast path lost)',
  seeds: ['Kairui Song, Dec 2025 "mm, swap: free the swap cache after folio is mapped" → 4b34f1d82c65',
    'David Hildenbrand / Kairui Song, Jun 2026: "mm/swap: free swap cache before mapping to fix folio reuse" (revert posting)'],
  cpus: 1,
  machine: { folios: 4, cmaFolios: 0, mms: 2, ptesPerMm: 1, swapSlots: 2 },
  outcomes: {
    'reused-at-swap-in': 'acceptable',
    'reused-by-wp-fault': 'forbidden',
    'copied': 'interesting',
    'lost-write': 'forbidden',
  },
  before: '7.3',
  after: '6.17',
  expect: { '5.17': 'never', '5.18': 'never', '5.19': 'never', '6.10': 'never', '6.17': 'never', '7.3': 'found' },

  setup(cpu, vars) {
    kernel.swapon(cpu, 0); // an asynchronous device: X stays in the swap cache after the write
    const x = kernel.do_anonymous_page(cpu, PARENT, ADDR, kernel.Zone.NORMAL, D0);
    vars.set(X, x);
    kernel.copy_page_range(cpu, PARENT, CHILD);
    swapOut(cpu, x, true);
    kernel.madvise_dontneed(cpu, CHILD, ADDR, 1); // the child unmaps: E's count drops to 1
  },

  actor(cpu, vars) {
    kernel.user_store(cpu, PARENT, ADDR, D1);
    vars.set(REUSES, kernel.pgreuseEvents(cpu));
  },

  check(cpu, vars) {
    if (kernel.peek_user(cpu, PARENT, ADDR) !== D1) return 'lost-write';
    if (kernel.mapped_folio(cpu, PARENT, ADDR) !== vars.get(X)) return 'copied';
    return vars.get(REUSES) === 0 ? 'reused-at-swap-in' : 'reused-by-wp-fault';
  },
});
