// Models include/linux/pagevec.h (v6.10) struct folio_batch, for the per-CPU batches of
// cpu_fbatches (mm/swap.c) and mlock_fbatch (mm/mlock.c). A batch is written only by its own CPU
// inside that CPU's local_lock section; other CPUs read its count racily (cpu_needs_drain).
// A slot holds the folio number, plus mlock's tag bits (LRU_FOLIO / NEW_FOLIO) above SLOT_FOLIO.
import { load, store, storePlain } from '../shm/access.js';
import { NR_BATCHES, type BatchId } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { S } from './sites.js';

export const SLOT_FOLIO = (1 << 24) - 1;
export const SLOT_TAG_SHIFT = 24;

/** Index of batch `b` of CPU `c` in FBATCH_NR. */
export function fbatch_index(c: number, b: BatchId): number {
  return c * NR_BATCHES + b;
}

/** include/linux/pagevec.h folio_batch_count(). */
export function folio_batch_count(cpu: Cpu, c: number, b: BatchId): number {
  return load(cpu, cpu.L.FBATCH_NR + fbatch_index(c, b));
}

/** Slot `i` of batch `b` of CPU `c`, tag bits included. */
export function folio_batch_slot(cpu: Cpu, c: number, b: BatchId, i: number): number {
  return load(cpu, cpu.L.FBATCH_SLOT + fbatch_index(c, b) * cpu.L.config.batchSize + i);
}

/**
 * include/linux/pagevec.h folio_batch_add(): appends `folio` (with mlock's tag bits above
 * SLOT_FOLIO, if any) to this CPU's batch `b` and returns the space left (0 = full, flush now).
 * Only the owning CPU calls it, under its local_lock.
 */
export function folio_batch_add(cpu: Cpu, b: BatchId, folio: number): number {
  const { L } = cpu;
  cpu.trace(S.folio_batch_add, folio & SLOT_FOLIO, b);
  const size = L.config.batchSize;
  const at = L.FBATCH_NR + fbatch_index(cpu.id, b);
  const nr = load(cpu, at);
  if (nr >= size) throw new Error(`model bug: folio batch ${b} of CPU${cpu.id} overflows (${nr}/${size})`);
  storePlain(cpu, L.FBATCH_SLOT + fbatch_index(cpu.id, b) * size + nr, folio); // owned; published by the NR store
  store(cpu, at, nr + 1);
  return size - nr - 1;
}

/** include/linux/pagevec.h folio_batch_reinit(). */
export function folio_batch_reinit(cpu: Cpu, c: number, b: BatchId): void {
  store(cpu, cpu.L.FBATCH_NR + fbatch_index(c, b), 0);
}
