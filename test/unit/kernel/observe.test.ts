// The state readers scenarios use (src/kernel/observe.ts, folio_mapcount): each against the state
// the model functions leave, including the failure cases the built-in scenarios classify.
import { describe, expect, it } from 'vitest';
import { cpusOf, testMachine } from '../../helpers/machine.js';
import { CFG, D0, D1, machine } from '../../helpers/swap.js';
import { copy_page_range } from '../../../src/kernel/fork.js';
import { FOLL_LONGTERM, get_user_pages, GUP_PIN_COUNTING_BIAS, pin_user_pages } from '../../../src/kernel/gup.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import { ENOMEM } from '../../../src/kernel/errno.js';
import {
  folioBatches, folioData, folioLru, folioRefHolders, lastMigrationFailure, lruName, swapWritesChanged,
} from '../../../src/kernel/observe.js';
import { Zone } from '../../../src/kernel/page_alloc.js';
import { folio_mapcount } from '../../../src/kernel/rmap.js';
import { folio_activate, lru_add_drain } from '../../../src/kernel/swap.js';
import { user_store } from '../../../src/kernel/user.js';
import { Batch, Lru } from '../../../src/shm/layout.js';

describe('state readers', () => {
  it('folioData reads what the last store left; folio_mapcount counts the PTEs after fork', () => {
    const { c0 } = machine('6.10');
    const f = user_store(c0, 0, 0, D0);
    expect(folioData(c0, f)).toBe(D0);
    expect(folio_mapcount(c0, f)).toBe(1);
    lru_add_drain(c0);
    copy_page_range(c0, 0, 1);
    expect(folio_mapcount(c0, f)).toBe(2);
    user_store(c0, 0, 0, D1); // the parent copies
    expect(folio_mapcount(c0, f)).toBe(1);
    expect(folioData(c0, f)).toBe(D0);
  });

  it('folioLru and folioBatches: in CPU0\'s lru_add batch, then on inactive_anon, then in CPU1\'s activate batch', () => {
    const { c0, c1 } = machine('6.10');
    const f = user_store(c0, 0, 0, D0);
    expect(folioLru(c0, f)).toBe(-1);
    expect(lruName(folioLru(c0, f))).toBe('none');
    expect(folioBatches(c0, f)).toEqual([{ cpu: 0, batch: Batch.lru_add, name: 'lru_add' }]);
    lru_add_drain(c0);
    expect(folioLru(c0, f)).toBe(Lru.INACTIVE_ANON);
    expect(lruName(folioLru(c0, f))).toBe('inactive_anon');
    expect(folioBatches(c0, f)).toEqual([]);
    expect(folio_activate(c1, f)).toBe(true);
    expect(folioBatches(c0, f)).toEqual([{ cpu: 1, batch: Batch.lru_activate, name: 'lru_activate' }]);
    lru_add_drain(c1);
    expect(lruName(folioLru(c0, f))).toBe('active_anon');
  });

  it('folioRefHolders: PTE, batch slot, pin and FOLL_GET reference, summing to the refcount', () => {
    const { c0 } = machine('6.10');
    const f = user_store(c0, 0, 0, D0);
    expect(pin_user_pages(c0, 0, 0, 0)).toBe(f);
    expect(get_user_pages(c0, 0, 0)).toBe(f);
    const h = folioRefHolders(c0, f);
    expect(h).toEqual({ refcount: 1 + 1 + GUP_PIN_COUNTING_BIAS + 1, ptes: 1, swapcache: 0, batches: 1, isolated: 0, pins: 1, gets: 1 });
  });

  it('lastMigrationFailure: none, then a batch reference that failed a FOLL_LONGTERM pin (6.10)', () => {
    const m = testMachine('6.10', { folios: 8, cmaFolios: 2, mms: 1, ptesPerMm: 2 });
    const [c0] = cpusOf(m);
    const f = do_anonymous_page(c0, 0, 0, Zone.CMA, D0);
    lru_add_drain(c0);
    expect(lastMigrationFailure(c0)).toBeNull();
    folio_activate(c0, f); // PG_lru stays set: GUP will not drain
    expect(pin_user_pages(c0, 0, 0, FOLL_LONGTERM)).toBe(ENOMEM);
    expect(lastMigrationFailure(c0)).toEqual({ folio: f, ref: 2, expected: 1, batchRefs: 1, reason: 'batch-ref' });
  });

  it('swapWritesChanged starts at 0', () => {
    const m = testMachine('6.10', CFG);
    expect(swapWritesChanged(cpusOf(m)[0])).toBe(0);
  });
});
