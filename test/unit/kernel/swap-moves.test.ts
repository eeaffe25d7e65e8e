// mm/swap.c, continued: the list each non-add batch moves a folio to (deactivate, lazyfree,
// deactivate_file, move_tail) and folio_mark_accessed()'s two-step activation, per profile.
// (swap.ts is large enough to need two test files; this one holds the move functions.)
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine, cpusOf, flag, list, ref, violation, word, fword } from '../../helpers/machine.js';
import { Batch, Lru, type BatchId, FOLIO_STRIDE } from '../../../src/shm/layout.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import { folio_alloc, Zone } from '../../../src/kernel/page_alloc.js';
import { folio_set, Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import {
  deactivate_file_folio, folio_activate, folio_add_lru, folio_deactivate, folio_mark_accessed, folio_mark_lazyfree,
  folio_rotate_reclaimable, lru_add_drain,
} from '../../../src/kernel/swap.js';
import type { CpuContext } from '../../../src/cpu/context.js';

const ALL = ['6.10', '6.11', '6.17'] as const;


/** A mapped anon folio on the inactive (or, with `active`, the active) anon list. */
function mappedFolio(m: TestMachine, active = false): number {
  const [c0] = cpusOf(m);
  const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 0x55);
  lru_add_drain(c0);
  if (active) { folio_activate(c0, f); lru_add_drain(c0); }
  return f;
}

/** An unmapped anon folio on the inactive or active anon list; the allocation ref is OBS_EXTRA. */
function unmappedFolio(m: TestMachine, active = false): number {
  const [c0] = cpusOf(m);
  const f = folio_alloc(c0, Zone.NORMAL);
  Atomics.store(m.i32, m.L.OBS_EXTRA + f * FOLIO_STRIDE, 1);
  folio_set(c0, f, Pg.anon);
  folio_set(c0, f, Pg.swapbacked);
  if (active) folio_set(c0, f, Pg.active);
  folio_add_lru(c0, f);
  lru_add_drain(c0);
  return f;
}

/** Queues `f` with `op` on CPU0 and checks the batch state per profile before draining. */
function queueAndDrain(m: TestMachine, f: number, op: (c: CpuContext, f: number) => boolean, b: BatchId): void {
  const [c0] = cpusOf(m);
  const before = ref(m, f);
  expect(op(c0, f)).toBe(true);
  expect(ref(m, f)).toBe(before + 1);
  expect(folio_batch_count(c0, 0, b)).toBe(1);
  expect(flag(m, f, Pg.lru)).toBe(!c0.k.lruClearAtEnqueue);
  expect(violation(m)).toBeNull();
  lru_add_drain(c0);
  expect(folio_batch_count(c0, 0, b)).toBe(0);
  expect(ref(m, f)).toBe(before);
  expect(flag(m, f, Pg.lru)).toBe(true);
  expect(violation(m)).toBeNull();
}

describe('non-add batches: where the drain moves the folio', () => {
  it.each(ALL)('%s: folio_deactivate moves an active folio to inactive_anon, clearing PG_active and PG_referenced', (kernel) => {
    const m = testMachine(kernel);
    const f = mappedFolio(m, true);
    folio_set(cpusOf(m)[0], f, Pg.referenced);
    queueAndDrain(m, f, folio_deactivate, Batch.lru_deactivate);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(flag(m, f, Pg.active)).toBe(false);
    expect(flag(m, f, Pg.referenced)).toBe(false);
  });

  it.each(ALL)('%s: folio_deactivate of an inactive folio queues nothing and takes no reference', (kernel) => {
    const m = testMachine(kernel);
    const f = mappedFolio(m);
    expect(folio_deactivate(cpusOf(m)[0], f)).toBe(false);
    expect(ref(m, f)).toBe(1);
    expect(flag(m, f, Pg.lru)).toBe(true);
    expect(folio_batch_count(cpusOf(m)[0], 0, Batch.lru_deactivate)).toBe(0);
  });

  it.each(ALL)('%s: folio_mark_lazyfree moves an active anon folio to inactive_file and clears PG_swapbacked', (kernel) => {
    const m = testMachine(kernel);
    const f = mappedFolio(m, true);
    queueAndDrain(m, f, folio_mark_lazyfree, Batch.lru_lazyfree);
    expect(list(m, f)).toBe(Lru.INACTIVE_FILE);
    expect(flag(m, f, Pg.swapbacked)).toBe(false);
    expect(flag(m, f, Pg.active)).toBe(false);
    expect(word(m, m.L.LRU_SIZE, Lru.INACTIVE_FILE)).toBe(1);
    expect(word(m, m.L.LRU_SIZE, Lru.ACTIVE_ANON)).toBe(0);
  });

  it.each(ALL)('%s: folio_mark_lazyfree refuses a swapcache folio', (kernel) => {
    const m = testMachine(kernel);
    const f = mappedFolio(m);
    Atomics.or(m.i32, m.L.FOLIO_FLAGS + f * FOLIO_STRIDE, 1 << Pg.swapcache);
    expect(folio_mark_lazyfree(cpusOf(m)[0], f)).toBe(false);
    expect(folio_batch_count(cpusOf(m)[0], 0, Batch.lru_lazyfree)).toBe(0);
  });

  it.each(ALL)('%s: deactivate_file_folio of a mapped folio is queued but the drain leaves it on active_anon', (kernel) => {
    const m = testMachine(kernel);
    const f = mappedFolio(m, true);
    queueAndDrain(m, f, deactivate_file_folio, Batch.lru_deactivate_file);
    expect(list(m, f)).toBe(Lru.ACTIVE_ANON);
    expect(flag(m, f, Pg.active)).toBe(true);
  });

  it.each(ALL)('%s: deactivate_file_folio moves an unmapped clean folio to the inactive tail without PG_reclaim', (kernel) => {
    const m = testMachine(kernel);
    const other = unmappedFolio(m);
    const f = unmappedFolio(m, true);
    queueAndDrain(m, f, deactivate_file_folio, Batch.lru_deactivate_file);
    const head = m.L.config.folios + Lru.INACTIVE_ANON;
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(fword(m, m.L.LRU_PREV, head)).toBe(f); // tail
    expect(fword(m, m.L.LRU_NEXT, head)).toBe(other);
    expect(flag(m, f, Pg.reclaim)).toBe(false);
  });

  it.each(ALL)('%s: deactivate_file_folio moves an unmapped dirty folio to the inactive head with PG_reclaim', (kernel) => {
    const m = testMachine(kernel);
    const other = unmappedFolio(m);
    const f = unmappedFolio(m, true);
    folio_set(cpusOf(m)[0], f, Pg.dirty);
    queueAndDrain(m, f, deactivate_file_folio, Batch.lru_deactivate_file);
    const head = m.L.config.folios + Lru.INACTIVE_ANON;
    expect(fword(m, m.L.LRU_NEXT, head)).toBe(f);
    expect(fword(m, m.L.LRU_PREV, head)).toBe(other);
    expect(flag(m, f, Pg.reclaim)).toBe(true);
  });

  for (const { kernel, queued } of [
    { kernel: '6.10', queued: true },
    { kernel: '6.11', queued: false },
    { kernel: '6.17', queued: false },
  ]) it(`${kernel}: deactivate_file_folio of a folio without PG_lru (in lru_add) is ${queued ? 'queued' : 'refused'}`, () => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
    expect(deactivate_file_folio(c0, f)).toBe(queued);
    expect(folio_batch_count(c0, 0, Batch.lru_deactivate_file)).toBe(queued ? 1 : 0);
    expect(ref(m, f)).toBe(queued ? 3 : 2);
    lru_add_drain(c0);
    expect(ref(m, f)).toBe(1);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: folio_rotate_reclaimable moves an active clean folio to the inactive tail; a dirty one is refused', (kernel) => {
    const m = testMachine(kernel);
    const other = unmappedFolio(m);
    const f = mappedFolio(m, true);
    const [c0] = cpusOf(m);
    folio_set(c0, f, Pg.dirty);
    expect(folio_rotate_reclaimable(c0, f)).toBe(false);
    Atomics.and(m.i32, m.L.FOLIO_FLAGS + f * FOLIO_STRIDE, ~(1 << Pg.dirty));
    queueAndDrain(m, f, folio_rotate_reclaimable, Batch.lru_move_tail);
    const head = m.L.config.folios + Lru.INACTIVE_ANON;
    expect(fword(m, m.L.LRU_PREV, head)).toBe(f);
    expect(fword(m, m.L.LRU_NEXT, head)).toBe(other);
    expect(flag(m, f, Pg.active)).toBe(false);
  });
});

describe('folio_mark_accessed', () => {
  it.each(ALL)('%s: the first call only sets PG_referenced; the second queues activation and clears it', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = mappedFolio(m);
    folio_mark_accessed(c0, f);
    expect(flag(m, f, Pg.referenced)).toBe(true);
    expect(folio_batch_count(c0, 0, Batch.lru_activate)).toBe(0);
    expect(ref(m, f)).toBe(1);
    folio_mark_accessed(c0, f);
    expect(flag(m, f, Pg.referenced)).toBe(false);
    expect(folio_batch_count(c0, 0, Batch.lru_activate)).toBe(1);
    expect(ref(m, f)).toBe(2);
    lru_add_drain(c0);
    expect(list(m, f)).toBe(Lru.ACTIVE_ANON);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: twice on a folio still in the local lru_add batch sets PG_active so the drain adds it to active_anon', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
    folio_mark_accessed(c0, f);
    folio_mark_accessed(c0, f);
    expect(flag(m, f, Pg.active)).toBe(true);
    expect(flag(m, f, Pg.referenced)).toBe(false);
    expect(folio_batch_count(c0, 0, Batch.lru_activate)).toBe(0);
    expect(ref(m, f)).toBe(2);
    lru_add_drain(c0);
    expect(list(m, f)).toBe(Lru.ACTIVE_ANON);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: twice on a folio in another CPU\'s lru_add batch does not activate it (remote batches are not searched)', (kernel) => {
    const m = testMachine(kernel);
    const [c0, c1] = cpusOf(m);
    const f = do_anonymous_page(c1, 0, 0, Zone.NORMAL, 1);
    folio_mark_accessed(c0, f);
    folio_mark_accessed(c0, f);
    expect(flag(m, f, Pg.active)).toBe(false);
    expect(flag(m, f, Pg.referenced)).toBe(false);
    lru_add_drain(c1);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(violation(m)).toBeNull();
  });
});
