// mm/migrate.c migrate_pages() for an isolated small anon CMA folio: success, and the failure a
// reference parked in another CPU's batch causes (KERNEL.md §2.5), per profile where it differs.
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine, countEvents, cpusOf, ref, violation, word, fword } from '../../helpers/machine.js';
import { Batch, Lru, FOLIO_STRIDE } from '../../../src/shm/layout.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import {
  ENOMEM, folio_expected_ref_count, migrate_pages, NR_MAX_MIGRATE_PAGES_RETRY, putback_movable_pages,
} from '../../../src/kernel/migrate.js';
import { Zone } from '../../../src/kernel/page_alloc.js';
import { has, Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import { is_migration_entry, pte_folio, pte_present, PTE_WRITE } from '../../../src/kernel/pgtable.js';
import { S } from '../../../src/kernel/sites.js';
import { folio_activate, lru_add_drain } from '../../../src/kernel/swap.js';
import { folio_isolate_lru } from '../../../src/kernel/vmscan.js';

const ALL = ['6.10', '6.11', '6.17'] as const;
const DATA = 0x5eed;

const pte = (m: TestMachine): number => word(m, m.L.PTE, 0);

/** A CMA anon folio mapped at mm 0 / addr 0, on the inactive anon list. */
function cmaFolio(m: TestMachine): number {
  const [c0] = cpusOf(m);
  const f = do_anonymous_page(c0, 0, 0, Zone.CMA, DATA);
  lru_add_drain(c0);
  return f;
}

/** How many failed reference checks CPU `c` traced. */
const failedChecks = (m: TestMachine, c: number): number => countEvents(m, c, S.migrate_ref_check_failed);

describe('migrate_pages', () => {
  it.each(ALL)('%s: moves an isolated CMA folio to a NORMAL folio, remaps the PTE, copies data and flags, frees the source', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const src = cmaFolio(m);
    expect(folio_isolate_lru(c0, src)).toBe(true);
    const list = [src];
    expect(migrate_pages(c0, list)).toBe(0);
    expect(list).toEqual([]);
    const dst = pte_folio(pte(m));
    expect(pte_present(pte(m))).toBe(true);
    expect(pte(m) & PTE_WRITE).toBe(PTE_WRITE);
    expect(dst).not.toBe(src);
    expect(fword(m, m.L.FOLIO_ZONE, dst)).toBe(Zone.NORMAL);
    expect(fword(m, m.L.FOLIO_DATA, dst)).toBe(DATA);
    const flags = fword(m, m.L.FOLIO_FLAGS, dst);
    expect([has(flags, Pg.anon), has(flags, Pg.swapbacked), has(flags, Pg.anon_exclusive)]).toEqual([true, true, true]);
    expect(has(flags, Pg.locked)).toBe(false);
    expect(fword(m, m.L.FOLIO_MAPCOUNT, dst)).toBe(1);
    expect(ref(m, dst)).toBe(2); // PTE + this CPU's lru_add slot
    expect(folio_batch_count(c0, 0, Batch.lru_add)).toBe(1);
    expect(fword(m, m.L.FOLIO_ALLOC, src)).toBe(0);
    expect(ref(m, src)).toBe(0);
    expect(fword(m, m.L.OBS_ISOLATED, src)).toBe(0);
    expect(violation(m)).toBeNull();
    lru_add_drain(c0);
    expect(fword(m, m.L.OBS_LIST, dst)).toBe(Lru.INACTIVE_ANON);
    expect(violation(m)).toBeNull();
  });

  it.each(['6.10', '6.17'])('%s: another CPU\'s activate batch ref makes migrate_pages fail 1 folio after 10 tries', (kernel) => {
    const m = testMachine(kernel, { traceCapacity: 1 << 14 });
    const [c0, c1] = cpusOf(m);
    const src = cmaFolio(m);
    expect(folio_activate(c1, src)).toBe(true);
    expect(folio_isolate_lru(c0, src)).toBe(true);
    const list = [src];
    expect(migrate_pages(c0, list)).toBe(1);
    expect(list).toEqual([src]);
    expect(failedChecks(m, 0)).toBe(NR_MAX_MIGRATE_PAGES_RETRY);
    const o = m.L.OBS_MIGRATE_FAIL;
    expect([word(m, o, 0), word(m, o, 1), word(m, o, 2), word(m, o, 3)]).toEqual([src, 2, 1, 1]);
    // restored: the PTE maps src again, every target was freed
    expect(pte_folio(pte(m))).toBe(src);
    expect(pte_present(pte(m))).toBe(true);
    expect(fword(m, m.L.FOLIO_MAPCOUNT, src)).toBe(1);
    expect(ref(m, src)).toBe(3); // PTE + CPU1's activate slot + isolation
    for (let f = m.L.config.cmaFolios; f < m.L.config.folios; f++) expect(fword(m, m.L.FOLIO_ALLOC, f)).toBe(0);
    expect(violation(m)).toBeNull();
    // CPU1 drains on its own: the move is skipped (src is isolated) but the ref goes, so a retry works
    lru_add_drain(c1);
    expect(ref(m, src)).toBe(2);
    expect(migrate_pages(c0, list)).toBe(0);
    expect(fword(m, m.L.FOLIO_ALLOC, src)).toBe(0);
    expect(fword(m, m.L.FOLIO_ZONE, pte_folio(pte(m)))).toBe(Zone.NORMAL);
    lru_add_drain(c0);
    expect(violation(m)).toBeNull();
  });

  it('6.10: putback_movable_pages after a failed migration returns the folio to the LRU', () => {
    const m = testMachine('6.10', { traceCapacity: 1 << 14 });
    const [c0, c1] = cpusOf(m);
    const src = cmaFolio(m);
    folio_activate(c1, src);
    folio_isolate_lru(c0, src);
    const list = [src];
    migrate_pages(c0, list);
    putback_movable_pages(c0, list);
    expect(list).toEqual([]);
    expect(fword(m, m.L.OBS_ISOLATED, src)).toBe(0);
    lru_add_drain(c1);
    lru_add_drain(c0);
    expect(ref(m, src)).toBe(1);
    expect(fword(m, m.L.OBS_LIST, src)).toBe(Lru.INACTIVE_ANON);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: returns ENOMEM and leaves the folio mapped when no NORMAL folio is free', (kernel) => {
    const m = testMachine(kernel, { folios: 2, cmaFolios: 2 });
    const [c0] = cpusOf(m);
    const src = cmaFolio(m);
    folio_isolate_lru(c0, src);
    const list = [src];
    expect(migrate_pages(c0, list)).toBe(ENOMEM);
    expect(list).toEqual([src]);
    expect(pte_folio(pte(m))).toBe(src);
    expect(is_migration_entry(pte(m))).toBe(false);
    expect(has(fword(m, m.L.FOLIO_FLAGS, src), Pg.locked)).toBe(false);
    expect(ref(m, src)).toBe(2);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: folio_expected_ref_count counts mappings plus one for the swap cache', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = cmaFolio(m);
    expect(folio_expected_ref_count(c0, f)).toBe(1);
    Atomics.or(m.i32, m.L.FOLIO_FLAGS + f * FOLIO_STRIDE, 1 << Pg.swapcache);
    expect(folio_expected_ref_count(c0, f)).toBe(2);
  });
});
