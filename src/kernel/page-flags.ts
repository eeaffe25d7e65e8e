// Models include/linux/page-flags.h (v6.10): the PG_* bits of a folio and their atomic accessors.
import { Access, fetchAnd, fetchOr, load } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { S } from './sites.js';

/** Bit numbers in FOLIO_FLAGS. Values are ours; names are the kernel's. */
export const Pg = {
  locked: 0,
  referenced: 1,
  dirty: 2,
  lru: 3,
  active: 4,
  swapbacked: 5,
  unevictable: 6,
  mlocked: 7,
  swapcache: 8,
  writeback: 9,
  reclaim: 10,
  anon_exclusive: 11,
  /** FOLIO_MAPPING_ANON: the folio is anonymous memory (a mapping bit in the kernel). */
  anon: 12,
} as const;
export type PgBit = (typeof Pg)[keyof typeof Pg];
export const PG_NAMES = ['locked', 'referenced', 'dirty', 'lru', 'active', 'swapbacked', 'unevictable',
  'mlocked', 'swapcache', 'writeback', 'reclaim', 'anon_exclusive', 'anon'] as const;

/**
 * include/linux/page-flags.h: a folio's flags word, read once (READ_ONCE(folio->flags)) and tested
 * bit by bit after; no preemption point (callers already passed one).
 */
export function folio_flags(cpu: Cpu, folio: number): number {
  return load(cpu, cpu.L.FOLIO_FLAGS + folio * FOLIO_STRIDE);
}

/** include/linux/page-flags.h folio_test_*(): test one bit. */
export function folio_test(cpu: Cpu, folio: number, bit: PgBit): boolean {
  cpu.preempt(S.test_bit);
  return (load(cpu, cpu.L.FOLIO_FLAGS + folio * FOLIO_STRIDE) & (1 << bit)) !== 0;
}

/** include/linux/page-flags.h folio_set_*(): atomic set_bit. */
export function folio_set(cpu: Cpu, folio: number, bit: PgBit): void {
  cpu.preempt(S.set_bit);
  fetchOr(cpu, cpu.L.FOLIO_FLAGS + folio * FOLIO_STRIDE, 1 << bit, Access.RMW_RELAXED); // set_bit: unordered
  cpu.trace(S.set_bit, folio, bit);
}

/** include/linux/page-flags.h folio_clear_*(): atomic clear_bit. */
export function folio_clear(cpu: Cpu, folio: number, bit: PgBit): void {
  cpu.preempt(S.clear_bit);
  fetchAnd(cpu, cpu.L.FOLIO_FLAGS + folio * FOLIO_STRIDE, ~(1 << bit), Access.RMW_RELAXED); // clear_bit: unordered
  cpu.trace(S.clear_bit, folio, bit);
}

/** include/linux/page-flags.h folio_test_clear_*(): atomic test_and_clear_bit. */
export function folio_test_clear(cpu: Cpu, folio: number, bit: PgBit): boolean {
  cpu.preempt(S.test_and_clear_bit);
  const old = fetchAnd(cpu, cpu.L.FOLIO_FLAGS + folio * FOLIO_STRIDE, ~(1 << bit));
  const was = (old & (1 << bit)) !== 0;
  cpu.trace(was ? S.test_and_clear_bit : S.test_and_clear_bit_lost, folio, bit);
  return was;
}

/** include/linux/page-flags.h folio_test_set_*(): atomic test_and_set_bit. */
export function folio_test_set(cpu: Cpu, folio: number, bit: PgBit): boolean {
  cpu.preempt(S.test_and_set_bit);
  const old = fetchOr(cpu, cpu.L.FOLIO_FLAGS + folio * FOLIO_STRIDE, 1 << bit);
  return (old & (1 << bit)) !== 0;
}

/** Is `bit` set in an already-read flag word. */
export function has(flags: number, bit: PgBit): boolean {
  return (flags & (1 << bit)) !== 0;
}
