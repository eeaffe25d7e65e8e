// mm/swap_state.c and mm/page_io.c on one machine, called from the test thread: add_to_swap(),
// swap-cache lookup, read_swap_cache_async() and swap_writepage() on synchronous, asynchronous
// and stable-writes devices (KERNEL.md §1.5, §2.12, §3.5).
import { describe, expect, it } from 'vitest';
import { type TestMachine, countEvents, flag, fword, list, ref, violation, word } from '../../helpers/machine.js';
import { Batch, Lru } from '../../../src/shm/layout.js';
import { folio_trylock } from '../../../src/kernel/locking.js';
import { complete_swap_writes, end_swap_bio_write, swap_writepage } from '../../../src/kernel/page_io.js';
import { folio_set, Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import { pte_swp_offset } from '../../../src/kernel/pgtable.js';
import { S } from '../../../src/kernel/sites.js';
import { folio_put, lru_add_drain } from '../../../src/kernel/swap.js';
import { add_to_swap, read_swap_cache_async, swap_cache_get_folio } from '../../../src/kernel/swap_state.js';
import { folio_alloc_swap, SWAP_HAS_CACHE, SwapDevice } from '../../../src/kernel/swapfile.js';
import { user_load, user_store } from '../../../src/kernel/user.js';
import { folio_isolate_lru, folio_putback_lru } from '../../../src/kernel/vmscan.js';
import { describeViolation } from '../../../src/cpu/invariants.js';
import { pageOut, swapOut } from '../../../src/scenario/kit.js';
import type { CpuContext } from '../../../src/cpu/context.js';
import { CFG, D0, D1, pte, swapMap, swapCache, swapData, allocated, machine, anonFolio } from '../../helpers/swap.js';

/** A mapped anon folio, isolated and added to the swap cache as shrink_folio_list does; locked. */
function inSwapCache(m: TestMachine, c: CpuContext, value = D0): { f: number; slot: number } {
  const f = anonFolio(c, 0, value);
  expect(folio_isolate_lru(c, f)).toBe(true);
  expect(folio_trylock(c, f)).toBe(true);
  expect(add_to_swap(c, f)).toBe(true);
  return { f, slot: fword(m, m.L.FOLIO_SWAP, f) };
}

describe('add_to_swap', () => {
  it.each(['5.17', '5.19'])('%s: gives the folio a slot, +1 ref for the cache, PG_swapcache and PG_dirty', (kernel) => {
    const { m, c0 } = machine(kernel, 0);
    const f = anonFolio(c0);
    folio_isolate_lru(c0, f);
    expect(ref(m, f)).toBe(2);
    expect(flag(m, f, Pg.dirty)).toBe(false);
    expect(add_to_swap(c0, f)).toBe(true);
    expect(fword(m, m.L.FOLIO_SWAP, f)).toBe(0);
    expect(ref(m, f)).toBe(3); // PTE + isolation + swap cache
    expect(flag(m, f, Pg.swapcache)).toBe(true);
    expect(flag(m, f, Pg.dirty)).toBe(true);
    expect(swapCache(m, 0)).toBe(f);
    expect(swapMap(m, 0)).toBe(SWAP_HAS_CACHE);
    expect(countEvents(m, 0, S.add_to_swap_cache, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it('fails and changes nothing when every slot is taken', () => {
    const { m, c0 } = machine('5.19', 0);
    for (let s = 0; s < CFG.swapSlots; s++) folio_alloc_swap(c0);
    const f = anonFolio(c0);
    folio_isolate_lru(c0, f);
    expect(add_to_swap(c0, f)).toBe(false);
    expect(ref(m, f)).toBe(2);
    expect(flag(m, f, Pg.swapcache)).toBe(false);
    expect(flag(m, f, Pg.dirty)).toBe(false);
    expect(fword(m, m.L.FOLIO_SWAP, f)).toBe(-1);
  });
});

describe('swap_cache_get_folio', () => {
  it('a hit returns the folio with one more reference; a miss returns -1 and takes nothing', () => {
    const { m, c0, c1 } = machine('5.19', 0);
    const { f, slot } = inSwapCache(m, c0);
    expect(swap_cache_get_folio(c1, slot)).toBe(f);
    expect(ref(m, f)).toBe(4);
    folio_put(c1, f);
    expect(swap_cache_get_folio(c1, slot + 1)).toBe(-1);
    expect(ref(m, f)).toBe(3);
  });
});

describe('read_swap_cache_async', () => {
  it.each(['5.17', '5.18', '5.19'])('%s: reads the slot into a new swap-cache folio, queued in this CPU\'s lru_add batch', (kernel) => {
    const { m, c0, c1 } = machine(kernel, 0);
    const f = anonFolio(c0);
    swapOut(c0, f);
    const slot = pte_swp_offset(pte(m, 0, 0));
    expect(fword(m, m.L.FOLIO_ALLOC, f)).toBe(0);
    expect(swapData(m, slot)).toBe(D0);
    const g = read_swap_cache_async(c1, slot);
    expect(g).toBeGreaterThanOrEqual(0);
    expect(fword(m, m.L.FOLIO_DATA, g)).toBe(D0);
    expect(swapCache(m, slot)).toBe(g);
    expect(fword(m, m.L.FOLIO_SWAP, g)).toBe(slot);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    expect(ref(m, g)).toBe(3); // ours + swap cache + CPU1's lru_add slot
    expect(flag(m, g, Pg.swapcache)).toBe(true);
    expect(flag(m, g, Pg.locked)).toBe(false);
    expect(flag(m, g, Pg.anon) && flag(m, g, Pg.swapbacked)).toBe(true);
    expect(flag(m, g, Pg.lru)).toBe(false);
    expect(folio_batch_count(c1, 1, Batch.lru_add)).toBe(1);
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(0);
    folio_put(c1, g);
    expect(violation(m)).toBeNull();
    lru_add_drain(c1);
    expect(list(m, g)).toBe(Lru.INACTIVE_ANON);
    expect(ref(m, g)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it('finds a folio already in the swap cache instead of reading again', () => {
    const { m, c0, c1 } = machine('5.19', 0);
    const f = anonFolio(c0);
    swapOut(c0, f, true);
    const slot = pte_swp_offset(pte(m, 0, 0));
    const before = allocated(m);
    expect(read_swap_cache_async(c1, slot)).toBe(f);
    expect(allocated(m)).toBe(before);
    expect(ref(m, f)).toBe(2);
    expect(countEvents(m, 1, S.swap_read_folio)).toBe(0);
    folio_put(c1, f);
  });

  it('returns -1 for a slot nobody uses any more, and frees the folio it allocated', () => {
    const { m, c0, c1 } = machine('5.19', 0);
    const f = anonFolio(c0);
    swapOut(c0, f);
    const slot = pte_swp_offset(pte(m, 0, 0));
    user_store(c0, 0, 0, D1); // write fault: the slot is freed (sole user)
    expect(swapMap(m, slot)).toBe(0);
    const before = allocated(m);
    expect(read_swap_cache_async(c1, slot)).toBe(-1);
    expect(allocated(m)).toBe(before);
    expect(swapMap(m, slot)).toBe(0);
    expect(folio_batch_count(c1, 1, Batch.lru_add)).toBe(0);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });
});

describe('swap_writepage', () => {
  it('synchronous device: writeback starts and ends before it returns; the device has the data; unlocked', () => {
    const { m, c0 } = machine('5.19', SwapDevice.SYNCHRONOUS_IO);
    const { f, slot } = inSwapCache(m, c0);
    swap_writepage(c0, f);
    expect(flag(m, f, Pg.writeback)).toBe(false);
    expect(flag(m, f, Pg.locked)).toBe(false);
    expect(swapData(m, slot)).toBe(D0);
    expect(word(m, m.L.SWAP_WB_FOLIO, slot)).toBe(-1);
    expect(countEvents(m, 0, S.swap_write_done, f)).toBe(1);
    folio_putback_lru(c0, f);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it('asynchronous device: PG_writeback until end_swap_bio_write; the device has the data only then', () => {
    const { m, c0, c1 } = machine('5.19', 0);
    const { f, slot } = inSwapCache(m, c0);
    swap_writepage(c0, f);
    expect(flag(m, f, Pg.writeback)).toBe(true);
    expect(flag(m, f, Pg.locked)).toBe(false);
    expect(swapData(m, slot)).toBe(0);
    expect(word(m, m.L.SWAP_WB, slot)).toBe(D0);
    expect(word(m, m.L.SWAP_WB_FOLIO, slot)).toBe(f);
    folio_putback_lru(c0, f);
    lru_add_drain(c0);
    expect(violation(m)).toEqual({ code: 17, subject: slot, a: f, b: 0 });
    end_swap_bio_write(c1, slot);
    expect(flag(m, f, Pg.writeback)).toBe(false);
    expect(swapData(m, slot)).toBe(D0);
    expect(word(m, m.L.SWAP_WB_FOLIO, slot)).toBe(-1);
    expect(countEvents(m, 1, S.swap_write_done, f)).toBe(1);
    expect(violation(m)).toBeNull();
    expect(() => end_swap_bio_write(c1, slot)).toThrow(/no write in flight/);
  });

  it('complete_swap_writes ends every write in flight and counts them', () => {
    const { m, c0 } = machine('5.19', 0);
    const f = anonFolio(c0, 0, D0);
    const g = anonFolio(c0, 1, D1);
    expect(pageOut(c0, f)).toBe(0);
    expect(pageOut(c0, g)).toBe(0);
    expect(flag(m, f, Pg.writeback) && flag(m, g, Pg.writeback)).toBe(true);
    expect(complete_swap_writes(c0)).toBe(2);
    expect(flag(m, f, Pg.writeback) || flag(m, g, Pg.writeback)).toBe(false);
    expect(swapData(m, fword(m, m.L.FOLIO_SWAP, f))).toBe(D0);
    expect(swapData(m, fword(m, m.L.FOLIO_SWAP, g))).toBe(D1);
    expect(complete_swap_writes(c0)).toBe(0);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it.each([
    { device: SwapDevice.STABLE_WRITES, name: 'a STABLE_WRITES', recorded: 1 },
    { device: 0, name: 'a non-stable', recorded: 0 },
  ])('a page changed under writeback to $name device: the device gets the new content; recorded=$recorded', ({ device, recorded }) => {
    const { m, c0, c1 } = machine('5.19', device);
    const { f, slot } = inSwapCache(m, c0);
    swap_writepage(c0, f); // the PTE is still mapped writable: nothing stops a store
    user_store(c1, 0, 0, D1);
    expect(fword(m, m.L.FOLIO_DATA, f)).toBe(D1);
    end_swap_bio_write(c1, slot);
    expect(swapData(m, slot)).toBe(D1);
    expect(countEvents(m, 1, S.swap_write_torn, f)).toBe(1);
    expect(word(m, m.L.OBS_STABLE_WRITE, 0)).toBe(recorded);
    folio_putback_lru(c0, f);
    lru_add_drain(c0);
    if (recorded) {
      expect(word(m, m.L.OBS_STABLE_WRITE, 1)).toBe(f);
      expect(word(m, m.L.OBS_STABLE_WRITE, 2)).toBe(D0);
      expect(word(m, m.L.OBS_STABLE_WRITE, 3)).toBe(D1);
      const v = violation(m);
      expect(v).toEqual({ code: 14, subject: f, a: D0, b: D1 });
      expect(describeViolation(v!)).toBe(`f${f} changed while a stable-writes swap device wrote it (content ${D0} submitted, ${D1} at completion)`);
    } else {
      expect(violation(m)).toBeNull();
    }
  });

  it('an unchanged page on a STABLE_WRITES device records nothing', () => {
    const { m, c0 } = machine('5.19', SwapDevice.STABLE_WRITES);
    const f = anonFolio(c0);
    expect(pageOut(c0, f)).toBe(0);
    expect(complete_swap_writes(c0)).toBe(1);
    expect(word(m, m.L.OBS_STABLE_WRITE, 0)).toBe(0);
    expect(countEvents(m, 0, S.swap_write_torn)).toBe(0);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });
});

describe('PG_reclaim rotation at write completion', () => {
  it.each(['5.19', '6.10', '6.11'])('%s: a folio reclaim wrote asynchronously moves to the inactive tail via the completing CPU\'s move_tail batch', (kernel) => {
    const { m, c0, c1 } = machine(kernel, 0);
    const f = anonFolio(c0, 0, D0);
    const g = anonFolio(c0, 1, D1);
    const head = m.L.config.folios + Lru.INACTIVE_ANON;
    expect(pageOut(c0, f)).toBe(0);
    expect(flag(m, f, Pg.reclaim)).toBe(true);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(fword(m, m.L.LRU_NEXT, head)).toBe(f); // put back at the head
    expect(fword(m, m.L.LRU_PREV, head)).toBe(g);
    expect(ref(m, f)).toBe(1); // the swap cache's only
    complete_swap_writes(c1);
    expect(flag(m, f, Pg.reclaim)).toBe(false);
    expect(folio_batch_count(c1, 1, Batch.lru_move_tail)).toBe(1);
    expect(ref(m, f)).toBe(2);
    expect(violation(m)).toBeNull();
    lru_add_drain(c1);
    expect(fword(m, m.L.LRU_PREV, head)).toBe(f); // now the next folio reclaim looks at
    expect(fword(m, m.L.LRU_NEXT, head)).toBe(g);
    expect(ref(m, f)).toBe(1);
    expect(flag(m, f, Pg.lru)).toBe(true);
    expect(violation(m)).toBeNull();
  });

  it.each(['5.19', '6.11'])('%s: a synchronous write completes before the folio is back on the LRU: no rotation, PG_reclaim cleared', (kernel) => {
    const { m, c0 } = machine(kernel, SwapDevice.SYNCHRONOUS_IO);
    const { f } = inSwapCache(m, c0);
    folio_set(c0, f, Pg.reclaim); // as pageout() does
    swap_writepage(c0, f);
    expect(flag(m, f, Pg.reclaim)).toBe(false);
    expect(folio_batch_count(c0, 0, Batch.lru_move_tail)).toBe(0);
    expect(ref(m, f)).toBe(3);
    expect(countEvents(m, 0, S.swap_write_done, f)).toBe(1);
  });
});

describe('read_swap_cache_async from a fault', () => {
  it('5.19: a read fault through the swap cache gets the device content', () => {
    const { m, c0 } = machine('5.19', 0);
    const f = anonFolio(c0);
    swapOut(c0, f);
    expect(user_load(c0, 0, 0)).toBe(D0);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });
});
