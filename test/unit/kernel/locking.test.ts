// The lock primitives of src/kernel/locking.ts: lock words hold 0 or the holder's CPU + 1;
// spinlocks and local_lock raise preempt_count, mutexes and the folio lock do not.
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine } from '../../helpers/machine.js';
import { Ctrl, FOLIO_STRIDE } from '../../../src/shm/layout.js';
import {
  folio_lock, folio_trylock, folio_unlock, local_lock, local_unlock, mutex_lock, mutex_unlock, spin_lock, spin_unlock,
} from '../../../src/kernel/locking.js';
import { has, Pg } from '../../../src/kernel/page-flags.js';
import type { CpuContext } from '../../../src/cpu/context.js';

function setup(): { m: TestMachine; c0: CpuContext; c1: CpuContext; spin: number; mutex: number } {
  const m = testMachine('6.10');
  const [c0, c1] = m.cpus;
  if (!c0 || !c1) throw new Error('test machine needs two CPUs');
  return { m, c0, c1, spin: m.L.CTRL + Ctrl.LRU_LOCK, mutex: m.L.CTRL + Ctrl.DRAIN_ALL_MUTEX };
}

describe('spinlocks', () => {
  it('spin_lock stores the holder CPU + 1 and raises preemptCount; spin_unlock undoes both', () => {
    const { m, c1, spin } = setup();
    spin_lock(c1, spin);
    expect(Atomics.load(m.i32, spin)).toBe(2);
    expect(c1.preemptCount).toBe(1);
    spin_unlock(c1, spin);
    expect(Atomics.load(m.i32, spin)).toBe(0);
    expect(c1.preemptCount).toBe(0);
  });

  it('nested spinlocks count in preemptCount', () => {
    const { m, c0, spin } = setup();
    const zone = m.L.CTRL + Ctrl.ZONE_LOCK;
    spin_lock(c0, spin);
    spin_lock(c0, zone);
    expect(c0.preemptCount).toBe(2);
    expect([Atomics.load(m.i32, spin), Atomics.load(m.i32, zone)]).toEqual([1, 1]);
    spin_unlock(c0, zone);
    spin_unlock(c0, spin);
    expect(c0.preemptCount).toBe(0);
  });

  it('taking a spinlock the CPU already holds is reported as a model bug', () => {
    const { c0, spin } = setup();
    spin_lock(c0, spin);
    expect(() => spin_lock(c0, spin)).toThrow(/already holds/);
  });
});

describe('local_lock', () => {
  it('local_lock raises only this CPU\'s preemptCount and touches no lock word', () => {
    const { m, c0, c1, spin, mutex } = setup();
    local_lock(c0);
    expect(c0.preemptCount).toBe(1);
    expect(c1.preemptCount).toBe(0);
    expect([Atomics.load(m.i32, spin), Atomics.load(m.i32, mutex)]).toEqual([0, 0]);
    local_unlock(c0);
    expect(c0.preemptCount).toBe(0);
  });
});

describe('mutexes', () => {
  it('mutex_lock stores the holder CPU + 1 and leaves preemptCount alone', () => {
    const { m, c0, mutex } = setup();
    mutex_lock(c0, mutex);
    expect(Atomics.load(m.i32, mutex)).toBe(1);
    expect(c0.preemptCount).toBe(0);
    mutex_unlock(c0, mutex);
    expect(Atomics.load(m.i32, mutex)).toBe(0);
  });

  it('taking a mutex the CPU already holds is reported as a model bug', () => {
    const { c1, mutex } = setup();
    mutex_lock(c1, mutex);
    expect(() => mutex_lock(c1, mutex)).toThrow(/already holds/);
  });

  it('waiting for a contended mutex inside a spinlock is reported as sleeping in atomic context', () => {
    const { m, c0, c1, spin, mutex } = setup();
    mutex_lock(c1, mutex);
    spin_lock(c0, spin);
    expect(() => mutex_lock(c0, mutex)).toThrow(/sleeps in atomic context/);
    expect(Atomics.load(m.i32, mutex)).toBe(2);
    spin_unlock(c0, spin);
    mutex_unlock(c1, mutex);
  });
});

describe('folio lock', () => {
  it('folio_lock sets PG_locked; folio_trylock fails while it is held and succeeds after folio_unlock', () => {
    const { m, c0, c1 } = setup();
    const locked = (): boolean => has(Atomics.load(m.i32, m.L.FOLIO_FLAGS + 5 * FOLIO_STRIDE), Pg.locked);
    folio_lock(c0, 5);
    expect(locked()).toBe(true);
    expect(c0.preemptCount).toBe(0);
    expect(folio_trylock(c1, 5)).toBe(false);
    expect(locked()).toBe(true);
    folio_unlock(c0, 5);
    expect(locked()).toBe(false);
    expect(folio_trylock(c1, 5)).toBe(true);
    expect(locked()).toBe(true);
    folio_unlock(c1, 5);
    expect(Atomics.load(m.i32, m.L.FOLIO_FLAGS + 5 * FOLIO_STRIDE)).toBe(0);
  });
});
