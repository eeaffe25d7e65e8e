// Reclaim of anon folios (mm/vmscan.c shrink_folio_list, mm/rmap.c try_to_unmap_one) meeting
// MADV_FREE, one branch per test, per rule: mainline lazy-free (6.10), Minchan's 2014 v3, and the
// naive PTE-only rule. The call order is the interleaving; `before()` puts CPU0's store inside
// CPU1's reclaim, between its reference check and its unmap.
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine, cpusOf, flag, list, ref, violation, word, fword } from '../../helpers/machine.js';
import { before } from '../../helpers/interleave.js';
import { Lru, FOLIO_STRIDE } from '../../../src/shm/layout.js';
import { madvise_free } from '../../../src/kernel/madvise.js';
import { complete_swap_writes } from '../../../src/kernel/page_io.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import { folio_get } from '../../../src/kernel/page_ref.js';
import { is_swap_pte } from '../../../src/kernel/pgtable.js';
import { S } from '../../../src/kernel/sites.js';
import { folio_put, lru_add_drain } from '../../../src/kernel/swap.js';
import { mapped_folio, peek_user, user_load, user_store } from '../../../src/kernel/user.js';
import { shrink_inactive_list } from '../../../src/kernel/vmscan.js';
import { swapOut } from '../../../src/scenario/kit.js';

const MAINLINE = '6.10';
const V3 = '3.14-madvfree-v3';
const NAIVE = '3.14-madvfree-naive';
const D0 = 0xd0;
const D1 = 0xd1;

/** The list reclaim finds a MADV_FREE'd folio on: lazy-free folios are file-LRU folios in mainline. */
const freedList = (kernel: string): number => (kernel === MAINLINE ? Lru.INACTIVE_FILE : Lru.INACTIVE_ANON);

/** CPU0 wrote D0 at address 0 and MADV_FREE'd it; every batch drained. */
function freedPage(kernel: string): { m: TestMachine; f: number } {
  const m = testMachine(kernel);
  const [c0] = cpusOf(m);
  const f = user_store(c0, 0, 0, D0);
  lru_add_drain(c0);
  madvise_free(c0, 0, 0, 1);
  lru_add_drain(c0);
  return { m, f };
}

/**
 * CPU1 reclaims from `lru` twice (the first pass keeps a folio for its young bit), then the
 * (asynchronous) swap device completes its writes and CPU1 drains the rotations they queue.
 */
function reclaim(m: TestMachine, lru: number): number {
  const [, c1] = cpusOf(m);
  const freed = shrink_inactive_list(c1, 8, lru) + shrink_inactive_list(c1, 8, lru);
  complete_swap_writes(c1);
  lru_add_drain(c1);
  return freed;
}

describe('a clean MADV_FREE\'d page meets reclaim', () => {
  it.each([MAINLINE, V3, NAIVE])('%s: discarded without swap; the next load reads zero', (kernel) => {
    const { m, f } = freedPage(kernel);
    const [c0, c1] = cpusOf(m);
    expect(shrink_inactive_list(c1, 8, freedList(kernel))).toBe(1);
    expect([word(m, m.L.PTE, 0), fword(m, m.L.FOLIO_ALLOC, f), word(m, m.L.SWAP_MAP, 0)]).toEqual([0, 0, 0]);
    expect(user_load(c0, 0, 0)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  // What try_to_unmap_one() does with a clean lazy-free folio someone else holds (a direct-I/O
  // read's GUP reference), per version: [PTE still maps it, PG_swapbacked, list it ends on].
  it.each([
    ['5.17', 'discards it anyway (802a3a92ad7a): unmapped, kept on its list by the extra reference', [-1, false, Lru.INACTIVE_FILE]],
    ['6.10', 'keeps it mapped and makes it swap-backed again (6c8e2a256915)', [0, true, Lru.ACTIVE_ANON]],
    ['6.17', 'keeps it mapped and lazy-free (Barry Song, v6.15)', [0, false, Lru.ACTIVE_FILE]],
  ] as const)('%s: a lazy-free folio someone else references: reclaim %s', (kernel, _what, [mapped, swapbacked, onList]) => {
    const { m, f } = freedPage(kernel);
    const [c0, c1] = cpusOf(m);
    folio_get(c0, f);
    Atomics.add(m.i32, m.L.OBS_EXTRA + f * FOLIO_STRIDE, 1);
    expect(shrink_inactive_list(c1, 8, Lru.INACTIVE_FILE)).toBe(0);
    const isMapped = mapped_folio(c0, 0, 0) === f ? 0 : -1;
    expect([isMapped, flag(m, f, Pg.swapbacked), flag(m, f, Pg.lru) ? list(m, f) : -1]).toEqual([mapped, swapbacked, onList]);
    expect(violation(m)).toBeNull();
    Atomics.sub(m.i32, m.L.OBS_EXTRA + f * FOLIO_STRIDE, 1);
    folio_put(c0, f);
  });
});

describe('a store after MADV_FREE, before reclaim looks', () => {
  it(`${MAINLINE}: the dirty PTE makes the folio swap-backed again; it goes to active_anon with the data`, () => {
    const { m, f } = freedPage(MAINLINE);
    const [c0] = cpusOf(m);
    user_store(c0, 0, 0, D1);
    expect(reclaim(m, Lru.INACTIVE_FILE)).toBe(0);
    expect([mapped_folio(c0, 0, 0), flag(m, f, Pg.swapbacked), list(m, f)]).toEqual([f, true, Lru.ACTIVE_ANON]);
    expect(user_load(c0, 0, 0)).toBe(D1);
    expect(violation(m)).toBeNull();
  });

  it.each([V3, NAIVE])('%s: the dirty PTE makes the page non-discardable: swapped out, and read back', (kernel) => {
    const { m } = freedPage(kernel);
    const [c0] = cpusOf(m);
    user_store(c0, 0, 0, D1);
    reclaim(m, Lru.INACTIVE_ANON);
    expect(is_swap_pte(word(m, m.L.PTE, 0))).toBe(true);
    expect(user_load(c0, 0, 0)).toBe(D1);
    expect(violation(m)).toBeNull();
  });
});

describe('a store between reclaim\'s reference check and its unmap (KERNEL.md §3.3, interleaving 1)', () => {
  /** CPU1 reclaims once; CPU0 stores D1 just before CPU1 takes the PTL to unmap (its third spin_lock). */
  function storeInsideReclaim(kernel: string): { m: TestMachine; f: number; reclaimed: number } {
    const { m, f } = freedPage(kernel);
    const [c0, c1] = cpusOf(m);
    before(c1, S.spin_lock, 3, () => { user_store(c0, 0, 0, D1); });
    const reclaimed = shrink_inactive_list(c1, 8, freedList(kernel));
    return { m, f, reclaimed };
  }

  it(`${NAIVE}: the mapping is discarded anyway: the store is lost, the load reads zero`, () => {
    const { m, f, reclaimed } = storeInsideReclaim(NAIVE);
    // the PTE's dirty bit made the folio PG_dirty: kept, unmapped, until its last reference went
    expect([reclaimed, word(m, m.L.PTE, 0), fword(m, m.L.FOLIO_ALLOC, f)]).toEqual([0, 0, 0]);
    expect(user_load(cpusOf(m)[0], 0, 0)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  it(`${V3}: try_to_unmap_one sees the dirty bit it cleared, restores the PTE and fails: D1 kept`, () => {
    const { m, f, reclaimed } = storeInsideReclaim(V3);
    expect(reclaimed).toBe(0);
    expect([mapped_folio(cpusOf(m)[0], 0, 0), list(m, f)]).toEqual([f, Lru.ACTIVE_ANON]);
    expect(peek_user(cpusOf(m)[0], 0, 0)).toBe(D1);
    expect(violation(m)).toBeNull();
  });

  it(`${MAINLINE}: the dirty bit moves to PG_dirty; the lazy-free branch restores and sets PG_swapbacked: D1 kept`, () => {
    const { m, f, reclaimed } = storeInsideReclaim(MAINLINE);
    expect(reclaimed).toBe(0);
    expect([mapped_folio(cpusOf(m)[0], 0, 0), flag(m, f, Pg.swapbacked), flag(m, f, Pg.dirty)]).toEqual([f, true, true]);
    expect(peek_user(cpusOf(m)[0], 0, 0)).toBe(D1);
    expect(violation(m)).toBeNull();
  });
});

describe('a page swapped in by a read fault (clean PTE, in the swap cache) meets reclaim (interleaving 2)', () => {
  /** D0 went to swap; CPU0 read it back (read-only, clean PTE, in the swap cache); then reclaim. */
  function swappedInThenReclaimed(kernel: string): TestMachine {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = user_store(c0, 0, 0, D0);
    swapOut(c0, f);
    expect(user_load(c0, 0, 0)).toBe(D0);
    lru_add_drain(c0);
    const back = mapped_folio(c0, 0, 0);
    expect([flag(m, back, Pg.swapcache), flag(m, back, Pg.dirty)]).toEqual([true, false]);
    reclaim(m, Lru.INACTIVE_ANON);
    return m;
  }

  it(`${NAIVE}: the clean PTE is all the rule looks at: the page is discarded, the load reads zero`, () => {
    const m = swappedInThenReclaimed(NAIVE);
    expect(word(m, m.L.PTE, 0)).toBe(0);
    expect(user_load(cpusOf(m)[0], 0, 0)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  it.each([V3, MAINLINE])('%s: a swap-cache page is never discardable: a swap PTE, and D0 comes back', (kernel) => {
    const m = swappedInThenReclaimed(kernel);
    expect(is_swap_pte(word(m, m.L.PTE, 0))).toBe(true);
    expect(user_load(cpusOf(m)[0], 0, 0)).toBe(D0);
    expect(violation(m)).toBeNull();
  });
});

describe('reclaim of an anon page never MADV_FREE\'d', () => {
  it.each([MAINLINE, V3, NAIVE])('%s: a dirty PTE means swap-out; the data comes back', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    user_store(c0, 0, 0, D0);
    lru_add_drain(c0);
    expect(ref(m, mapped_folio(c0, 0, 0))).toBe(1);
    reclaim(m, Lru.INACTIVE_ANON);
    expect(is_swap_pte(word(m, m.L.PTE, 0))).toBe(true);
    expect(user_load(c0, 0, 0)).toBe(D0);
    expect(violation(m)).toBeNull();
  });
});
