// The patch table (kernel/patchable.ts): without a patch the model calls its own functions; a
// replacement is what the rest of the model and a scenario's kernel.* call; a wrapper is given the
// model's function; a wrapper that returns no function is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { installKernelFns, kernelFns, patchable, PATCHABLE_NAMES } from '../../../src/kernel/patchable.js';
import { kernel } from '../../../src/kernel/public.js';
import { folio_activate, folio_mark_accessed, lru_add_drain, lru_add_drain_all } from '../../../src/kernel/swap.js';
import { do_anonymous_page } from '../../../src/kernel/memory.js';
import { Zone } from '../../../src/kernel/page_alloc.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import type { Cpu } from '../../../src/kernel/cpu.js';
import { cpusOf, testMachine } from '../../helpers/machine.js';

afterEach(() => installKernelFns(kernelFns(null)));

describe('the patch table', () => {
  it('without a patch holds the model\'s own functions, every name of docs/patches.md among them', () => {
    const model = kernelFns(null);
    expect(model.lru_add_drain_all).toBe(lru_add_drain_all);
    expect(PATCHABLE_NAMES.every((n) => patchable[n] === model[n])).toBe(true);
    expect(PATCHABLE_NAMES).toEqual(expect.arrayContaining(['lru_add_drain_all', 'cpu_needs_drain', 'folio_batch_add_and_move',
      'lru_add_drain_cpu', 'collect_longterm_unpinnable_folios', 'check_and_migrate_movable_folios', 'folio_isolate_lru',
      'try_to_unmap_one_lazyfree', 'page_discardable', 'wp_can_reuse_anon_folio', 'do_swap_page_exclusive']));
  });

  it('a replacement is what the model calls (folio_mark_accessed → folio_activate) and what kernel.* calls', () => {
    const m = testMachine('6.10');
    const [c0, c1] = cpusOf(m);
    const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 1);
    lru_add_drain(c0);
    const seen: number[] = [];
    installKernelFns(kernelFns({ replace: { folio_activate: (_cpu: Cpu, folio: number) => { seen.push(folio); return false; } } }));
    folio_mark_accessed(c1, f);
    folio_mark_accessed(c1, f); // the second access activates: through the table
    kernel.folio_activate(c1, f);
    expect(seen).toEqual([f, f]);
    installKernelFns(kernelFns(null));
    expect(folio_activate(c1, f)).toBe(true); // the model's own, again
    expect(kernel.folio_test(c1, f, Pg.lru)).toBe(true);
  });

  it('a wrapper is given the model\'s function once and may call it; one that returns no function is refused', () => {
    const m = testMachine('6.17');
    const [c0] = cpusOf(m);
    const calls: string[] = [];
    const table = kernelFns({ wrap: { lru_add_drain: (original) => (cpu) => { calls.push('before'); original(cpu); calls.push('after'); } } });
    installKernelFns(table);
    kernel.lru_add_drain(c0);
    expect(calls).toEqual(['before', 'after']);
    expect(() => kernelFns({ wrap: { lru_add_drain: (() => 42) as never } })).toThrow(/wrap\.lru_add_drain must return the function that replaces lru_add_drain \(got number\)/);
  });
});
