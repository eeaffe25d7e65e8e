// The VM_LOCKED vma (mm/mlock.c mlock_fixup(), mm/swap.c folio_add_lru_vma(), mm/internal.h
// mlock_vma_folio()): which faults queue a folio in the mlock batch, with PG_lru set or clear, and
// what a FOLL_LONGTERM pin of a CMA folio then does per profile (Will Deacon's pKVM report).
import { describe, expect, it } from 'vitest';
import { testMachine, cpusOf, flag, ref, violation, word } from '../../helpers/machine.js';
import { Batch } from '../../../src/shm/layout.js';
import { ENOMEM } from '../../../src/kernel/migrate.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import { mlock_fixup } from '../../../src/kernel/mlock.js';
import { folio_is_longterm_pinnable, Zone } from '../../../src/kernel/page_alloc.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import { pin_user_pages } from '../../../src/kernel/gup.js';
import { lru_add_drain } from '../../../src/kernel/swap.js';
import { swapon } from '../../../src/kernel/swapfile.js';
import { mapped_folio, user_load } from '../../../src/kernel/user.js';
import { swapOut } from '../../../src/scenario/kit.js';

const CFG = { folios: 8, cmaFolios: 2, mms: 1, ptesPerMm: 2, swapSlots: 2 };

describe('faults in a VM_LOCKED vma', () => {
  it('6.16: a new anon folio goes to the mlock batch (mlock_new_folio): PG_mlocked, PG_lru clear until drained', () => {
    const m = testMachine('6.16', CFG);
    const [c0] = cpusOf(m);
    mlock_fixup(c0, 0, true);
    const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
    expect([flag(m, f, Pg.mlocked), flag(m, f, Pg.lru), ref(m, f)]).toEqual([true, false, 2]);
    expect(folio_batch_count(c0, 0, Batch.mlock)).toBe(1);
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(0);
    lru_add_drain(c0);
    expect([flag(m, f, Pg.lru), flag(m, f, Pg.unevictable), ref(m, f)]).toEqual([true, true, 1]);
    expect(violation(m)).toBeNull();
  });

  it('6.16: mlock() without MLOCK_ONFAULT mlocks the present pages through the batch', () => {
    const m = testMachine('6.16', CFG);
    const [c0] = cpusOf(m);
    const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
    lru_add_drain(c0);
    mlock_fixup(c0, 0, false);
    expect([flag(m, f, Pg.mlocked), flag(m, f, Pg.lru), ref(m, f)]).toEqual([true, true, 2]);
    lru_add_drain(c0);
    expect([flag(m, f, Pg.unevictable), ref(m, f)]).toEqual([true, 1]);
    expect(violation(m)).toBeNull();
  });

  /** A CMA folio in the swap cache and on the LRU; the task's page X (address 0) is a swap PTE to it. */
  function swapCached(kernel: string): { m: ReturnType<typeof testMachine>; f: number } {
    const m = testMachine(kernel, CFG);
    const [c0] = cpusOf(m);
    swapon(c0, 0);
    const f = do_anonymous_page(c0, 0, 0, Zone.CMA, 0x9a);
    swapOut(c0, f, true);
    mlock_fixup(c0, 0, true);
    return { m, f };
  }

  it('6.16: a read fault maps the swap-cache folio, frees its slot and mlocks it with PG_lru still set', () => {
    const { m, f } = swapCached('6.16');
    const [c0] = cpusOf(m);
    expect(user_load(c0, 0, 0)).toBe(0x9a);
    expect(mapped_folio(c0, 0, 0)).toBe(f);
    expect([flag(m, f, Pg.swapcache), flag(m, f, Pg.mlocked), flag(m, f, Pg.lru)]).toEqual([false, true, true]);
    expect(folio_batch_count(c0, 0, Batch.mlock)).toBe(1);
    expect(word(m, m.L.SWAP_MAP, 0)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  it.each(['6.16', '6.17'])('%s: a pin on the CPU that faulted migrates it: try_to_migrate() drains this CPU\'s mlock batch', (kernel) => {
    const { m } = swapCached(kernel);
    const [c0] = cpusOf(m);
    user_load(c0, 0, 0);
    const rc = pin_user_pages(c0, 0, 0);
    expect(folio_is_longterm_pinnable(c0, rc)).toBe(true);
    expect(flag(m, rc, Pg.mlocked)).toBe(true);
    expect(violation(m)).toBeNull();
  });

  it('6.16: a pin that faults X in itself (GUP fault-in) mlocks it on this CPU and migrates it the same way', () => {
    const { m, f } = swapCached('6.16');
    const [c0] = cpusOf(m);
    const rc = pin_user_pages(c0, 0, 0);
    expect(rc).not.toBe(f);
    expect(folio_is_longterm_pinnable(c0, rc)).toBe(true);
    expect(violation(m)).toBeNull();
  });

  // (6.17's lru_add_drain_all() of CPU1's batch needs CPU1 to run its work: the scenario
  // gup-pin-mlocked-fault runs that on workers, test/scenarios/corpus.test.ts.)
  it('6.16: faulted on CPU1, pinned on CPU0: PG_lru is set, nothing drains, the pin fails with -ENOMEM', () => {
    const { m, f } = swapCached('6.16');
    const [c0, c1] = cpusOf(m);
    user_load(c1, 0, 0);
    expect(pin_user_pages(c0, 0, 0)).toBe(ENOMEM);
    expect(word(m, m.L.OBS_MIGRATE_FAIL, 3)).toBe(1);
    expect(mapped_folio(c0, 0, 0)).toBe(f);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });
});
