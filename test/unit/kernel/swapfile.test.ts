// mm/swapfile.c on one machine, called from the test thread: slot allocation, the per-slot user
// count and SWAP_HAS_CACHE, folio_free_swap() and (≤5.17) reuse_swap_page() (KERNEL.md §1.5, §2.7).
import { describe, expect, it } from 'vitest';
import { type TestMachine, flag, fword, ref, violation, word } from '../../helpers/machine.js';
import { Lru } from '../../../src/shm/layout.js';
import { folio_lock, folio_unlock } from '../../../src/kernel/locking.js';
import { complete_swap_writes } from '../../../src/kernel/page_io.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import { pte_present, pte_swp_offset, is_swap_pte } from '../../../src/kernel/pgtable.js';
import { lru_add_drain } from '../../../src/kernel/swap.js';
import {
  folio_alloc_swap, folio_free_swap, put_swap_folio, reuse_swap_page, SWAP_HAS_CACHE, swap_device_has, swap_duplicate,
  swap_free, swapon, SwapDevice, swp_swapcount,
} from '../../../src/kernel/swapfile.js';
import { user_load } from '../../../src/kernel/user.js';
import { copy_page_range } from '../../../src/kernel/fork.js';
import { pageOut, swapOut } from '../../../src/scenario/kit.js';
import type { CpuContext } from '../../../src/cpu/context.js';
import { CFG, D0, pte, swapMap, swapCache, machine, anonFolio } from '../../helpers/swap.js';

describe('swapon', () => {
  it('records the device kind; 0 is an asynchronous device without stable writes', () => {
    const { c0 } = machine('5.19', 0);
    expect(swap_device_has(c0, SwapDevice.SYNCHRONOUS_IO)).toBe(false);
    expect(swap_device_has(c0, SwapDevice.STABLE_WRITES)).toBe(false);
    swapon(c0, SwapDevice.SYNCHRONOUS_IO | SwapDevice.STABLE_WRITES);
    expect(swap_device_has(c0, SwapDevice.SYNCHRONOUS_IO)).toBe(true);
    expect(swap_device_has(c0, SwapDevice.STABLE_WRITES)).toBe(true);
    swapon(c0, SwapDevice.STABLE_WRITES);
    expect(swap_device_has(c0, SwapDevice.SYNCHRONOUS_IO)).toBe(false);
  });
});

describe('folio_alloc_swap', () => {
  it('hands out the free slots in order, each with SWAP_HAS_CACHE and no user, then -1 when full', () => {
    const { m, c0 } = machine('5.19', 0);
    expect(SWAP_HAS_CACHE).toBe(0x40);
    for (let s = 0; s < CFG.swapSlots; s++) {
      expect(folio_alloc_swap(c0)).toBe(s);
      expect(swapMap(m, s)).toBe(SWAP_HAS_CACHE);
      expect(swp_swapcount(c0, s)).toBe(0);
    }
    expect(folio_alloc_swap(c0)).toBe(-1);
    for (let s = 0; s < CFG.swapSlots; s++) expect(swapMap(m, s)).toBe(SWAP_HAS_CACHE);
  });

  it('a claimed slot with no swap-cache folio behind it is what invariant 16 reports', () => {
    const { m, c0 } = machine('5.19', 0);
    const slot = folio_alloc_swap(c0);
    expect(violation(m)).toEqual({ code: 16, subject: slot, a: SWAP_HAS_CACHE, b: -1 });
  });
});

describe('swap_duplicate / swap_free', () => {
  it('count PTE users beside SWAP_HAS_CACHE', () => {
    const { m, c0 } = machine('5.19', 0);
    const slot = folio_alloc_swap(c0);
    swap_duplicate(c0, slot);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    swap_duplicate(c0, slot);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 2);
    expect(swp_swapcount(c0, slot)).toBe(2);
    swap_free(c0, slot);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    expect(swp_swapcount(c0, slot)).toBe(1);
  });

  it('a slot is free again (reallocatable) only once both its users and its cache are gone', () => {
    const { m, c0 } = machine('5.19', 0);
    const slot = folio_alloc_swap(c0);
    swap_duplicate(c0, slot);
    put_swap_folio(c0, slot); // the swap cache lets go (caller would hold the swap lock)
    expect(swapMap(m, slot)).toBe(1);
    expect(folio_alloc_swap(c0)).toBe(slot + 1); // one user left: not free
    swap_free(c0, slot);
    expect(swapMap(m, slot)).toBe(0);
    expect(folio_alloc_swap(c0)).toBe(slot);
  });

  it('a cache-only slot keeps SWAP_HAS_CACHE after its last user goes, and is not reallocated', () => {
    const { m, c0 } = machine('5.19', 0);
    const slot = folio_alloc_swap(c0);
    swap_duplicate(c0, slot);
    swap_free(c0, slot);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE);
    expect(folio_alloc_swap(c0)).toBe(slot + 1);
  });

  it('swap_free of a slot without users is a model bug, not a silent wrap', () => {
    const { m, c0 } = machine('5.19', 0);
    const slot = folio_alloc_swap(c0);
    expect(() => swap_free(c0, slot)).toThrow(/below zero/);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE);
  });
});

describe('folio_free_swap', () => {
  it.each(['5.18', '5.19', '6.10'])('%s: refuses under writeback, refuses while the swap PTE uses the slot', (kernel) => {
    const { m, c0 } = machine(kernel, 0);
    const f = anonFolio(c0);
    expect(pageOut(c0, f)).toBe(0); // async: kept in the swap cache, write in flight
    const slot = pte_swp_offset(pte(m, 0, 0));
    expect(flag(m, f, Pg.writeback)).toBe(true);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    folio_lock(c0, f);
    expect(folio_free_swap(c0, f)).toBe(false); // writeback
    folio_unlock(c0, f);
    expect(complete_swap_writes(c0)).toBe(1);
    lru_add_drain(c0);
    folio_lock(c0, f);
    expect(folio_free_swap(c0, f)).toBe(false); // the swap PTE still names the slot
    folio_unlock(c0, f);
    expect(flag(m, f, Pg.swapcache)).toBe(true);
    expect(swapCache(m, slot)).toBe(f);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(['5.18', '5.19'])('%s: succeeds once no PTE uses the slot: cache left, its ref dropped, PG_dirty, slot free', (kernel) => {
    const { m, c0 } = machine(kernel, 0);
    const f = anonFolio(c0);
    swapOut(c0, f, true); // written, clean, still in the swap cache
    const slot = pte_swp_offset(pte(m, 0, 0));
    expect(flag(m, f, Pg.dirty)).toBe(false);
    expect(user_load(c0, 0, 0)).toBe(D0); // read fault: the PTE's swap user goes, the cache stays
    lru_add_drain(c0);
    expect(pte_present(pte(m, 0, 0))).toBe(true);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE);
    expect(ref(m, f)).toBe(2); // PTE + swap cache
    folio_lock(c0, f);
    expect(folio_free_swap(c0, f)).toBe(true);
    folio_unlock(c0, f);
    expect(flag(m, f, Pg.swapcache)).toBe(false);
    expect(flag(m, f, Pg.dirty)).toBe(true);
    expect(ref(m, f)).toBe(1);
    expect(swapCache(m, slot)).toBe(-1);
    expect(swapMap(m, slot)).toBe(0);
    expect(fword(m, m.L.FOLIO_SWAP, f)).toBe(-1);
    expect(violation(m)).toBeNull();
  });

  it('refuses a folio that is not in the swap cache', () => {
    const { m, c0 } = machine('5.19', 0);
    const f = anonFolio(c0);
    expect(folio_free_swap(c0, f)).toBe(false);
    expect(ref(m, f)).toBe(1);
    expect(flag(m, f, Pg.dirty)).toBe(false);
  });
});

describe('reuse_swap_page (5.17)', () => {
  /** f swapped out to `device`, kept in the swap cache; `forked`: mm 1 got a copy of the swap PTE. */
  function cachedAfterReadFault(device: number, forked: boolean): { m: TestMachine; c0: CpuContext; f: number; slot: number } {
    const { m, c0 } = machine('5.17', device);
    const f = anonFolio(c0);
    swapOut(c0, f, true);
    const slot = pte_swp_offset(pte(m, 0, 0));
    if (forked) copy_page_range(c0, 0, 1);
    user_load(c0, 0, 0); // maps f read-only; one swap user less
    lru_add_drain(c0);
    return { m, c0, f, slot };
  }

  it('count = mapcount + swap users: a sole user (1 + 0) frees the swap cache and marks the folio dirty', () => {
    const { m, c0, f, slot } = cachedAfterReadFault(0, false);
    expect(flag(m, f, Pg.dirty)).toBe(false);
    folio_lock(c0, f);
    expect(reuse_swap_page(c0, f)).toBe(true);
    folio_unlock(c0, f);
    expect(flag(m, f, Pg.swapcache)).toBe(false);
    expect(flag(m, f, Pg.dirty)).toBe(true);
    expect(ref(m, f)).toBe(1);
    expect(swapMap(m, slot)).toBe(0);
    expect(swapCache(m, slot)).toBe(-1);
    expect(violation(m)).toBeNull();
  });

  it('mapped once and one more swap user (the forked child): 2, not reusable, cache kept', () => {
    const { m, c0, f, slot } = cachedAfterReadFault(0, true);
    expect(is_swap_pte(pte(m, 1, 0))).toBe(true);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    folio_lock(c0, f);
    expect(reuse_swap_page(c0, f)).toBe(false);
    folio_unlock(c0, f);
    expect(flag(m, f, Pg.swapcache)).toBe(true);
    expect(ref(m, f)).toBe(2);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    expect(violation(m)).toBeNull();
  });

  it('a folio that is not in the swap cache counts its mappings only', () => {
    const { m, c0 } = machine('5.17', 0);
    const f = anonFolio(c0);
    expect(reuse_swap_page(c0, f)).toBe(true);
    copy_page_range(c0, 0, 1);
    expect(reuse_swap_page(c0, f)).toBe(false);
    expect(ref(m, f)).toBe(2);
    expect(violation(m)).toBeNull();
  });

  it.each([
    { device: SwapDevice.STABLE_WRITES, name: 'STABLE_WRITES', reuse: false },
    { device: 0, name: 'non-stable', reuse: true },
  ])('under writeback to a $name async device: reusable=$reuse, and the swap cache is kept either way', ({ device, reuse }) => {
    const { m, c0 } = machine('5.17', device);
    const f = anonFolio(c0);
    expect(pageOut(c0, f)).toBe(0);
    const slot = pte_swp_offset(pte(m, 0, 0));
    expect(flag(m, f, Pg.writeback)).toBe(true);
    folio_lock(c0, f);
    expect(reuse_swap_page(c0, f)).toBe(reuse); // mapcount 0 + the swap PTE's 1 user
    folio_unlock(c0, f);
    expect(flag(m, f, Pg.swapcache)).toBe(true);
    expect(swapCache(m, slot)).toBe(f);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    expect(ref(m, f)).toBe(1);
    complete_swap_writes(c0);
    expect(word(m, m.L.SWAP_DATA, slot)).toBe(D0);
    expect(violation(m)).toBeNull();
  });
});

describe('swap-out bookkeeping seen from swapfile', () => {
  it.each(['5.17', '5.18', '5.19'])('%s: a folio swapped out through the sync device leaves one user and no cache', (kernel) => {
    const { m, c0 } = machine(kernel, SwapDevice.SYNCHRONOUS_IO);
    const f = anonFolio(c0);
    expect(pageOut(c0, f)).toBe(1);
    const slot = pte_swp_offset(pte(m, 0, 0));
    expect(swapMap(m, slot)).toBe(1);
    expect(swapCache(m, slot)).toBe(-1);
    expect(word(m, m.L.LRU_SIZE, Lru.INACTIVE_ANON)).toBe(0);
    expect(violation(m)).toBeNull();
  });
});
