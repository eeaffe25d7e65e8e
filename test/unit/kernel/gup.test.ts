// mm/gup.c FOLL_LONGTERM pinning on one CPU with no remote batch: follow_page_pte(), the drain
// decision of collect_longterm_unpinnable_folios() per profile, and pin_user_pages().
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine, countEvents, cpuWord, ref, violation, word, fword } from '../../helpers/machine.js';
import { Ctrl, Lru } from '../../../src/shm/layout.js';
import {
  collect_longterm_unpinnable_folios, EFAULT, FOLL_PIN, FOLL_TOUCH, follow_page_pte, GUP_PIN_COUNTING_BIAS,
  pin_user_pages, unpin_folio,
} from '../../../src/kernel/gup.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import { ENOMEM, putback_movable_pages } from '../../../src/kernel/migrate.js';
import { folio_is_longterm_pinnable, Zone, type ZoneId } from '../../../src/kernel/page_alloc.js';
import { has, Pg } from '../../../src/kernel/page-flags.js';
import { pte_folio } from '../../../src/kernel/pgtable.js';
import { S } from '../../../src/kernel/sites.js';
import { folio_activate, lru_add_drain } from '../../../src/kernel/swap.js';
import { folio_isolate_lru, folio_putback_lru } from '../../../src/kernel/vmscan.js';
import { before } from '../../helpers/interleave.js';
import type { CpuContext } from '../../../src/cpu/context.js';

const ALL = ['6.10', '6.11', '6.17'] as const;
const DATA = 0xcafe;

function cpu0(m: TestMachine): CpuContext {
  const c = m.cpus[0];
  if (!c) throw new Error('test machine has no CPU0');
  return c;
}
const gen = (m: TestMachine): number => word(m, m.L.CTRL, Ctrl.LRU_DRAIN_GEN);

/** A mapped anon folio at mm 0 / addr 0 in `zone`, drained onto inactive_anon unless `drain` is false. */
function mapped(m: TestMachine, zone: ZoneId, drain = true): number {
  const f = do_anonymous_page(cpu0(m), 0, 0, zone, DATA);
  if (drain) lru_add_drain(cpu0(m));
  return f;
}

/** CPU0's local lru_add_drain() calls so far. */
const localDrains = (m: TestMachine): number => countEvents(m, 0, S.lru_add_drain);

describe('follow_page_pte', () => {
  it.each(ALL)('%s: FOLL_PIN adds the 1024 bias and a pin to the ledger; unpin_folio takes both back', (kernel) => {
    const m = testMachine(kernel);
    const f = mapped(m, Zone.CMA);
    expect(follow_page_pte(cpu0(m), 0, 0, FOLL_PIN)).toBe(f);
    expect(ref(m, f)).toBe(1 + GUP_PIN_COUNTING_BIAS);
    expect(fword(m, m.L.OBS_PINS, f)).toBe(1);
    expect(violation(m)).toBeNull();
    unpin_folio(cpu0(m), f);
    expect(ref(m, f)).toBe(1);
    expect(fword(m, m.L.OBS_PINS, f)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: FOLL_TOUCH marks the folio accessed without taking a reference; an empty PTE is EFAULT', (kernel) => {
    const m = testMachine(kernel);
    const f = mapped(m, Zone.NORMAL);
    expect(follow_page_pte(cpu0(m), 0, 0, FOLL_TOUCH)).toBe(f);
    expect(has(fword(m, m.L.FOLIO_FLAGS, f), Pg.referenced)).toBe(true);
    expect(ref(m, f)).toBe(1);
    expect(follow_page_pte(cpu0(m), 0, 1, FOLL_PIN)).toBe(EFAULT);
  });
});

describe('collect_longterm_unpinnable_folios', () => {
  for (const { title, kernel, patches, local, all } of [
    { title: '6.10: PG_lru set → no drain at all', kernel: '6.10', patches: {}, local: 0, all: 0 },
    { title: '6.11: PG_lru set → no drain at all', kernel: '6.11', patches: {}, local: 0, all: 0 },
    { title: '6.17: the pin bias makes ref ≠ expected+1 → local drain, then lru_add_drain_all', kernel: '6.17', patches: {}, local: 1, all: 1 },
    { title: '6.17 with gup-local-drain-first=off: refcount test → lru_add_drain_all only', kernel: '6.17',
      patches: { 'gup-local-drain-first': false }, local: 0, all: 1 },
    { title: '6.10 + gup-always-drain: lru_add_drain_all once although PG_lru is set', kernel: '6.10',
      patches: { 'gup-always-drain': true }, local: 0, all: 1 },
    { title: '7.3: ref = expected + the pin bias → no drain at all', kernel: '7.3',
      patches: {}, local: 0, all: 0 },
    { title: '6.17 + gup-drain-pin-refs: ref = expected + the pin bias → no drain at all', kernel: '6.17',
      patches: { 'gup-drain-pin-refs': true }, local: 0, all: 0 },
  ]) it(`${title}; the pinned CMA folio is counted once and isolated`, () => {
    const m = testMachine(kernel, {}, patches);
    const c = cpu0(m);
    const f = mapped(m, Zone.CMA);
    follow_page_pte(c, 0, 0, FOLL_PIN);
    const drainsBefore = localDrains(m);
    const list: number[] = [];
    expect(collect_longterm_unpinnable_folios(c, [f, f], list)).toBe(1);
    expect(localDrains(m) - drainsBefore).toBe(local);
    expect(gen(m)).toBe(all);
    expect(list).toEqual([f]);
    expect(fword(m, m.L.OBS_ISOLATED, f)).toBe(1);
    expect(ref(m, f)).toBe(2 + GUP_PIN_COUNTING_BIAS);
    expect(violation(m)).toBeNull();
    putback_movable_pages(c, list);
    unpin_folio(c, f);
    lru_add_drain(c);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it('6.10: a folio still in this CPU\'s lru_add batch (!PG_lru) makes collect drain all CPUs, then isolate it', () => {
    const m = testMachine('6.10');
    const c = cpu0(m);
    const f = mapped(m, Zone.CMA, false);
    follow_page_pte(c, 0, 0, FOLL_PIN);
    const list: number[] = [];
    expect(collect_longterm_unpinnable_folios(c, [f], list)).toBe(1);
    expect(gen(m)).toBe(1);
    expect(cpuWord(m, m.L.WORK_DONE, 0)).toBe(1);
    expect(list).toEqual([f]);
    expect(violation(m)).toBeNull();
  });

  it('7.3: a reference in this CPU\'s activate batch still shows: local drain, no drain_all', () => {
    const m = testMachine('7.3');
    const c = cpu0(m);
    const f = mapped(m, Zone.CMA);
    expect(folio_activate(c, f)).toBe(true);
    follow_page_pte(c, 0, 0, FOLL_PIN);
    const drainsBefore = localDrains(m);
    const list: number[] = [];
    expect(collect_longterm_unpinnable_folios(c, [f], list)).toBe(1);
    expect(localDrains(m) - drainsBefore).toBe(1);
    expect(gen(m)).toBe(0);
    expect(list).toEqual([f]);
    expect(ref(m, f)).toBe(2 + GUP_PIN_COUNTING_BIAS); // PTE + isolation + pin: the batch ref is gone
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: a NORMAL folio is not collected and causes no drain', (kernel) => {
    const m = testMachine(kernel);
    const f = mapped(m, Zone.NORMAL);
    follow_page_pte(cpu0(m), 0, 0, FOLL_PIN);
    const list: number[] = [];
    expect(collect_longterm_unpinnable_folios(cpu0(m), [f], list)).toBe(0);
    expect(list).toEqual([]);
    expect(gen(m)).toBe(0);
    expect(fword(m, m.L.OBS_ISOLATED, f)).toBe(0);
  });
});

describe('pin_user_pages', () => {
  for (const { kernel, drains } of [
    { kernel: '6.10', drains: 0 },
    { kernel: '6.11', drains: 0 },
    { kernel: '6.17', drains: 1 },
  ]) it(`${kernel}: an unraced CMA folio is migrated; the NORMAL result holds the pin bias (lru_add_drain_all calls: ${drains})`, () => {
    const m = testMachine(kernel);
    const c = cpu0(m);
    const src = mapped(m, Zone.CMA);
    const rc = pin_user_pages(c, 0, 0);
    expect(rc).toBeGreaterThanOrEqual(m.L.config.cmaFolios);
    expect(fword(m, m.L.FOLIO_ZONE, rc)).toBe(Zone.NORMAL);
    expect(pte_folio(word(m, m.L.PTE, 0))).toBe(rc);
    expect(fword(m, m.L.FOLIO_DATA, rc)).toBe(DATA);
    expect(ref(m, rc)).toBe(1 + 1 + GUP_PIN_COUNTING_BIAS); // PTE + lru_add slot + pin
    expect(fword(m, m.L.OBS_PINS, rc)).toBe(1);
    expect(fword(m, m.L.FOLIO_ALLOC, src)).toBe(0);
    expect(gen(m)).toBe(drains);
    expect(violation(m)).toBeNull();
    unpin_folio(c, rc);
    lru_add_drain(c);
    expect(ref(m, rc)).toBe(1);
    expect(fword(m, m.L.OBS_LIST, rc)).toBe(Lru.INACTIVE_ANON);
    expect(violation(m)).toBeNull();
  });

  for (const { kernel, rc } of [
    { kernel: '6.14', rc: 'pinned in CMA' },
    { kernel: '6.16', rc: 'EAGAIN, then migrated' },
  ]) it(`${kernel}: a CMA folio another isolator holds (PG_lru clear) is ${rc}`, () => {
    const m = testMachine(kernel);
    const c = cpu0(m);
    const src = mapped(m, Zone.CMA);
    let released = false;
    expect(folio_isolate_lru(c, src)).toBe(true); // a racing isolation (another pinner, reclaim)
    // 6.16 loops on -EAGAIN until the other isolator lets go: let it go at its second pass
    if (kernel === '6.16') before(c, S.follow_page_pte, 2, () => { folio_putback_lru(c, src); released = true; });
    const got = pin_user_pages(c, 0, 0);
    if (kernel === '6.14') {
      expect(got).toBe(src);
      expect(folio_is_longterm_pinnable(c, got)).toBe(false);
      expect(released).toBe(false);
      folio_putback_lru(c, src);
    } else {
      expect(released).toBe(true);
      expect(folio_is_longterm_pinnable(c, got)).toBe(true);
    }
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: a NORMAL folio is pinned in place with refcount 1 + 1024', (kernel) => {
    const m = testMachine(kernel);
    const f = mapped(m, Zone.NORMAL);
    expect(pin_user_pages(cpu0(m), 0, 0)).toBe(f);
    expect(ref(m, f)).toBe(1 + GUP_PIN_COUNTING_BIAS);
    expect(gen(m)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  for (const { kernel, migrated } of [
    { kernel: '6.10', migrated: false },
    { kernel: '6.11', migrated: true },
    { kernel: '6.17', migrated: true },
  ]) it(`${kernel}: with the folio in this CPU's own activate batch, the pin ${migrated ? 'migrates it' : 'fails with -ENOMEM'}`, () => {
    const m = testMachine(kernel, { traceCapacity: 1 << 14 });
    const c = cpu0(m);
    const src = mapped(m, Zone.CMA);
    expect(folio_activate(c, src)).toBe(true);
    const rc = pin_user_pages(c, 0, 0);
    if (migrated) {
      expect(fword(m, m.L.FOLIO_ZONE, rc)).toBe(Zone.NORMAL);
      expect(ref(m, rc)).toBe(2 + GUP_PIN_COUNTING_BIAS);
      expect(has(fword(m, m.L.FOLIO_FLAGS, rc), Pg.active)).toBe(true); // activated before migrating
      expect(fword(m, m.L.FOLIO_ALLOC, src)).toBe(0);
    } else {
      expect(rc).toBe(ENOMEM);
      expect(word(m, m.L.OBS_MIGRATE_FAIL, 3)).toBe(1);
      expect(pte_folio(word(m, m.L.PTE, 0))).toBe(src);
      expect(fword(m, m.L.OBS_PINS, src)).toBe(0);
      expect(ref(m, src)).toBe(3); // PTE + activate slot + lru_add slot (putback)
    }
    expect(violation(m)).toBeNull();
    if (rc >= 0) unpin_folio(c, rc);
    lru_add_drain(c);
    expect(violation(m)).toBeNull();
  });
});
