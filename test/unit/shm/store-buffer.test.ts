// x86-TSO store buffers (src/shm/store-buffer.ts): what a CPU's loads see, when its stores reach
// memory, and that a hook inside it sees what reaches memory. No workers: one thread plays the CPUs.
import { describe, expect, it } from 'vitest';
import {
  Access, compareExchange, fetchAdd, load, smp_mb, smp_rmb, store, type AccessHook, type AccessKind,
} from '../../../src/shm/access.js';
import { computeLayout, scheduledAgents, type MachineConfig } from '../../../src/shm/layout.js';
import { buffered, flushMask, flushOldest, StoreBuffer } from '../../../src/shm/store-buffer.js';

const config = (storeBuffer?: number): MachineConfig => ({
  cpus: 2, folios: 1, cmaFolios: 0, mms: 0, ptesPerMm: 0, swapSlots: 0, batchSize: 1, traceCapacity: 1,
  scheduleCapacity: 1, scenarioVars: 4, outcomes: 1, ...(storeBuffer === undefined ? {} : { storeBuffer }),
});

function machine(entries = 4) {
  const L = computeLayout(config(entries));
  const m = new Int32Array(new SharedArrayBuffer(L.words * 4));
  const cpu = (id: number, inner: AccessHook | null = null) => {
    const hook = new StoreBuffer(L, id, inner);
    hook.active = true;
    return { m, hook };
  };
  const X = L.SCN_VARS, Y = L.SCN_VARS + 1;
  return { L, m, cpu, X, Y };
}

describe('store buffer (x86-TSO)', () => {
  it('under sc the machine has no store-buffer words, and the regions before keep their places', () => {
    const sc = computeLayout(config());
    const tso = computeLayout(config(4));
    expect(sc.sizes.SB_ADDR + sc.sizes.SB_LEN).toBe(0);
    expect(tso.sizes.SB_ADDR).toBe(2 * 4);
    expect(tso.OUTCOME_COUNT).toBe(sc.OUTCOME_COUNT);
    expect(scheduledAgents(sc.config)).toBe(2);
    expect(scheduledAgents(tso.config)).toBe(4);
  });

  it('a store waits in its CPU\'s buffer: the CPU reads it, the other CPU reads memory (SB)', () => {
    const { m, L, cpu, X, Y } = machine();
    const c0 = cpu(0), c1 = cpu(1);
    store(c0, X, 1);
    store(c1, Y, 1);
    expect([load(c0, X), load(c0, Y), load(c1, X), load(c1, Y)]).toEqual([1, 0, 0, 1]);
    expect([buffered(m, L, 0), buffered(m, L, 1)]).toEqual([1, 1]);
    expect(flushMask(m, L)).toBe(0b1100); // pseudo-CPUs 2 and 3: the flushes of CPU0's and CPU1's buffers
    flushOldest(m, L, 1, null);
    expect(flushMask(m, L)).toBe(0b0100);
  });

  it('flushes go oldest first, and a CPU reads its newest store to a word', () => {
    const { m, L, cpu, X, Y } = machine();
    const c0 = cpu(0), c1 = cpu(1);
    store(c0, X, 1);
    store(c0, Y, 2);
    store(c0, X, 3);
    expect(load(c0, X)).toBe(3);
    expect(flushOldest(m, L, 0, null)).toBe(X);
    expect([load(c1, X), load(c1, Y)]).toEqual([1, 0]);
    expect(flushOldest(m, L, 0, null)).toBe(Y);
    expect(flushOldest(m, L, 0, null)).toBe(X);
    expect([load(c1, X), load(c1, Y), buffered(m, L, 0)]).toEqual([3, 2, 0]);
    expect(() => flushOldest(m, L, 0, null)).toThrow(/empty store buffer/);
  });

  it('a locked instruction and smp_mb() drain the buffer; smp_rmb() does not', () => {
    const { m, L, cpu, X, Y } = machine();
    const c0 = cpu(0);
    store(c0, X, 1);
    smp_rmb(c0);
    expect(buffered(m, L, 0)).toBe(1);
    smp_mb(c0);
    expect([buffered(m, L, 0), Atomics.load(m, X)]).toEqual([0, 1]);
    store(c0, X, 2);
    expect(fetchAdd(c0, Y, 5, Access.RMW_RELAXED)).toBe(0); // on x86 every atomic RMW is locked
    expect([buffered(m, L, 0), Atomics.load(m, X), Atomics.load(m, Y)]).toEqual([0, 2, 5]);
    store(c0, X, 3, Access.RELEASE);
    expect(compareExchange(c0, X, 3, 4, Access.RMW_ACQUIRE)).toBe(3); // sees its own release store, drained first
  });

  it('a full buffer flushes its oldest entry to make room', () => {
    const { m, L, cpu, X } = machine(2);
    const c0 = cpu(0);
    const drained: number[] = [];
    c0.hook.onDrain = (a) => drained.push(a);
    for (let v = 1; v <= 3; v++) store(c0, X + v, v);
    expect([buffered(m, L, 0), Atomics.load(m, X + 1), Atomics.load(m, X + 2)]).toEqual([2, 1, 0]);
    expect(drained).toEqual([X + 1]);
  });

  it('outside the actor (setup, check) stores write through', () => {
    const { m, L, cpu, X } = machine();
    const c0 = cpu(0);
    c0.hook.active = false;
    store(c0, X, 7);
    expect([buffered(m, L, 0), Atomics.load(m, X)]).toEqual([0, 7]);
  });

  it('wraps an inner hook: what reaches memory goes through it, a forwarded load as a read of its word, and the buffer\'s entry and head', () => {
    const { m, L, cpu, X, Y } = machine();
    const seen: string[] = [];
    const bufferWords: string[] = [];
    const note = (a: number, what: string): void => {
      if (a === X || a === Y) seen.push(what);
      else bufferWords.push(`${what.split(' ')[0]} ${a === L.SB_HEAD ? 'head' : a === L.SB_ADDR ? 'entry 0' : a}`);
    };
    const inner: AccessHook = { // notes the accesses of x and y, and of the buffer's words (verify's footprints)
      load: (mm, a, k: AccessKind) => { note(a, `load ${a - X} ${k}`); return Atomics.load(mm, a); },
      store: (mm, a, v) => { note(a, `store ${a - X}=${v}`); Atomics.store(mm, a, v); },
      rmw: (mm, a, _op, v) => { note(a, `rmw ${a - X}`); return Atomics.add(mm, a, v); },
      fence: (_mm, k) => { seen.push(`fence ${k}`); },
    };
    const c0 = cpu(0, inner);
    store(c0, X, 1);
    expect(load(c0, X)).toBe(1);
    load(c0, Y, Access.ACQUIRE);
    smp_mb(c0);
    fetchAdd(c0, Y, 1);
    expect(seen).toEqual([`load 0 ${Access.ONCE}`, `load 1 ${Access.ACQUIRE}`, 'store 0=1', 'fence 0', 'rmw 1']);
    // the store writes its entry; the drain of smp_mb() reads it and moves the head; the length is not noted
    expect(bufferWords).toEqual(['store entry 0', 'load entry 0', 'store head']);
    expect(buffered(m, L, 0)).toBe(0);
  });
});
