// mm/memory.c do_anonymous_page() (src/kernel/memory.ts): the new folio, its PTE and its rmap.
import { describe, expect, it } from 'vitest';
import { testMachine } from '../../helpers/machine.js';
import { Batch, FOLIO_STRIDE } from '../../../src/shm/layout.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import { Zone } from '../../../src/kernel/page_alloc.js';
import { has, Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count, folio_batch_slot } from '../../../src/kernel/pagevec.js';
import { pte_folio, pte_present, PTE_DIRTY, PTE_WRITE, PTE_YOUNG } from '../../../src/kernel/pgtable.js';
import { invariantChecker } from '../../../src/cpu/invariants.js';

describe('do_anonymous_page', () => {
  it.each(['6.10', '6.11', '6.17'])('%s: maps a new exclusive anon folio writable+dirty+young and queues it in lru_add', (kernel) => {
    const m = testMachine(kernel);
    const c = m.cpus[1];
    if (!c) throw new Error('test machine needs two CPUs');
    const f = do_anonymous_page(c, 0, 3, Zone.CMA, 77);
    expect(f).toBe(0);
    const pte = Atomics.load(m.i32, m.L.PTE + 3);
    expect(pte_present(pte)).toBe(true);
    expect(pte_folio(pte)).toBe(f);
    expect(pte & (PTE_WRITE | PTE_DIRTY | PTE_YOUNG)).toBe(PTE_WRITE | PTE_DIRTY | PTE_YOUNG);
    const flags = Atomics.load(m.i32, m.L.FOLIO_FLAGS + f * FOLIO_STRIDE);
    expect([Pg.anon, Pg.swapbacked, Pg.anon_exclusive, Pg.lru].map((b) => has(flags, b))).toEqual([true, true, true, false]);
    expect(Atomics.load(m.i32, m.L.FOLIO_DATA + f * FOLIO_STRIDE)).toBe(77);
    expect(Atomics.load(m.i32, m.L.FOLIO_MAPCOUNT + f * FOLIO_STRIDE)).toBe(1);
    expect([Atomics.load(m.i32, m.L.FOLIO_MM + f * FOLIO_STRIDE), Atomics.load(m.i32, m.L.FOLIO_INDEX + f * FOLIO_STRIDE)]).toEqual([0, 3]);
    expect(Atomics.load(m.i32, m.L.FOLIO_REF + f * FOLIO_STRIDE)).toBe(2);
    expect(folio_batch_count(c, 1, Batch.lru_add)).toBe(1);
    expect(folio_batch_slot(c, 1, Batch.lru_add, 0)).toBe(f);
    expect(Atomics.load(m.i32, m.L.PTL)).toBe(0);
    expect(invariantChecker(m.i32, m.L, c.k)()).toBeNull();
  });

  it('6.10: returns -1 and maps nothing when the zone is exhausted', () => {
    const m = testMachine('6.10', { folios: 2, cmaFolios: 2 });
    const c = m.cpus[0];
    if (!c) throw new Error('test machine has no CPU0');
    expect(do_anonymous_page(c, 0, 0, Zone.NORMAL, 1)).toBe(-1);
    expect(Atomics.load(m.i32, m.L.PTE)).toBe(0);
    expect(folio_batch_count(c, 0, Batch.lru_add)).toBe(0);
  });
});
