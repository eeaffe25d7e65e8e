// mm/vmscan.c reclaim of mapped anon folios to swap (reclaim_pages → shrink_folio_list →
// add_to_swap / try_to_unmap / pageout / __remove_mapping), isolate_lru_folios and
// move_folios_to_lru, and mm/rmap.c folio_referenced() / try_to_unmap() (KERNEL.md §2.4, §2.10,
// §2.11, §2.12).
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine, countEvents, cpusOf, flag, fword, list, ref, violation, word } from '../../helpers/machine.js';
import { Batch, Lru } from '../../../src/shm/layout.js';
import { GUP_PIN_COUNTING_BIAS, pin_user_pages, unpin_folio } from '../../../src/kernel/gup.js';
import { folio_trylock, folio_unlock } from '../../../src/kernel/locking.js';
import { complete_swap_writes } from '../../../src/kernel/page_io.js';
import { folio_clear, Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import {
  is_swap_pte, mk_pte, PTE_DIRTY, PTE_SWP_EXCLUSIVE, PTE_WRITE, PTE_YOUNG, pte_present, pte_swp_exclusive, pte_swp_offset,
  swp_entry_to_pte,
} from '../../../src/kernel/pgtable.js';
import { folio_referenced, try_to_unmap } from '../../../src/kernel/rmap.js';
import { S } from '../../../src/kernel/sites.js';
import { folio_activate, lru_add_drain } from '../../../src/kernel/swap.js';
import { add_to_swap } from '../../../src/kernel/swap_state.js';
import { SWAP_HAS_CACHE, swapon, SwapDevice } from '../../../src/kernel/swapfile.js';
import { user_load, user_store } from '../../../src/kernel/user.js';
import { copy_page_range } from '../../../src/kernel/fork.js';
import {
  folio_isolate_lru, isolate_lru_folios, move_folios_to_lru, reclaim_pages, shrink_inactive_list,
} from '../../../src/kernel/vmscan.js';
import { pageOut } from '../../../src/scenario/kit.js';
import type { CpuContext } from '../../../src/cpu/context.js';
import { CFG, D0, D1, pte, swapMap, swapCache, swapData, mapcount, alive, machine, anonFolio } from '../../helpers/swap.js';

/** Isolate `f` (the caller's own reference is borrowed, as MADV_PAGEOUT does) and reclaim it. */
function isolateAndReclaim(c: CpuContext, f: number): number {
  expect(folio_isolate_lru(c, f)).toBe(true);
  return reclaim_pages(c, [f]);
}

describe('reclaim_pages: synchronous device', () => {
  it.each([
    { kernel: '5.17', exclusive: false },
    { kernel: '5.18', exclusive: false },
    { kernel: '5.19', exclusive: true },
    { kernel: '6.10', exclusive: true },
    { kernel: '6.11', exclusive: true },
  ])('$kernel: a mapped exclusive folio is written and freed; its PTE becomes the swap PTE (exclusive=$exclusive)', ({ kernel, exclusive }) => {
    const { m, c0 } = machine(kernel, SwapDevice.SYNCHRONOUS_IO);
    const f = anonFolio(c0);
    expect(isolateAndReclaim(c0, f)).toBe(1);
    expect(alive(m, f)).toBe(false);
    expect(ref(m, f)).toBe(0);
    expect(pte(m, 0, 0)).toBe(swp_entry_to_pte(0, exclusive));
    expect(pte_swp_exclusive(pte(m, 0, 0))).toBe(exclusive);
    expect(swapMap(m, 0)).toBe(1);
    expect(swapCache(m, 0)).toBe(-1);
    expect(swapData(m, 0)).toBe(D0);
    expect(word(m, m.L.LRU_SIZE, Lru.INACTIVE_ANON)).toBe(0);
    expect(countEvents(m, 0, S.free_folio, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it('5.19: a second folio gets the next slot; both devices slots hold their own data', () => {
    const { m, c0 } = machine('5.19', SwapDevice.SYNCHRONOUS_IO);
    const f = anonFolio(c0, 0, D0);
    const g = anonFolio(c0, 1, D1);
    expect(isolateAndReclaim(c0, f)).toBe(1);
    expect(isolateAndReclaim(c0, g)).toBe(1);
    expect(pte_swp_offset(pte(m, 0, 0))).toBe(0);
    expect(pte_swp_offset(pte(m, 0, 1))).toBe(1);
    expect([swapData(m, 0), swapData(m, 1)]).toEqual([D0, D1]);
    expect(violation(m)).toBeNull();
  });

  it('5.19: with the swap device full the next folio is activated and stays mapped', () => {
    const m = testMachine('5.19', { ...CFG, swapSlots: 1 });
    const [c0] = cpusOf(m);
    swapon(c0, SwapDevice.SYNCHRONOUS_IO);
    const f = anonFolio(c0, 0, D0);
    const g = anonFolio(c0, 1, D1);
    expect(isolateAndReclaim(c0, f)).toBe(1);
    expect(swapMap(m, 0)).toBe(1);
    expect(isolateAndReclaim(c0, g)).toBe(0);
    expect(countEvents(m, 0, S.swap_alloc_failed)).toBe(1);
    expect(alive(m, g)).toBe(true);
    expect(flag(m, g, Pg.active)).toBe(true);
    expect(list(m, g)).toBe(Lru.ACTIVE_ANON);
    expect(flag(m, g, Pg.swapcache)).toBe(false);
    expect(flag(m, g, Pg.locked)).toBe(false);
    expect(pte(m, 0, 1)).toBe(mk_pte(g, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
    expect(ref(m, g)).toBe(1);
    expect(violation(m)).toBeNull();
  });
});

describe('reclaim_pages: asynchronous device', () => {
  it.each(['5.17', '5.18', '5.19', '6.10'])('%s: kept in the swap cache under writeback; completion; a second reclaim frees it', (kernel) => {
    const { m, c0 } = machine(kernel, 0);
    const f = anonFolio(c0);
    expect(isolateAndReclaim(c0, f)).toBe(0);
    expect(alive(m, f)).toBe(true);
    expect(flag(m, f, Pg.swapcache)).toBe(true);
    expect(flag(m, f, Pg.writeback)).toBe(true);
    expect(flag(m, f, Pg.reclaim)).toBe(true);
    expect(flag(m, f, Pg.dirty)).toBe(false);
    expect(flag(m, f, Pg.lru)).toBe(true);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(ref(m, f)).toBe(1); // the swap cache's
    expect(mapcount(m, f)).toBe(0);
    expect(is_swap_pte(pte(m, 0, 0))).toBe(true);
    expect(swapMap(m, 0)).toBe(SWAP_HAS_CACHE | 1);
    expect(swapCache(m, 0)).toBe(f);
    expect(swapData(m, 0)).toBe(0);
    expect(violation(m)?.code).toBe(17);

    // a reclaim pass while the write is in flight keeps it (PG_writeback) and re-marks PG_reclaim
    expect(isolateAndReclaim(c0, f)).toBe(0);
    expect(flag(m, f, Pg.writeback)).toBe(true);
    expect(alive(m, f)).toBe(true);

    expect(complete_swap_writes(c0)).toBe(1);
    expect(swapData(m, 0)).toBe(D0);
    lru_add_drain(c0); // the rotation queued by the completion
    expect(violation(m)).toBeNull();
    expect(isolateAndReclaim(c0, f)).toBe(1);
    expect(alive(m, f)).toBe(false);
    expect(swapMap(m, 0)).toBe(1);
    expect(swapCache(m, 0)).toBe(-1);
    expect(violation(m)).toBeNull();
  });

  it('6.10: a folio held by another CPU\'s move_tail batch is not freed (the freeze fails) until that CPU drains', () => {
    const { m, c0, c1 } = machine('6.10', 0);
    const f = anonFolio(c0);
    expect(pageOut(c0, f)).toBe(0);
    complete_swap_writes(c1); // CPU1 completes: f is queued in CPU1's move_tail batch
    expect(folio_batch_count(c1, 1, Batch.lru_move_tail)).toBe(1);
    expect(ref(m, f)).toBe(2);
    expect(countEvents(m, 0, S.folio_ref_freeze_failed, f)).toBe(0);
    expect(pageOut(c0, f)).toBe(0); // PG_lru is still set in 6.10: isolated, but the batch ref stays
    expect(countEvents(m, 0, S.folio_ref_freeze_failed, f)).toBe(1);
    expect(alive(m, f)).toBe(true);
    expect(flag(m, f, Pg.swapcache)).toBe(true);
    expect(flag(m, f, Pg.locked)).toBe(false);
    expect(ref(m, f)).toBe(2);
    expect(violation(m)).toBeNull();
    lru_add_drain(c1);
    expect(pageOut(c0, f)).toBe(1);
    expect(alive(m, f)).toBe(false);
    expect(violation(m)).toBeNull();
  });

  it('6.10: a folio in another CPU\'s activate batch is unmapped but neither written nor freed (pageout: not freeable)', () => {
    const { m, c0, c1 } = machine('6.10', SwapDevice.SYNCHRONOUS_IO);
    const f = anonFolio(c0);
    expect(folio_activate(c1, f)).toBe(true);
    expect(ref(m, f)).toBe(2);
    expect(pageOut(c0, f)).toBe(0);
    expect(alive(m, f)).toBe(true);
    expect(is_swap_pte(pte(m, 0, 0))).toBe(true); // unmapped all the same
    expect(flag(m, f, Pg.dirty)).toBe(true); // is_page_cache_freeable() failed: kept dirty, not written
    expect(swapData(m, 0)).toBe(0);
    expect(flag(m, f, Pg.swapcache)).toBe(true);
    expect(swapMap(m, 0)).toBe(SWAP_HAS_CACHE | 1);
    expect(ref(m, f)).toBe(2); // swap cache + CPU1's batch
    expect(violation(m)).toBeNull();
    lru_add_drain(c1);
    expect(ref(m, f)).toBe(1);
    expect(pageOut(c0, f)).toBe(1);
    expect(swapData(m, 0)).toBe(D0);
    expect(violation(m)).toBeNull();
  });
});

describe('reclaim of a FOLL_PIN-pinned folio', () => {
  it.each(['5.18', '5.19', '6.10', '6.17'])('%s: a pinned folio gets no swap slot; it is kept (not activated, feb889fb40fa) and stays mapped', (kernel) => {
    const { m, c0 } = machine(kernel, SwapDevice.SYNCHRONOUS_IO);
    const f = anonFolio(c0);
    expect(pin_user_pages(c0, 0, 0)).toBe(f);
    expect(ref(m, f)).toBe(1 + GUP_PIN_COUNTING_BIAS);
    expect(isolateAndReclaim(c0, f)).toBe(0);
    expect(alive(m, f)).toBe(true);
    expect(flag(m, f, Pg.swapcache)).toBe(false);
    expect(swapMap(m, 0)).toBe(0);
    expect(flag(m, f, Pg.active)).toBe(false);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(pte_present(pte(m, 0, 0))).toBe(true);
    expect(ref(m, f)).toBe(1 + GUP_PIN_COUNTING_BIAS);
    expect(violation(m)).toBeNull();
    unpin_folio(c0, f);
    expect(isolateAndReclaim(c0, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });
});

describe('try_to_unmap', () => {
  /** f isolated, locked and in the swap cache, as shrink_folio_list has it before unmapping. */
  function readyToUnmap(kernel: string): { m: TestMachine; c0: CpuContext; f: number } {
    const { m, c0 } = machine(kernel, 0);
    const f = anonFolio(c0);
    folio_isolate_lru(c0, f);
    expect(folio_trylock(c0, f)).toBe(true);
    expect(add_to_swap(c0, f)).toBe(true);
    return { m, c0, f };
  }

  it.each([
    { kernel: '5.19', bit: true, cleared: true },
    { kernel: '6.17', bit: true, cleared: true },
    { kernel: '5.18', bit: false, cleared: false },
    { kernel: '5.17', bit: false, cleared: false },
  ])('$kernel: PTE_SWP_EXCLUSIVE=$bit for a PageAnonExclusive folio; PG_anon_exclusive cleared=$cleared', ({ kernel, bit, cleared }) => {
    const { m, c0, f } = readyToUnmap(kernel);
    expect(flag(m, f, Pg.anon_exclusive)).toBe(true);
    expect(try_to_unmap(c0, f, false)).toBe(true);
    expect(pte(m, 0, 0)).toBe(swp_entry_to_pte(0, bit));
    expect((pte(m, 0, 0) & PTE_SWP_EXCLUSIVE) !== 0).toBe(bit);
    expect(flag(m, f, Pg.anon_exclusive)).toBe(!cleared);
    expect(swapMap(m, 0)).toBe(SWAP_HAS_CACHE | 1);
    expect(mapcount(m, f)).toBe(0);
    expect(ref(m, f)).toBe(2); // isolation + swap cache
    folio_unlock(c0, f);
    move_folios_to_lru(c0, [f]);
    expect(violation(m)).toBeNull();
  });

  it('5.19: a shared (forked) folio gives every mapping a non-exclusive swap PTE and a swap user each', () => {
    const { m, c0 } = machine('5.19', 0);
    const f = anonFolio(c0);
    copy_page_range(c0, 0, 1);
    folio_isolate_lru(c0, f);
    folio_trylock(c0, f);
    add_to_swap(c0, f);
    expect(try_to_unmap(c0, f, false)).toBe(true);
    expect(pte(m, 0, 0)).toBe(swp_entry_to_pte(0, false));
    expect(pte(m, 1, 0)).toBe(swp_entry_to_pte(0, false));
    expect(swapMap(m, 0)).toBe(SWAP_HAS_CACHE | 2);
    expect(mapcount(m, f)).toBe(0);
    expect(ref(m, f)).toBe(2);
    folio_unlock(c0, f);
    move_folios_to_lru(c0, [f]);
    expect(violation(m)).toBeNull();
  });

  it('5.19: moves the final PTE dirty bit into PG_dirty', () => {
    const { m, c0, f } = readyToUnmap('5.19');
    folio_clear(c0, f, Pg.dirty);
    expect(pte(m, 0, 0) & PTE_DIRTY).toBe(PTE_DIRTY);
    expect(try_to_unmap(c0, f, false)).toBe(true);
    expect(flag(m, f, Pg.dirty)).toBe(true);
  });

  it('5.19: a PageAnonExclusive folio that may be pinned keeps its mapping (restored), no swap user taken', () => {
    const { m, c0 } = machine('5.19', 0);
    const f = anonFolio(c0);
    pin_user_pages(c0, 0, 0);
    const before = pte(m, 0, 0);
    folio_isolate_lru(c0, f);
    folio_trylock(c0, f);
    add_to_swap(c0, f);
    expect(try_to_unmap(c0, f, false)).toBe(false);
    expect(pte(m, 0, 0)).toBe(before);
    expect(swapMap(m, 0)).toBe(SWAP_HAS_CACHE);
    expect(mapcount(m, f)).toBe(1);
    expect(flag(m, f, Pg.anon_exclusive)).toBe(true);
    expect(countEvents(m, 0, S.try_to_unmap_one_restore, f)).toBe(1);
  });

  it('5.18: the same pinned folio is unmapped (no exclusivity to protect)', () => {
    const { m, c0 } = machine('5.18', 0);
    const f = anonFolio(c0);
    pin_user_pages(c0, 0, 0);
    folio_isolate_lru(c0, f);
    folio_trylock(c0, f);
    add_to_swap(c0, f);
    expect(try_to_unmap(c0, f, false)).toBe(true);
    expect(is_swap_pte(pte(m, 0, 0))).toBe(true);
  });

  it('5.19: a swap-backed folio not in the swap cache is left mapped', () => {
    const { m, c0 } = machine('5.19', 0);
    const f = anonFolio(c0);
    const before = pte(m, 0, 0);
    folio_isolate_lru(c0, f);
    folio_trylock(c0, f);
    expect(try_to_unmap(c0, f, false)).toBe(false);
    expect(pte(m, 0, 0)).toBe(before);
    expect(mapcount(m, f)).toBe(1);
    expect(ref(m, f)).toBe(2);
    folio_unlock(c0, f);
    move_folios_to_lru(c0, [f]);
    expect(violation(m)).toBeNull();
  });
});

describe('folio_referenced', () => {
  it.each(['5.17', '6.10'])('%s: counts young PTEs and clears them; dirty PTEs are counted, not cleared', (kernel) => {
    const { m, c0 } = machine(kernel, 0);
    const f = anonFolio(c0);
    expect(pte(m, 0, 0)).toBe(mk_pte(f, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
    expect(folio_referenced(c0, f)).toEqual({ young: 1, dirty: 1, vmLocked: false });
    expect(pte(m, 0, 0)).toBe(mk_pte(f, PTE_WRITE | PTE_DIRTY));
    expect(folio_referenced(c0, f)).toEqual({ young: 0, dirty: 1, vmLocked: false });
    copy_page_range(c0, 0, 1); // both read-only, the child's old
    expect(folio_referenced(c0, f)).toEqual({ young: 0, dirty: 2, vmLocked: false });
    user_load(c0, 1, 0);
    user_load(c0, 0, 0);
    expect(folio_referenced(c0, f)).toEqual({ young: 2, dirty: 2, vmLocked: false });
    expect(pte(m, 0, 0) & PTE_YOUNG).toBe(0);
    expect(pte(m, 1, 0) & PTE_YOUNG).toBe(0);
    expect(violation(m)).toBeNull();
  });
});

describe('isolate_lru_folios / move_folios_to_lru', () => {
  it.each(['5.19', '6.10', '6.11'])('%s: takes from the inactive tail, with a ref and PG_lru cleared; puts back with PG_lru', (kernel) => {
    const { m, c0 } = machine(kernel, 0);
    const f = user_store(c0, 0, 0, D0);
    const g = user_store(c0, 0, 1, D1);
    lru_add_drain(c0); // f added first, so g is at the head and f at the tail
    const head = m.L.config.folios + Lru.INACTIVE_ANON;
    expect(fword(m, m.L.LRU_PREV, head)).toBe(f);
    expect(isolate_lru_folios(c0, 1, Lru.INACTIVE_ANON)).toEqual([f]);
    expect(ref(m, f)).toBe(2);
    expect(flag(m, f, Pg.lru)).toBe(false);
    expect(list(m, f)).toBe(-1);
    expect(fword(m, m.L.OBS_ISOLATED, f)).toBe(1);
    expect(word(m, m.L.LRU_SIZE, Lru.INACTIVE_ANON)).toBe(1);
    expect(violation(m)).toBeNull();
    move_folios_to_lru(c0, [f]);
    expect(ref(m, f)).toBe(1);
    expect(flag(m, f, Pg.lru)).toBe(true);
    expect(fword(m, m.L.OBS_ISOLATED, f)).toBe(0);
    expect(fword(m, m.L.LRU_NEXT, head)).toBe(f);
    expect(isolate_lru_folios(c0, 5, Lru.INACTIVE_ANON)).toEqual([g, f]);
    expect(word(m, m.L.LRU_SIZE, Lru.INACTIVE_ANON)).toBe(0);
    move_folios_to_lru(c0, [g, f]);
    expect(violation(m)).toBeNull();
  });

  it('6.11: a listed folio without PG_lru (queued in a batch) is skipped and rotated to the head', () => {
    const { m, c0, c1 } = machine('6.11', 0);
    const f = user_store(c0, 0, 0, D0);
    const g = user_store(c0, 0, 1, D1);
    lru_add_drain(c0);
    const head = m.L.config.folios + Lru.INACTIVE_ANON;
    expect(folio_activate(c1, f)).toBe(true); // 6.11: PG_lru cleared at enqueue, still listed
    expect(flag(m, f, Pg.lru)).toBe(false);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(isolate_lru_folios(c0, 1, Lru.INACTIVE_ANON)).toEqual([g]);
    expect(fword(m, m.L.LRU_NEXT, head)).toBe(f);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(ref(m, f)).toBe(2); // PTE + CPU1's activate slot: the try-get was given back
    expect(fword(m, m.L.OBS_ISOLATED, f)).toBe(0);
    expect(violation(m)).toBeNull();
    move_folios_to_lru(c0, [g]);
    lru_add_drain(c1);
    expect(list(m, f)).toBe(Lru.ACTIVE_ANON);
    expect(violation(m)).toBeNull();
  });

  it('6.10: the same folio in another CPU\'s activate batch keeps PG_lru and is isolated', () => {
    const { m, c0, c1 } = machine('6.10', 0);
    const f = anonFolio(c0);
    folio_activate(c1, f);
    expect(isolate_lru_folios(c0, 1, Lru.INACTIVE_ANON)).toEqual([f]);
    expect(ref(m, f)).toBe(3);
    move_folios_to_lru(c0, [f]);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });

  it('5.19 shrink_inactive_list: a young folio is kept (referenced), an old one is swapped out', () => {
    const { m, c0 } = machine('5.19', SwapDevice.SYNCHRONOUS_IO);
    const f = anonFolio(c0, 0, D0);
    const g = anonFolio(c0, 1, D1);
    folio_referenced(c0, g); // g's young bit is gone: g is old, f was just used
    expect(shrink_inactive_list(c0, 2, Lru.INACTIVE_ANON)).toBe(1);
    expect(alive(m, g)).toBe(false);
    expect(is_swap_pte(pte(m, 0, 1))).toBe(true);
    expect(alive(m, f)).toBe(true);
    expect(flag(m, f, Pg.referenced)).toBe(true);
    expect(flag(m, f, Pg.active)).toBe(false);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(pte_present(pte(m, 0, 0))).toBe(true);
    expect(violation(m)).toBeNull();
  });
});
