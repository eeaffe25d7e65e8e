// The toy allocator of src/kernel/page_alloc.ts: first fit per zone, fresh slots, freeing, and
// which folios may be pinned long-term.
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine, word, fword } from '../../helpers/machine.js';
import { Ctrl, FOLIO_STRIDE } from '../../../src/shm/layout.js';
import { folio_alloc, folio_is_longterm_pinnable, free_folio, Zone } from '../../../src/kernel/page_alloc.js';
import type { CpuContext } from '../../../src/cpu/context.js';

function setup(): { m: TestMachine; c: CpuContext } {
  const m = testMachine('6.10', { folios: 6, cmaFolios: 2 });
  const c = m.cpus[0];
  if (!c) throw new Error('test machine has no CPU0');
  return { m, c };
}

describe('folio_alloc', () => {
  it('hands out CMA folios from [0, cmaFolios) and NORMAL ones from [cmaFolios, folios), first fit, then -1', () => {
    const { c } = setup();
    expect([folio_alloc(c, Zone.CMA), folio_alloc(c, Zone.CMA), folio_alloc(c, Zone.CMA)]).toEqual([0, 1, -1]);
    const normal = [0, 1, 2, 3, 4].map(() => folio_alloc(c, Zone.NORMAL));
    expect(normal).toEqual([2, 3, 4, 5, -1]);
  });

  it('a new folio has refcount 1, no flags, no mapping and no list, and the zone lock is released', () => {
    const { m, c } = setup();
    const f = folio_alloc(c, Zone.NORMAL);
    expect(fword(m, m.L.FOLIO_REF, f)).toBe(1);
    expect(fword(m, m.L.FOLIO_ALLOC, f)).toBe(1);
    expect(fword(m, m.L.FOLIO_FLAGS, f)).toBe(0);
    expect(fword(m, m.L.FOLIO_MAPCOUNT, f)).toBe(0);
    expect(fword(m, m.L.FOLIO_MM, f)).toBe(-1);
    expect(fword(m, m.L.OBS_LIST, f)).toBe(-1);
    expect(word(m, m.L.CTRL, Ctrl.ZONE_LOCK)).toBe(0);
    expect(c.preemptCount).toBe(0);
  });

  it('free_folio returns the slot; the next allocation reuses it with every field reset', () => {
    const { m, c } = setup();
    const f = folio_alloc(c, Zone.CMA);
    Atomics.store(m.i32, m.L.FOLIO_DATA + f * FOLIO_STRIDE, 42);
    Atomics.store(m.i32, m.L.FOLIO_FLAGS + f * FOLIO_STRIDE, 0xff);
    Atomics.store(m.i32, m.L.OBS_PINS + f * FOLIO_STRIDE, 3);
    Atomics.store(m.i32, m.L.FOLIO_REF + f * FOLIO_STRIDE, 0);
    free_folio(c, f);
    expect(fword(m, m.L.FOLIO_ALLOC, f)).toBe(0);
    expect(fword(m, m.L.FOLIO_FLAGS, f)).toBe(0);
    expect(folio_alloc(c, Zone.CMA)).toBe(f);
    expect([fword(m, m.L.FOLIO_DATA, f), fword(m, m.L.OBS_PINS, f), fword(m, m.L.FOLIO_REF, f)]).toEqual([0, 0, 1]);
  });
});

describe('folio_is_longterm_pinnable', () => {
  it('is false for CMA folios and true for NORMAL ones', () => {
    const { c } = setup();
    expect([0, 1, 2, 5].map((f) => folio_is_longterm_pinnable(c, f))).toEqual([false, false, true, true]);
  });
});
