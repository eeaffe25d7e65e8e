// mm/memory.c do_wp_page() / wp_can_reuse_anon_folio() per kernel profile, on one machine
// (KERNEL.md §2.7, §3.1, §3.2): when a write to a read-only anon PTE reuses the page and when it
// copies it, and what either leaves behind (refcounts, swap cache, PTE, data).
import { describe, expect, it } from 'vitest';
import { type TestMachine, countEvents, flag, fword, list, ref, violation, word } from '../../helpers/machine.js';
import { Batch, FOLIO_STRIDE, Lru } from '../../../src/shm/layout.js';
import { copy_page_range } from '../../../src/kernel/fork.js';
import { handle_pte_fault } from '../../../src/kernel/memory.js';
import { wp_can_reuse_anon_folio } from '../../../src/kernel/memory-wp.js';
import { complete_swap_writes } from '../../../src/kernel/page_io.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import { mk_pte, PTE_DIRTY, PTE_WRITE, PTE_YOUNG, pte_swp_offset } from '../../../src/kernel/pgtable.js';
import { S } from '../../../src/kernel/sites.js';
import { folio_activate, folio_put, lru_add_drain } from '../../../src/kernel/swap.js';
import { swap_cache_get_folio } from '../../../src/kernel/swap_state.js';
import { SWAP_HAS_CACHE, SwapDevice } from '../../../src/kernel/swapfile.js';
import { mapped_folio, peek_user, user_load, user_store } from '../../../src/kernel/user.js';
import { pageOut, swapOut } from '../../../src/scenario/kit.js';
import type { CpuContext } from '../../../src/cpu/context.js';
import { D0, D1, pte, swapMap, swapCache, mapcount, data, machine } from '../../helpers/swap.js';

const ALL = ['5.17', '5.17-liang', '5.17-willy', '5.18', '5.19-swp-v2', '5.19', '6.10', '6.11', '6.17'] as const;

const drains = (m: TestMachine, c: number): number => countEvents(m, c, S.lru_add_drain);

/** An anon page holding D0 at mm 0 / addr 0, on the inactive anon list. */
function anonPage(c: CpuContext, mm = 0): number {
  const f = user_store(c, mm, 0, D0);
  lru_add_drain(c);
  return f;
}

/**
 * D0 swapped out (freed), then read back by `reader`'s read fault: the new folio is in the swap
 * cache, mapped read-only, queued in `reader`'s lru_add batch (ref 3). `drain`: drain that batch.
 */
function freshSwapin(m: TestMachine, c0: CpuContext, reader: CpuContext, drain: boolean): { x: number; slot: number } {
  const f = anonPage(c0);
  swapOut(c0, f);
  const slot = pte_swp_offset(pte(m, 0, 0));
  expect(user_load(reader, 0, 0)).toBe(D0);
  const x = mapped_folio(c0, 0, 0);
  expect(flag(m, x, Pg.swapcache)).toBe(true);
  expect(pte(m, 0, 0) & PTE_WRITE).toBe(0);
  expect(ref(m, x)).toBe(3);
  if (drain) {
    lru_add_drain(reader);
    expect(ref(m, x)).toBe(2);
  }
  return { x, slot };
}

/** A write fault on mm `mm` addr 0 (no store yet); returns the folio mapped afterwards. */
function writeFault(c: CpuContext, mm = 0): number {
  handle_pte_fault(c, mm, 0, true);
  return mapped_folio(c, mm, 0);
}

/** The copy path's result: a new exclusive folio with the old data, mapped writable; `old` unmapped. */
function expectCopied(m: TestMachine, old: number, y: number, oldRefAfter: number): void {
  expect(y).not.toBe(old);
  expect(y).toBeGreaterThanOrEqual(0);
  expect(data(m, y)).toBe(D0);
  expect(pte(m, 0, 0)).toBe(mk_pte(y, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
  expect(mapcount(m, y)).toBe(1);
  expect(ref(m, y)).toBe(2); // PTE + the faulting CPU's lru_add slot
  expect(flag(m, y, Pg.anon_exclusive) && flag(m, y, Pg.anon) && flag(m, y, Pg.swapbacked)).toBe(true);
  expect(flag(m, y, Pg.swapcache)).toBe(false);
  expect(mapcount(m, old)).toBe(0);
  expect(ref(m, old)).toBe(oldRefAfter);
  expect(data(m, old)).toBe(D0);
}

/** The reuse path's result: the same folio, the PTE writable and dirty. */
function expectReused(m: TestMachine, x: number, y: number): void {
  expect(y).toBe(x);
  expect(pte(m, 0, 0)).toBe(mk_pte(x, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
  expect(mapcount(m, x)).toBe(1);
}

describe('5.17 (reuse only at page_count 1)', () => {
  it('copies a swap-cache page at ref 2 (PTE + swap cache); the idle old page leaves the swap cache (f4c4a3f48480)', () => {
    const { m, c0 } = machine('5.17');
    const { x, slot } = freshSwapin(m, c0, c0, true);
    const y = writeFault(c0);
    expectCopied(m, x, y, 0);
    expect(fword(m, m.L.FOLIO_ALLOC, x)).toBe(0);
    expect(swapCache(m, slot)).toBe(-1);
    expect(swapMap(m, slot)).toBe(0);
    expect(countEvents(m, 0, S.wp_page_copy, x)).toBe(1);
    user_store(c0, 0, 0, D1);
    expect(data(m, y)).toBe(D1);
    expect(data(m, x)).toBe(D0);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it('reuses at ref 1 (a skip-swapcache page after its batch drained)', () => {
    const { m, c0 } = machine('5.17', SwapDevice.SYNCHRONOUS_IO);
    const f = anonPage(c0);
    swapOut(c0, f);
    user_load(c0, 0, 0);
    lru_add_drain(c0);
    const x = mapped_folio(c0, 0, 0);
    expect(flag(m, x, Pg.swapcache)).toBe(false);
    expect(ref(m, x)).toBe(1);
    expectReused(m, x, writeFault(c0));
    expect(ref(m, x)).toBe(1);
    expect(countEvents(m, 0, S.wp_page_reuse, x)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it('copies a fresh page that is only in this CPU\'s lru_add batch (ref 2): no drain before 5.18', () => {
    const { m, c0 } = machine('5.17', SwapDevice.SYNCHRONOUS_IO);
    const f = anonPage(c0);
    swapOut(c0, f);
    user_load(c0, 0, 0);
    const x = mapped_folio(c0, 0, 0);
    expect(ref(m, x)).toBe(2);
    const before = drains(m, 0);
    const y = writeFault(c0);
    expect(drains(m, 0)).toBe(before);
    expectCopied(m, x, y, 1); // x keeps only its batch slot
    lru_add_drain(c0);
    expect(fword(m, m.L.FOLIO_ALLOC, x)).toBe(0); // the batch's put was the last
    expect(violation(m)).toBeNull();
  });
});

describe('5.17-willy (reuse iff page_count == 1 + PageSwapCache)', () => {
  it('reuses at ref 2 with mapcount 1 and keeps the swap cache (slot, HAS_CACHE, no PG_dirty)', () => {
    const { m, c0 } = machine('5.17-willy');
    const { x, slot } = freshSwapin(m, c0, c0, true);
    expectReused(m, x, writeFault(c0));
    expect(ref(m, x)).toBe(2);
    expect(flag(m, x, Pg.swapcache)).toBe(true);
    expect(swapCache(m, slot)).toBe(x);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE);
    expect(flag(m, x, Pg.dirty)).toBe(false);
    user_store(c0, 0, 0, D1);
    expect(data(m, x)).toBe(D1);
    expect(word(m, m.L.SWAP_DATA, slot)).toBe(D0);
    expect(violation(m)).toBeNull();
  });

  it('copies while the page is still in a batch (ref 3); the old page then leaves the swap cache', () => {
    const { m, c0 } = machine('5.17-willy');
    const { x, slot } = freshSwapin(m, c0, c0, false);
    expectCopied(m, x, writeFault(c0), 1); // CPU0's batch slot
    expect(swapCache(m, slot)).toBe(-1);
  });

  it.each([
    { kernel: '5.17-willy', child: D1, leaks: true },
    { kernel: '5.17', child: D0, leaks: false },
    { kernel: '5.17-liang', child: D0, leaks: false },
    { kernel: '5.18', child: D0, leaks: false },
    { kernel: '5.19', child: D0, leaks: false },
  ])('$kernel: forked while swapped out, parent reads, drains and writes: the child sees the parent\'s write=$leaks', ({ kernel, child }) => {
    const { m, c0, c1 } = machine(kernel);
    const f = anonPage(c0);
    swapOut(c0, f);
    copy_page_range(c0, 0, 1);
    expect(user_load(c0, 0, 0)).toBe(D0);
    lru_add_drain(c0);
    user_store(c0, 0, 0, D1);
    expect(user_load(c1, 1, 0)).toBe(child); // D1: the parent's write leaked through the shared swap cache
    expect(user_load(c0, 0, 0)).toBe(D1);
    lru_add_drain(c1);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });
});

describe('5.17-liang (reuse_swap_page: mapcount + swap count <= 1)', () => {
  it.each([true, false])('a sole user reuses and the swap cache is freed (batch drained: %s)', (drain) => {
    const { m, c0 } = machine('5.17-liang');
    const { x, slot } = freshSwapin(m, c0, c0, drain);
    expectReused(m, x, writeFault(c0));
    expect(flag(m, x, Pg.swapcache)).toBe(false);
    expect(flag(m, x, Pg.dirty)).toBe(true);
    expect(swapCache(m, slot)).toBe(-1);
    expect(swapMap(m, slot)).toBe(0);
    expect(ref(m, x)).toBe(drain ? 1 : 2);
    expect(countEvents(m, 0, S.reuse_swap_page, x)).toBe(1);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it('another swap user (a forked child) makes it 2: copy, cache kept', () => {
    const { m, c0 } = machine('5.17-liang');
    const f = anonPage(c0);
    swapOut(c0, f);
    copy_page_range(c0, 0, 1);
    user_load(c0, 0, 0);
    lru_add_drain(c0);
    const x = mapped_folio(c0, 0, 0);
    const slot = fword(m, m.L.FOLIO_SWAP, x);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    expectCopied(m, x, writeFault(c0), 1);
    expect(flag(m, x, Pg.swapcache)).toBe(true);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });
});

describe('5.18 (count > 3 bail, local drain, try_to_free_swap, reuse at ref 1)', () => {
  it('a fresh swap-in in this CPU\'s lru_add batch: local drain, swap cache freed, reuse', () => {
    const { m, c0 } = machine('5.18');
    const { x, slot } = freshSwapin(m, c0, c0, false);
    expect(flag(m, x, Pg.lru)).toBe(false);
    const before = drains(m, 0);
    expectReused(m, x, writeFault(c0));
    expect(drains(m, 0)).toBe(before + 1);
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(0);
    expect(flag(m, x, Pg.lru)).toBe(true);
    expect(list(m, x)).toBe(Lru.INACTIVE_ANON);
    expect(flag(m, x, Pg.swapcache)).toBe(false);
    expect(flag(m, x, Pg.dirty)).toBe(true);
    expect(swapCache(m, slot)).toBe(-1);
    expect(swapMap(m, slot)).toBe(0);
    expect(ref(m, x)).toBe(1);
    user_store(c0, 0, 0, D1);
    expect(data(m, x)).toBe(D1);
    expect(violation(m)).toBeNull();
  });

  it('the same page in another CPU\'s lru_add batch: the local drain does not help, copy', () => {
    const { m, c0, c1 } = machine('5.18');
    const { x, slot } = freshSwapin(m, c0, c1, false);
    expect(folio_batch_count(c1, 1, Batch.lru_add)).toBe(1);
    expectCopied(m, x, writeFault(c0), 1); // CPU1's slot; the idle page left the swap cache
    expect(folio_batch_count(c1, 1, Batch.lru_add)).toBe(1);
    expect(flag(m, x, Pg.swapcache)).toBe(false);
    expect(swapCache(m, slot)).toBe(-1);
    lru_add_drain(c0);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });

  it('more than 3 references: copy at once, without draining', () => {
    const { m, c0, c1 } = machine('5.18');
    const { x, slot } = freshSwapin(m, c0, c0, false);
    expect(swap_cache_get_folio(c1, slot)).toBe(x); // a concurrent lookup holds a 4th reference
    Atomics.add(m.i32, m.L.OBS_EXTRA + x * FOLIO_STRIDE, 1);
    expect(ref(m, x)).toBe(4);
    const before = drains(m, 0);
    expectCopied(m, x, writeFault(c0), 2); // CPU1's lookup and CPU0's batch slot
    expect(drains(m, 0)).toBe(before);
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(2); // x still queued, and the copy
    folio_put(c1, x);
    Atomics.sub(m.i32, m.L.OBS_EXTRA + x * FOLIO_STRIDE, 1);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it('exactly 3 references with PG_lru set (queued in a move batch): no drain, copy', () => {
    const { m, c0, c1 } = machine('5.18');
    const { x } = freshSwapin(m, c0, c0, true);
    expect(folio_activate(c1, x)).toBe(true);
    expect(ref(m, x)).toBe(3);
    const before = drains(m, 0);
    expectCopied(m, x, writeFault(c0), 1); // CPU1's activate slot; the idle page left the swap cache
    expect(drains(m, 0)).toBe(before);
    lru_add_drain(c0);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });

  it('a page under writeback: try_to_free_swap refuses, copy; the write completes with the old data', () => {
    const { m, c0 } = machine('5.18');
    const f = anonPage(c0);
    expect(pageOut(c0, f)).toBe(0);
    const slot = pte_swp_offset(pte(m, 0, 0));
    expect(user_load(c0, 0, 0)).toBe(D0); // read fault: f mapped read-only again, still under writeback
    expect(mapped_folio(c0, 0, 0)).toBe(f);
    expect(flag(m, f, Pg.writeback)).toBe(true);
    expect(ref(m, f)).toBe(2);
    expect(countEvents(m, 0, S.folio_free_swap_failed, f)).toBe(0);
    expectCopied(m, f, writeFault(c0), 1);
    expect(countEvents(m, 0, S.folio_free_swap_failed, f)).toBe(2); // do_wp_page's, then the copy's free_swap_cache
    expect(flag(m, f, Pg.swapcache)).toBe(true);
    user_store(c0, 0, 0, D1);
    complete_swap_writes(c0);
    expect(word(m, m.L.SWAP_DATA, slot)).toBe(D0);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it('a page not in the swap cache and in no batch (ref 1) is reused; PG_anon_exclusive is not used', () => {
    const { m, c0, c1 } = machine('5.18');
    const f = anonPage(c0);
    copy_page_range(c0, 0, 1);
    user_store(c1, 1, 0, D1); // the child copies away
    expect(ref(m, f)).toBe(1);
    expect(wp_can_reuse_anon_folio(c0, f)).toBe(true);
    expectReused(m, f, writeFault(c0));
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });
});

describe('5.19+ (PG_anon_exclusive)', () => {
  it.each(['5.19', '6.10', '6.11', '6.17'])('%s: a PageAnonExclusive page is reused with no test at all (4 refs, swap cache, another CPU\'s batch)', (kernel) => {
    const { m, c0, c1 } = machine(kernel);
    const { x, slot } = freshSwapin(m, c0, c1, false);
    expect(flag(m, x, Pg.anon_exclusive)).toBe(true); // restored from the swap PTE's marker
    expect(swap_cache_get_folio(c0, slot)).toBe(x);
    Atomics.add(m.i32, m.L.OBS_EXTRA + x * FOLIO_STRIDE, 1);
    expect(ref(m, x)).toBe(4);
    const before = drains(m, 0);
    const trylocks = countEvents(m, 0, S.folio_trylock, x);
    expectReused(m, x, writeFault(c0));
    expect(drains(m, 0)).toBe(before);
    expect(countEvents(m, 0, S.folio_trylock, x)).toBe(trylocks);
    expect(flag(m, x, Pg.swapcache)).toBe(true); // nothing tried to free it
    expect(swapCache(m, slot)).toBe(x);
    expect(ref(m, x)).toBe(4);
    folio_put(c0, x);
    Atomics.sub(m.i32, m.L.OBS_EXTRA + x * FOLIO_STRIDE, 1);
    user_store(c0, 0, 0, D1);
    expect(peek_user(c0, 0, 0)).toBe(D1);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });

  it('5.19: a non-exclusive (forked) swap-cache page in another CPU\'s batch follows the 5.18 rules: copy', () => {
    const { m, c0, c1 } = machine('5.19');
    const f = anonPage(c0);
    swapOut(c0, f);
    copy_page_range(c0, 0, 1);
    user_load(c1, 0, 0);
    const x = mapped_folio(c0, 0, 0);
    expect(flag(m, x, Pg.anon_exclusive)).toBe(false);
    expectCopied(m, x, writeFault(c0), 2);
    lru_add_drain(c0);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });

  it('5.19: a non-exclusive page that turns out to be the sole user is reused and becomes exclusive', () => {
    const { m, c0, c1 } = machine('5.19');
    const f = anonPage(c0);
    copy_page_range(c0, 0, 1);
    user_store(c1, 1, 0, D1);
    expect(flag(m, f, Pg.anon_exclusive)).toBe(false);
    expectReused(m, f, writeFault(c0));
    expect(flag(m, f, Pg.anon_exclusive)).toBe(true);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });
});

describe('wp_can_reuse_anon_folio across profiles', () => {
  it.each([
    { kernel: '5.17', reuse: false },
    { kernel: '5.17-willy', reuse: true },
    { kernel: '5.17-liang', reuse: true },
    { kernel: '5.18', reuse: true },
    { kernel: '5.19', reuse: true },
  ])('$kernel: fresh swap-in, drained, sole user: reuse=$reuse', ({ kernel, reuse }) => {
    const { m, c0 } = machine(kernel);
    const { x } = freshSwapin(m, c0, c0, true);
    expect(wp_can_reuse_anon_folio(c0, x)).toBe(reuse);
    expect(flag(m, x, Pg.locked)).toBe(false);
  });

  it.each(ALL)('%s: the decision leaves the folio unlocked and the invariants intact after a copy or a reuse', (kernel) => {
    const { m, c0, c1 } = machine(kernel);
    freshSwapin(m, c0, c1, false);
    user_store(c0, 0, 0, D1);
    expect(user_load(c0, 0, 0)).toBe(D1);
    lru_add_drain(c0);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });
});
