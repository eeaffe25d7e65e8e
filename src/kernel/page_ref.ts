// Models include/linux/page_ref.h and include/linux/mm.h (v6.10) reference-count primitives.
// The release path (folio_put reaching zero) is in swap.ts, as __folio_put is in mm/swap.c.
import { Access, compareExchange, fetchAdd, fetchSub, load } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { S } from './sites.js';

/** include/linux/page_ref.h folio_ref_count(). */
export function folio_ref_count(cpu: Cpu, folio: number): number {
  cpu.preempt(S.folio_ref_count);
  const ref = load(cpu, cpu.L.FOLIO_REF + folio * FOLIO_STRIDE);
  cpu.trace(S.folio_ref_count, folio, ref);
  return ref;
}

/** include/linux/mm.h folio_get(): the caller already holds a reference. */
export function folio_get(cpu: Cpu, folio: number): void {
  folio_ref_add(cpu, folio, 1);
}

/** include/linux/page_ref.h folio_ref_add(). */
export function folio_ref_add(cpu: Cpu, folio: number, nr: number): void {
  cpu.preempt(S.folio_get);
  const ref = fetchAdd(cpu, cpu.L.FOLIO_REF + folio * FOLIO_STRIDE, nr, Access.RMW_RELAXED) + nr; // atomic_add: unordered
  cpu.trace(S.folio_get, folio, ref);
}

/** include/linux/page_ref.h folio_ref_sub_and_test(): true when the count reached zero. */
export function folio_ref_sub_and_test(cpu: Cpu, folio: number, nr: number): boolean {
  cpu.preempt(S.folio_put);
  const ref = fetchSub(cpu, cpu.L.FOLIO_REF + folio * FOLIO_STRIDE, nr) - nr;
  cpu.trace(S.folio_put, folio, ref);
  if (ref < 0) throw new Error(`model bug: folio f${folio} refcount went negative (${ref})`);
  return ref === 0;
}

/** include/linux/page_ref.h folio_try_get(): fails on a folio whose count already reached zero. */
export function folio_try_get(cpu: Cpu, folio: number): boolean {
  cpu.preempt(S.folio_try_get);
  const at = cpu.L.FOLIO_REF + folio * FOLIO_STRIDE;
  for (;;) {
    const ref = load(cpu, at);
    if (ref === 0) { cpu.trace(S.folio_try_get_failed, folio, 0); return false; }
    if (compareExchange(cpu, at, ref, ref + 1) === ref) {
      cpu.trace(S.folio_try_get, folio, ref + 1);
      return true;
    }
  }
}

/** include/linux/page_ref.h folio_ref_freeze(): count `expected` → 0 atomically, or fail. */
export function folio_ref_freeze(cpu: Cpu, folio: number, expected: number): boolean {
  cpu.preempt(S.folio_ref_freeze);
  const ok = compareExchange(cpu, cpu.L.FOLIO_REF + folio * FOLIO_STRIDE, expected, 0) === expected;
  cpu.trace(ok ? S.folio_ref_freeze : S.folio_ref_freeze_failed, folio, expected);
  return ok;
}
