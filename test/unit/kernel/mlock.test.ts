// mm/mlock.c: the per-CPU mlock batch (mlock_new_folio / mlock_folio / munlock_folio) and the
// unevictable list, per profile. The mlock batch never clears PG_lru at enqueue (KERNEL.md §1.7).
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine, cpusOf, flag, list, ref, violation, word } from '../../helpers/machine.js';
import { Batch, Lru, FOLIO_STRIDE } from '../../../src/shm/layout.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import { mlock_folio, mlock_new_folio, munlock_folio, need_mlock_drain } from '../../../src/kernel/mlock.js';
import { folio_alloc, Zone } from '../../../src/kernel/page_alloc.js';
import { folio_set, Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import { cpu_needs_drain, folio_activate, lru_add_drain } from '../../../src/kernel/swap.js';
import { folio_isolate_lru, folio_putback_lru } from '../../../src/kernel/vmscan.js';

const ALL = ['6.10', '6.11', '6.17'] as const;


/** A mapped anon folio on the active anon list. */
function activeFolio(m: TestMachine): number {
  const [c0] = cpusOf(m);
  const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 3);
  lru_add_drain(c0);
  folio_activate(c0, f);
  lru_add_drain(c0);
  return f;
}

describe('mlock batch', () => {
  it.each(ALL)('%s: mlock_new_folio queues a new folio with a batch ref and the drain puts it on unevictable', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = folio_alloc(c0, Zone.NORMAL);
    Atomics.store(m.i32, m.L.OBS_EXTRA + f * FOLIO_STRIDE, 1); // the allocation reference, for the ledger
    folio_set(c0, f, Pg.anon);
    folio_set(c0, f, Pg.swapbacked);
    mlock_new_folio(c0, f);
    expect(flag(m, f, Pg.mlocked)).toBe(true);
    expect(ref(m, f)).toBe(2);
    expect(folio_batch_count(c0, 0, Batch.mlock)).toBe(1);
    expect(need_mlock_drain(c0, 0)).toBe(true);
    expect(cpu_needs_drain(c0, 0)).toBe(true);
    expect(list(m, f)).toBe(-1);
    expect(violation(m)).toBeNull();
    lru_add_drain(c0);
    expect(folio_batch_count(c0, 0, Batch.mlock)).toBe(0);
    expect(list(m, f)).toBe(Lru.UNEVICTABLE);
    expect(flag(m, f, Pg.unevictable)).toBe(true);
    expect(flag(m, f, Pg.lru)).toBe(true);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: mlock_folio moves an active LRU folio to unevictable, clearing PG_active, keeping PG_lru while queued', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = activeFolio(m);
    mlock_folio(c0, f);
    expect(flag(m, f, Pg.lru)).toBe(true);
    expect(ref(m, f)).toBe(2);
    expect(list(m, f)).toBe(Lru.ACTIVE_ANON);
    expect(violation(m)).toBeNull();
    lru_add_drain(c0);
    expect(list(m, f)).toBe(Lru.UNEVICTABLE);
    expect(flag(m, f, Pg.active)).toBe(false);
    expect(flag(m, f, Pg.unevictable)).toBe(true);
    expect(word(m, m.L.LRU_SIZE, Lru.ACTIVE_ANON)).toBe(0);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: munlock_folio brings an unevictable folio back to inactive_anon, clearing PG_mlocked only at drain', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = activeFolio(m);
    mlock_folio(c0, f);
    lru_add_drain(c0);
    munlock_folio(c0, f);
    expect(flag(m, f, Pg.mlocked)).toBe(true);
    lru_add_drain(c0);
    expect(flag(m, f, Pg.mlocked)).toBe(false);
    expect(flag(m, f, Pg.unevictable)).toBe(false);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: a mlocked folio added through folio_add_lru lands on unevictable without PG_active', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
    folio_set(c0, f, Pg.mlocked);
    folio_set(c0, f, Pg.active);
    lru_add_drain(c0);
    expect(list(m, f)).toBe(Lru.UNEVICTABLE);
    expect(flag(m, f, Pg.active)).toBe(false);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: a folio queued by mlock_folio stays isolatable; the drain skips it and drops its ref', (kernel) => {
    const m = testMachine(kernel);
    const [c0, c1] = cpusOf(m);
    const f = activeFolio(m);
    mlock_folio(c1, f);
    expect(folio_isolate_lru(c0, f)).toBe(true);
    expect(ref(m, f)).toBe(3);
    lru_add_drain(c1);
    expect(ref(m, f)).toBe(2);
    expect(list(m, f)).toBe(-1);
    expect(flag(m, f, Pg.unevictable)).toBe(false);
    expect(violation(m)).toBeNull();
    folio_putback_lru(c0, f);
    lru_add_drain(c0);
    expect(list(m, f)).toBe(Lru.UNEVICTABLE); // lru_add sees PG_mlocked
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });
});
