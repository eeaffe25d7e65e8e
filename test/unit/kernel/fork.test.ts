// kernel/fork.c → mm/memory.c copy_page_range() on one machine (KERNEL.md §2.9): present anon
// pages are shared read-only, swap PTEs gain a swap user, the exclusive markers go; afterwards a
// store by either side copies (COW) and the other keeps the old value.
import { describe, expect, it } from 'vitest';
import { countEvents, flag, ref, violation } from '../../helpers/machine.js';
import { copy_page_range } from '../../../src/kernel/fork.js';
import { complete_swap_writes } from '../../../src/kernel/page_io.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import {
  is_swap_pte, mk_pte, PTE_DIRTY, PTE_WRITE, PTE_YOUNG, pte_folio, pte_present, pte_swp_offset, swp_entry_to_pte,
} from '../../../src/kernel/pgtable.js';
import { S } from '../../../src/kernel/sites.js';
import { lru_add_drain } from '../../../src/kernel/swap.js';
import { SWAP_HAS_CACHE, SwapDevice } from '../../../src/kernel/swapfile.js';
import { mapped_folio, peek_user, user_load, user_store } from '../../../src/kernel/user.js';
import { pageOut, swapOut } from '../../../src/scenario/kit.js';
import type { CpuContext } from '../../../src/cpu/context.js';
import { D0, D1, pte, swapMap, mapcount, data, machine } from '../../helpers/swap.js';

const D2 = 0xd2;
const PARENT = 0;
const CHILD = 1;
const ALL = ['5.17', '5.17-liang', '5.17-willy', '5.18', '5.19-swp-v2', '5.19', '6.10', '6.11', '6.17'] as const;
const ANON_EXCLUSIVE = ['5.19-swp-v2', '5.19', '6.10', '6.11', '6.17'] as const;

/** The parent's anon page at `addr` holding `value`, on the inactive anon list. */
function parentPage(c: CpuContext, addr = 0, value = D0): number {
  const f = user_store(c, PARENT, addr, value);
  lru_add_drain(c);
  return f;
}

describe('copy_page_range: present pages', () => {
  it.each(ALL)('%s: shares the page: ref +1, mapcount 2, both PTEs read-only, the child\'s old', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = parentPage(c0);
    expect(pte(m, PARENT, 0)).toBe(mk_pte(f, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
    copy_page_range(c0, PARENT, CHILD);
    expect(ref(m, f)).toBe(2);
    expect(mapcount(m, f)).toBe(2);
    expect(pte(m, PARENT, 0)).toBe(mk_pte(f, PTE_DIRTY | PTE_YOUNG));
    expect(pte(m, CHILD, 0)).toBe(mk_pte(f, PTE_DIRTY));
    expect(pte(m, CHILD, 1)).toBe(0); // a none PTE stays none
    expect(countEvents(m, 0, S.copy_pte)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(ANON_EXCLUSIVE)('%s: PG_anon_exclusive is cleared', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = parentPage(c0);
    expect(flag(m, f, Pg.anon_exclusive)).toBe(true);
    copy_page_range(c0, PARENT, CHILD);
    expect(flag(m, f, Pg.anon_exclusive)).toBe(false);
  });

  it.each(['5.17', '5.18'])('%s: no PG_anon_exclusive in this kernel: the flag is left as it was', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = parentPage(c0);
    const before = flag(m, f, Pg.anon_exclusive);
    copy_page_range(c0, PARENT, CHILD);
    expect(flag(m, f, Pg.anon_exclusive)).toBe(before);
  });

  it.each(['5.18', '5.19'])('%s: a page still in the parent\'s lru_add batch is shared all the same', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = user_store(c0, PARENT, 0, D0);
    copy_page_range(c0, PARENT, CHILD);
    expect(ref(m, f)).toBe(3);
    expect(mapcount(m, f)).toBe(2);
    expect(violation(m)).toBeNull();
    lru_add_drain(c0);
    expect(ref(m, f)).toBe(2);
  });
});

describe('copy_page_range: swap PTEs', () => {
  it.each([
    { kernel: '5.17', bit: false },
    { kernel: '5.18', bit: false },
    { kernel: '5.19', bit: true },
    { kernel: '6.17', bit: true },
  ])('$kernel: swap_duplicate (count 2); the parent\'s PTE_SWP_EXCLUSIVE (set=$bit) is cleared, the child\'s never set', ({ kernel, bit }) => {
    const { m, c0 } = machine(kernel, SwapDevice.SYNCHRONOUS_IO);
    const f = parentPage(c0);
    expect(pageOut(c0, f)).toBe(1);
    const slot = pte_swp_offset(pte(m, PARENT, 0));
    expect(pte(m, PARENT, 0)).toBe(swp_entry_to_pte(slot, bit));
    expect(swapMap(m, slot)).toBe(1);
    copy_page_range(c0, PARENT, CHILD);
    expect(swapMap(m, slot)).toBe(2);
    expect(pte(m, PARENT, 0)).toBe(swp_entry_to_pte(slot, false));
    expect(pte(m, CHILD, 0)).toBe(swp_entry_to_pte(slot, false));
    expect(violation(m)).toBeNull();
  });

  it('5.19: a swap PTE whose page is still in the swap cache: one more user, the cache untouched', () => {
    const { m, c0 } = machine('5.19');
    const f = parentPage(c0);
    expect(pageOut(c0, f)).toBe(0); // async: cached, writing
    const slot = pte_swp_offset(pte(m, PARENT, 0));
    copy_page_range(c0, PARENT, CHILD);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 2);
    expect(ref(m, f)).toBe(1);
    expect(mapcount(m, f)).toBe(0);
    complete_swap_writes(c0);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
    expect(peek_user(c0, CHILD, 0)).toBe(D0);
  });

  it.each(ALL)('%s: after forking a swapped-out page each side faults it in and reads the same value', (kernel) => {
    const { m, c0, c1 } = machine(kernel);
    const f = parentPage(c0);
    swapOut(c0, f);
    copy_page_range(c0, PARENT, CHILD);
    expect(user_load(c1, CHILD, 0)).toBe(D0);
    expect(user_load(c0, PARENT, 0)).toBe(D0);
    const g = mapped_folio(c0, PARENT, 0);
    expect(mapped_folio(c0, CHILD, 0)).toBe(g); // the swap cache gave both the same page
    expect(mapcount(m, g)).toBe(2);
    lru_add_drain(c0);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });
});

describe('COW after fork', () => {
  it.each(ALL)('%s: the child\'s store copies; the parent keeps the old value; the parent\'s store then reuses its page', (kernel) => {
    const { m, c0, c1 } = machine(kernel);
    const f = parentPage(c0);
    copy_page_range(c0, PARENT, CHILD);
    const g = user_store(c1, CHILD, 0, D1);
    expect(g).not.toBe(f);
    expect(data(m, g)).toBe(D1);
    expect(data(m, f)).toBe(D0);
    expect(pte(m, CHILD, 0)).toBe(mk_pte(g, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
    expect(pte_folio(pte(m, PARENT, 0))).toBe(f);
    expect(user_load(c0, PARENT, 0)).toBe(D0);
    expect(mapcount(m, f)).toBe(1);
    expect(ref(m, f)).toBe(1);
    expect(ref(m, g)).toBe(2); // PTE + CPU1's lru_add slot
    expect(countEvents(m, 1, S.wp_page_copy, f)).toBe(1);
    // the parent is the sole user now: its store reuses f (no copy)
    expect(user_store(c0, PARENT, 0, D2)).toBe(f);
    expect(countEvents(m, 0, S.wp_page_reuse, f)).toBe(1);
    expect(pte(m, PARENT, 0) & PTE_WRITE).toBe(PTE_WRITE);
    expect(user_load(c1, CHILD, 0)).toBe(D1);
    expect(user_load(c0, PARENT, 0)).toBe(D2);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: the parent\'s store copies; the child keeps the old value', (kernel) => {
    const { m, c0, c1 } = machine(kernel);
    const f = parentPage(c0);
    copy_page_range(c0, PARENT, CHILD);
    const g = user_store(c0, PARENT, 0, D1);
    expect(g).not.toBe(f);
    expect(user_load(c1, CHILD, 0)).toBe(D0);
    expect(mapped_folio(c1, CHILD, 0)).toBe(f);
    expect(user_load(c0, PARENT, 0)).toBe(D1);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it.each(ANON_EXCLUSIVE)('%s: the copy is exclusive; the survivor becomes exclusive again when it reuses', (kernel) => {
    const { m, c0, c1 } = machine(kernel);
    const f = parentPage(c0);
    copy_page_range(c0, PARENT, CHILD);
    const g = user_store(c1, CHILD, 0, D1);
    expect(flag(m, g, Pg.anon_exclusive)).toBe(true);
    expect(flag(m, f, Pg.anon_exclusive)).toBe(false);
    user_store(c0, PARENT, 0, D2);
    expect(flag(m, f, Pg.anon_exclusive)).toBe(true);
  });

  it.each(ALL)('%s: forked while swapped out, then the child writes: the parent still reads the old value', (kernel) => {
    const { m, c0, c1 } = machine(kernel);
    const f = parentPage(c0);
    swapOut(c0, f);
    copy_page_range(c0, PARENT, CHILD);
    user_store(c1, CHILD, 0, D1);
    expect(user_load(c0, PARENT, 0)).toBe(D0);
    expect(user_load(c1, CHILD, 0)).toBe(D1);
    expect(is_swap_pte(pte(m, PARENT, 0)) || pte_present(pte(m, PARENT, 0))).toBe(true);
    lru_add_drain(c0);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });
});
