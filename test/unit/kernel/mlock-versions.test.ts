// mlock as each version has it (switches mlock-batch, v5.18; swapin-new-anon-rmap, v6.11), reclaim
// of a VM_LOCKED mapping (try_to_unmap_one() refuses and mlocks), and 7.3's MADV_FREE batch.
import { describe, expect, it } from 'vitest';
import { cpusOf, flag, ref, testMachine, violation } from '../../helpers/machine.js';
import { Batch, Lru } from '../../../src/shm/layout.js';
import { madvise_free } from '../../../src/kernel/madvise.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import { mlock_fixup } from '../../../src/kernel/mlock.js';
import { Zone } from '../../../src/kernel/page_alloc.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import { is_swap_pte, pte_addr } from '../../../src/kernel/pgtable.js';
import { lru_add_drain } from '../../../src/kernel/swap.js';
import { swapon } from '../../../src/kernel/swapfile.js';
import { mapped_folio, user_load } from '../../../src/kernel/user.js';
import { shrink_inactive_list } from '../../../src/kernel/vmscan.js';
import { swapOut } from '../../../src/scenario/kit.js';

const CFG = { folios: 8, mms: 1, ptesPerMm: 2, swapSlots: 2 };

/** A VM_LOCKED (MLOCK_ONFAULT) vma whose page 0 is swapped out; `cached`: still in the swap cache. */
function swappedOut(kernel: string, cached: boolean): { m: ReturnType<typeof testMachine>; f: number } {
  const m = testMachine(kernel, CFG);
  const [c0] = cpusOf(m);
  swapon(c0, 0);
  const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 0x5a);
  swapOut(c0, f, cached);
  mlock_fixup(c0, 0, true);
  return { m, f };
}

describe('mlock before the mlock batch (5.17)', () => {
  it('a new folio of a VM_LOCKED vma is marked mlocked as it joins the lru_add batch; no mlock batch', () => {
    const m = testMachine('5.17', CFG);
    const [c0] = cpusOf(m);
    mlock_fixup(c0, 0, true);
    const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
    expect([flag(m, f, Pg.mlocked), flag(m, f, Pg.lru)]).toEqual([true, false]);
    expect([folio_batch_count(c0, 0, Batch.lru_add), folio_batch_count(c0, 0, Batch.mlock)]).toEqual([1, 0]);
    lru_add_drain(c0);
    expect([flag(m, f, Pg.unevictable), ref(m, f)]).toEqual([true, 1]);
    expect(violation(m)).toBeNull();
  });

  it('mlock() isolates a present page and puts it back through lru_add: PG_lru clear, a batch reference, no mlock batch', () => {
    const m = testMachine('5.17', CFG);
    const [c0] = cpusOf(m);
    const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
    lru_add_drain(c0);
    mlock_fixup(c0, 0, false);
    expect([flag(m, f, Pg.mlocked), flag(m, f, Pg.lru), ref(m, f)]).toEqual([true, false, 2]);
    expect([folio_batch_count(c0, 0, Batch.lru_add), folio_batch_count(c0, 0, Batch.mlock)]).toEqual([1, 0]);
    lru_add_drain(c0);
    expect([flag(m, f, Pg.unevictable), flag(m, f, Pg.lru), ref(m, f)]).toEqual([true, true, 1]);
    expect(violation(m)).toBeNull();
  });

  it('a swap-in maps the swap-cache folio without mlocking it', () => {
    const { m, f } = swappedOut('5.17', true);
    const [c0] = cpusOf(m);
    expect(user_load(c0, 0, 0)).toBe(0x5a);
    expect(mapped_folio(c0, 0, 0)).toBe(f);
    expect([flag(m, f, Pg.mlocked), folio_batch_count(c0, 0, Batch.mlock)]).toEqual([false, 0]);
    expect(violation(m)).toBeNull();
  });
});

describe('which swap-ins mlock', () => {
  it.each([['5.18', true], ['6.10', true], ['6.11', false], ['7.3', false]] as const)(
    '%s: a folio read in by this fault (never mapped) is mlocked: %s', (kernel, mlocked) => {
      const { m } = swappedOut(kernel, false);
      const [c0] = cpusOf(m);
      expect(user_load(c0, 0, 0)).toBe(0x5a);
      const f = mapped_folio(c0, 0, 0);
      expect([flag(m, f, Pg.mlocked), folio_batch_count(c0, 0, Batch.mlock)]).toEqual([mlocked, mlocked ? 1 : 0]);
      lru_add_drain(c0);
      expect(violation(m)).toBeNull();
    });

  it.each(['5.18', '6.11', '7.3'])('%s: a folio mapped before and kept in the swap cache is mlocked', (kernel) => {
    const { m, f } = swappedOut(kernel, true);
    const [c0] = cpusOf(m);
    user_load(c0, 0, 0);
    expect([flag(m, f, Pg.mlocked), folio_batch_count(c0, 0, Batch.mlock)]).toEqual([true, 1]);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });
});

describe('reclaim of a page in a VM_LOCKED vma that is not mlocked yet', () => {
  it.each(['5.17', '6.11', '7.3'])('%s: it stays mapped, becomes mlocked and unevictable, and gives back its swap slot', (kernel) => {
    const { m } = swappedOut(kernel, kernel !== '5.17' ? false : true);
    const [c0] = cpusOf(m);
    user_load(c0, 0, 0); // 5.17: never mlocked at swap-in; 6.11+: a new anon rmap, not mlocked
    const f = mapped_folio(c0, 0, 0);
    lru_add_drain(c0);
    expect(flag(m, f, Pg.mlocked)).toBe(false);
    for (let pass = 0; pass < 2; pass++) shrink_inactive_list(c0, 32, Lru.INACTIVE_ANON);
    lru_add_drain(c0);
    expect(is_swap_pte(Atomics.load(m.i32, pte_addr(c0, 0, 0)))).toBe(false);
    expect(mapped_folio(c0, 0, 0)).toBe(f);
    expect([flag(m, f, Pg.mlocked), flag(m, f, Pg.unevictable), flag(m, f, Pg.swapcache)]).toEqual([true, true, false]);
    expect(violation(m)).toBeNull();
  });
});

describe('7.3: MADV_FREE moves the folio under the page-table lock, through a batch of its own', () => {
  it('no per-CPU lazyfree batch entry or reference is left when madvise() returns; 6.17 leaves both', () => {
    for (const [kernel, batched] of [['6.17', 1], ['7.3', 0]] as const) {
      const m = testMachine(kernel, CFG);
      const [c0] = cpusOf(m);
      const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
      lru_add_drain(c0);
      expect(madvise_free(c0, 0, 0, 1)).toBe(0);
      expect([folio_batch_count(c0, 0, Batch.lru_lazyfree), ref(m, f), flag(m, f, Pg.swapbacked)], kernel)
        .toEqual([batched, 1 + batched, batched === 1]);
      lru_add_drain(c0);
      expect(violation(m), kernel).toBeNull();
    }
  });
});
