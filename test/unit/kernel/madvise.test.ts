// mm/madvise.c (src/kernel/madvise.ts): MADV_FREE per rule (mainline lazy-free, the 2014 postings,
// none) and MADV_DONTNEED's zap, on one machine; the call order is the interleaving.
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine, cpusOf, flag, list, ref, violation, word, fword } from '../../helpers/machine.js';
import { Batch, Lru } from '../../../src/shm/layout.js';
import { EINVAL, madvise_dontneed, madvise_free } from '../../../src/kernel/madvise.js';
import { complete_swap_writes } from '../../../src/kernel/page_io.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import { is_swap_pte, pte_dirty, pte_present, pte_young, pte_swp_offset } from '../../../src/kernel/pgtable.js';
import { lru_add_drain } from '../../../src/kernel/swap.js';
import { mapped_folio, peek_user, user_load, user_store } from '../../../src/kernel/user.js';
import { pageOut, swapOut } from '../../../src/scenario/kit.js';

const pte = (m: TestMachine, addr: number): number => word(m, m.L.PTE, addr);

/** CPU0 wrote `value` at `addr` of mm 0; the folio is drained onto inactive_anon. */
function written(m: TestMachine, addr = 0, value = 0xd0): number {
  const [c0] = cpusOf(m);
  const f = user_store(c0, 0, addr, value);
  lru_add_drain(c0);
  return f;
}

describe('madvise_free, mainline (madvfree-lazyfree)', () => {
  it.each(['6.10', '6.17'])('%s: cleans the PTE, queues the folio for lazy-free; the drain clears PG_swapbacked → inactive_file', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = written(m);
    expect(madvise_free(c0, 0, 0, 1)).toBe(0);
    expect([pte_present(pte(m, 0)), pte_dirty(pte(m, 0)), pte_young(pte(m, 0))]).toEqual([true, false, false]);
    expect(folio_batch_count(c0, 0, Batch.lru_lazyfree)).toBe(1);
    expect(ref(m, f)).toBe(2);
    expect(flag(m, f, Pg.swapbacked)).toBe(true); // not before the drain (KERNEL.md §3.3, interleaving 4)
    expect(violation(m)).toBeNull();
    lru_add_drain(c0);
    expect([flag(m, f, Pg.swapbacked), list(m, f), ref(m, f)]).toEqual([false, Lru.INACTIVE_FILE, 1]);
    expect(user_load(c0, 0, 0)).toBe(0xd0); // nothing is lost until reclaim comes
    expect(violation(m)).toBeNull();
  });

  it('6.11: the lazyfree enqueue clears PG_lru', () => {
    const m = testMachine('6.11');
    const [c0] = cpusOf(m);
    const f = written(m);
    madvise_free(c0, 0, 0, 1);
    expect(flag(m, f, Pg.lru)).toBe(false);
    expect(violation(m)).toBeNull();
  });

  it('6.10: a store after MADV_FREE dirties the PTE again, without a fault', () => {
    const m = testMachine('6.10');
    const [c0] = cpusOf(m);
    const f = written(m);
    madvise_free(c0, 0, 0, 1);
    expect(user_store(c0, 0, 0, 0xd1)).toBe(f);
    expect(pte_dirty(pte(m, 0))).toBe(true);
    expect(peek_user(c0, 0, 0)).toBe(0xd1);
  });

  it('6.10: a swap PTE in the range is dropped and its slot freed', () => {
    const m = testMachine('6.10');
    const [c0] = cpusOf(m);
    const f = written(m);
    swapOut(c0, f);
    const slot = pte_swp_offset(pte(m, 0));
    expect(is_swap_pte(pte(m, 0))).toBe(true);
    madvise_free(c0, 0, 0, 1);
    expect([pte(m, 0), word(m, m.L.SWAP_MAP, slot)]).toEqual([0, 0]);
    expect(user_load(c0, 0, 0)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  it('6.10: a swap-cache folio mapped once leaves the swap cache, loses PG_dirty and becomes lazy-free', () => {
    const m = testMachine('6.10');
    const [c0] = cpusOf(m);
    const f = written(m);
    swapOut(c0, f);
    user_load(c0, 0, 0); // a read fault: back from the device, in the swap cache
    lru_add_drain(c0);
    const back = mapped_folio(c0, 0, 0);
    expect(flag(m, back, Pg.swapcache)).toBe(true);
    madvise_free(c0, 0, 0, 1);
    lru_add_drain(c0);
    expect([flag(m, back, Pg.swapcache), flag(m, back, Pg.dirty), flag(m, back, Pg.swapbacked)]).toEqual([false, false, false]);
    expect(list(m, back)).toBe(Lru.INACTIVE_FILE);
    expect(violation(m)).toBeNull();
  });

  it('6.10: a folio under writeback stays in the swap cache and is skipped', () => {
    const m = testMachine('6.10');
    const [c0] = cpusOf(m);
    const f = written(m);
    pageOut(c0, f); // async device: the write is in flight, the PTE a swap PTE
    user_load(c0, 0, 0); // faults it back from the swap cache
    lru_add_drain(c0);
    expect(flag(m, f, Pg.writeback)).toBe(true);
    madvise_free(c0, 0, 0, 1);
    expect([flag(m, f, Pg.swapcache), folio_batch_count(c0, 0, Batch.lru_lazyfree)]).toEqual([true, 0]);
    complete_swap_writes(c0);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });
});

describe('madvise_free, the 2014 postings and no MADV_FREE', () => {
  it.each(['3.14-madvfree-v3', '3.14-madvfree-naive'])('%s: only cleans the PTE; flags, lists and batches stay', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = written(m);
    madvise_free(c0, 0, 0, 1);
    expect([pte_present(pte(m, 0)), pte_dirty(pte(m, 0)), pte_young(pte(m, 0))]).toEqual([true, false, false]);
    expect([flag(m, f, Pg.swapbacked), list(m, f), ref(m, f), folio_batch_count(c0, 0, Batch.lru_lazyfree)])
      .toEqual([true, Lru.INACTIVE_ANON, 1, 0]);
  });

  it('6.10 with madvfree-lazyfree=off: -EINVAL, nothing changes', () => {
    const m = testMachine('6.10', {}, { 'madvfree-lazyfree': false });
    const [c0] = cpusOf(m);
    written(m);
    const before = pte(m, 0);
    expect(madvise_free(c0, 0, 0, 1)).toBe(EINVAL);
    expect(pte(m, 0)).toBe(before);
  });
});

describe('madvise_dontneed (zap_pte_range)', () => {
  it.each(['6.10', '3.14-madvfree-naive'])('%s: clears the PTE and frees the folio; the next load reads 0, the next store faults a new page', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = written(m);
    madvise_dontneed(c0, 0, 0, 1);
    expect([pte(m, 0), fword(m, m.L.FOLIO_ALLOC, f)]).toEqual([0, 0]);
    expect(user_load(c0, 0, 0)).toBe(0);
    expect(violation(m)).toBeNull();
    expect(user_store(c0, 0, 0, 5)).toBeGreaterThanOrEqual(0);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it('6.10: a folio still in an lru_add batch is freed when the batch drains', () => {
    const m = testMachine('6.10');
    const [c0] = cpusOf(m);
    const f = user_store(c0, 0, 0, 1);
    madvise_dontneed(c0, 0, 0, 1);
    expect([fword(m, m.L.FOLIO_ALLOC, f), ref(m, f)]).toEqual([1, 1]);
    lru_add_drain(c0);
    expect(fword(m, m.L.FOLIO_ALLOC, f)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  it('6.10: a swap PTE frees its slot; a mapped swap-cache folio leaves the cache with its last mapping', () => {
    const m = testMachine('6.10');
    const [c0] = cpusOf(m);
    swapOut(c0, written(m, 0, 1));
    swapOut(c0, written(m, 1, 2));
    user_load(c0, 0, 1); // addr 1 back from the device, mapped, in the swap cache
    lru_add_drain(c0);
    madvise_dontneed(c0, 0, 0, 2);
    expect([pte(m, 0), pte(m, 1)]).toEqual([0, 0]);
    for (let s = 0; s < m.L.config.swapSlots; s++) expect(word(m, m.L.SWAP_MAP, s)).toBe(0);
    expect(violation(m)).toBeNull();
  });
});
