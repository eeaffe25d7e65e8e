// src/kernel/user.ts on one machine: what a process's loads and stores do to its page table
// (KERNEL.md §1.6): the anonymous fault on a none PTE, hardware dirty/young bits, the zero page,
// faults on swap and read-only PTEs, and the side-effect-free observations peek_user/mapped_folio.
import { describe, expect, it } from 'vitest';
import { countEvents, flag, fword, ref, violation, word } from '../../helpers/machine.js';
import { Batch, FOLIO_STRIDE } from '../../../src/shm/layout.js';
import { copy_page_range } from '../../../src/kernel/fork.js';
import { complete_swap_writes } from '../../../src/kernel/page_io.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import { is_swap_pte, mk_pte, PTE_DIRTY, PTE_WRITE, PTE_YOUNG, pte_swp_offset } from '../../../src/kernel/pgtable.js';
import { folio_referenced } from '../../../src/kernel/rmap.js';
import { S } from '../../../src/kernel/sites.js';
import { lru_add_drain } from '../../../src/kernel/swap.js';
import { SwapDevice } from '../../../src/kernel/swapfile.js';
import { mapped_folio, peek_user, user_load, user_store } from '../../../src/kernel/user.js';
import { pageOut, swapOut } from '../../../src/scenario/kit.js';
import { D0, D1, pte, allocated, data, machine } from '../../helpers/swap.js';

const ALL = ['5.17', '5.17-liang', '5.17-willy', '5.18', '5.19-swp-v2', '5.19', '6.10', '6.11', '6.17'] as const;

describe('user_store', () => {
  it.each(ALL)('%s: on a none PTE allocates (do_anonymous_page) an exclusive folio holding the value, mapped writable+dirty+young', (kernel) => {
    const { m, c0 } = machine(kernel);
    expect(pte(m, 0, 1)).toBe(0);
    const f = user_store(c0, 0, 1, D0);
    expect(f).toBeGreaterThanOrEqual(0);
    expect(data(m, f)).toBe(D0);
    expect(pte(m, 0, 1)).toBe(mk_pte(f, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
    expect(fword(m, m.L.FOLIO_MAPCOUNT, f)).toBe(1);
    expect(fword(m, m.L.FOLIO_MM, f)).toBe(0);
    expect(fword(m, m.L.FOLIO_INDEX, f)).toBe(1);
    expect(ref(m, f)).toBe(2); // PTE + CPU0's lru_add slot
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(1);
    expect(flag(m, f, Pg.anon) && flag(m, f, Pg.swapbacked) && flag(m, f, Pg.anon_exclusive)).toBe(true);
    expect(flag(m, f, Pg.lru)).toBe(false);
    expect(countEvents(m, 0, S.user_store, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it('5.19: on a writable PTE sets dirty and young without a fault and stores into the same folio', () => {
    const { m, c0 } = machine('5.19');
    const f = user_store(c0, 0, 0, D0);
    lru_add_drain(c0);
    folio_referenced(c0, f); // young cleared
    Atomics.and(m.i32, m.L.PTE, ~PTE_DIRTY); // as if cleaned (MADV_FREE)
    expect(pte(m, 0, 0)).toBe(mk_pte(f, PTE_WRITE));
    const n = allocated(m);
    const faults = countEvents(m, 0, S.handle_mm_fault);
    expect(user_store(c0, 0, 0, D1)).toBe(f);
    expect(pte(m, 0, 0)).toBe(mk_pte(f, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
    expect(data(m, f)).toBe(D1);
    expect(allocated(m)).toBe(n);
    expect(countEvents(m, 0, S.handle_mm_fault)).toBe(faults);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(['5.18', '5.19'])('%s: on a read-only PTE takes a write fault (do_wp_page) and then stores', (kernel) => {
    const { m, c0, c1 } = machine(kernel);
    const f = user_store(c0, 0, 0, D0);
    lru_add_drain(c0);
    copy_page_range(c0, 0, 1);
    const faults = countEvents(m, 1, S.handle_mm_fault);
    const g = user_store(c1, 1, 0, D1);
    expect(countEvents(m, 1, S.handle_mm_fault)).toBe(faults + 1);
    expect(g).not.toBe(f);
    expect(data(m, g)).toBe(D1);
    expect(data(m, f)).toBe(D0);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });

  it.each(['5.17', '5.19'])('%s: on a swap PTE faults the page in and then stores into it', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = user_store(c0, 0, 0, D0);
    lru_add_drain(c0);
    swapOut(c0, f);
    expect(is_swap_pte(pte(m, 0, 0))).toBe(true);
    const x = user_store(c0, 0, 0, D1);
    expect(pte(m, 0, 0)).toBe(mk_pte(x, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
    expect(data(m, x)).toBe(D1);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });
});

describe('user_load', () => {
  it.each(ALL)('%s: on a none PTE returns 0 and maps nothing (the zero page)', (kernel) => {
    const { m, c0 } = machine(kernel);
    const n = allocated(m);
    expect(user_load(c0, 0, 0)).toBe(0);
    expect(pte(m, 0, 0)).toBe(0);
    expect(allocated(m)).toBe(n);
    expect(mapped_folio(c0, 0, 0)).toBe(-1);
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(0);
    expect(countEvents(m, 0, S.user_load, -1)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it('5.19: on a present PTE returns the value and sets only the young bit', () => {
    const { m, c0 } = machine('5.19');
    const f = user_store(c0, 0, 0, D0);
    lru_add_drain(c0);
    copy_page_range(c0, 0, 1); // the child's PTE: read-only, old
    expect(pte(m, 1, 0)).toBe(mk_pte(f, PTE_DIRTY));
    expect(user_load(c0, 1, 0)).toBe(D0);
    expect(pte(m, 1, 0)).toBe(mk_pte(f, PTE_DIRTY | PTE_YOUNG));
    expect(ref(m, f)).toBe(2);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: on a swap PTE faults the page in read-only and returns the device\'s data', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = user_store(c0, 0, 0, D0);
    lru_add_drain(c0);
    swapOut(c0, f);
    expect(user_load(c0, 0, 0)).toBe(D0);
    const x = mapped_folio(c0, 0, 0);
    expect(x).toBeGreaterThanOrEqual(0);
    expect(pte(m, 0, 0)).toBe(mk_pte(x, PTE_YOUNG));
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });
});

describe('peek_user / mapped_folio', () => {
  it('5.19: reads the mapped page, the swap cache\'s page, then the device, changing nothing', () => {
    const { m, c0 } = machine('5.19');
    expect(peek_user(c0, 0, 0)).toBe(0); // none
    const f = user_store(c0, 0, 0, D0);
    lru_add_drain(c0);
    folio_referenced(c0, f);
    const mapped = pte(m, 0, 0);
    expect(peek_user(c0, 0, 0)).toBe(D0); // mapped
    expect(mapped_folio(c0, 0, 0)).toBe(f);
    expect(pte(m, 0, 0)).toBe(mapped); // no young bit set by a peek
    expect(pageOut(c0, f)).toBe(0); // async: in the swap cache, the device not written yet
    const slot = pte_swp_offset(pte(m, 0, 0));
    expect(word(m, m.L.SWAP_DATA, slot)).toBe(0);
    expect(mapped_folio(c0, 0, 0)).toBe(-1);
    expect(peek_user(c0, 0, 0)).toBe(D0); // from the swap cache
    complete_swap_writes(c0);
    lru_add_drain(c0);
    expect(pageOut(c0, f)).toBe(1);
    expect(word(m, m.L.SWAP_CACHE, slot)).toBe(-1);
    Atomics.store(m.i32, m.L.SWAP_DATA + slot, D1); // what the device holds is what peek reports now
    expect(peek_user(c0, 0, 0)).toBe(D1);
    expect(is_swap_pte(pte(m, 0, 0))).toBe(true);
    Atomics.store(m.i32, m.L.SWAP_DATA + slot, D0);
    expect(violation(m)).toBeNull();
  });

  it('5.19: the swap cache wins over the device when both have the slot', () => {
    const { m, c0 } = machine('5.19', SwapDevice.SYNCHRONOUS_IO);
    const f = user_store(c0, 0, 0, D0);
    lru_add_drain(c0);
    copy_page_range(c0, 0, 1);
    swapOut(c0, f); // both PTEs swap PTEs, slot count 2
    user_store(c0, 0, 0, D1); // parent: swap-in through the cache, then copy; the cache keeps D0
    const slot = pte_swp_offset(pte(m, 1, 0));
    const cached = word(m, m.L.SWAP_CACHE, slot);
    expect(cached).toBeGreaterThanOrEqual(0);
    Atomics.store(m.i32, m.L.FOLIO_DATA + cached * FOLIO_STRIDE, 0x55); // tell the two apart
    expect(peek_user(c0, 1, 0)).toBe(0x55);
    expect(word(m, m.L.SWAP_DATA, slot)).toBe(D0);
    expect(peek_user(c0, 0, 0)).toBe(D1);
  });
});
