// mm/swap.c on one machine, called from the test thread: the lru_add batch and its drain, the
// activate batch per profile (PG_lru cleared at drain in 6.10/6.17, at enqueue in 6.11), the
// flush rules, the release path and lru_add_drain_all() when no remote CPU has work.
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine, countEvents, cpuWord, cpusOf, flag, list, ref, violation, word, fword } from '../../helpers/machine.js';
import { Batch, Ctrl, Lru, FOLIO_STRIDE } from '../../../src/shm/layout.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import { folio_alloc, Zone } from '../../../src/kernel/page_alloc.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import { S, type SiteId } from '../../../src/kernel/sites.js';
import { folio_activate, folio_add_lru, folio_put, lru_add_drain, lru_add_drain_all } from '../../../src/kernel/swap.js';
import { folio_isolate_lru, folio_putback_lru } from '../../../src/kernel/vmscan.js';

const ALL = ['6.10', '6.11', '6.17'] as const;
const CLEAR_AT_DRAIN = ['6.10', '6.17'] as const;


/** A mapped anon folio (one PTE at `addr` of mm 0) on the inactive anon list. */
function lruFolio(m: TestMachine, addr = 0): number {
  const [c0] = cpusOf(m);
  const f = do_anonymous_page(c0, 0, addr, Zone.NORMAL, 0x100 + addr);
  lru_add_drain(c0);
  return f;
}

/** Trace events of CPU `c` at `site` about folio `f`. */
const traced = (m: TestMachine, c: number, site: SiteId, f: number): number => countEvents(m, c, site, f);

describe('folio_add_lru and lru_add_drain', () => {
  it.each(ALL)('%s: a new folio waits in lru_add with a batch ref and the drain puts it on inactive_anon with PG_lru', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 7);
    expect(ref(m, f)).toBe(2);
    expect(flag(m, f, Pg.lru)).toBe(false);
    expect(list(m, f)).toBe(-1);
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(1);
    expect(violation(m)).toBeNull();
    lru_add_drain(c0);
    expect(ref(m, f)).toBe(1);
    expect(flag(m, f, Pg.lru)).toBe(true);
    expect(flag(m, f, Pg.active)).toBe(false);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(word(m, m.L.LRU_SIZE, Lru.INACTIVE_ANON)).toBe(1);
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  it.each([
    { size: 15, patches: { 'folio-batch-31': false } },
    { size: 31, patches: {} },
  ])('6.10 with batch size $size: adds stay batched until add number $size flushes the whole batch', ({ size, patches }) => {
    const m = testMachine('6.10', { folios: 40, cmaFolios: 0, ptesPerMm: 40 }, patches);
    const [c0] = cpusOf(m);
    expect(m.L.config.batchSize).toBe(size);
    const folios: number[] = [];
    for (let a = 0; a < size - 1; a++) folios.push(do_anonymous_page(c0, 0, a, Zone.NORMAL, a));
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(size - 1);
    expect(folios.every((f) => list(m, f) === -1 && ref(m, f) === 2)).toBe(true);
    folios.push(do_anonymous_page(c0, 0, size - 1, Zone.NORMAL, 0));
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(0);
    expect(folios.every((f) => list(m, f) === Lru.INACTIVE_ANON && ref(m, f) === 1)).toBe(true);
    expect(word(m, m.L.LRU_SIZE, Lru.INACTIVE_ANON)).toBe(size);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: with lru_cache_disabled() a single folio_add_lru flushes at once', (kernel) => {
    const m = testMachine(kernel);
    Atomics.store(m.i32, m.L.CTRL + Ctrl.LRU_DISABLE_COUNT, 1);
    const f = do_anonymous_page(cpusOf(m)[0], 0, 0, Zone.NORMAL, 1);
    expect(folio_batch_count(cpusOf(m)[0], 0, Batch.lru_add)).toBe(0);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(ref(m, f)).toBe(1);
  });

  it.each(ALL)('%s: folio_put of the last reference takes the folio off its list and frees it', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = folio_alloc(c0, Zone.NORMAL);
    Atomics.store(m.i32, m.L.OBS_EXTRA + f * FOLIO_STRIDE, 1); // the allocation reference, for the ledger
    folio_add_lru(c0, f);
    lru_add_drain(c0);
    expect(list(m, f)).toBe(Lru.INACTIVE_FILE); // not swapbacked: file LRU
    expect(violation(m)).toBeNull();
    folio_put(c0, f);
    expect(ref(m, f)).toBe(0);
    expect(fword(m, m.L.FOLIO_ALLOC, f)).toBe(0);
    expect(fword(m, m.L.FOLIO_FLAGS, f)).toBe(0);
    expect(list(m, f)).toBe(-1);
    expect(word(m, m.L.LRU_SIZE, Lru.INACTIVE_FILE)).toBe(0);
    expect(violation(m)).toBeNull();
  });
});

describe('folio_activate', () => {
  it.each(CLEAR_AT_DRAIN)('%s: folio_activate keeps PG_lru, takes a batch reference, and the drain activates', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = lruFolio(m);
    expect(folio_activate(c0, f)).toBe(true);
    expect(flag(m, f, Pg.lru)).toBe(true);
    expect(ref(m, f)).toBe(2);
    expect(folio_batch_count(c0, 0, Batch.lru_activate)).toBe(1);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(violation(m)).toBeNull();
    lru_add_drain(c0);
    expect(list(m, f)).toBe(Lru.ACTIVE_ANON);
    expect(flag(m, f, Pg.active)).toBe(true);
    expect(flag(m, f, Pg.lru)).toBe(true);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: folio_activate of an already active folio queues nothing', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = lruFolio(m);
    folio_activate(c0, f);
    lru_add_drain(c0);
    expect(folio_activate(c0, f)).toBe(false);
    expect(ref(m, f)).toBe(1);
    expect(folio_batch_count(c0, 0, Batch.lru_activate)).toBe(0);
  });

  /** CPU0 queues the folio for activation, then CPU1 tries the same. */
  function activateTwice(patches: Record<string, boolean>) {
    const m = testMachine('6.11', {}, patches);
    const [c0, c1] = cpusOf(m);
    const f = lruFolio(m);
    expect(folio_activate(c0, f)).toBe(true);
    expect(flag(m, f, Pg.lru)).toBe(false);
    expect(ref(m, f)).toBe(2);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(violation(m)).toBeNull();
    expect(folio_activate(c1, f)).toBe(false);
    expect(ref(m, f)).toBe(2);
    expect(folio_batch_count(c1, 1, Batch.lru_activate)).toBe(0);
    expect(violation(m)).toBeNull();
    lru_add_drain(c0);
    expect(list(m, f)).toBe(Lru.ACTIVE_ANON);
    expect(flag(m, f, Pg.lru)).toBe(true);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
    return { m, f };
  }

  it('6.11: folio_activate clears PG_lru at enqueue; a second enqueue on another CPU fails after a transient get/put', () => {
    const { m, f } = activateTwice({});
    expect(traced(m, 1, S.folio_get, f)).toBe(1);
    expect(traced(m, 1, S.folio_put, f)).toBe(1);
  });

  it('6.11 + ref-after-lru-test: the losing folio_activate takes no reference at all', () => {
    const { m, f } = activateTwice({ 'ref-after-lru-test': true });
    expect(traced(m, 1, S.folio_get, f)).toBe(0);
    expect(traced(m, 1, S.folio_put, f)).toBe(0);
  });

  it('6.11: folio_isolate_lru fails while another CPU\'s activate batch owns PG_lru', () => {
    const m = testMachine('6.11');
    const [c0, c1] = cpusOf(m);
    const f = lruFolio(m);
    folio_activate(c1, f);
    expect(folio_isolate_lru(c0, f)).toBe(false);
    expect(ref(m, f)).toBe(2);
    expect(fword(m, m.L.OBS_ISOLATED, f)).toBe(0);
    lru_add_drain(c1);
    expect(list(m, f)).toBe(Lru.ACTIVE_ANON);
    expect(violation(m)).toBeNull();
  });

  it.each(CLEAR_AT_DRAIN)('%s: folio_batch_move_lru skips a folio isolated after folio_activate but still drops the batch ref', (kernel) => {
    const m = testMachine(kernel);
    const [c0, c1] = cpusOf(m);
    const f = lruFolio(m);
    folio_activate(c1, f);
    expect(folio_isolate_lru(c0, f)).toBe(true);
    expect(ref(m, f)).toBe(3); // PTE + activate batch + isolation
    expect(violation(m)).toBeNull();
    lru_add_drain(c1);
    expect(traced(m, 1, S.folio_batch_move_lru_skip, f)).toBe(1);
    expect(folio_batch_count(c1, 1, Batch.lru_activate)).toBe(0);
    expect(ref(m, f)).toBe(2);
    expect(flag(m, f, Pg.active)).toBe(false);
    expect(flag(m, f, Pg.lru)).toBe(false);
    expect(list(m, f)).toBe(-1);
    expect(violation(m)).toBeNull();
    folio_putback_lru(c0, f);
    lru_add_drain(c0);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });
});

describe('lru_add_drain_all with no remote work', () => {
  it.each(ALL)('%s: with every batch empty it bumps LRU_DRAIN_GEN once and queues no work', (kernel) => {
    const m = testMachine(kernel);
    lru_add_drain_all(cpusOf(m)[0]);
    expect(word(m, m.L.CTRL, Ctrl.LRU_DRAIN_GEN)).toBe(1);
    expect(cpuWord(m, m.L.WORK_REQ, 0)).toBe(0);
    expect(cpuWord(m, m.L.WORK_REQ, 1)).toBe(0);
    expect(word(m, m.L.CTRL, Ctrl.DRAIN_ALL_MUTEX)).toBe(0);
  });

  it.each(ALL)('%s: this CPU\'s pending lru_add batch is drained by its own queued work item', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
    lru_add_drain_all(c0);
    expect(word(m, m.L.CTRL, Ctrl.LRU_DRAIN_GEN)).toBe(1);
    expect(cpuWord(m, m.L.WORK_REQ, 0)).toBe(1);
    expect(cpuWord(m, m.L.WORK_DONE, 0)).toBe(1);
    expect(cpuWord(m, m.L.WORK_REQ, 1)).toBe(0);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it('6.10 + drain-all-local-first: this CPU drains before counting, so no work item is queued', () => {
    const m = testMachine('6.10', {}, { 'drain-all-local-first': true });
    const [c0] = cpusOf(m);
    const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
    lru_add_drain_all(c0);
    expect(word(m, m.L.CTRL, Ctrl.LRU_DRAIN_GEN)).toBe(1);
    expect(cpuWord(m, m.L.WORK_REQ, 0)).toBe(0);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(violation(m)).toBeNull();
  });
});
