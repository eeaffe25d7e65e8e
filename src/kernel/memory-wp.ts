// Models mm/memory.c do_wp_page() for a private anon small folio (KERNEL.md §2.7), in each
// version's form, chosen by the profile's switches:
//   5.9–5.17 (09854ba94c6a): reuse only if page_count == 1 and mapcount == 1;
//   Liang Zhang's Jan 2022 proposal: first ask reuse_swap_page() (wp-reuse-swap-page);
//   Willy's Jan 2022 alternative: reuse if page_count == 1 + PageSwapCache (wp-reuse-swapcache-count);
//   5.18 (53a05ad9f21d, d4c470970d45): copy at once above 3 references, lru_add_drain() when
//     !PageLRU, try_to_free_swap() under the folio lock, then reuse only at page_count == 1;
//   5.19 (PG_anon_exclusive): an exclusive page is reused without any test; GUP's unshare request
//     (FAULT_FLAG_UNSHARE, c89357e27f20) takes the same decision but leaves the PTE read-only.
import { load, loadPlain, store, storePlain } from '../shm/access.js';
import { CPU_STRIDE, FOLIO_STRIDE, VmEvent } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { folio_trylock, folio_unlock, spin_lock, spin_unlock } from './locking.js';
import { allocAnonFolio, Zone } from './page_alloc.js';
import { folio_flags, folio_set, folio_test, has, Pg } from './page-flags.js';
import { folio_get, folio_ref_count } from './page_ref.js';
import { mk_pte, pte_addr, pte_lockptr, PTE_DIRTY, PTE_WRITE, PTE_YOUNG, pte_folio } from './pgtable.js';
import { folio_add_anon_rmap_pte, folio_remove_rmap_pte } from './rmap.js';
import { S } from './sites.js';
import { folio_put } from './swap.js';
import { free_swap_cache } from './swap_state.js';
import { reuse_swap_page } from './swapfile.js';
import { patchable } from './patchable.js';

/** The references a reusable folio may have besides ours: the swap cache's, in Willy's and 5.18's prechecks. */
function swapcache_refs(cpu: Cpu, folio: number, counted: boolean): number {
  return counted && folio_test(cpu, folio, Pg.swapcache) ? 1 : 0;
}

/**
 * Barry Song's 2026 "avoid unnecessary lru drain for wp_can_reuse_anon_folio()" as the model reads
 * it [infer: from its title and its neighbour "rename in_lru_cache to maybe_in_lru_cache"; the diff
 * was not read]: a drain can only help when the refcount shows a reference beyond our PTE and the
 * swap cache, one an LRU batch might hold.
 */
function may_hold_batch_ref(cpu: Cpu, folio: number): boolean {
  return folio_ref_count(cpu, folio) > 1 + (folio_test(cpu, folio, Pg.swapcache) ? 1 : 0);
}

/**
 * mm/memory.c wp_can_reuse_anon_folio() (v6.x name; inline in do_wp_page() before): may the
 * faulting process keep the page it maps read-only instead of copying it.
 */
export function wp_can_reuse_anon_folio(cpu: Cpu, folio: number): boolean {
  const { k } = cpu;
  if (k.anonExclusive && folio_test(cpu, folio, Pg.anon_exclusive)) return true;
  if (k.wpLocalDrain) {
    if (folio_ref_count(cpu, folio) > 3) return false;
    if (!folio_test(cpu, folio, Pg.lru) && (!k.fewerFaultDrains || may_hold_batch_ref(cpu, folio))) patchable.lru_add_drain(cpu);
  }
  if (!k.wpReuseSwapPage) {
    const most = 1 + swapcache_refs(cpu, folio, k.wpFreeSwapcache || k.wpReuseSwapcacheCount);
    if (folio_ref_count(cpu, folio) > most) return false;
  }
  if (!folio_trylock(cpu, folio)) return false;
  let reuse: boolean;
  if (k.wpReuseSwapPage && folio_test(cpu, folio, Pg.swapcache) && reuse_swap_page(cpu, folio)) {
    reuse = true;
  } else {
    if (k.wpFreeSwapcache && folio_test(cpu, folio, Pg.swapcache)) patchable.folio_free_swap(cpu, folio);
    const expected = 1 + swapcache_refs(cpu, folio, k.wpReuseSwapcacheCount);
    // 5.18 dropped the mapcount test; the refcount covers it.
    const mapped = k.wpFreeSwapcache || load(cpu, cpu.L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE) === 1;
    reuse = mapped && folio_ref_count(cpu, folio) === expected;
  }
  folio_unlock(cpu, folio);
  return reuse;
}

/**
 * mm/memory.c do_wp_page(): a write to the read-only PTE `orig` at `addr` of `mm`, or with
 * `unshare` GUP's request for an exclusive page (v5.19), entered with the PTL held; returns with it
 * released. Returns true if the page was reused, false if copied.
 */
export function do_wp_page(cpu: Cpu, mm: number, addr: number, orig: number, unshare = false): boolean {
  const folio = pte_folio(orig);
  if (patchable.wp_can_reuse_anon_folio(cpu, folio)) {
    if (unshare) wp_unshare_reuse(cpu, mm, folio);
    else wp_page_reuse(cpu, mm, addr, folio, orig);
    return true;
  }
  wp_page_copy(cpu, mm, addr, folio, orig, unshare);
  return false;
}

/**
 * mm/memory.c do_wp_page() "reuse:" with FAULT_FLAG_UNSHARE (v5.19): the page is ours alone, so it
 * becomes exclusive (folio_move_anon_rmap) and the PTE stays read-only (PTL held, released here).
 */
function wp_unshare_reuse(cpu: Cpu, mm: number, folio: number): void {
  if (!has(folio_flags(cpu, folio), Pg.anon_exclusive)) folio_set(cpu, folio, Pg.anon_exclusive);
  cpu.trace(S.wp_unshare_reuse, folio, 0);
  spin_unlock(cpu, pte_lockptr(cpu, mm));
}

/** mm/memory.c wp_page_reuse(): the PTE becomes writable and dirty (PTL held, released here). */
function wp_page_reuse(cpu: Cpu, mm: number, addr: number, folio: number, orig: number): void {
  if (cpu.k.anonExclusive) folio_set(cpu, folio, Pg.anon_exclusive); // folio_move_anon_rmap + SetPageAnonExclusive
  cpu.preempt(S.wp_page_reuse);
  store(cpu, pte_addr(cpu, mm, addr), orig | PTE_WRITE | PTE_DIRTY | PTE_YOUNG);
  cpu.trace(S.wp_page_reuse, folio, addr);
  spin_unlock(cpu, pte_lockptr(cpu, mm));
  const event = cpu.L.VM_EVENTS + cpu.id * CPU_STRIDE + VmEvent.PGREUSE; // this CPU's own counter: plain accesses
  storePlain(cpu, event, loadPlain(cpu, event) + 1); // count_vm_event(PGREUSE), after the unlock, as the kernel does
}

/**
 * mm/memory.c wp_page_copy(): with a reference on the old folio, drop the PTL, copy into a new
 * exclusive folio, and map it if the PTE did not change meanwhile (PTL held on entry, released):
 * writable and dirty for a write, read-only for an unshare request (c89357e27f20, v5.19); the old
 * folio leaves the swap cache if nothing maps it or names its slot any more.
 */
function wp_page_copy(cpu: Cpu, mm: number, addr: number, old: number, orig: number, unshare: boolean): void {
  const { L } = cpu;
  const ptl = pte_lockptr(cpu, mm);
  const at = pte_addr(cpu, mm, addr);
  folio_get(cpu, old);
  spin_unlock(cpu, ptl);
  const folio = allocAnonFolio(cpu, Zone.NORMAL, Pg.anon_exclusive);
  if (folio < 0) throw new Error('model bug: out of folios at COW (raise the scenario\'s machine.folios)');
  cpu.preempt(S.copy_page);
  store(cpu, L.FOLIO_DATA + folio * FOLIO_STRIDE, load(cpu, L.FOLIO_DATA + old * FOLIO_STRIDE));
  cpu.trace(S.copy_page, old, folio);
  spin_lock(cpu, ptl);
  const copied = load(cpu, at) === orig;
  if (copied) {
    folio_add_anon_rmap_pte(cpu, folio, mm, addr);
    patchable.folio_add_lru_vma(cpu, folio, mm);
    cpu.preempt(S.set_pte);
    store(cpu, at, mk_pte(folio, unshare ? PTE_YOUNG : PTE_WRITE | PTE_DIRTY | PTE_YOUNG));
    cpu.trace(S.wp_page_copy, old, addr);
    folio_remove_rmap_pte(cpu, old);
    folio_put(cpu, old); // the old mapping's reference
  } else {
    folio_put(cpu, folio);
  }
  spin_unlock(cpu, ptl);
  if (copied) free_swap_cache(cpu, old); // f4c4a3f48480 (v5.14): an idle swap-cache page goes now
  folio_put(cpu, old);
}
