// include/linux/mm_inline.h in src/kernel/mm_inline.ts: which list a flag word selects, and the
// head/tail/delete list operations with their size accounting (callers hold lru_lock).
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine } from '../../helpers/machine.js';
import { Lru, LRU_NAMES, FOLIO_STRIDE } from '../../../src/shm/layout.js';
import { folio_lru_list, lruvec_add_folio, lruvec_add_folio_tail, lruvec_del_folio } from '../../../src/kernel/mm_inline.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import type { CpuContext } from '../../../src/cpu/context.js';

const bits = (...b: number[]): number => b.reduce((w, x) => w | (1 << x), 0);

function setup(): { m: TestMachine; c: CpuContext } {
  const m = testMachine('6.10');
  const c = m.cpus[0];
  if (!c) throw new Error('test machine has no CPU0');
  return { m, c };
}

/** The folios on list `l`, head to tail, following LRU_NEXT, and checking LRU_PREV on the way. */
function walk(m: TestMachine, l: number): number[] {
  const head = m.L.config.folios + l;
  const out: number[] = [];
  let prev = head;
  for (let n = Atomics.load(m.i32, m.L.LRU_NEXT + head * FOLIO_STRIDE); n !== head; n = Atomics.load(m.i32, m.L.LRU_NEXT + n * FOLIO_STRIDE)) {
    expect(Atomics.load(m.i32, m.L.LRU_PREV + n * FOLIO_STRIDE)).toBe(prev);
    out.push(n);
    prev = n;
    if (out.length > m.L.config.folios) throw new Error('list cycle');
  }
  expect(Atomics.load(m.i32, m.L.LRU_PREV + head * FOLIO_STRIDE)).toBe(prev);
  return out;
}

describe('folio_lru_list', () => {
  for (const { name, flags, list } of [
    { name: 'swapbacked', flags: bits(Pg.swapbacked), list: Lru.INACTIVE_ANON },
    { name: 'swapbacked+active', flags: bits(Pg.swapbacked, Pg.active), list: Lru.ACTIVE_ANON },
    { name: 'no flags', flags: 0, list: Lru.INACTIVE_FILE },
    { name: 'active', flags: bits(Pg.active), list: Lru.ACTIVE_FILE },
    { name: 'lazyfree anon (anon+active, !swapbacked)', flags: bits(Pg.anon, Pg.active), list: Lru.ACTIVE_FILE },
    { name: 'swapbacked+active+unevictable', flags: bits(Pg.swapbacked, Pg.active, Pg.unevictable), list: Lru.UNEVICTABLE },
  ]) it(`${name} selects ${LRU_NAMES[list]}`, () => {
    expect(folio_lru_list(flags)).toBe(list);
  });
});

describe('lruvec list operations', () => {
  it('lruvec_add_folio adds at the head, lruvec_add_folio_tail at the tail, both counting LRU_SIZE and OBS_LIST', () => {
    const { m, c } = setup();
    for (const f of [1, 2, 3]) Atomics.store(m.i32, m.L.FOLIO_FLAGS + f * FOLIO_STRIDE, bits(Pg.swapbacked));
    lruvec_add_folio(c, 1);
    lruvec_add_folio(c, 2);
    lruvec_add_folio_tail(c, 3);
    expect(walk(m, Lru.INACTIVE_ANON)).toEqual([2, 1, 3]);
    expect(Atomics.load(m.i32, m.L.LRU_SIZE + Lru.INACTIVE_ANON)).toBe(3);
    expect([1, 2, 3].map((f) => Atomics.load(m.i32, m.L.OBS_LIST + f * FOLIO_STRIDE))).toEqual([0, 0, 0]);
    expect(walk(m, Lru.ACTIVE_ANON)).toEqual([]);
  });

  it('lruvec_del_folio unlinks a middle folio, resets its links and OBS_LIST, and decrements LRU_SIZE', () => {
    const { m, c } = setup();
    for (const f of [1, 2, 3]) Atomics.store(m.i32, m.L.FOLIO_FLAGS + f * FOLIO_STRIDE, bits(Pg.swapbacked, Pg.active));
    for (const f of [1, 2, 3]) lruvec_add_folio_tail(c, f);
    lruvec_del_folio(c, 2);
    expect(walk(m, Lru.ACTIVE_ANON)).toEqual([1, 3]);
    expect(Atomics.load(m.i32, m.L.LRU_SIZE + Lru.ACTIVE_ANON)).toBe(2);
    expect([Atomics.load(m.i32, m.L.LRU_NEXT + 2 * FOLIO_STRIDE), Atomics.load(m.i32, m.L.LRU_PREV + 2 * FOLIO_STRIDE)]).toEqual([-1, -1]);
    expect(Atomics.load(m.i32, m.L.OBS_LIST + 2 * FOLIO_STRIDE)).toBe(-1);
  });

  it('lruvec_del_folio of a folio on no list is reported as a model bug', () => {
    const { c } = setup();
    expect(() => lruvec_del_folio(c, 4)).toThrow(/on no list/);
  });
});
