/**
 * A parent and its child share a swapped-out page; the parent faults it back in and writes
 * (seed 2: Liang Zhang, "mm: reuse the unshared swapcache page in do_wp_page", linux-mm
 * 13–20 Jan 2022; David Hildenbrand's objection to the refcount-only variant; KERNEL.md §3.2).
 *
 * Setup: P wrote D0 to X; fork() shares X read-only with C; reclaim swapped X out (slot E, user
 *        count 2) and X stays in the swap cache, clean.
 * Race (5.17 with Willy's "page_count == 1 + PageSwapCache" reuse):
 *   CPU0 (P)                                   CPU1 (C)
 *   load: do_swap_page finds X in the swap
 *     cache, maps it read-only, swap_free(E):
 *     count 1 (C's PTE still names E)
 *   store D1: do_wp_page: ref 2 = 1 + swap
 *     cache, mapcount 1 → reuse X: D1 in X
 *                                              load: do_swap_page finds X under E, maps it
 *                                                → C reads D1: the parent's write after fork
 * Fix:    5.17 copies (ref 2 ≠ 1); Liang's reuse_swap_page() counts C's swap user and copies;
 *         5.18's try_to_free_swap() fails while C still uses E, so ref stays 2 and it copies;
 *         5.19's swap PTE lost its exclusive marker at fork, so nothing is reused blindly.
 * Expect: found under 5.17-willy; never under 5.17, 5.17-liang, 5.18, 5.19 and later.
 * Kernel: mm/memory.c do_wp_page(), do_swap_page(); mm/swapfile.c; kernel/fork.c.
 */
import { defineScenario, swapOut, kernel } from '../scenario/index.js';

const PARENT = 0;
const CHILD = 1;
const ADDR = 0;
const D0 = 0xd0;
const D1 = 0xd1;
const CHILD_READ = 0;
const PARENT_READ = 1;
const PARENT_REUSED = 2;

export default defineScenario({
  name: 'wp-swapcache-reuse-after-fork',
  summary: 'parent write-faults a swap-cache page its child still references through swap',
  seeds: ['Liang Zhang 2022 "mm: reuse the unshared swapcache page in do_wp_page" (not merged)',
    'David Hildenbrand 2022 "mm: COW fixes part 1" → 5.18'],
  cpus: 2,
  machine: { folios: 8, cmaFolios: 0, mms: 2, ptesPerMm: 1, swapSlots: 2 },
  outcomes: {
    'parent-reused': 'acceptable',
    'parent-copied': 'acceptable',
    'child-sees-parent-write': 'forbidden',
    'parent-lost-write': 'forbidden',
  },
  before: '5.17-willy',
  after: '5.18',
  expect: {
    '5.17': 'never', '5.17-liang': 'never', '5.17-willy': 'found', '5.18': 'never', '5.19': 'never',
    '6.10': 'never', '6.11': 'never', '6.17': 'never',
  },

  setup(cpu) {
    kernel.swapon(cpu, 0); // an asynchronous device: X stays in the swap cache after the write
    const x = kernel.do_anonymous_page(cpu, PARENT, ADDR, kernel.Zone.NORMAL, D0);
    kernel.copy_page_range(cpu, PARENT, CHILD);
    swapOut(cpu, x, true);
  },

  actor(cpu, vars) {
    if (cpu.id === 0) {
      kernel.user_load(cpu, PARENT, ADDR);
      const before = kernel.mapped_folio(cpu, PARENT, ADDR);
      vars.set(PARENT_REUSED, kernel.user_store(cpu, PARENT, ADDR, D1) === before ? 1 : 0);
      vars.set(PARENT_READ, kernel.user_load(cpu, PARENT, ADDR));
    } else {
      vars.set(CHILD_READ, kernel.user_load(cpu, CHILD, ADDR));
    }
  },

  check(cpu, vars) {
    // what the child read, and what it would read now
    if (vars.get(CHILD_READ) !== D0 || kernel.peek_user(cpu, CHILD, ADDR) !== D0) return 'child-sees-parent-write';
    if (vars.get(PARENT_READ) !== D1) return 'parent-lost-write';
    return vars.get(PARENT_REUSED) === 1 ? 'parent-reused' : 'parent-copied';
  },
});
