// Barry Song's 2026 removal of redundant drains from the fault paths (switch fewer-fault-drains, in
// 7.3): do_swap_page() drains no more; wp_can_reuse_anon_folio() drains only for an extra reference.
import { describe, expect, it } from 'vitest';
import { cpusOf, testMachine, violation } from '../../helpers/machine.js';
import { BenchStat } from '../../../src/shm/layout.js';
import { swapon } from '../../../src/kernel/swapfile.js';
import { mapped_folio, user_load, user_store } from '../../../src/kernel/user.js';
import { swapOut } from '../../../src/scenario/kit.js';
import { is_swap_pte, pte_addr, pte_write } from '../../../src/kernel/pgtable.js';

const drains = (m: ReturnType<typeof testMachine>): number => Atomics.load(m.i32, m.L.BENCH_STAT + BenchStat.LRU_ADD_DRAIN_CALLS);

describe('fewer-fault-drains', () => {
  it.each([[false, 1], [true, 0]] as const)('on=%s: a write fault on a swapped-out page drains %i time(s) and maps it writable', (on, n) => {
    const m = testMachine('7.3', { folios: 8, mms: 1, ptesPerMm: 2, swapSlots: 4 }, { 'fewer-fault-drains': on });
    const [c0] = cpusOf(m);
    swapon(c0, 0);
    user_store(c0, 0, 1, 5);
    swapOut(c0, mapped_folio(c0, 0, 1));
    expect(is_swap_pte(Atomics.load(m.i32, pte_addr(c0, 0, 1)))).toBe(true);
    const before = drains(m);
    user_store(c0, 0, 1, 6);
    expect(drains(m) - before).toBe(n);
    expect(pte_write(Atomics.load(m.i32, pte_addr(c0, 0, 1)))).toBe(true);
    expect(user_load(c0, 0, 1)).toBe(6);
    expect(violation(m)).toBeNull();
  });
});
