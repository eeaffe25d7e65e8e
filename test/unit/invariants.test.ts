// src/cpu/invariants.ts: the checker accepts consistent machines and reports each kind of
// inconsistency with its code and numbers.
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine } from '../helpers/machine.js';
import { Ctrl, Lru, FOLIO_STRIDE } from '../../src/shm/layout.js';
import { spin_lock } from '../../src/kernel/locking.js';
import { do_anonymous_page } from '../../src/kernel/memory.js';
import { Zone } from '../../src/kernel/page_alloc.js';
import { Pg } from '../../src/kernel/page-flags.js';
import { lru_add_drain } from '../../src/kernel/swap.js';
import { describeViolation, invariantChecker, type Violation } from '../../src/cpu/invariants.js';
import type { CpuContext } from '../../src/cpu/context.js';

function setup(kernel = '6.10'): { m: TestMachine; c: CpuContext; f: number; check: () => Violation | null } {
  const m = testMachine(kernel);
  const c = m.cpus[0];
  if (!c) throw new Error('test machine has no CPU0');
  const f = do_anonymous_page(c, 0, 0, Zone.NORMAL, 1);
  lru_add_drain(c);
  return { m, c, f, check: invariantChecker(m.i32, m.L, c.k) };
}

describe('invariantChecker', () => {
  it('a freshly booted machine is consistent', () => {
    const m = testMachine('6.17');
    const c = m.cpus[0];
    if (!c) throw new Error('test machine has no CPU0');
    expect(invariantChecker(m.i32, m.L, c.k)()).toBeNull();
  });

  it('6.10: an unledgered reference is code 1 (refcount vs known); recording it in OBS_EXTRA clears it', () => {
    const { m, f, check } = setup();
    expect(check()).toBeNull();
    Atomics.add(m.i32, m.L.FOLIO_REF + f * FOLIO_STRIDE, 1);
    expect(check()).toEqual({ code: 1, subject: f, a: 2, b: 1 });
    Atomics.store(m.i32, m.L.OBS_EXTRA + f * FOLIO_STRIDE, 1);
    expect(check()).toBeNull();
  });

  it('6.10: a listed folio without PG_lru and with no batch owning it is code 6', () => {
    const { m, f, check } = setup();
    Atomics.and(m.i32, m.L.FOLIO_FLAGS + f * FOLIO_STRIDE, ~(1 << Pg.lru));
    expect(check()).toMatchObject({ code: 6, subject: f });
  });

  it('6.10: a folio whose flags select another list than the one it is on is code 8', () => {
    const { m, f, check } = setup();
    Atomics.or(m.i32, m.L.FOLIO_FLAGS + f * FOLIO_STRIDE, 1 << Pg.active);
    expect(check()).toEqual({ code: 8, subject: f, a: Lru.INACTIVE_ANON, b: Lru.ACTIVE_ANON });
  });

  it('6.10: a wrong LRU_SIZE is code 11', () => {
    const { m, check } = setup();
    Atomics.add(m.i32, m.L.LRU_SIZE + Lru.INACTIVE_ANON, 1);
    expect(check()).toEqual({ code: 11, subject: Lru.INACTIVE_ANON, a: 1, b: 2 });
  });

  it('6.10: a held lru_lock is code 12 and a locked folio is code 13', () => {
    const { m, c, f, check } = setup();
    Atomics.or(m.i32, m.L.FOLIO_FLAGS + f * FOLIO_STRIDE, 1 << Pg.locked);
    expect(check()).toMatchObject({ code: 13, subject: f });
    Atomics.and(m.i32, m.L.FOLIO_FLAGS + f * FOLIO_STRIDE, ~(1 << Pg.locked));
    spin_lock(c, m.L.CTRL + Ctrl.LRU_LOCK);
    expect(check()).toEqual({ code: 12, subject: -1, a: m.L.CTRL + Ctrl.LRU_LOCK, b: 1 });
  });

  it('describeViolation fills in the subject and both numbers', () => {
    expect(describeViolation({ code: 1, subject: 4, a: 3, b: 2 }))
      .toBe('refcount of f4 is 3, the references the model knows of add up to 2');
  });
});
