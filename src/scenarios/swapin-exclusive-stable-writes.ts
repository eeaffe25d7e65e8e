/**
 * Swap-in of a page still being written to a device that needs stable pages, then a write
 * (seed 5: David Hildenbrand, "[PATCH v2 1/8] mm/swap: remember PG_anon_exclusive via a swp pte
 * bit", 29 Mar 2022; Miaohe Lin's review of 13 Apr 2022; KERNEL.md §3.5).
 *
 * Setup: T wrote D0 to X and something to Y (both exclusive), on the inactive list.
 * Staged: T writes once reclaim has submitted X's write; reclaim goes on with Y, then the
 *         device completes both writes, racing with T's fault.
 * Race (5.19 as posted, async device with SWP_STABLE_WRITES):
 *   CPU1 (reclaim)                              CPU0 (T)
 *   add_to_swap(X); try_to_unmap: swap PTE
 *     keeps the exclusive marker
 *   pageout: writeback starts, content D0
 *     submitted, X unlocked
 *                                               store D1: swap fault, do_swap_page finds X in
 *                                                 the swap cache, under writeback; the posted
 *                                                 test drops exclusivity only for devices
 *                                                 WITHOUT stable writes → X stays exclusive,
 *                                                 mapped writable; D1 lands in X
 *   write completes: X is D1, not D0 → the device's checksum no longer matches (forbidden)
 * Fix:    the "-fix" before merge (1493a1913e34 in 5.19): under writeback to a stable-writes
 *         device exclusivity is dropped, so the write copies and X stays D0 until the I/O ends.
 * Device: with a synchronous device (zram in 5.x: bdev_write_page() ends writeback before the
 *         folio is unlocked) nobody who takes the folio lock can see PG_writeback, so even the
 *         posted test cannot be caught: David could not trigger it with zram either. The
 *         `-zram` variant shows that: never found, under any profile.
 * Expect: async: found under 5.19-swp-v2; never under 5.17, 5.18, 5.19 and later.
 *         zram:  never under any profile.
 * Kernel: mm/memory.c do_swap_page(); mm/rmap.c try_to_unmap_one(); mm/page_io.c.
 */
import { defineScenario, pageOut, kernel, type Expectation } from '../scenario/index.js';

const MM = 0;
const ADDR = 0;
const D0 = 0xd0;
const D1 = 0xd1;
const FOLIO = 0;
const READ_BACK = 1;
const SWAPPED_OUT = 2;
const OTHER = 3;

function scenario(name: string, device: number, summary: string, expect: Record<string, Expectation>) {
  return defineScenario({
    name,
    summary,
    seeds: ['David Hildenbrand 2022 "mm/swap: remember PG_anon_exclusive via a swp pte bit" v1/v2 → 1493a1913e34'],
    cpus: 2,
    machine: { folios: 8, cmaFolios: 0, mms: 1, ptesPerMm: 2, swapSlots: 4 },
    outcomes: {
      'write-kept': 'acceptable',
      'page-changed-during-writeback': 'forbidden',
      'lost-write': 'forbidden',
    },
    before: '5.19-swp-v2',
    after: '5.19',
    expect,

    setup(cpu, vars) {
      kernel.swapon(cpu, device);
      vars.set(FOLIO, kernel.do_anonymous_page(cpu, MM, ADDR, kernel.Zone.NORMAL, D0));
      vars.set(OTHER, kernel.do_anonymous_page(cpu, MM, ADDR + 1, kernel.Zone.NORMAL, D0 + 1));
      kernel.lru_add_drain(cpu);
    },

    actor(cpu, vars) {
      if (cpu.id === 1) {
        pageOut(cpu, vars.get(FOLIO));
        vars.post(SWAPPED_OUT);
        pageOut(cpu, vars.get(OTHER)); // reclaim goes on with the next folio of its list
        kernel.complete_swap_writes(cpu); // then the device's completion interrupts
      } else {
        vars.await(SWAPPED_OUT);
        kernel.user_store(cpu, MM, ADDR, D1);
        vars.set(READ_BACK, kernel.user_load(cpu, MM, ADDR));
      }
    },

    check(cpu, vars) {
      if (kernel.swapWritesChanged(cpu) > 0) return 'page-changed-during-writeback';
      if (vars.get(READ_BACK) !== D1 || kernel.peek_user(cpu, MM, ADDR) !== D1) return 'lost-write';
      return 'write-kept';
    },
  });
}

const NEVER = { '5.17': 'never', '5.18': 'never', '5.19': 'never', '6.10': 'never', '6.11': 'never', '6.17': 'never' } as const;

export const swapinExclusiveStableWrites = scenario('swapin-exclusive-stable-writes',
  kernel.SwapDevice.STABLE_WRITES,
  'swap-in of a page under async writeback to a stable-writes device, then a write',
  { ...NEVER, '5.19-swp-v2': 'found' });

export const swapinExclusiveStableWritesZram = scenario('swapin-exclusive-stable-writes-zram',
  kernel.SwapDevice.STABLE_WRITES | kernel.SwapDevice.SYNCHRONOUS_IO,
  'the same on a synchronous (zram-like) stable-writes device: the bug cannot be caught',
  { ...NEVER, '5.19-swp-v2': 'never' });
