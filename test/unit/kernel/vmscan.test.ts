// mm/vmscan.c folio_isolate_lru() / folio_putback_lru() on one machine, per profile.
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine, cpusOf, list, ref, violation, word, fword } from '../../helpers/machine.js';
import { Batch, Lru } from '../../../src/shm/layout.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import { Zone } from '../../../src/kernel/page_alloc.js';
import { has, Pg } from '../../../src/kernel/page-flags.js';
import { folio_batch_count } from '../../../src/kernel/pagevec.js';
import { folio_activate, lru_add_drain } from '../../../src/kernel/swap.js';
import { folio_isolate_lru, folio_putback_lru } from '../../../src/kernel/vmscan.js';

const ALL = ['6.10', '6.11', '6.17'] as const;

const lruBit = (m: TestMachine, f: number): boolean => has(fword(m, m.L.FOLIO_FLAGS, f), Pg.lru);

/** A mapped anon folio; drained onto inactive_anon unless `drain` is false. */
function mappedFolio(m: TestMachine, drain = true): number {
  const [c0] = cpusOf(m);
  const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 9);
  if (drain) lru_add_drain(c0);
  return f;
}

describe('folio_isolate_lru', () => {
  it.each(ALL)('%s: takes the folio off its list with an isolation ref and clears PG_lru', (kernel) => {
    const m = testMachine(kernel);
    const f = mappedFolio(m);
    expect(folio_isolate_lru(cpusOf(m)[0], f)).toBe(true);
    expect(ref(m, f)).toBe(2);
    expect(fword(m, m.L.OBS_ISOLATED, f)).toBe(1);
    expect(lruBit(m, f)).toBe(false);
    expect(list(m, f)).toBe(-1);
    expect(word(m, m.L.LRU_SIZE, Lru.INACTIVE_ANON)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: a second isolation fails and takes no reference', (kernel) => {
    const m = testMachine(kernel);
    const [c0, c1] = cpusOf(m);
    const f = mappedFolio(m);
    folio_isolate_lru(c0, f);
    expect(folio_isolate_lru(c1, f)).toBe(false);
    expect(ref(m, f)).toBe(2);
    expect(fword(m, m.L.OBS_ISOLATED, f)).toBe(1);
  });

  it.each(ALL)('%s: fails for a folio still in an lru_add batch (PG_lru not yet set)', (kernel) => {
    const m = testMachine(kernel);
    const f = mappedFolio(m, false);
    expect(folio_isolate_lru(cpusOf(m)[1], f)).toBe(false);
    expect(ref(m, f)).toBe(2);
    expect(violation(m)).toBeNull();
  });

  for (const { kernel, isolated } of [
    { kernel: '6.10', isolated: true },
    { kernel: '6.11', isolated: false },
    { kernel: '6.17', isolated: true },
  ]) it(`${kernel}: isolating a folio queued in another CPU's activate batch ${isolated ? 'succeeds' : 'fails'}`, () => {
    const m = testMachine(kernel);
    const [c0, c1] = cpusOf(m);
    const f = mappedFolio(m);
    folio_activate(c1, f);
    expect(folio_isolate_lru(c0, f)).toBe(isolated);
    expect(ref(m, f)).toBe(isolated ? 3 : 2);
    expect(violation(m)).toBeNull();
  });
});

describe('folio_putback_lru', () => {
  it.each(ALL)('%s: requeues an isolated folio in this CPU\'s lru_add batch and drops the isolation ref', (kernel) => {
    const m = testMachine(kernel);
    const [c0, c1] = cpusOf(m);
    const f = mappedFolio(m);
    folio_isolate_lru(c0, f);
    folio_putback_lru(c1, f);
    expect(fword(m, m.L.OBS_ISOLATED, f)).toBe(0);
    expect(ref(m, f)).toBe(2); // PTE + CPU1's lru_add slot
    expect(folio_batch_count(c1, 1, Batch.lru_add)).toBe(1);
    expect(list(m, f)).toBe(-1);
    expect(lruBit(m, f)).toBe(false);
    expect(violation(m)).toBeNull();
    lru_add_drain(c1);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(lruBit(m, f)).toBe(true);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: an isolated active folio goes back to active_anon', (kernel) => {
    const m = testMachine(kernel);
    const [c0] = cpusOf(m);
    const f = mappedFolio(m);
    folio_activate(c0, f);
    lru_add_drain(c0);
    folio_isolate_lru(c0, f);
    folio_putback_lru(c0, f);
    lru_add_drain(c0);
    expect(list(m, f)).toBe(Lru.ACTIVE_ANON);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });
});
