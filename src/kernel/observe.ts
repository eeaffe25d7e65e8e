// Readers of the model's state for scenarios: what a check() asks after the iteration, or what an
// actor looks at. Not kernel functions (ordinary names), except where the kernel has the reader.
// None is a preemption point except folioData(), which is a memory access like a load.
//
// Per-CPU batch slots belong to their CPU while it runs; folioBatches() of another CPU's batch in
// an actor is a racy look, as cpu_needs_drain() is (the count is atomic, the slot is published by it).
import { load } from '../shm/access.js';
import { BATCH_NAMES, CPU_STRIDE, FOLIO_STRIDE, LRU_NAMES, NR_BATCHES, VmEvent, type BatchId } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { folio_flags, has, Pg, PG_NAMES } from './page-flags.js';
import { folio_batch_count, folio_batch_slot, SLOT_FOLIO } from './pagevec.js';
import { pte_folio, pte_present } from './pgtable.js';
import { S } from './sites.js';

export type LruName = (typeof LRU_NAMES)[number];
export type BatchName = (typeof BATCH_NAMES)[number];

/**
 * The contents of `folio` (one value per page in the model), read as a device or the kernel reads
 * a page it pinned or got ("read through the pin"). A preemption point: it races with stores.
 */
export function folioData(cpu: Cpu, folio: number): number {
  cpu.preempt(S.folio_data);
  const value = load(cpu, cpu.L.FOLIO_DATA + folio * FOLIO_STRIDE);
  cpu.trace(S.folio_data, folio, value);
  return value;
}

/** The PG_* flags set on `folio`, by name ('lru', 'swapbacked', ...). */
export function folioFlagNames(cpu: Cpu, folio: number): string[] {
  const flags = folio_flags(cpu, folio);
  return PG_NAMES.filter((_, bit) => (flags & (1 << bit)) !== 0);
}

/** The LRU list `folio` is linked on (Lru.*), or -1 while it is on none (isolated, in lru_add, freed). */
export function folioLru(cpu: Cpu, folio: number): number {
  return load(cpu, cpu.L.OBS_LIST + folio * FOLIO_STRIDE);
}

/** The name of an LRU list number ('inactive_anon', ...), or 'none' for -1. */
export function lruName(list: number): LruName | 'none' {
  return LRU_NAMES[list] ?? 'none';
}

/** One per-CPU batch slot that holds a folio. */
export interface BatchSlot { readonly cpu: number; readonly batch: BatchId; readonly name: BatchName }

/** Every per-CPU batch slot (cpu_fbatches and mlock_fbatch of every CPU) that holds `folio`. */
export function folioBatches(cpu: Cpu, folio: number): BatchSlot[] {
  const found: BatchSlot[] = [];
  for (let c = 0; c < cpu.L.config.cpus; c++) {
    for (let b = 0; b < NR_BATCHES; b++) {
      const batch = b as BatchId;
      const nr = folio_batch_count(cpu, c, batch);
      for (let i = 0; i < nr; i++) {
        if ((folio_batch_slot(cpu, c, batch, i) & SLOT_FOLIO) === folio) found.push({ cpu: c, batch, name: BATCH_NAMES[batch] });
      }
    }
  }
  return found;
}

/** How many folios CPU `c`'s batch `b` holds now (folio_batch_count() of another CPU is a racy look). */
export function batchCount(cpu: Cpu, c: number, b: BatchId): number {
  return folio_batch_count(cpu, c, b);
}

/** Why the last migration failed: its refcount check found `ref` where it expected `expected`. */
export interface MigrationFailure {
  readonly folio: number;
  readonly ref: number;
  readonly expected: number;
  /** References per-CPU batch slots held at that moment. */
  readonly batchRefs: number;
  /** 'batch-ref': a per-CPU batch held the extra reference; 'other-ref': someone else did. */
  readonly reason: 'batch-ref' | 'other-ref';
}

/** The last refcount check migration failed (mm/migrate.c), or null if none failed this iteration. */
export function lastMigrationFailure(cpu: Cpu): MigrationFailure | null {
  const { L } = cpu;
  const o = L.OBS_MIGRATE_FAIL;
  const expected = load(cpu, o + 2);
  if (expected === 0) return null; // a real check expects at least the isolation reference
  const batchRefs = load(cpu, o + 3);
  return {
    folio: load(cpu, o), ref: load(cpu, o + 1), expected, batchRefs,
    reason: batchRefs > 0 ? 'batch-ref' : 'other-ref',
  };
}

/** Who holds `folio`'s references, as the invariant ledger counts them; `refcount` is their sum when no one is mid-step. */
export interface RefHolders {
  readonly refcount: number;
  /** Present PTEs mapping it (each holds one reference and one mapcount). */
  readonly ptes: number;
  readonly swapcache: number;
  /** Per-CPU batch slots (folioBatches() says which). */
  readonly batches: number;
  /** Isolations (folio_isolate_lru(), reclaim, migration). */
  readonly isolated: number;
  /** FOLL_PIN pins, each GUP_PIN_COUNTING_BIAS (1024) references. */
  readonly pins: number;
  /** FOLL_GET references (get_user_pages*()). */
  readonly gets: number;
}

/** The references of `folio` by holder. */
export function folioRefHolders(cpu: Cpu, folio: number): RefHolders {
  const { L } = cpu;
  const at = folio * FOLIO_STRIDE;
  let ptes = 0;
  for (let i = 0; i < L.config.mms * L.config.ptesPerMm; i++) {
    const pte = load(cpu, L.PTE + i);
    if (pte_present(pte) && pte_folio(pte) === folio) ptes++;
  }
  return {
    refcount: load(cpu, L.FOLIO_REF + at), ptes, swapcache: has(folio_flags(cpu, folio), Pg.swapcache) ? 1 : 0,
    batches: folioBatches(cpu, folio).length, isolated: load(cpu, L.OBS_ISOLATED + at),
    pins: load(cpu, L.OBS_PINS + at), gets: load(cpu, L.OBS_EXTRA + at),
  };
}

/**
 * Writes to a SWP_STABLE_WRITES swap device whose page changed while the write was in flight, so
 * far this iteration (what a checksumming device would reject).
 */
export function swapWritesChanged(cpu: Cpu): number {
  return load(cpu, cpu.L.OBS_STABLE_WRITE);
}

/**
 * /proc/vmstat pgreuse so far this iteration: write faults that reused their page in wp_page_reuse(),
 * summed over the CPUs' counters (read in check(), after every CPU arrived).
 */
export function pgreuseEvents(cpu: Cpu): number {
  let n = 0;
  for (let c = 0; c < cpu.L.config.cpus; c++) n += load(cpu, cpu.L.VM_EVENTS + c * CPU_STRIDE + VmEvent.PGREUSE);
  return n;
}
