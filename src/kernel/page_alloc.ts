// Models mm/page_alloc.c (v6.10) as a toy allocator: a first-fit scan of one zone under a zone
// lock. Zones matter only for long-term pinning: CMA folios must be migrated before a FOLL_LONGTERM
// pin (include/linux/mm.h folio_is_longterm_pinnable()).
import { load, store, storePlain } from '../shm/access.js';
import { Ctrl, FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { folio_set, Pg, type PgBit } from './page-flags.js';
import { S } from './sites.js';
import { patchable } from './patchable.js';

export const Zone = { NORMAL: 0, CMA: 1 } as const;
export type ZoneId = (typeof Zone)[keyof typeof Zone];

function zoneRange(cpu: Cpu, zone: ZoneId): [number, number] {
  const { cmaFolios, folios } = cpu.L.config;
  return zone === Zone.CMA ? [0, cmaFolios] : [cmaFolios, folios];
}

/**
 * Resets a free folio slot to what a fresh allocation holds. Plain stores (storePlain): a free folio is
 * reachable from nowhere (no PTE, batch, list or reference), so the allocator owns it until the
 * Atomics store of FOLIO_ALLOC, and the zone lock's release, publish it.
 */
function init_folio_slot(cpu: Cpu, f: number): void {
  const { L } = cpu;
  storePlain(cpu, L.FOLIO_FLAGS + f * FOLIO_STRIDE, 0);
  storePlain(cpu, L.FOLIO_REF + f * FOLIO_STRIDE, 1);
  storePlain(cpu, L.FOLIO_MAPCOUNT + f * FOLIO_STRIDE, 0);
  storePlain(cpu, L.FOLIO_DATA + f * FOLIO_STRIDE, 0);
  storePlain(cpu, L.FOLIO_MM + f * FOLIO_STRIDE, -1);
  storePlain(cpu, L.FOLIO_INDEX + f * FOLIO_STRIDE, -1);
  storePlain(cpu, L.FOLIO_SWAP + f * FOLIO_STRIDE, -1);
  storePlain(cpu, L.LRU_NEXT + f * FOLIO_STRIDE, -1);
  storePlain(cpu, L.LRU_PREV + f * FOLIO_STRIDE, -1);
  storePlain(cpu, L.OBS_LIST + f * FOLIO_STRIDE, -1);
  storePlain(cpu, L.OBS_ISOLATED + f * FOLIO_STRIDE, 0);
  storePlain(cpu, L.OBS_PINS + f * FOLIO_STRIDE, 0);
  storePlain(cpu, L.OBS_EXTRA + f * FOLIO_STRIDE, 0);
}

/** mm/page_alloc.c folio_alloc(): one reference for the caller, or -1 when the zone is empty. */
export function folio_alloc(cpu: Cpu, zone: ZoneId): number {
  const { L } = cpu;
  spin_lock(cpu, L.CTRL + Ctrl.ZONE_LOCK);
  const [lo, hi] = zoneRange(cpu, zone);
  let found = -1;
  for (let f = lo; f < hi; f++) {
    if (load(cpu, L.FOLIO_ALLOC + f * FOLIO_STRIDE) === 0) { found = f; break; }
  }
  if (found >= 0) {
    init_folio_slot(cpu, found);
    store(cpu, L.FOLIO_ALLOC + found * FOLIO_STRIDE, 1);
  }
  spin_unlock(cpu, L.CTRL + Ctrl.ZONE_LOCK);
  cpu.trace(found >= 0 ? S.folio_alloc : S.folio_alloc_failed, found, zone);
  return found;
}

/**
 * A new anon folio for a fault (do_anonymous_page, the COW copy, a swap-in): allocated with the
 * caller's reference, anonymous and swap-backed, plus the `extra` flags; -1 when the zone is empty.
 * Its flags are set one by one, as the kernel's __folio_set_*() do on a folio nobody else sees.
 */
export function allocAnonFolio(cpu: Cpu, zone: ZoneId, extra: PgBit): number {
  const folio = patchable.folio_alloc(cpu, zone);
  if (folio < 0) return -1;
  folio_set(cpu, folio, extra);
  folio_set(cpu, folio, Pg.anon);
  folio_set(cpu, folio, Pg.swapbacked);
  return folio;
}

/** mm/page_alloc.c free_unref_folios(): the folio's last reference is gone. */
export function free_folio(cpu: Cpu, folio: number): void {
  const { L } = cpu;
  spin_lock(cpu, L.CTRL + Ctrl.ZONE_LOCK);
  store(cpu, L.FOLIO_FLAGS + folio * FOLIO_STRIDE, 0);
  store(cpu, L.FOLIO_ALLOC + folio * FOLIO_STRIDE, 0);
  spin_unlock(cpu, L.CTRL + Ctrl.ZONE_LOCK);
  cpu.trace(S.free_folio, folio, 0);
}

/** include/linux/mm.h folio_is_longterm_pinnable(): not in CMA (zone is static). */
export function folio_is_longterm_pinnable(cpu: Cpu, folio: number): boolean {
  return load(cpu, cpu.L.FOLIO_ZONE + folio * FOLIO_STRIDE) !== Zone.CMA;
}
