// Observation only, not kernel state: who held a folio's references when a migration's refcount
// check failed (OBS_REF_HOLDERS, see RefHolders in shm/layout.ts), so that a race diagram can say
// why ("ref 2 = migration's isolation + CPU1 lru_activate batch slot 0"). Read from the refcount
// ledger (OBS_* fields, as the invariants read it) and from every CPU's batches, like
// batch_refs_of() below.
import { FOLIO_STRIDE, NR_BATCHES, REF_HOLDER_SLOTS, RefHolders, type Layout } from '../shm/layout.js';
import { has, Pg } from './page-flags.js';
import { SLOT_FOLIO } from './pagevec.js';

export function note_ref_holders(m: Int32Array, L: Layout, folio: number, ref: number): void {
  const o = L.OBS_REF_HOLDERS;
  const at = folio * FOLIO_STRIDE;
  Atomics.store(m, o + RefHolders.SEEN, 1);
  Atomics.store(m, o + RefHolders.FOLIO, folio);
  Atomics.store(m, o + RefHolders.REF, ref);
  Atomics.store(m, o + RefHolders.MAPPINGS, Atomics.load(m, L.FOLIO_MAPCOUNT + at));
  Atomics.store(m, o + RefHolders.SWAPCACHE, has(Atomics.load(m, L.FOLIO_FLAGS + at), Pg.swapcache) ? 1 : 0);
  Atomics.store(m, o + RefHolders.ISOLATED, Atomics.load(m, L.OBS_ISOLATED + at));
  Atomics.store(m, o + RefHolders.PINS, Atomics.load(m, L.OBS_PINS + at));
  Atomics.store(m, o + RefHolders.EXTRA, Atomics.load(m, L.OBS_EXTRA + at));
  let n = 0;
  const size = L.config.batchSize;
  for (let cb = 0; cb < L.config.cpus * NR_BATCHES && n < REF_HOLDER_SLOTS; cb++) {
    const nr = Atomics.load(m, L.FBATCH_NR + cb);
    for (let i = 0; i < nr && n < REF_HOLDER_SLOTS; i++) {
      if ((Atomics.load(m, L.FBATCH_SLOT + cb * size + i) & SLOT_FOLIO) !== folio) continue;
      const t = o + RefHolders.SLOTS + 3 * n++;
      Atomics.store(m, t, Math.floor(cb / NR_BATCHES));
      Atomics.store(m, t + 1, cb % NR_BATCHES);
      Atomics.store(m, t + 2, i);
    }
  }
  Atomics.store(m, o + RefHolders.NSLOTS, n);
}

/** Observation only: how many batch slots of any CPU hold `folio`. */
export function batch_refs_of(m: Int32Array, L: Layout, folio: number): number {
  let n = 0;
  const size = L.config.batchSize;
  for (let cb = 0; cb < L.config.cpus * NR_BATCHES; cb++) {
    const nr = Atomics.load(m, L.FBATCH_NR + cb);
    for (let i = 0; i < nr; i++) {
      if ((Atomics.load(m, L.FBATCH_SLOT + cb * size + i) & SLOT_FOLIO) === folio) n++;
    }
  }
  return n;
}
