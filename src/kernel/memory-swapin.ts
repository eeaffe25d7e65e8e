// Models mm/memory.c do_swap_page() for a private anon small folio (KERNEL.md §2.8), in each
// version's form: ≤5.17 asks reuse_swap_page() on a write fault; 5.18 (c145e0b47c77) decides by
// refcount, drains locally first, and frees the swap cache when the folio is likely exclusive;
// 5.19 (1493a1913e34) restores PG_anon_exclusive from the swap PTE, except for a folio under
// writeback to a SWP_STABLE_WRITES device (inverted in the v1/v2 postings); 7.0 (4b34f1d82c65) frees
// the swap cache only after mapping (read: the mm tree's mm/memory.c @ 009857a22860).
import { load, store } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { folio_lock, folio_unlock, spin_lock, spin_unlock } from './locking.js';
import { swap_read_folio } from './page_io.js';
import { folio_flags, folio_set, folio_test, has, Pg } from './page-flags.js';
import { folio_ref_count } from './page_ref.js';
import { mk_pte, pte_addr, pte_lockptr, pte_swp_exclusive, pte_swp_offset, PTE_DIRTY, PTE_WRITE, PTE_YOUNG } from './pgtable.js';
import { mlock_vma_folio, VM_LOCKED } from './mlock.js';
import { swapin_rmap_mlocks } from './swapin-mlock.js';
import { folio_add_anon_rmap_pte } from './rmap.js';
import { patchable } from './patchable.js';
import { S } from './sites.js';
import { folio_put } from './swap.js';
import { read_swap_cache_async, swapin_alloc_folio } from './swap_state.js';
import {
  reuse_swap_page, swap_device_has, SwapDevice, swap_free, swapcache_claim, swapcache_claim_wait, swapcache_clear,
} from './swapfile.js';

/** How do_swap_page() mapped the folio (trace value): read-only, or writable on a write fault. */
const Mapped = { READ_ONLY: 0, WRITABLE: 1 } as const;

/**
 * mm/memory.c should_try_to_free_swap() (v5.18): may the fault drop the swap cache right away.
 * A VM_LOCKED vma or an mlocked folio always may (the ≤5.17 test had the same two).
 */
function should_try_to_free_swap(cpu: Cpu, folio: number, mm: number, write: boolean): boolean {
  const flags = folio_flags(cpu, folio);
  if (!has(flags, Pg.swapcache)) return false;
  if (has(flags, Pg.mlocked) || (load(cpu, cpu.L.VM_FLAGS + mm) & VM_LOCKED) !== 0) return true;
  return write && folio_ref_count(cpu, folio) === 2;
}

/** Where do_swap_page() got its folio: the swap cache, or a private read that skipped it. */
const Source = { CACHE: 0, PRIVATE: 1, PRIVATE_CLAIMED: 2 } as const;

/**
 * The folio for swap slot `slot` with a reference, and where it came from: a synchronous device's
 * sole user reads into a private folio and skips the cache; from v6.8 (13ddaf26be32) it first
 * claims SWAP_HAS_CACHE, so that no other fault can free and reuse the slot meanwhile, and a
 * fault that finds the slot claimed waits and retries. -1: retry the fault.
 */
function swapin_folio(cpu: Cpu, slot: number): { folio: number; source: number } {
  const folio = patchable.swap_cache_get_folio(cpu, slot);
  if (folio >= 0) return { folio, source: Source.CACHE };
  if (swap_device_has(cpu, SwapDevice.SYNCHRONOUS_IO) && patchable.swp_swapcount(cpu, slot) === 1) {
    if (cpu.k.swapinSkipCacheClaim && swapcache_claim(cpu, slot) !== 0) {
      swapcache_claim_wait(cpu, slot);
      return { folio: -1, source: Source.CACHE };
    }
    const fresh = swapin_alloc_folio(cpu);
    if (fresh < 0) throw new Error('model bug: out of folios at swap-in (raise the scenario\'s machine.folios)');
    patchable.folio_add_lru(cpu, fresh);
    swap_read_folio(cpu, fresh, slot);
    return { folio: fresh, source: cpu.k.swapinSkipCacheClaim ? Source.PRIVATE_CLAIMED : Source.PRIVATE };
  }
  return { folio: read_swap_cache_async(cpu, slot), source: Source.CACHE };
}

/**
 * mm/memory.c do_swap_page()'s exclusivity decision (its `exclusive`, v5.19; no function of its own
 * in the kernel): may the folio mapped for swap PTE `orig` be PageAnonExclusive. A folio that did
 * not come from the swap cache (`cached` false: a private skip-cache read) is; a cached one is if
 * the swap PTE says so (swp-exclusive), unless it is under writeback to a SWP_STABLE_WRITES device
 * (inverted in the v1/v2 postings). Under the PTL and the folio lock.
 */
export function do_swap_page_exclusive(cpu: Cpu, folio: number, orig: number, cached: boolean): boolean {
  const { k } = cpu;
  if (!cached) return true;
  if (!k.swpExclusive || !pte_swp_exclusive(orig)) return false;
  const stable = swap_device_has(cpu, SwapDevice.STABLE_WRITES);
  return !(folio_test(cpu, folio, Pg.writeback) && (k.swpExclusiveInverted ? !stable : stable));
}

/**
 * Decides, under the PTL and the folio lock, whether the mapping is writable, drops the PTE's
 * swap count, and sets PG_anon_exclusive where the profile has it.
 */
function swapin_writable(cpu: Cpu, folio: number, mm: number, cached: boolean, orig: number, write: boolean): boolean {
  const { k } = cpu;
  const slot = pte_swp_offset(orig);
  if (!k.swapinCowRefcount) {
    // ≤5.17: the PTE's own swap count still counts in reuse_swap_page(), so a sole user sees 1
    const writable = write && reuse_swap_page(cpu, folio);
    swap_free(cpu, slot);
    if (should_try_to_free_swap(cpu, folio, mm, false)) patchable.folio_free_swap(cpu, folio);
    return writable;
  }
  const exclusive = patchable.do_swap_page_exclusive(cpu, folio, orig, cached);
  swap_free(cpu, slot);
  // from 4b34f1d82c65 the swap cache still holds its reference here: a cached folio reuses only if exclusive
  if (!k.swapinFreeAfterMap && should_try_to_free_swap(cpu, folio, mm, write)) patchable.folio_free_swap(cpu, folio);
  if (!exclusive && folio_ref_count(cpu, folio) !== 1) return false;
  if (k.anonExclusive) folio_set(cpu, folio, Pg.anon_exclusive);
  return write;
}

/**
 * mm/memory.c do_swap_page(): fault in the swap PTE `orig` at `addr` of `mm`. A write fault that
 * could not map writable continues in do_wp_page(), as the kernel does.
 */
export function do_swap_page(cpu: Cpu, mm: number, addr: number, orig: number, write: boolean): void {
  const { L, k } = cpu;
  const slot = pte_swp_offset(orig);
  const { folio, source } = swapin_folio(cpu, slot);
  if (folio < 0) return; // the slot was freed or is being read in: retry
  const cached = source === Source.CACHE;
  const backOut = (): void => {
    folio_unlock(cpu, folio);
    folio_put(cpu, folio);
    if (source === Source.PRIVATE_CLAIMED) swapcache_clear(cpu, slot);
  };
  folio_lock(cpu, folio);
  if (cached && (!folio_test(cpu, folio, Pg.swapcache) || load(cpu, L.FOLIO_SWAP + folio * FOLIO_STRIDE) !== slot)) {
    backOut();
    return;
  }
  // c145e0b47c77 (v5.18) drains before the refcount test; Barry Song's 2026 series removed it
  if (k.swapinCowRefcount && !k.fewerFaultDrains && write && cached && !folio_test(cpu, folio, Pg.lru)) patchable.lru_add_drain(cpu);
  const ptl = pte_lockptr(cpu, mm);
  const at = pte_addr(cpu, mm, addr);
  spin_lock(cpu, ptl);
  if (load(cpu, at) !== orig) {
    spin_unlock(cpu, ptl);
    backOut();
    return;
  }
  const writable = swapin_writable(cpu, folio, mm, cached, orig, write);
  const mlocks = swapin_rmap_mlocks(cpu, folio);
  folio_add_anon_rmap_pte(cpu, folio, mm, addr);
  if (mlocks) mlock_vma_folio(cpu, folio, mm);
  cpu.preempt(S.set_pte);
  const pte = mk_pte(folio, PTE_YOUNG | (writable ? PTE_WRITE | PTE_DIRTY : 0));
  store(cpu, at, pte);
  cpu.trace(S.do_swap_page, folio, writable ? Mapped.WRITABLE : Mapped.READ_ONLY);
  // 4b34f1d82c65: after set_ptes(); a write mapped writable cleared FAULT_FLAG_WRITE, so it no longer counts
  if (k.swapinFreeAfterMap && should_try_to_free_swap(cpu, folio, mm, write && !writable)) patchable.folio_free_swap(cpu, folio);
  folio_unlock(cpu, folio);
  if (write && !writable) patchable.do_wp_page(cpu, mm, addr, pte); // releases the PTL
  else spin_unlock(cpu, ptl);
  if (source === Source.PRIVATE_CLAIMED) swapcache_clear(cpu, slot);
}
