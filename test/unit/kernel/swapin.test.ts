// mm/memory.c do_swap_page() per kernel profile, on one machine (KERNEL.md §2.8, §3.5): read and
// write faults on swap PTEs, the skip-swapcache path of synchronous devices, the exclusive marker
// of the swap PTE (5.19) and its stable-writes exception (inverted in the v1/v2 postings), and
// backing out when the PTE changed meanwhile.
import { describe, expect, it } from 'vitest';
import { type TestMachine, countEvents, flag, fword, ref, violation, word } from '../../helpers/machine.js';
import { Batch, CPU_STRIDE, TRACE_EVENT_WORDS } from '../../../src/shm/layout.js';
import { copy_page_range } from '../../../src/kernel/fork.js';
import { do_swap_page } from '../../../src/kernel/memory-swapin.js';
import { complete_swap_writes } from '../../../src/kernel/page_io.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import {
  is_swap_pte, mk_pte, PTE_DIRTY, PTE_WRITE, PTE_YOUNG, pte_swp_exclusive, pte_swp_offset, swp_entry_to_pte,
} from '../../../src/kernel/pgtable.js';
import { S } from '../../../src/kernel/sites.js';
import { lru_add_drain } from '../../../src/kernel/swap.js';
import { SWAP_HAS_CACHE, SwapDevice } from '../../../src/kernel/swapfile.js';
import { mapped_folio, peek_user, user_load, user_store } from '../../../src/kernel/user.js';
import { pageOut, swapOut } from '../../../src/scenario/kit.js';
import type { CpuContext } from '../../../src/cpu/context.js';
import { D0, D1, pte, swapMap, swapCache, mapcount, allocated, data, machine } from '../../helpers/swap.js';

const ALL = ['5.17', '5.17-liang', '5.17-willy', '5.18', '5.19-swp-v2', '5.19', '6.10', '6.11', '6.17'] as const;
const ANON_EXCLUSIVE = ['5.19-swp-v2', '5.19', '6.10', '6.11', '6.17'] as const;
/** do_swap_page()'s trace value: how it mapped the folio. */
const READ_ONLY = 0;
const WRITABLE = 1;

/** How many do_swap_page() mappings CPU `c` traced with trace value `how` (READ_ONLY / WRITABLE). */
function swapins(m: TestMachine, c: number, how: number): number {
  const cap = m.L.config.traceCapacity;
  const n = Math.min(cap, Atomics.load(m.i32, m.L.TRACE_LEN + c * CPU_STRIDE));
  let count = 0;
  for (let i = 0; i < n; i++) {
    const at = m.L.TRACE + (c * cap + i) * TRACE_EVENT_WORDS;
    if (m.i32[at + 1] === S.do_swap_page && m.i32[at + 3] === how) count++;
  }
  return count;
}

/** D0 at mm 0 / addr 0, swapped out completely (freed); returns its slot. */
function swappedOut(m: TestMachine, c: CpuContext): number {
  const f = user_store(c, 0, 0, D0);
  lru_add_drain(c);
  swapOut(c, f);
  expect(fword(m, m.L.FOLIO_ALLOC, f)).toBe(0);
  return pte_swp_offset(pte(m, 0, 0));
}

describe('read fault', () => {
  it.each(ALL)('%s: maps the swap-cache page read-only and young, and frees one swap user (the forked child keeps its own)', (kernel) => {
    const { m, c0 } = machine(kernel);
    const slot = swappedOut(m, c0);
    copy_page_range(c0, 0, 1);
    expect(swapMap(m, slot)).toBe(2);
    expect(user_load(c0, 0, 0)).toBe(D0);
    const x = mapped_folio(c0, 0, 0);
    expect(pte(m, 0, 0)).toBe(mk_pte(x, PTE_YOUNG));
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    expect(swapCache(m, slot)).toBe(x);
    expect(flag(m, x, Pg.swapcache)).toBe(true);
    expect(mapcount(m, x)).toBe(1);
    expect(ref(m, x)).toBe(3); // PTE + swap cache + CPU0's lru_add slot
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(1);
    expect(pte(m, 1, 0)).toBe(swp_entry_to_pte(slot, false));
    expect(swapins(m, 0, READ_ONLY)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: the sole user\'s read fault keeps the (clean) swap cache; the slot has no user left', (kernel) => {
    const { m, c0 } = machine(kernel);
    const slot = swappedOut(m, c0);
    user_load(c0, 0, 0);
    const x = mapped_folio(c0, 0, 0);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE);
    expect(flag(m, x, Pg.swapcache)).toBe(true);
    expect(flag(m, x, Pg.dirty)).toBe(false);
    expect(pte(m, 0, 0) & PTE_WRITE).toBe(0);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });
});

describe('skip-swapcache (SYNCHRONOUS_IO device, swap count 1)', () => {
  it.each(ALL)('%s: reads into a private folio that never enters the swap cache; the slot is freed', (kernel) => {
    const { m, c0 } = machine(kernel, SwapDevice.SYNCHRONOUS_IO);
    const slot = swappedOut(m, c0);
    const adds = countEvents(m, 0, S.add_to_swap_cache);
    expect(user_load(c0, 0, 0)).toBe(D0);
    const x = mapped_folio(c0, 0, 0);
    expect(countEvents(m, 0, S.add_to_swap_cache)).toBe(adds);
    expect(countEvents(m, 0, S.swap_read_folio, x)).toBe(1);
    expect(flag(m, x, Pg.swapcache)).toBe(false);
    expect(fword(m, m.L.FOLIO_SWAP, x)).toBe(-1);
    expect(swapCache(m, slot)).toBe(-1);
    expect(swapMap(m, slot)).toBe(0);
    expect(data(m, x)).toBe(D0);
    expect(pte(m, 0, 0)).toBe(mk_pte(x, PTE_YOUNG));
    expect(ref(m, x)).toBe(2); // PTE + CPU0's lru_add slot
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(1);
    expect(flag(m, x, Pg.locked)).toBe(false);
    expect(violation(m)).toBeNull();
  });

  it.each(ANON_EXCLUSIVE)('%s: such a folio is certainly exclusive: PG_anon_exclusive even on a read fault', (kernel) => {
    const { m, c0 } = machine(kernel, SwapDevice.SYNCHRONOUS_IO);
    swappedOut(m, c0);
    user_load(c0, 0, 0);
    expect(flag(m, mapped_folio(c0, 0, 0), Pg.anon_exclusive)).toBe(true);
  });

  it.each(['5.18', '5.19'])('%s: a write fault maps it writable at once (no do_wp_page)', (kernel) => {
    const { m, c0 } = machine(kernel, SwapDevice.SYNCHRONOUS_IO);
    swappedOut(m, c0);
    const x = user_store(c0, 0, 0, D1);
    expect(pte(m, 0, 0)).toBe(mk_pte(x, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
    expect(swapins(m, 0, WRITABLE)).toBe(1);
    expect(countEvents(m, 0, S.wp_page_copy) + countEvents(m, 0, S.wp_page_reuse)).toBe(0);
    expect(data(m, x)).toBe(D1);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it.each(['5.17', '5.18', '5.19'])('%s: with two swap users (after fork) the sync device goes through the swap cache', (kernel) => {
    const { m, c0 } = machine(kernel, SwapDevice.SYNCHRONOUS_IO);
    const slot = swappedOut(m, c0);
    copy_page_range(c0, 0, 1);
    user_load(c0, 0, 0);
    const x = mapped_folio(c0, 0, 0);
    expect(flag(m, x, Pg.swapcache)).toBe(true);
    expect(swapCache(m, slot)).toBe(x);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    expect(user_load(c0, 1, 0)).toBe(D0);
    expect(mapped_folio(c0, 1, 0)).toBe(x);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });
});

describe('write fault of the sole user', () => {
  it.each([
    { kernel: '5.17', refAfter: 2 }, // reuse_swap_page(); no drain: CPU0's lru_add slot remains
    { kernel: '5.18', refAfter: 1 }, // local drain first, then the swap cache is freed
    { kernel: '5.19', refAfter: 1 },
    { kernel: '6.17', refAfter: 1 },
  ])('$kernel: maps writable and dirty and frees the swap cache (slot free, PG_dirty)', ({ kernel, refAfter }) => {
    const { m, c0 } = machine(kernel);
    const slot = swappedOut(m, c0);
    const x = user_store(c0, 0, 0, D1);
    expect(pte(m, 0, 0)).toBe(mk_pte(x, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
    expect(swapins(m, 0, WRITABLE)).toBe(1);
    expect(countEvents(m, 0, S.wp_page_copy)).toBe(0);
    expect(flag(m, x, Pg.swapcache)).toBe(false);
    expect(flag(m, x, Pg.dirty)).toBe(true);
    expect(swapCache(m, slot)).toBe(-1);
    expect(swapMap(m, slot)).toBe(0);
    expect(data(m, x)).toBe(D1);
    expect(ref(m, x)).toBe(refAfter);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it.each(['5.18', '5.19'])('%s: with a forked child still using the slot, the write copies and the child keeps D0', (kernel) => {
    const { m, c0, c1 } = machine(kernel);
    const slot = swappedOut(m, c0);
    copy_page_range(c0, 0, 1);
    const y = user_store(c0, 0, 0, D1);
    expect(swapins(m, 0, READ_ONLY)).toBe(1);
    const x = swapCache(m, slot);
    expect(x).toBeGreaterThanOrEqual(0);
    expect(y).not.toBe(x);
    expect(countEvents(m, 0, S.wp_page_copy, x)).toBe(1);
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE | 1);
    expect(mapcount(m, x)).toBe(0);
    expect(user_load(c1, 1, 0)).toBe(D0);
    expect(mapped_folio(c1, 1, 0)).toBe(x);
    lru_add_drain(c0);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });

  it('5.18: the swap-in lands in another CPU\'s batch first (readahead there): the write copies', () => {
    const { m, c0, c1 } = machine('5.18');
    const slot = swappedOut(m, c0);
    user_load(c1, 0, 0); // a thread of the same process on CPU1 read it first
    const x = mapped_folio(c0, 0, 0);
    expect(folio_batch_count(c1, 1, Batch.lru_add)).toBe(1);
    const y = user_store(c0, 0, 0, D1);
    expect(y).not.toBe(x);
    expect(swapCache(m, slot)).toBe(-1); // the idle old page left the swap cache after the copy
    lru_add_drain(c0);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });
});

describe('5.19: the exclusive marker of the swap PTE', () => {
  it.each([
    { kernel: '5.18', reuse: false },
    { kernel: '5.19', reuse: true },
    { kernel: '5.19-swp-v2', reuse: true },
    { kernel: '6.17', reuse: true },
  ])('$kernel: read fault (on another CPU), then write: reuse=$reuse', ({ kernel, reuse }) => {
    const { m, c0, c1 } = machine(kernel);
    const slot = swappedOut(m, c0);
    expect(pte_swp_exclusive(pte(m, 0, 0))).toBe(kernel !== '5.18');
    user_load(c1, 0, 0);
    const x = mapped_folio(c0, 0, 0);
    expect(pte(m, 0, 0) & PTE_WRITE).toBe(0);
    expect(flag(m, x, Pg.anon_exclusive)).toBe(reuse);
    const y = user_store(c0, 0, 0, D1);
    expect(y === x).toBe(reuse);
    expect(countEvents(m, 0, S.wp_page_reuse, x)).toBe(reuse ? 1 : 0);
    expect(countEvents(m, 0, S.wp_page_copy, x)).toBe(reuse ? 0 : 1);
    expect(swapCache(m, slot)).toBe(reuse ? x : -1); // a copy lets the idle old page go
    lru_add_drain(c0);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });

  it('5.19: a forked child\'s swap PTE carries no marker: its read fault does not make the page exclusive', () => {
    const { m, c0, c1 } = machine('5.19');
    swappedOut(m, c0);
    copy_page_range(c0, 0, 1);
    user_load(c1, 1, 0);
    const x = mapped_folio(c0, 1, 0);
    expect(flag(m, x, Pg.anon_exclusive)).toBe(false);
    expect(is_swap_pte(pte(m, 0, 0))).toBe(true);
    lru_add_drain(c1);
    expect(violation(m)).toBeNull();
  });
});

describe('swap-in of a page still under writeback (async device)', () => {
  it.each([
    { kernel: '5.19', device: SwapDevice.STABLE_WRITES, dev: 'STABLE_WRITES', copy: true, torn: false },
    { kernel: '6.17', device: SwapDevice.STABLE_WRITES, dev: 'STABLE_WRITES', copy: true, torn: false },
    { kernel: '5.19-swp-v2', device: SwapDevice.STABLE_WRITES, dev: 'STABLE_WRITES', copy: false, torn: true },
    { kernel: '5.19', device: 0, dev: 'non-stable', copy: false, torn: false },
    { kernel: '5.19-swp-v2', device: 0, dev: 'non-stable', copy: true, torn: false },
  ])('$kernel, $dev device: write fault copies=$copy; page changed under writeback=$torn', ({ kernel, device, copy, torn }) => {
    const { m, c0, c1 } = machine(kernel, device);
    const f = user_store(c0, 0, 0, D0);
    lru_add_drain(c0);
    expect(pageOut(c1, f)).toBe(0);
    const slot = pte_swp_offset(pte(m, 0, 0));
    expect(pte_swp_exclusive(pte(m, 0, 0))).toBe(true);
    expect(flag(m, f, Pg.writeback)).toBe(true);
    const y = user_store(c0, 0, 0, D1);
    expect(y !== f).toBe(copy);
    expect(flag(m, f, Pg.anon_exclusive)).toBe(!copy);
    expect(data(m, f)).toBe(copy ? D0 : D1);
    expect(data(m, y)).toBe(D1);
    expect(pte(m, 0, 0)).toBe(mk_pte(y, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
    expect(flag(m, f, Pg.swapcache)).toBe(true); // under writeback the cache cannot be freed
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE);
    expect(complete_swap_writes(c1)).toBe(1);
    expect(word(m, m.L.SWAP_DATA, slot)).toBe(copy ? D0 : D1);
    expect(word(m, m.L.OBS_STABLE_WRITE, 0)).toBe(torn ? 1 : 0);
    lru_add_drain(c0);
    lru_add_drain(c1);
    if (torn) expect(violation(m)).toEqual({ code: 14, subject: f, a: D0, b: D1 });
    else expect(violation(m)).toBeNull();
  });

  it('5.19-swp-v2 with a synchronous stable-writes device (zram-like): writeback is never seen, nothing torn', () => {
    const { m, c0 } = machine('5.19-swp-v2', SwapDevice.SYNCHRONOUS_IO | SwapDevice.STABLE_WRITES);
    const f = user_store(c0, 0, 0, D0);
    lru_add_drain(c0);
    expect(pageOut(c0, f)).toBe(1); // written and freed in one go
    const x = user_store(c0, 0, 0, D1);
    expect(data(m, x)).toBe(D1);
    expect(word(m, m.L.SWAP_DATA, 0)).toBe(D0);
    expect(word(m, m.L.OBS_STABLE_WRITE, 0)).toBe(0);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it('5.18 read fault during writeback: mapped read-only, the swap cache and the write unaffected', () => {
    const { m, c0 } = machine('5.18', SwapDevice.STABLE_WRITES);
    const f = user_store(c0, 0, 0, D0);
    lru_add_drain(c0);
    pageOut(c0, f);
    const slot = pte_swp_offset(pte(m, 0, 0));
    expect(user_load(c0, 0, 0)).toBe(D0);
    expect(pte(m, 0, 0)).toBe(mk_pte(f, PTE_YOUNG));
    expect(swapMap(m, slot)).toBe(SWAP_HAS_CACHE);
    expect(flag(m, f, Pg.writeback)).toBe(true);
    complete_swap_writes(c0);
    lru_add_drain(c0);
    expect(word(m, m.L.OBS_STABLE_WRITE, 0)).toBe(0);
    expect(violation(m)).toBeNull();
  });
});

describe('the PTE changed meanwhile', () => {
  it.each(ALL)('%s: another CPU faulted the page in first: do_swap_page backs out, nothing changes', (kernel) => {
    const { m, c0, c1 } = machine(kernel);
    swappedOut(m, c0);
    const orig = pte(m, 0, 0);
    const slot = pte_swp_offset(orig);
    user_load(c1, 0, 0); // CPU1 wins: mapped read-only, the page stays in the swap cache
    lru_add_drain(c1);
    const x = mapped_folio(c0, 0, 0);
    const before = { ref: ref(m, x), map: swapMap(m, slot), pte: pte(m, 0, 0), allocated: allocated(m) };
    expect(before.ref).toBe(2);
    do_swap_page(c0, 0, 0, orig, false); // CPU0 read the swap PTE before CPU1 mapped it
    expect({ ref: ref(m, x), map: swapMap(m, slot), pte: pte(m, 0, 0), allocated: allocated(m) }).toEqual(before);
    expect(mapcount(m, x)).toBe(1);
    expect(flag(m, x, Pg.locked)).toBe(false);
    expect(violation(m)).toBeNull();
  });

  it.each(['5.18', '5.19'])('%s: the slot was freed meanwhile (the other CPU\'s write fault): no folio is left behind', (kernel) => {
    const { m, c0, c1 } = machine(kernel);
    const slot = swappedOut(m, c0);
    const orig = pte(m, 0, 0);
    user_store(c1, 0, 0, D1);
    lru_add_drain(c1);
    expect(swapMap(m, slot)).toBe(0);
    const x = mapped_folio(c0, 0, 0);
    const n = allocated(m);
    do_swap_page(c0, 0, 0, orig, true);
    expect(allocated(m)).toBe(n);
    expect(pte(m, 0, 0)).toBe(mk_pte(x, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
    expect(ref(m, x)).toBe(1);
    expect(swapMap(m, slot)).toBe(0);
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  it('5.19, synchronous device: the private folio read for a stale PTE is freed again', () => {
    const { m, c0 } = machine('5.19', SwapDevice.SYNCHRONOUS_IO);
    const slot = swappedOut(m, c0);
    const orig = pte(m, 0, 0);
    expect(orig).toBe(swp_entry_to_pte(slot, true));
    // the PTE changed after the fault read it (here: the marker dropped by hand), count still 1
    Atomics.store(m.i32, m.L.PTE, swp_entry_to_pte(slot, false));
    const n = allocated(m);
    const reads = countEvents(m, 0, S.swap_read_folio);
    do_swap_page(c0, 0, 0, orig, false);
    expect(countEvents(m, 0, S.swap_read_folio)).toBe(reads + 1); // skip-swapcache read done …
    expect(pte(m, 0, 0)).toBe(swp_entry_to_pte(slot, false));
    expect(swapMap(m, slot)).toBe(1);
    // queued in this CPU's lru_add batch before the read, as the kernel does; freed when it drains
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(1);
    lru_add_drain(c0);
    expect(allocated(m)).toBe(n);
    expect(violation(m)).toBeNull();
    expect(peek_user(c0, 0, 0)).toBe(D0);
  });
});
