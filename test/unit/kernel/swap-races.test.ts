// Two races inside single swap operations, found by running a second CPU's operations at each
// preemption point of the first (atFirst() stands in for the scheduler). Each test pins the
// kernel's ordering: it fails on the ordering the model had before.
import { describe, expect, it } from 'vitest';
import { testMachine, cpusOf, flag, word, violation } from '../../helpers/machine.js';
import { atFirst } from '../../helpers/interleave.js';
import { S } from '../../../src/kernel/sites.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import { complete_swap_writes, end_swap_bio_write } from '../../../src/kernel/page_io.js';
import { Zone } from '../../../src/kernel/page_alloc.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import { lru_add_drain } from '../../../src/kernel/swap.js';
import { SWAP_HAS_CACHE, SwapDevice, swapon } from '../../../src/kernel/swapfile.js';
import { user_load, user_store } from '../../../src/kernel/user.js';
import { pageOut, swapOut } from '../../../src/scenario/kit.js';

const CFG = { folios: 8, cmaFolios: 0, mms: 1, ptesPerMm: 2, swapSlots: 4 };

describe('end_swap_bio_write(): PG_reclaim is consumed while PG_writeback still holds the folio', () => {
  it.each(['5.19', '6.10', '6.11'])('%s: a folio freed and reused in the completion window keeps its own PG_reclaim', (kernel) => {
    const m = testMachine(kernel, CFG);
    const [c0, c1] = cpusOf(m);
    swapon(c0, 0); // asynchronous
    const f0 = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
    lru_add_drain(c0);
    pageOut(c0, f0); // write in flight, PG_reclaim set
    expect(flag(m, f0, Pg.reclaim)).toBe(true);
    let reused = -1;
    const fired = atFirst(c1, () => !flag(m, f0, Pg.writeback), () => {
      pageOut(c0, f0); // reclaim comes back for it
      reused = user_store(c0, 0, 1, 7); // another page, maybe in the same folio slot
      lru_add_drain(c0);
      pageOut(c0, reused); // its own write in flight, its own PG_reclaim
    });
    end_swap_bio_write(c1, 0);
    expect(fired()).toBe(true);
    expect(flag(m, reused, Pg.writeback)).toBe(true);
    expect(flag(m, reused, Pg.reclaim)).toBe(true); // not consumed by f0's completion
    complete_swap_writes(c1);
    lru_add_drain(c0);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });
});

describe('do_swap_page() skipping the swap cache (synchronous device, one user)', () => {
  /** P's page swapped out to a synchronous device: its PTE names slot 0, count 1. */
  function swappedOut(kernel: string): ReturnType<typeof testMachine> {
    const m = testMachine(kernel, CFG);
    const [c0] = cpusOf(m);
    swapon(c0, SwapDevice.SYNCHRONOUS_IO);
    swapOut(c0, do_anonymous_page(c0, 0, 0, Zone.NORMAL, 0xd0));
    expect(word(m, m.L.SWAP_MAP, 0)).toBe(1);
    return m;
  }

  it.each(['6.10', '6.17'])('%s (13ddaf26be32): the fault holds SWAP_HAS_CACHE while it reads, then lets go', (kernel) => {
    const m = swappedOut(kernel);
    const [c0] = cpusOf(m);
    let claimed = -1;
    atFirst(c0, (site) => site === S.folio_lock, () => { claimed = word(m, m.L.SWAP_MAP, 0) & SWAP_HAS_CACHE; });
    expect(user_load(c0, 0, 0)).toBe(0xd0);
    expect(claimed).toBe(SWAP_HAS_CACHE);
    expect(word(m, m.L.SWAP_MAP, 0)).toBe(0); // no users, no claim: the slot is free
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it.each(['5.18', '5.19'])('%s (before v6.8): another fault can free and reuse the slot meanwhile, and a write is lost', (kernel) => {
    const m = swappedOut(kernel);
    const [c0, c1] = cpusOf(m);
    atFirst(c0, (site) => site === S.folio_lock, () => {
      expect(word(m, m.L.SWAP_MAP, 0) & SWAP_HAS_CACHE).toBe(0);
      const f = user_store(c1, 0, 0, 0xd1); // a thread of P writes: its own swap-in frees slot 0
      lru_add_drain(c1);
      pageOut(c1, f); // and reclaim hands slot 0 out again: the same swap PTE value
    });
    expect(user_load(c0, 0, 0)).toBe(0xd0); // CPU0 maps the stale page: 0xd1 is lost
  });
});

describe('complete_swap_writes() on two CPUs at once', () => {
  it.each(['5.17', '6.10'])('%s: each write in flight completes exactly once, on the CPU that claims it', (kernel) => {
    const m = testMachine(kernel, CFG);
    const [c0, c1] = cpusOf(m);
    swapon(c0, 0); // asynchronous
    const f0 = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
    lru_add_drain(c0);
    pageOut(c0, f0); // write in flight
    let n1 = -1;
    const fired = atFirst(c0, (s) => s === S.swap_write_done, () => { n1 = complete_swap_writes(c1); });
    const n0 = complete_swap_writes(c0);
    expect(fired()).toBe(true);
    expect([n0, n1]).toEqual([0, 1]);
    expect(flag(m, f0, Pg.writeback)).toBe(false);
    expect(violation(m)).toBeNull();
  });
});
