// The initial-state snapshot every iteration is restored from (src/cpu/snapshot.ts): long spans
// by block copy, short ones word by word. Whatever the split, a restore must put back exactly the
// model words as they were and write no other word.
import { describe, expect, it } from 'vitest';
import { cpusOf, testMachine } from '../../helpers/machine.js';
import { modelSpans } from '../../../src/cpu/snapshot.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import { Zone } from '../../../src/kernel/page_alloc.js';
import { lru_add_drain } from '../../../src/kernel/swap.js';
import { ModelSnapshot } from '../../../src/cpu/snapshot.js';

describe('ModelSnapshot', () => {
  it('restores every model word, in short and long spans alike, and writes nothing else', () => {
    const m = testMachine('6.10');
    const [c0, c1] = cpusOf(m);
    do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1); // left in CPU0's lru_add batch: a batch slot in use
    do_anonymous_page(c1, 0, 1, Zone.NORMAL, 2);
    lru_add_drain(c1); // on an LRU list
    const spans = modelSpans(m.i32, m.L);
    expect(spans.some(([a, b]) => b - a === 1)).toBe(true);
    expect(spans.some(([a, b]) => b - a >= 64)).toBe(true);
    const model = new Uint8Array(m.i32.length);
    for (const [a, b] of spans) model.fill(1, a, b);

    const initial = m.i32.slice();
    const snapshot = new ModelSnapshot(m.i32, m.L);
    const scribbled = m.i32.map((_, i) => (i * 7919) ^ 0x5a5a);
    m.i32.set(scribbled);
    snapshot.restore(m.i32);

    const wrong: number[] = [];
    for (let w = 0; w < m.i32.length; w++) if (m.i32[w] !== (model[w] ? initial[w] : scribbled[w])) wrong.push(w);
    expect(wrong).toEqual([]);
  });
});
