// Read-side helpers for a scenario's check(): what the machine holds now, read without preemption
// points or trace events and without changing anything. Not kernel functions (ordinary names):
// each answers a question a check asks, from the machine's words. Exported as `inspect`.
// check() runs on CPU0 after every CPU finished its actor, so nothing changes under these reads
// (the lru_lock-owned OBS_LIST word included: the iteration barrier orders its last writes).
import { BATCH_NAMES, FOLIO_STRIDE, LRU_NAMES, NR_BATCHES } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { GUP_PIN_COUNTING_BIAS } from './gup.js';
import { PG_NAMES, Pg } from './page-flags.js';
import { SLOT_FOLIO } from './pagevec.js';

export type LruName = (typeof LRU_NAMES)[number];
export type BatchName = (typeof BATCH_NAMES)[number];

const field = (base: number, folio: number): number => base + folio * FOLIO_STRIDE;

/** The LRU list `folio` is linked on now (whatever its flags say), or null if it is on none. */
export function lruListOf(cpu: Cpu, folio: number): LruName | null {
  const list = Atomics.load(cpu.m, field(cpu.L.OBS_LIST, folio));
  return list >= 0 ? LRU_NAMES[list] ?? null : null;
}

/** Every per-CPU batch slot that holds `folio` (a folio may sit in several, each with a reference). */
export function batchesHolding(cpu: Cpu, folio: number): { cpu: number; batch: BatchName }[] {
  const { m, L } = cpu;
  const out: { cpu: number; batch: BatchName }[] = [];
  const size = L.config.batchSize;
  for (let c = 0; c < L.config.cpus; c++) {
    for (let b = 0; b < NR_BATCHES; b++) {
      const cb = c * NR_BATCHES + b;
      const nr = Atomics.load(m, L.FBATCH_NR + cb);
      for (let i = 0; i < nr; i++) {
        if ((Atomics.load(m, L.FBATCH_SLOT + cb * size + i) & SLOT_FOLIO) === folio) out.push({ cpu: c, batch: BATCH_NAMES[b]! });
      }
    }
  }
  return out;
}

/** The PG_* flags set on `folio`, by name. */
export function flagsOf(cpu: Cpu, folio: number): string[] {
  const flags = Atomics.load(cpu.m, field(cpu.L.FOLIO_FLAGS, folio));
  return PG_NAMES.filter((_, bit) => (flags & (1 << bit)) !== 0);
}

export interface RefHolders {
  /** folio->_refcount. */
  refcount: number;
  /** Page table mappings (folio_mapcount()). */
  mappings: number;
  /** FOLL_PIN pins, each worth GUP_PIN_COUNTING_BIAS references (small folios). */
  pins: number;
  /** Per-CPU batch slots holding it (batchesHolding). */
  batches: number;
  /** 1 while it is in the swap cache (PG_swapcache). */
  swapCache: number;
  /** The rest: isolation from the LRU, a GUP get or an allocation's own reference, a leak. */
  other: number;
}

/** Who holds `folio`'s references, as far as the machine records holders. */
export function refHolders(cpu: Cpu, folio: number): RefHolders {
  const { m, L } = cpu;
  const refcount = Atomics.load(m, field(L.FOLIO_REF, folio));
  const mappings = Atomics.load(m, field(L.FOLIO_MAPCOUNT, folio));
  const pins = Math.floor(refcount / GUP_PIN_COUNTING_BIAS);
  const batches = batchesHolding(cpu, folio).length;
  const swapCache = (Atomics.load(m, field(L.FOLIO_FLAGS, folio)) & (1 << Pg.swapcache)) !== 0 ? 1 : 0;
  return { refcount, mappings, pins, batches, swapCache, other: refcount - pins * GUP_PIN_COUNTING_BIAS - mappings - batches - swapCache };
}
