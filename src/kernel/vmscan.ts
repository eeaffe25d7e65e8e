// Models mm/vmscan.c (v6.10): isolating folios from the LRU and putting them back, and the
// reclaim of isolated small anon folios (shrink_folio_list: swap-out, lazy-free discard).
import { fetchAdd, fetchSub, load, loadPlain, store } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { folio_trylock, folio_unlock, spin_lock, spin_unlock } from './locking.js';
import { lruvec_add_folio, lruvec_del_folio } from './mm_inline.js';
import { free_folio } from './page_alloc.js';
import { swap_writepage } from './page_io.js';
import { folio_clear, folio_flags, folio_set, folio_test, folio_test_clear, has, Pg } from './page-flags.js';
import { folio_get, folio_ref_freeze, folio_try_get } from './page_ref.js';
import { folio_maybe_dma_pinned, type Referenced } from './rmap.js';
import { __delete_from_swap_cache, swap_lock } from './swap_state.js';
import { S } from './sites.js';
import { folio_put, lru_lock_addr } from './swap.js';
import { patchable } from './patchable.js';
import { folio_evictable } from './mlock.js';

/**
 * mm/vmscan.c folio_isolate_lru(): the caller holds a reference. Wins PG_lru or fails (the folio
 * is isolated already, sits in an lru_add batch, is mid-move in a drain, or — 6.11 — is queued
 * in a non-add batch).
 */
export function folio_isolate_lru(cpu: Cpu, folio: number): boolean {
  if (!folio_test_clear(cpu, folio, Pg.lru)) {
    cpu.trace(S.folio_isolate_lru_failed, folio, 0);
    return false;
  }
  folio_get(cpu, folio);
  fetchAdd(cpu, cpu.L.OBS_ISOLATED + folio * FOLIO_STRIDE, 1);
  spin_lock(cpu, lru_lock_addr(cpu));
  lruvec_del_folio(cpu, folio);
  spin_unlock(cpu, lru_lock_addr(cpu));
  cpu.trace(S.folio_isolate_lru, folio, 0);
  return true;
}

/** mm/vmscan.c folio_putback_lru(): back through this CPU's lru_add batch, then drop the isolation ref. */
export function folio_putback_lru(cpu: Cpu, folio: number): void {
  patchable.folio_add_lru(cpu, folio);
  fetchSub(cpu, cpu.L.OBS_ISOLATED + folio * FOLIO_STRIDE, 1);
  folio_put(cpu, folio);
}

/** mm/vmscan.c enum folio_references. */
const FolioRef = { ACTIVATE: 0, KEEP: 1, RECLAIM: 2 } as const;

/**
 * mm/vmscan.c folio_check_references() (classic LRU), given what folio_referenced() saw. A mapping
 * in a VM_LOCKED vma: v5.18+ activates (folio_referenced() mlocked it), v5.17's
 * page_check_references() lets try_to_unmap() refuse and mlock it.
 */
function folio_check_references(cpu: Cpu, folio: number, { young, vmLocked }: Referenced): number {
  const referencedFolio = folio_test_clear(cpu, folio, Pg.referenced);
  if (vmLocked) return cpu.k.mlockBatch ? FolioRef.ACTIVATE : FolioRef.RECLAIM;
  if (young > 0) {
    folio_set(cpu, folio, Pg.referenced);
    return referencedFolio || young > 1 ? FolioRef.ACTIVATE : FolioRef.KEEP;
  }
  return FolioRef.RECLAIM;
}

/**
 * mm/vmscan.c isolate_lru_folios(): take up to `nr` folios from the tail of list `lru` under
 * lru_lock, each with a reference (folio_try_get) and PG_lru won. A folio without PG_lru (in
 * 6.11–6.16: queued in a batch) is skipped and rotated to the head.
 */
export function isolate_lru_folios(cpu: Cpu, nr: number, lru: number): number[] {
  const { L } = cpu;
  const head = L.config.folios + lru;
  const taken: number[] = [];
  spin_lock(cpu, lru_lock_addr(cpu));
  for (let scanned = loadPlain(cpu, L.LRU_SIZE + lru); scanned > 0 && taken.length < nr; scanned--) {
    const folio = loadPlain(cpu, L.LRU_PREV + head * FOLIO_STRIDE);
    if (folio_try_get(cpu, folio)) {
      if (folio_test_clear(cpu, folio, Pg.lru)) {
        lruvec_del_folio(cpu, folio);
        fetchAdd(cpu, L.OBS_ISOLATED + folio * FOLIO_STRIDE, 1);
        taken.push(folio);
        continue;
      }
      folio_put(cpu, folio); // PG_lru was clear: not the last reference of a listed folio
    }
    lruvec_del_folio(cpu, folio);
    lruvec_add_folio(cpu, folio);
  }
  spin_unlock(cpu, lru_lock_addr(cpu));
  return taken;
}

/**
 * mm/vmscan.c move_folios_to_lru(): put isolated folios back on their lists (PG_lru set again)
 * and drop the isolation references. An unevictable (mlocked) folio goes back through
 * folio_putback_lru(), whose lru_add batch puts it on the unevictable list.
 */
export function move_folios_to_lru(cpu: Cpu, all: readonly number[]): void {
  const folios = all.filter((folio) => folio_evictable(cpu, folio));
  for (const folio of all) if (!folios.includes(folio)) patchable.folio_putback_lru(cpu, folio);
  if (folios.length === 0) return;
  spin_lock(cpu, lru_lock_addr(cpu));
  for (const folio of folios) {
    folio_set(cpu, folio, Pg.lru);
    lruvec_add_folio(cpu, folio);
  }
  spin_unlock(cpu, lru_lock_addr(cpu));
  for (const folio of folios) {
    fetchSub(cpu, cpu.L.OBS_ISOLATED + folio * FOLIO_STRIDE, 1);
    folio_put(cpu, folio);
  }
}

/** An isolated folio leaves: its isolation reference was the last one (frozen to 0). */
function free_isolated(cpu: Cpu, folio: number): void {
  fetchSub(cpu, cpu.L.OBS_ISOLATED + folio * FOLIO_STRIDE, 1);
  free_folio(cpu, folio);
}

/**
 * mm/vmscan.c __remove_mapping() for a swap-cache folio (locked, isolated, unmapped): under the
 * swap lock, freeze the refcount at isolation + swap cache, then leave the swap cache; fails if
 * anyone else holds a reference (a batch slot, a GUP pin, a fault in progress).
 */
function __remove_mapping(cpu: Cpu, folio: number): boolean {
  spin_lock(cpu, swap_lock(cpu));
  let ok = folio_ref_freeze(cpu, folio, 2);
  if (ok && folio_test(cpu, folio, Pg.dirty)) {
    store(cpu, cpu.L.FOLIO_REF + folio * FOLIO_STRIDE, 2); // folio_ref_unfreeze()
    ok = false;
  }
  if (ok) __delete_from_swap_cache(cpu, folio);
  spin_unlock(cpu, swap_lock(cpu));
  return ok;
}

/**
 * mm/vmscan.c pageout(): a dirty swap-cache folio is written, unless someone besides the isolation
 * and the swap cache holds it (is_page_cache_freeable()): then it is kept, still dirty. PG_reclaim
 * asks for rotation when the write ends. Returns whether the write was started (folio unlocked).
 */
function pageout(cpu: Cpu, folio: number): boolean {
  if (load(cpu, cpu.L.FOLIO_REF + folio * FOLIO_STRIDE) !== 2) return false; // PAGE_KEEP
  folio_clear(cpu, folio, Pg.dirty); // folio_clear_dirty_for_io()
  folio_set(cpu, folio, Pg.reclaim);
  swap_writepage(cpu, folio);
  if (!folio_test(cpu, folio, Pg.writeback)) folio_clear(cpu, folio, Pg.reclaim);
  return true;
}

/** What became of one isolated folio in shrink_folio_list(). */
const Fate = { FREED: 0, KEEP: 1, KEEP_LOCKED: 2, ACTIVATE_LOCKED: 3 } as const;

/** mm/vmscan.c shrink_folio_list(), one folio (KERNEL.md §2.11). */
function shrink_folio(cpu: Cpu, folio: number, ignoreReferences: boolean): number {
  if (!folio_trylock(cpu, folio)) return Fate.KEEP;
  if (folio_test(cpu, folio, Pg.writeback)) {
    folio_set(cpu, folio, Pg.reclaim); // case 2: rotate when the write ends
    return Fate.ACTIVATE_LOCKED;
  }
  // The 2014 MADV_FREE postings decide here, from the PTEs' dirty bits, to discard the page.
  let discard = false;
  if (!ignoreReferences) {
    const seen = patchable.folio_referenced(cpu, folio);
    const refs = folio_check_references(cpu, folio, seen);
    if (refs === FolioRef.ACTIVATE) return Fate.ACTIVATE_LOCKED;
    if (refs === FolioRef.KEEP) return Fate.KEEP_LOCKED;
    discard = patchable.page_discardable(cpu, folio, seen.dirty);
  }
  const flags = folio_flags(cpu, folio);
  if (has(flags, Pg.anon) && has(flags, Pg.swapbacked) && !has(flags, Pg.swapcache) && !discard) {
    if (folio_maybe_dma_pinned(cpu, folio)) return Fate.KEEP_LOCKED; // feb889fb40fa
    if (!patchable.add_to_swap(cpu, folio)) return Fate.ACTIVATE_LOCKED;
  }
  if (load(cpu, cpu.L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE) > 0 && !patchable.try_to_unmap(cpu, folio, discard)) {
    return Fate.ACTIVATE_LOCKED;
  }
  if (folio_maybe_dma_pinned(cpu, folio)) return Fate.ACTIVATE_LOCKED;
  if (folio_test(cpu, folio, Pg.dirty)) {
    if (!folio_test(cpu, folio, Pg.swapcache)) return Fate.KEEP_LOCKED; // nowhere to write it
    if (!pageout(cpu, folio)) return Fate.KEEP_LOCKED; // returns unlocked once the write started
    if (folio_test(cpu, folio, Pg.writeback) || folio_test(cpu, folio, Pg.dirty)) return Fate.KEEP;
    if (!folio_trylock(cpu, folio)) return Fate.KEEP;
    if (folio_test(cpu, folio, Pg.dirty) || folio_test(cpu, folio, Pg.writeback)) return Fate.KEEP_LOCKED;
  }
  if (!folio_test(cpu, folio, Pg.swapbacked) || (discard && !folio_test(cpu, folio, Pg.swapcache))) {
    // a clean lazy-free (or, 2014, discardable) folio: nothing to write, nobody else may hold it
    if (!folio_ref_freeze(cpu, folio, 1)) return Fate.KEEP_LOCKED;
  } else if (!__remove_mapping(cpu, folio)) {
    return Fate.KEEP_LOCKED;
  }
  folio_clear(cpu, folio, Pg.locked); // __folio_clear_locked(): nobody else can see it now
  free_isolated(cpu, folio);
  return Fate.FREED;
}

/**
 * shrink_folio_list()'s activate_locked: a folio that is not a candidate for swapping gives its swap
 * slot back if it is mlocked, and goes to the active list unless it is mlocked.
 */
function activate_locked(cpu: Cpu, folio: number): void {
  if (!folio_test(cpu, folio, Pg.mlocked)) {
    folio_set(cpu, folio, Pg.active);
    return;
  }
  if (folio_test(cpu, folio, Pg.swapcache)) patchable.folio_free_swap(cpu, folio);
}

/**
 * mm/vmscan.c shrink_folio_list() for isolated small anon folios: returns the folios to put back
 * (activated where reclaim found them in use) and how many were freed.
 */
export function shrink_folio_list(cpu: Cpu, folios: readonly number[], ignoreReferences: boolean):
  { keep: number[]; reclaimed: number } {
  const keep: number[] = [];
  let reclaimed = 0;
  for (const folio of folios) {
    const fate = shrink_folio(cpu, folio, ignoreReferences);
    if (fate === Fate.FREED) { reclaimed++; continue; }
    if (fate === Fate.ACTIVATE_LOCKED) activate_locked(cpu, folio);
    if (fate !== Fate.KEEP) folio_unlock(cpu, folio);
    keep.push(folio);
  }
  cpu.trace(S.shrink_folio_list, -1, reclaimed);
  return { keep, reclaimed };
}

/** mm/vmscan.c shrink_inactive_list(): isolate from the tail of `lru`, shrink, put the rest back. */
export function shrink_inactive_list(cpu: Cpu, nr: number, lru: number): number {
  const { keep, reclaimed } = patchable.shrink_folio_list(cpu, patchable.isolate_lru_folios(cpu, nr, lru), false);
  patchable.move_folios_to_lru(cpu, keep);
  return reclaimed;
}

/**
 * mm/vmscan.c reclaim_pages() (MADV_PAGEOUT): reclaim folios the caller isolated with
 * folio_isolate_lru(), ignoring references; survivors go back. Returns how many were freed.
 */
export function reclaim_pages(cpu: Cpu, folios: readonly number[]): number {
  const { keep, reclaimed } = patchable.shrink_folio_list(cpu, folios, true);
  patchable.move_folios_to_lru(cpu, keep);
  return reclaimed;
}
