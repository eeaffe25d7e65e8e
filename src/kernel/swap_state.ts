// Models mm/swap_state.c (v5.17–v6.x, small folios): the swap cache (slot → folio, one
// reference per folio while PG_swapcache), add_to_swap() for reclaim, and the swap-cache side of
// swap-in (lookup, or allocate + read + folio_add_lru() into this CPU's lru_add batch).
import { fetchAdd, fetchAnd, fetchOr, load, store } from '../shm/access.js';
import { Ctrl, FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { folio_trylock, folio_unlock, spin_lock, spin_unlock } from './locking.js';
import { allocAnonFolio, Zone } from './page_alloc.js';
import { folio_clear, folio_set, folio_test, Pg } from './page-flags.js';
import { folio_try_get } from './page_ref.js';
import { swap_read_folio } from './page_io.js';
import { S } from './sites.js';
import { folio_alloc_swap, put_swap_folio, swapcache_claim_wait, swapcache_prepare } from './swapfile.js';
import { folio_put } from './swap.js';
import { patchable } from './patchable.js';

export function swap_lock(cpu: Cpu): number {
  return cpu.L.CTRL + Ctrl.SWAP_LOCK;
}

/**
 * mm/swap_state.c add_to_swap_cache(): the cache takes a reference; folio->swap = slot. `claim`:
 * also claim SWAP_HAS_CACHE, in the same swap-lock section (swap-in; reclaim got the slot with it
 * set). The kernel claims first and inserts after, and a racing swap-in that sees the claim but
 * no folio sleeps a tick and looks again; claiming and inserting at once removes that window and
 * its polling, and changes no outcome. Returns swapcache_prepare()'s code: 0 added, 1 the slot
 * already has a swap-cache folio (-EEXIST), -1 the slot is no longer in use (-ENOENT).
 */
export function add_to_swap_cache(cpu: Cpu, folio: number, slot: number, claim: boolean): number {
  const { L } = cpu;
  spin_lock(cpu, swap_lock(cpu));
  const rc = claim ? swapcache_prepare(cpu, slot) : 0;
  if (rc === 0) {
    store(cpu, L.FOLIO_SWAP + folio * FOLIO_STRIDE, slot);
    fetchAdd(cpu, L.FOLIO_REF + folio * FOLIO_STRIDE, 1);
    fetchOr(cpu, L.FOLIO_FLAGS + folio * FOLIO_STRIDE, 1 << Pg.swapcache);
    store(cpu, L.SWAP_CACHE + slot, folio);
  }
  spin_unlock(cpu, swap_lock(cpu));
  if (rc === 0) cpu.trace(S.add_to_swap_cache, folio, slot);
  return rc;
}

/**
 * mm/swap_state.c __delete_from_swap_cache() + put_swap_folio(), with the swap lock held: the
 * folio (locked, or frozen at refcount 0) leaves the swap cache. The cache's reference is the
 * caller's to drop.
 */
export function __delete_from_swap_cache(cpu: Cpu, folio: number): void {
  const { L } = cpu;
  const slot = load(cpu, L.FOLIO_SWAP + folio * FOLIO_STRIDE);
  store(cpu, L.SWAP_CACHE + slot, -1);
  fetchAnd(cpu, L.FOLIO_FLAGS + folio * FOLIO_STRIDE, ~(1 << Pg.swapcache));
  store(cpu, L.FOLIO_SWAP + folio * FOLIO_STRIDE, -1);
  put_swap_folio(cpu, slot);
  cpu.trace(S.delete_from_swap_cache, folio, slot);
}

/** mm/swap_state.c delete_from_swap_cache(): as above, taking the swap lock; drops the cache's reference. */
export function delete_from_swap_cache(cpu: Cpu, folio: number): void {
  spin_lock(cpu, swap_lock(cpu));
  __delete_from_swap_cache(cpu, folio);
  spin_unlock(cpu, swap_lock(cpu));
  folio_put(cpu, folio);
}

/**
 * mm/swap_state.c add_to_swap() (folio locked, isolated): a slot and a swap-cache entry, then the
 * folio is marked dirty unconditionally, so a folio whose PTE dirty bits MADV_FREE already
 * cleared is still written out (KERNEL.md §2.11 step 3).
 */
export function add_to_swap(cpu: Cpu, folio: number): boolean {
  const slot = folio_alloc_swap(cpu);
  if (slot < 0) return false;
  add_to_swap_cache(cpu, folio, slot, false);
  folio_set(cpu, folio, Pg.dirty);
  return true;
}

/**
 * mm/swap_state.c swap_cache_get_folio() (lookup_swap_cache() before v6.1): the slot's folio with
 * a reference, or -1. Lockless as the kernel's RCU lookup: try_get, then check it is still there.
 * A folio whose count is 0 is frozen by __remove_mapping(), which holds the swap lock until the
 * folio has left the cache or is unfrozen: the kernel's lookup retries meanwhile; here it waits
 * for that lock, so a controlled schedule cannot spin on it forever.
 */
export function swap_cache_get_folio(cpu: Cpu, slot: number): number {
  cpu.preempt(S.swap_cache_lookup);
  const { L } = cpu;
  for (;;) {
    const folio = load(cpu, L.SWAP_CACHE + slot);
    if (folio < 0) { cpu.trace(S.swap_cache_lookup, -1, slot); return -1; }
    if (!folio_try_get(cpu, folio)) {
      // frozen by __remove_mapping(), which holds the swap lock until it deletes or unfreezes it
      spin_lock(cpu, swap_lock(cpu));
      spin_unlock(cpu, swap_lock(cpu));
      continue;
    }
    if (load(cpu, L.SWAP_CACHE + slot) === folio) { cpu.trace(S.swap_cache_lookup, folio, slot); return folio; }
    folio_put(cpu, folio);
  }
}

/**
 * A new anon folio for swap-in (mm/memory.c / swap_state.c allocation with __folio_set_locked and
 * __folio_set_swapbacked): locked, swap-backed, one reference for the caller. -1: no memory.
 */
export function swapin_alloc_folio(cpu: Cpu): number {
  return allocAnonFolio(cpu, Zone.NORMAL, Pg.locked);
}

/**
 * mm/swap_state.c __read_swap_cache_async() + swap_read_folio() (what swapin_readahead() does for
 * the faulting slot): the slot's folio with a reference, unlocked, its content read; a folio
 * read here is queued in this CPU's lru_add batch. -1 when the slot was freed meanwhile.
 */
export function read_swap_cache_async(cpu: Cpu, slot: number): number {
  for (;;) {
    const found = patchable.swap_cache_get_folio(cpu, slot);
    if (found >= 0) return found;
    const folio = swapin_alloc_folio(cpu);
    if (folio < 0) throw new Error('model bug: out of folios at swap-in (raise the scenario\'s machine.folios)');
    const rc = add_to_swap_cache(cpu, folio, slot, true);
    if (rc !== 0) {
      folio_clear(cpu, folio, Pg.locked);
      folio_put(cpu, folio);
      if (rc < 0) return -1;
      // another fault holds the slot: it read a folio in (look it up again), or it is a v6.8
      // swap-in that skips the cache (wait for its claim to go)
      swapcache_claim_wait(cpu, slot);
      continue;
    }
    patchable.folio_add_lru(cpu, folio);
    swap_read_folio(cpu, folio, slot);
    return folio;
  }
}

/**
 * mm/swap_state.c free_swap_cache(): a folio whose last mapping went (zap) leaves the swap cache
 * too, if it can be locked at once and no other PTE still uses its slot.
 */
export function free_swap_cache(cpu: Cpu, folio: number): void {
  if (!folio_test(cpu, folio, Pg.swapcache) || load(cpu, cpu.L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE) > 0) return;
  if (!folio_trylock(cpu, folio)) return;
  patchable.folio_free_swap(cpu, folio);
  folio_unlock(cpu, folio);
}
