// Models mm/memory.c (v6.10 shape): the anonymous-page fault that brings a new folio in, and the
// fault dispatch (handle_mm_fault, handle_pte_fault) to it, to the swap fault (memory-swapin.ts)
// and to the write-protect fault (memory-wp.ts), for a write, a read, or GUP's unshare request.
import { load, store } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { allocAnonFolio, Zone, type ZoneId } from './page_alloc.js';
import { Pg } from './page-flags.js';
import {
  is_migration_entry, is_swap_pte, mk_pte, pte_addr, pte_folio, pte_lockptr, pte_none, pte_write, PTE_DIRTY, PTE_WRITE,
  PTE_YOUNG,
} from './pgtable.js';
import { folio_add_anon_rmap_pte } from './rmap.js';
import { S } from './sites.js';
import { folio_put } from './swap.js';
import { patchable } from './patchable.js';

/** do_anonymous_page() results that are not a folio. */
export const VM_FAULT_OOM = -1;
export const FAULT_RACED = -2;

/** include/linux/mm_types.h enum fault_flag: the ones the model reads. Values are ours. */
export const FAULT_FLAG_WRITE = 1;
/** GUP asks for an exclusive anon page without writing it (c89357e27f20, v5.19). */
export const FAULT_FLAG_UNSHARE = 2;

/**
 * mm/memory.c do_anonymous_page() for a write fault: a new exclusive anon folio holding `data`,
 * mapped writable at `addr` of `mm` and queued in this CPU's lru_add batch. `zone` says where the
 * allocator put it (movable allocations may land in CMA). Returns the folio, VM_FAULT_OOM when
 * the zone is empty, or FAULT_RACED when another fault mapped the address first.
 */
export function do_anonymous_page(cpu: Cpu, mm: number, addr: number, zone: ZoneId, data: number): number {
  const folio = allocAnonFolio(cpu, zone, Pg.anon_exclusive);
  if (folio < 0) return VM_FAULT_OOM;
  return map_new_folio(cpu, mm, addr, folio, data, () => {
    folio_add_anon_rmap_pte(cpu, folio, mm, addr);
    patchable.folio_add_lru_vma(cpu, folio, mm);
  }) ? folio : FAULT_RACED;
}

/**
 * The tail of a fault that maps a new folio (mm/memory.c do_anonymous_page(), finish_fault()):
 * `folio` gets `data`; under the PTL, if the PTE at `addr` of `mm` is still empty, `rmap` accounts
 * the mapping and the PTE maps the folio writable and dirty. Returns false (the folio put) when
 * another fault mapped the address first.
 */
export function map_new_folio(cpu: Cpu, mm: number, addr: number, folio: number, data: number, rmap: () => void): boolean {
  store(cpu, cpu.L.FOLIO_DATA + folio * FOLIO_STRIDE, data);
  const ptl = pte_lockptr(cpu, mm);
  const at = pte_addr(cpu, mm, addr);
  spin_lock(cpu, ptl);
  if (!pte_none(load(cpu, at))) {
    spin_unlock(cpu, ptl);
    folio_put(cpu, folio);
    return false;
  }
  rmap();
  cpu.preempt(S.set_pte);
  store(cpu, at, mk_pte(folio, PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
  cpu.trace(S.set_pte, folio, addr);
  spin_unlock(cpu, ptl);
  return true;
}

/**
 * mm/memory.c handle_mm_fault() → handle_pte_fault() for one PTE of a private anon mapping, as GUP's
 * faultin_page() calls it (v6.10 shape): an empty PTE gets a new zeroed page on a write
 * (do_anonymous_page()); anything else goes to handle_pte_fault(). Returns 0 or VM_FAULT_OOM.
 */
export function handle_mm_fault(cpu: Cpu, mm: number, addr: number, faultFlags: number): number {
  const write = (faultFlags & FAULT_FLAG_WRITE) !== 0;
  if (patchable.handle_pte_fault(cpu, mm, addr, write, (faultFlags & FAULT_FLAG_UNSHARE) !== 0)) return 0;
  // do_pte_missing() → do_anonymous_page(); memalloc_pin_save() keeps a FOLL_LONGTERM fault out of CMA
  if (!write) {
    // do_anonymous_page() maps the zero page for a read, under the PTL and only if the PTE is
    // still none: a none read locklessly while reclaim swapped the page out under the PTL is a
    // raced fault (0: GUP retries); the zero page itself is not modelled
    const ptl = pte_lockptr(cpu, mm);
    spin_lock(cpu, ptl);
    const now = load(cpu, pte_addr(cpu, mm, addr));
    spin_unlock(cpu, ptl);
    if (!pte_none(now)) return 0;
    throw new Error('not modelled: a read fault on an empty PTE maps the shared zero page (stubs.ts)');
  }
  return patchable.do_anonymous_page(cpu, mm, addr, Zone.NORMAL, 0) === VM_FAULT_OOM ? VM_FAULT_OOM : 0;
}

/**
 * mm/memory.c handle_pte_fault() for a private anon mapping: a swap PTE goes to do_swap_page(), a
 * write (or, from v5.19, GUP's unshare request, c89357e27f20) to a read-only PTE to do_wp_page().
 * The caller retries its access afterwards, as the CPU retries the faulting instruction. Returns
 * false when the PTE was empty (the caller's do_anonymous_page()), true otherwise.
 */
export function handle_pte_fault(cpu: Cpu, mm: number, addr: number, write: boolean, unshare = false): boolean {
  const at = pte_addr(cpu, mm, addr);
  cpu.preempt(S.handle_mm_fault);
  const orig = load(cpu, at); // vmf->orig_pte, read before the PTL is taken
  cpu.trace(S.handle_mm_fault, pte_folio(orig), addr);
  if (pte_none(orig)) return false;
  if (is_migration_entry(orig)) {
    cpu.block(at, orig, true, S.migration_entry_wait);
    return true;
  }
  if (is_swap_pte(orig)) {
    patchable.do_swap_page(cpu, mm, addr, orig, write);
    return true;
  }
  const ptl = pte_lockptr(cpu, mm);
  spin_lock(cpu, ptl);
  if (load(cpu, at) !== orig) { spin_unlock(cpu, ptl); return true; }
  if ((write || unshare) && !pte_write(orig)) {
    patchable.do_wp_page(cpu, mm, addr, orig, unshare); // releases the PTL
    return true;
  }
  spin_unlock(cpu, ptl);
  return true;
}
