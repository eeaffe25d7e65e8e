// The access layer (src/shm/access.ts): the model touches machine words only through it, and
// each access does what its Atomics counterpart does, with or without a hook.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Access, compareExchange, exchange, fetchAdd, fetchAnd, fetchOr, fetchSub, load, loadPlain, store, storePlain,
  type AccessHook, type AccessKind, atomicRmw, type RmwOp,
} from '../../src/shm/access.js';

const SRC = new URL('../../src/', import.meta.url).pathname;
/** Observation only (bench counters, simulated time, the ref-holder snapshot): never what the model does. */
const OBSERVATION = ['kernel/bench-stat.ts', 'kernel/sim-time.ts', 'kernel/ref-holders.ts'];

/** Lines of `text` that touch the machine other than through the access layer. */
function direct(text: string): string[] {
  return text.split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l))
    .filter((l) => /\bAtomics\.(load|store|add|sub|and|or|xor|exchange|compareExchange)\(/.test(l) || /\b(cpu\.)?m\[[^\]]+\]/.test(l));
}

describe('access layer', () => {
  it('the model (src/kernel, src/scenario) touches machine words only through it', () => {
    const files = ['kernel', 'scenario'].flatMap((d) => readdirSync(join(SRC, d)).filter((f) => f.endsWith('.ts')).map((f) => `${d}/${f}`))
      .filter((f) => !OBSERVATION.includes(f));
    expect(files.length).toBeGreaterThan(30);
    const offenders = files.flatMap((f) => direct(readFileSync(join(SRC, f), 'utf8')).map((l) => `${f}: ${l.trim()}`))
      // boot_machine writes the initial state before any CPU runs (static words, no access to record)
      .filter((l) => !l.startsWith('kernel/boot.ts: for (let i = plan[s]!'));
    expect(offenders).toEqual([]);
    expect(direct('  const x = Atomics.load(cpu.m, a);\n  m[L.X + 1] = 2;\n  // Atomics.load(m, 1)\n  load(cpu, a);'))
      .toEqual(['  const x = Atomics.load(cpu.m, a);', '  m[L.X + 1] = 2;']);
  });

  it('without a hook each access is its Atomics operation', () => {
    const c = { m: new Int32Array(4), hook: null };
    store(c, 0, 5);
    expect(load(c, 0)).toBe(5);
    expect(fetchAdd(c, 0, 2)).toBe(5);
    expect(fetchSub(c, 0, 1)).toBe(7);
    expect(fetchOr(c, 0, 8)).toBe(6);
    expect(fetchAnd(c, 0, ~2)).toBe(14);
    expect(exchange(c, 0, 3)).toBe(12);
    expect(compareExchange(c, 0, 4, 9)).toBe(3);
    expect(compareExchange(c, 0, 3, 9)).toBe(3);
    storePlain(c, 1, 11);
    expect(loadPlain(c, 1)).toBe(11);
    expect([...c.m]).toEqual([9, 11, 0, 0]);
  });

  it('an access without a kind is READ_ONCE/WRITE_ONCE, a read-modify-write without one fully ordered', () => {
    const kinds: AccessKind[] = [];
    const hook: AccessHook = {
      load: (m, a, k) => { kinds.push(k); return Atomics.load(m, a); },
      store: (m, a, v, k) => { kinds.push(k); Atomics.store(m, a, v); },
      rmw: (m, a, op, x, y, k) => { kinds.push(k); return atomicRmw(m, a, op, x, y); },
    };
    const c = { m: new Int32Array(1), hook };
    load(c, 0); store(c, 0, 1); fetchAdd(c, 0, 1); fetchSub(c, 0, 1); fetchOr(c, 0, 1); fetchAnd(c, 0, 1); exchange(c, 0, 1);
    compareExchange(c, 0, 1, 2);
    expect(kinds).toEqual([Access.ONCE, Access.ONCE, ...Array<AccessKind>(6).fill(Access.RMW_FULL)]);
  });

  it('a hook sees every access, with its kind, and decides its result', () => {
    const seen: string[] = [];
    const hook: AccessHook = {
      load: (m, a, k) => { seen.push(`load ${a} ${k}`); return Atomics.load(m, a); },
      store: (m, a, v, k) => { seen.push(`store ${a}=${v} ${k}`); Atomics.store(m, a, v); },
      rmw: (m, a, op: RmwOp, x, y, k: AccessKind) => { seen.push(`rmw ${a} op${op} ${k}`); return atomicRmw(m, a, op, x, y); },
    };
    const c = { m: new Int32Array(2), hook };
    store(c, 0, 1, Access.RELEASE);
    load(c, 0, Access.ACQUIRE);
    fetchOr(c, 1, 4, Access.RMW_RELAXED);
    compareExchange(c, 1, 4, 5);
    storePlain(c, 0, 2);
    loadPlain(c, 0);
    expect(seen).toEqual(['store 0=1 3', 'load 0 2', 'rmw 1 op2 4', 'rmw 1 op5 5', 'store 0=2 0', 'load 0 0']);
    expect([...c.m]).toEqual([2, 5]);
  });
});
