// Models mm/swapfile.c (v5.17–v6.x, one swap device, small folios): per-slot counts in
// swap_map, slot allocation, swap_duplicate()/swap_free(), and the two "may this swap-cache folio
// stop being one" tests: folio_free_swap() (try_to_free_swap() before v6.4) and ≤v5.17
// reuse_swap_page(). The device's kind (SWP_SYNCHRONOUS_IO, SWP_STABLE_WRITES) is chosen by the
// scenario, as swapon() takes it from the block device.
import { load, store } from '../shm/access.js';
import { Ctrl, FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { folio_trylock, folio_unlock, spin_lock, spin_unlock } from './locking.js';
import { folio_flags, folio_set, has, Pg } from './page-flags.js';
import { S } from './sites.js';
import { delete_from_swap_cache, swap_lock } from './swap_state.js';
import { folio_put } from './swap.js';
import { patchable } from './patchable.js';

/** include/linux/swap.h SWAP_HAS_CACHE: a swap-cache folio exists for the slot. */
export const SWAP_HAS_CACHE = 0x40;
/** The user count bits (SWAP_MAP_MAX 0x3e; continuation is not modelled). */
const SWAP_COUNT_MASK = 0x3f;

/** include/linux/swap.h swap_info_struct flags our device may have. */
export const SwapDevice = {
  /** bdev is synchronous (zram, pmem): swap-in may skip the swap cache; writes finish before unlock. */
  SYNCHRONOUS_IO: 1,
  /** bdev needs the page stable while it is written (checksums, parity): SWP_STABLE_WRITES. */
  STABLE_WRITES: 2,
} as const;

/** mm/swapfile.c swapon(): the device kind (setup only). */
export function swapon(cpu: Cpu, flags: number): void {
  store(cpu, cpu.L.CTRL + Ctrl.SWAP_DEVICE, flags);
}

/** Whether the swap device has `flag` (si->flags & SWP_*). */
export function swap_device_has(cpu: Cpu, flag: number): boolean {
  return (load(cpu, cpu.L.CTRL + Ctrl.SWAP_DEVICE) & flag) !== 0;
}

/**
 * mm/swapfile.c folio_alloc_swap() → get_swap_pages(): a free slot, now SWAP_HAS_CACHE, or -1.
 * Until add_to_swap_cache() no PTE names the slot, so no swap-in can look for it.
 */
export function folio_alloc_swap(cpu: Cpu): number {
  const { L } = cpu;
  spin_lock(cpu, swap_lock(cpu));
  let slot = -1;
  for (let s = 0; s < L.config.swapSlots; s++) {
    if (load(cpu, L.SWAP_MAP + s) === 0) { slot = s; break; }
  }
  if (slot >= 0) store(cpu, L.SWAP_MAP + slot, SWAP_HAS_CACHE);
  spin_unlock(cpu, swap_lock(cpu));
  cpu.trace(slot >= 0 ? S.swap_alloc : S.swap_alloc_failed, -1, slot);
  return slot;
}

/** mm/swapfile.c __swap_count() / swp_swapcount(): the slot's user count (racy read). */
export function swp_swapcount(cpu: Cpu, slot: number): number {
  cpu.preempt(S.swap_count);
  return load(cpu, cpu.L.SWAP_MAP + slot) & SWAP_COUNT_MASK;
}

/** Changes the slot's map under the swap lock (the caller may hold it already). Returns the new value. */
function swap_map_update(cpu: Cpu, slot: number, users: number, clearCache: boolean, locked = false): number {
  const { L } = cpu;
  if (!locked) spin_lock(cpu, swap_lock(cpu));
  let v = load(cpu, L.SWAP_MAP + slot);
  if ((v & SWAP_COUNT_MASK) + users < 0) throw new Error(`model bug: swap slot ${slot} user count below zero`);
  v += users;
  if (clearCache) v &= ~SWAP_HAS_CACHE;
  store(cpu, L.SWAP_MAP + slot, v);
  if (!locked) spin_unlock(cpu, swap_lock(cpu));
  return v;
}

/** mm/swapfile.c swap_duplicate(): one more PTE refers to the slot (fork, try_to_unmap_one). */
export function swap_duplicate(cpu: Cpu, slot: number): void {
  cpu.trace(S.swap_count_set, -1, swap_map_update(cpu, slot, 1, false) & SWAP_COUNT_MASK);
}

/** mm/swapfile.c swap_free(): a PTE no longer refers to the slot. */
export function swap_free(cpu: Cpu, slot: number): void {
  cpu.trace(S.swap_count_set, -1, swap_map_update(cpu, slot, -1, false) & SWAP_COUNT_MASK);
}

/** mm/swapfile.c put_swap_folio(): the swap cache no longer holds the slot (caller holds the swap lock). */
export function put_swap_folio(cpu: Cpu, slot: number): void {
  swap_map_update(cpu, slot, 0, true, true);
}

/**
 * mm/swapfile.c swapcache_prepare(), with the swap lock held: claim SWAP_HAS_CACHE for a swap-in.
 * 0 claimed, 1 another folio holds it (-EEXIST), -1 the slot is no longer in use (-ENOENT).
 */
export function swapcache_prepare(cpu: Cpu, slot: number): number {
  const { L } = cpu;
  const v = load(cpu, L.SWAP_MAP + slot);
  if ((v & SWAP_COUNT_MASK) === 0) return -1;
  if (v & SWAP_HAS_CACHE) return 1;
  store(cpu, L.SWAP_MAP + slot, v | SWAP_HAS_CACHE);
  return 0;
}

/** mm/swapfile.c swapcache_prepare() as a swap-in that skips the swap cache calls it (v6.8): takes the lock. */
export function swapcache_claim(cpu: Cpu, slot: number): number {
  spin_lock(cpu, swap_lock(cpu));
  const rc = swapcache_prepare(cpu, slot);
  spin_unlock(cpu, swap_lock(cpu));
  return rc;
}

/**
 * A swap-in found the slot claimed (SWAP_HAS_CACHE) but no folio in the swap cache: a v6.8
 * swap-in that skips the cache holds it. Sleeps until the slot's map changes (the kernel sleeps a
 * tick and retries the fault); returns at once if a folio is there to look up instead.
 */
export function swapcache_claim_wait(cpu: Cpu, slot: number): void {
  const map = load(cpu, cpu.L.SWAP_MAP + slot);
  if (load(cpu, cpu.L.SWAP_CACHE + slot) < 0 && (map & SWAP_HAS_CACHE) !== 0) {
    cpu.block(cpu.L.SWAP_MAP + slot, map, true, S.swapcache_claim_wait);
  }
}

/** mm/swapfile.c swapcache_clear() (v6.8): drop the claim; the slot is freed if nobody uses it. */
export function swapcache_clear(cpu: Cpu, slot: number): void {
  swap_map_update(cpu, slot, 0, true);
  cpu.wake(cpu.L.SWAP_MAP + slot);
}

/** mm/swapfile.c folio_swapped(): does any PTE still refer to the folio's slot. */
function folio_swapped(cpu: Cpu, folio: number): boolean {
  return patchable.swp_swapcount(cpu, load(cpu, cpu.L.FOLIO_SWAP + folio * FOLIO_STRIDE)) > 0;
}

/**
 * mm/swapfile.c folio_free_swap() (try_to_free_swap() before v6.4): the caller holds the folio
 * lock. Leave the swap cache unless under writeback or another PTE still uses the slot; the
 * folio is then dirty (its only copy is in memory again).
 */
export function folio_free_swap(cpu: Cpu, folio: number): boolean {
  const flags = folio_flags(cpu, folio);
  if (!has(flags, Pg.swapcache) || has(flags, Pg.writeback) || folio_swapped(cpu, folio)) {
    cpu.trace(S.folio_free_swap_failed, folio, 0);
    return false;
  }
  delete_from_swap_cache(cpu, folio);
  folio_set(cpu, folio, Pg.dirty);
  cpu.trace(S.folio_free_swap, folio, 0);
  return true;
}

/**
 * mm/swapfile.c reuse_swap_page() (v5.17, removed in v5.18): the folio lock is held. Counts
 * mappings plus swap users; a sole user frees the swap cache unless under writeback, and a page
 * under writeback to a SWP_STABLE_WRITES device is not reusable.
 */
export function reuse_swap_page(cpu: Cpu, folio: number): boolean {
  const { L } = cpu;
  let count = load(cpu, L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE);
  const flags = folio_flags(cpu, folio);
  if (has(flags, Pg.swapcache)) count += patchable.swp_swapcount(cpu, load(cpu, L.FOLIO_SWAP + folio * FOLIO_STRIDE));
  if (count === 1 && has(flags, Pg.swapcache)) {
    if (!has(flags, Pg.writeback)) {
      delete_from_swap_cache(cpu, folio);
      folio_set(cpu, folio, Pg.dirty);
    } else if (swap_device_has(cpu, SwapDevice.STABLE_WRITES)) {
      cpu.trace(S.reuse_swap_page, folio, 0);
      return false;
    }
  }
  cpu.trace(S.reuse_swap_page, folio, count <= 1 ? 1 : 0);
  return count <= 1;
}

/**
 * mm/swapfile.c free_swap_and_cache_nr() for one entry (v6.10): a PTE no longer names `slot`
 * (zap, MADV_FREE). If only the swap cache still holds the slot, __try_to_reclaim_swap() takes
 * an unmapped cache folio out of the cache, if it can lock it at once.
 */
export function free_swap_and_cache(cpu: Cpu, slot: number): void {
  const left = swap_map_update(cpu, slot, -1, false);
  cpu.trace(S.swap_count_set, -1, left & SWAP_COUNT_MASK);
  if (left !== SWAP_HAS_CACHE) return;
  const folio = patchable.swap_cache_get_folio(cpu, slot);
  if (folio < 0) return;
  if (folio_trylock(cpu, folio)) {
    if (load(cpu, cpu.L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE) === 0) patchable.folio_free_swap(cpu, folio);
    folio_unlock(cpu, folio);
  }
  folio_put(cpu, folio);
}
