/**
 * Two threads of one process fault the same swap entry on a synchronous device (zram), which
 * skips the swap cache: one thread's swap-in can map data that another thread's store and a
 * swap-out have since replaced (13ddaf26be32, Kairui Song, "mm/swap: fix race when skipping
 * swapcache", v6.8).
 *
 * Setup: X holds D0 and was swapped out to slot 0 of a SWP_SYNCHRONOUS_IO device (no folio).
 * Race (before v6.8; 0bcac06f27d7 "mm, swap: skip swapcache for swapin of synchronous device",
 * v4.15, opened it):
 *   CPU0 (thread T0)                          CPU1 (thread T1)
 *   load X: do_swap_page(slot 0), skipping
 *     the swap cache: a private folio A,
 *     read from slot 0 (D0)
 *                                             store D1 to X: its own swap-in of slot 0 maps a
 *                                               folio B; swap_free(slot 0): the slot is free
 *                                             reclaim: B goes to swap, gets slot 0 again and
 *                                               X's PTE is the same swap PTE value as before
 *     pte_same() holds: map A (D0): D1 is lost (forbidden)
 * Fix:    13ddaf26be32: the skip-cache swap-in claims SWAP_HAS_CACHE first
 *         (swapcache_prepare()); T1's fault finds the claim and waits, so slot 0 cannot be
 *         freed and reused under T0 (switch swapin-skip-cache-claim).
 * Source: the 13ddaf26be32 commit message (stable review mails: "if two or more threads swapin
 *         the same entry at the same time, they get different pages (A, B) ..."); the model's
 *         do_swap_page() follows mm/memory.c. The 5.19 profile stands for the trees before v6.8.
 * Expect: found under 5.19 (and every 5.x profile); never under 6.10 and later.
 * Kernel: mm/memory.c do_swap_page(); mm/swapfile.c swapcache_prepare(), swap_free().
 */
import { defineScenario, kernel, pageOut } from '../scenario/index.js';

const MM = 0;
const X = 0;
const D0 = 0xd0;
const D1 = 0xd1;
/** vars[READ]: what T0's load returned. */
const READ = 0;

export default defineScenario({
  name: 'swapin-skip-cache-race',
  summary: 'two threads fault the same swap entry on a synchronous device while one writes and swaps out',
  seeds: ['Kairui Song, Feb 2024 "mm/swap: fix race when skipping swapcache" → 13ddaf26be32 (v6.8)'],
  cpus: 2,
  machine: { folios: 8, cmaFolios: 0, mms: 1, ptesPerMm: 1, swapSlots: 2 },
  outcomes: { 'store-kept': 'acceptable', 'lost-write': 'forbidden', 'wrong-data': 'forbidden' },
  before: '5.19',
  after: '6.10',
  expect: { '5.18': 'found', '5.19': 'found', '6.10': 'never', '6.17': 'never' },

  setup(cpu) {
    kernel.swapon(cpu, kernel.SwapDevice.SYNCHRONOUS_IO);
    const folio = kernel.do_anonymous_page(cpu, MM, X, kernel.Zone.NORMAL, D0);
    kernel.lru_add_drain(cpu);
    if (pageOut(cpu, folio) !== 1) throw new Error('scenario setup: X could not be swapped out');
  },

  actor(cpu, vars) {
    if (cpu.id === 0) {
      vars.set(READ, kernel.user_load(cpu, MM, X));
      return;
    }
    const folio = kernel.user_store(cpu, MM, X, D1);
    kernel.lru_add_drain(cpu);
    pageOut(cpu, folio); // may find it busy (T0 faulting): then nothing is swapped out
  },

  check(cpu, vars) {
    const read = vars.get(READ);
    if (read !== D0 && read !== D1) return 'wrong-data';
    const now = kernel.peek_user(cpu, MM, X);
    return now === D1 ? 'store-kept' : now === D0 ? 'lost-write' : 'wrong-data';
  },
});
